using System.Diagnostics;
using SharedResidentSystem.Contracts.Certificates.V1;

namespace SharedResidentSystem.Terminal;

/// <summary>What became of the copies of one answer: the files kept where the clerk asked, and the copies printed.</summary>
public sealed record Delivered(IReadOnlyList<string> SavedFiles, int Printed, IReadOnlyList<string> PrintFailures);

/// <summary>
/// Where issued certificates go (10.7): to the printer, when the terminal has a print command,
/// and into a folder only when the clerk names one. A copy printed without a folder goes through
/// a private temporary file that is deleted as soon as the print command has taken it: the
/// terminal keeps no copies of its own. Only PDFs just obtained by a logged call (issue,
/// reprint, preview) are printed, so every print is in the city's access log.
/// </summary>
public static class CertificateOutput
{
    public static async Task<Delivered> DeliverAsync(IssueCertificateResponse response, string? saveDirectory, string? printCommand, string prefix = "")
    {
        var saved = saveDirectory is { Length: > 0 } ? await SaveAsync(response, saveDirectory, prefix) : [];
        if (printCommand is not { Length: > 0 })
        {
            return new Delivered(saved, 0, []);
        }
        if (saved.Count > 0)
        {
            var failures = await PrintAsync(saved, printCommand);
            return new Delivered(saved, saved.Count - failures.Count, failures);
        }
        var spool = Directory.CreateTempSubdirectory("srs-print-");
        try
        {
            var files = await SaveAsync(response, spool.FullName, prefix);
            var failures = await PrintAsync(files, printCommand);
            return new Delivered([], files.Count - failures.Count, failures);
        }
        finally
        {
            spool.Delete(recursive: true);
        }
    }

    public static async Task<IReadOnlyList<string>> SaveAsync(IssueCertificateResponse response, string directory, string prefix = "")
    {
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        foreach (var copy in response.Copies)
        {
            var stem = copy.IssueNumber.Length > 0 ? copy.IssueNumber : $"copy-{copy.CopyNumber}";
            var safe = string.Concat(stem.Select(c => Path.GetInvalidFileNameChars().Contains(c) || c == ' ' ? '_' : c));
            var path = Path.GetFullPath(Path.Combine(directory, $"{prefix}{safe}.pdf"));
            await File.WriteAllBytesAsync(path, copy.Pdf.ToByteArray());
            files.Add(path);
        }
        return files;
    }

    /// <summary>Runs the print command once per file, the file's path as its last argument; returns what failed.</summary>
    public static async Task<IReadOnlyList<string>> PrintAsync(IEnumerable<string> files, string command)
    {
        var failures = new List<string>();
        foreach (var file in files)
        {
            var start = new ProcessStartInfo("/bin/sh")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"{command} \"$1\"");
            start.ArgumentList.Add("srs-print");
            start.ArgumentList.Add(file);
            using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the print command");
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                failures.Add($"{Path.GetFileName(file)}: 印刷コマンドが終了コード {process.ExitCode} で終わりました {(await stderr).Trim()}");
            }
        }
        return failures;
    }
}
