using System.CommandLine;
using SharedResidentSystem.AdminTool;

// srs-admin: the operators' tool. Talks to the running service over gRPC as a signed-in operator;
// every change (a configuration version, a staff account) is written to the city's access log.
var root = new RootCommand("srs-admin — the operators' tool of SharedResidentSystem (per-city configuration, staff accounts, migration files).\n" +
    "Exit codes: 0 done, 1 the document has problems (or the diff found some), 2 wrong arguments or unreadable file, " +
    "3 the server refused or could not be reached, 4 not applied (declined at the prompt).");
foreach (var option in AdminCommands.GlobalOptions)
{
    root.Options.Add(option);
}
foreach (var command in AdminCommands.Build())
{
    root.Subcommands.Add(command);
}
root.Subcommands.Add(StaffCommands.Build());
root.Subcommands.Add(LinkCommands.Build());
root.Subcommands.Add(MigrateCommands.Build());
root.Subcommands.Add(JobCommands.Build());
root.Subcommands.Add(EucCommands.Build());
root.Subcommands.Add(IndicatorCommands.Build());
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        await Console.Error.WriteLineAsync($"srs-admin: {error.Message}");
    }
    await Console.Error.WriteLineAsync("srs-admin --help で使い方を表示します。");
    return ExitCodes.Usage;
}
return await parsed.InvokeAsync();
