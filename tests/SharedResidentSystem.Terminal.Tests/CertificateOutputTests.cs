using Google.Protobuf;
using SharedResidentSystem.Contracts.Certificates.V1;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Terminal.Tests;

public class CertificateOutputTests
{
    private static IssueCertificateResponse TwoCopies() => new()
    {
        Copies =
        {
            new IssuedCopy { CopyNumber = 1, IssueNumber = "20261126 東村山市 本庁1 プリンタ001 000011 1/2", Pdf = ByteString.CopyFromUtf8("%PDF-1 copy 1") },
            new IssuedCopy { CopyNumber = 2, IssueNumber = "20261126 東村山市 本庁1 プリンタ001 000012 2/2", Pdf = ByteString.CopyFromUtf8("%PDF-1 copy 2") },
        },
    };

    [Spec("10.7#4")]
    [Fact]
    public async Task Copies_sent_to_the_printer_leave_no_file_behind_unless_a_folder_is_named()
    {
        var printer = RepositoryPaths.NewTempDirectory("srs-test-printer");
        try
        {
            var spools = Directory.GetDirectories(Path.GetTempPath(), "srs-print-*").Length;

            var delivered = await CertificateOutput.DeliverAsync(TwoCopies(), null, $"cp -t '{printer}'");

            Assert.Empty(delivered.SavedFiles);
            Assert.Equal(2, delivered.Printed);
            Assert.Empty(delivered.PrintFailures);
            Assert.Equal(["%PDF-1 copy 1", "%PDF-1 copy 2"], Directory.GetFiles(printer).Order(StringComparer.Ordinal).Select(File.ReadAllText));
            Assert.Equal(spools, Directory.GetDirectories(Path.GetTempPath(), "srs-print-*").Length);
        }
        finally
        {
            Directory.Delete(printer, recursive: true);
        }
    }

    [Spec("10.7#4")]
    [Fact]
    public async Task Copies_are_kept_only_in_the_folder_the_clerk_names_and_a_failing_printer_is_reported()
    {
        var folder = RepositoryPaths.NewTempDirectory("srs-test-kept");
        try
        {
            var nothing = await CertificateOutput.DeliverAsync(TwoCopies(), null, null);
            Assert.Equal((0, 0), (nothing.SavedFiles.Count, nothing.Printed));

            var kept = await CertificateOutput.DeliverAsync(TwoCopies(), folder, "false");

            Assert.Equal(2, kept.SavedFiles.Count);
            Assert.All(kept.SavedFiles, f => Assert.StartsWith(folder, f, StringComparison.Ordinal));
            Assert.Equal(0, kept.Printed);
            Assert.Equal(2, kept.PrintFailures.Count);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
