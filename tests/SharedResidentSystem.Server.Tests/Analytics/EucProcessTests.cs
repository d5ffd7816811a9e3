using System.Text.RegularExpressions;
using Grpc.Core;
using Grpc.Net.Client;
using SharedResidentSystem.Contracts.Analytics.V1;
using SharedResidentSystem.Contracts.Jobs.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Analytics;

/// <summary>
/// EUC in the real processes: the copy's job killed -9 in the middle and resumed to a whole copy,
/// then srs-admin's wizard answered line by line, as a supervisor without SQL would, to a label
/// PDF and a list PDF of the family it made (its MJ name exact).
/// </summary>
public sealed class EucProcessTests
{
    private const string City = "132110";
    private const string MjFamily = "葛\U000E0102城";
    private static readonly string AdminTool = ServerProcess.ProgramPath("tools/SharedResidentSystem.AdminTool", "srs-admin.dll");

    private static Task<Operation> UntilAsync(JobService.JobServiceClient jobs, Metadata headers, string name, Func<Operation, bool> reached) =>
        Jobs.Operations.UntilAsync(jobs, headers, name, reached);

    [Fact]
    [Spec("10.1#12")]
    [Spec("10.1#15")]
    [Spec("10.1#17")]
    [Spec("9.1#6")]
    public async Task A_copy_killed_in_the_middle_is_made_whole_and_the_wizard_answered_by_number_prints_labels_and_a_list()
    {
        var data = RepositoryPaths.NewTempDirectory("srs-euc");
        // Small steps with a pause between them, so that the copy is still being made when the server is killed.
        string[] slow = ["--Jobs:StepPauseMilliseconds=400", "--Jobs:PollSeconds=0.2"];
        var server = ServerProcess.Start(data, slow);
        try
        {
            await server.WaitUntilServingAsync(TimeSpan.FromSeconds(90));
            var clerk = new Metadata { { "Authorization", "Bearer " + await ServerProcess.MintAsync(data, City, "clerk", ["--terminal", "T001"]) } };
            var token = await ServerProcess.MintAsync(data, City, "supervisor", ["--terminal", "T001"]);
            var supervisor = new Metadata { { "Authorization", "Bearer " + token } };
            using (var channel = GrpcChannel.ForAddress(server.Address))
            {
                await new RegistrationService.RegistrationServiceClient(channel).RecordMoveInAsync(MoveIn(City, UniqueKana(), MjFamily, members: 2), clerk);
                var jobs = new JobService.JobServiceClient(channel);
                var started = await jobs.StartJobAsync(new StartJobRequest { RequestId = Guid.NewGuid().ToString(), Kind = JobKind.EucSnapshot, Reason = "EUC データソースの更新" }, supervisor);
                // Killed once the register is exported and some of its files are converted.
                await UntilAsync(jobs, supervisor, started.Name, o => o.Metadata.DoneCount >= 3);
                await server.KillAsync();
                server = ServerProcess.Restart(server, slow);
                await server.WaitUntilServingAsync(TimeSpan.FromSeconds(90));
            }
            using (var channel = GrpcChannel.ForAddress(server.Address))
            {
                var jobs = new JobService.JobServiceClient(channel);
                var copied = (await jobs.ListOperationsAsync(new ListOperationsRequest(), supervisor)).Operations.Single(o => o.Metadata.Kind == JobKind.EucSnapshot);
                var done = await UntilAsync(jobs, supervisor, copied.Name, o => o.Done);
                Assert.Equal((JobState.Succeeded, 1), (done.Metadata.State, done.Metadata.Resumed));
                var source = await new EucService.EucServiceClient(channel).DescribeSourceAsync(new DescribeSourceRequest(), supervisor);
                Assert.Equal(copied.Name, source.Operation);
                // Every table of the copy is whole: as many rows as the job counted.
                Assert.All(source.Tables.Where(t => t.Rows >= 0), t => Assert.Equal(done.Response.Counts[t.Name], t.Rows));

                // The wizard, answered by number: 現在の住民; the items a label needs; 氏 = the family; the default order; then the output.
                var current = source.Tables.Select((t, i) => (t, i)).Single(x => x.t.Name == "現在の住民");
                string Item(string name) => (current.t.Items.Select(i => i.Name).ToList().IndexOf(name) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                string[] items = ["宛名番号", "氏", "名", "住所_郵便番号", "住所_都道府県", "住所_市区町村", "住所_町字", "住所_丁目", "住所_番地", "住所_方書"];
                async Task<(int ExitCode, string Stdout, string Stderr)> WizardAsync(string output, string file) =>
                    await ServerProcess.RunAsync("dotnet", [AdminTool, "euc", "wizard", "--reason", "転入世帯への案内の送付", "--address", server.Address, "--token", token], TimeSpan.FromSeconds(120),
                        string.Join("\n", [(current.i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "", string.Join(",", items.Select(Item)),
                            Item("氏"), "1", MjFamily, "", "", output, file, ""]));
                var labels = Path.Combine(data, "宛名.pdf");
                var labelled = await WizardAsync("5", labels);
                Assert.True(labelled.ExitCode == 0, labelled.Stderr + labelled.Stdout);
                Assert.Contains("抽出: 2 件　2 人", labelled.Stdout, StringComparison.Ordinal);
                Assert.Contains($"SQL: SELECT \"宛名番号\", \"氏\", \"名\"", labelled.Stdout, StringComparison.Ordinal);
                // The preview showed the first rows on the screen (standard error) before the file was asked for.
                Assert.Contains($"{MjFamily}\t一郎", labelled.Stderr, StringComparison.Ordinal);
                var labelText = Regex.Replace(PdfTools.Text(await File.ReadAllBytesAsync(labels)), @"\s", "");
                Assert.Contains($"{MjFamily}一郎様", labelText, StringComparison.Ordinal);
                Assert.Contains($"{MjFamily}花子様", labelText, StringComparison.Ordinal);

                var list = Path.Combine(data, "一覧.pdf");
                var listed = await WizardAsync("4", list);
                Assert.True(listed.ExitCode == 0, listed.Stderr + listed.Stdout);
                var listText = PdfTools.Text(await File.ReadAllBytesAsync(list));
                Assert.Contains("EUC 抽出結果", listText, StringComparison.Ordinal);
                Assert.Contains(MjFamily, listText, StringComparison.Ordinal);

                // The city's indicators through srs-admin: the report written as HTML and PDF.
                var reported = await ServerProcess.RunAsync("dotnet", [AdminTool, "indicators", "report", "--out-dir", data, "--address", server.Address, "--token", token],
                    TimeSpan.FromSeconds(120), "");
                Assert.True(reported.ExitCode == 0, reported.Stderr + reported.Stdout);
                Assert.Contains("<svg ", await File.ReadAllTextAsync(Path.Combine(data, "指標.html")), StringComparison.Ordinal);
                Assert.Contains("小平市", PdfTools.Text(await File.ReadAllBytesAsync(Path.Combine(data, "指標.pdf"))), StringComparison.Ordinal);
                var handling = await ServerProcess.RunAsync("dotnet", [AdminTool, "indicators", "show", "handling", "--address", server.Address, "--token", token], TimeSpan.FromSeconds(60), "");
                Assert.True(handling.ExitCode == 0, handling.Stderr);
            }
        }
        finally
        {
            await server.DisposeAsync();
            RepositoryPaths.Remove(data);
        }
    }
}
