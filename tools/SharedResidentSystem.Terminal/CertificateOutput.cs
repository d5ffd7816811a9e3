using System.Diagnostics;
using SharedResidentSystem.Contracts.Certificates.V1;

namespace SharedResidentSystem.Terminal;

/// <summary>
/// Where issued certificates go: one PDF per copy in the output directory, and, when the
/// terminal has a print command, to the printer. Only PDFs just obtained by a logged call
/// (issue, reprint) are printed, so every print is in the city's access log (10.7).
/// </summary>
public static class CertificateOutput
{
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
