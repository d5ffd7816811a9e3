using System.CommandLine;
using System.Text;
using SharedResidentSystem.Client;
using SharedResidentSystem.Terminal;

// srs-terminal: the counter terminal. Without a command it is the interactive, keyboard-only
// program for clerks and supervisors; with a command it is the JSON mode for scripts.
Console.InputEncoding = new UTF8Encoding(false);
Console.OutputEncoding = new UTF8Encoding(false);

var address = new Option<string>("--address") { Description = "The server (default: SRS_ADDRESS, else http://127.0.0.1:5080).", Recursive = true };
var token = new Option<string>("--token") { Description = "A bearer token from the city's own sign-in or, in development, srs-token (default: SRS_TOKEN). Without one the clerk signs in with ID, password and TOTP code.", Recursive = true };
var tenantOption = new Option<string>("--tenant") { Description = "The city's 団体コード offered at sign-in (default: SRS_TENANT).", Recursive = true };
var staffOption = new Option<string>("--staff") { Description = "The staff ID offered at sign-in (default: SRS_STAFF). Scripts sign in with SRS_PASSWORD and SRS_TOTP.", Recursive = true };
var terminalOption = new Option<string>("--terminal") { Description = "This terminal's ID, as the access log names it (default: SRS_TERMINAL, else the machine name).", Recursive = true };
var outDir = new Option<string>("--output-dir") { Description = "Keep a PDF of each certificate in this folder (default: none; copies are printed and not kept).", Recursive = true };
var printer = new Option<string>("--printer") { Description = "The terminal's printer id (as the city's configuration lists it), printed in the 発行番号.", Recursive = true };
var printCommand = new Option<string>("--print-command")
{
    Description = "A command that prints a PDF, given its path as the last argument, e.g. \"lp -d counter1\" (default: SRS_PRINT_COMMAND; none: the clerk is asked where to save).",
    Recursive = true,
};
var lockSeconds = new Option<int>("--lock-seconds") { Description = "Lock the screen after this many seconds without input (default 600).", DefaultValueFactory = _ => 600, Recursive = true };
var eras = new Option<string>("--eras") { Description = "Eras the platform does not know yet, as the server's Japanese:Eras: \"名前:略号:yyyy-MM-dd\", several separated by ; (default: SRS_ERAS).", Recursive = true };
var retries = new Option<int>("--retries") { Description = "Retries of a call the server did not answer (default 8, resent with the same request_id).", DefaultValueFactory = _ => 8, Recursive = true };

TerminalSettings SettingsOf(ParseResult r) => new(
    new Uri(r.GetValue(address) ?? Environment.GetEnvironmentVariable("SRS_ADDRESS") ?? "http://127.0.0.1:5080"),
    r.GetValue(token) ?? Environment.GetEnvironmentVariable("SRS_TOKEN"),
    r.GetValue(outDir),
    r.GetValue(printer),
    r.GetValue(printCommand) ?? Environment.GetEnvironmentVariable("SRS_PRINT_COMMAND"),
    TimeSpan.FromSeconds(Math.Max(1, r.GetValue(lockSeconds))),
    new RegisterClientOptions { MaxRetries = Math.Max(0, r.GetValue(retries)) })
{
    Tenant = r.GetValue(tenantOption) ?? Environment.GetEnvironmentVariable("SRS_TENANT"),
    StaffId = r.GetValue(staffOption) ?? Environment.GetEnvironmentVariable("SRS_STAFF"),
    TerminalId = r.GetValue(terminalOption) ?? Environment.GetEnvironmentVariable("SRS_TERMINAL") ?? Environment.MachineName,
};

var root = new RootCommand("srs-terminal — the counter terminal of SharedResidentSystem.\n" +
    "Without a command: the interactive program (keyboard only; \"!\" abandons a screen). With a command: JSON for scripts.\n" +
    "Exit codes: 0 done, 1 refused (errors), 2 wrong arguments, 3 server unreachable, 4 alerts to acknowledge, 5 sign-in or permission.")
{
    address, token, tenantOption, staffOption, terminalOption, outDir, printer, printCommand, lockSeconds, retries, eras,
};
foreach (var command in ScriptCommands.Build(SettingsOf))
{
    root.Subcommands.Add(command);
}
root.SetAction(async (r, ct) =>
{
    var settings = SettingsOf(r);
    using var session = new Session(settings);
    var screen = new Screen(Console.In, Console.Out, TimeProvider.System, settings.LockAfter, session.UnlockAsync) { UnlockLabel = session.UnlockLabel };
    try
    {
        return await new Counter(session, screen).RunAsync();
    }
    catch (InputEndedException)
    {
        return ExitCodes.Done;
    }
});
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        await Console.Error.WriteLineAsync($"srs-terminal: {error.Message}");
    }
    await Console.Error.WriteLineAsync("srs-terminal --help で使い方を表示します。");
    return ExitCodes.Usage;
}
try
{
    EraSetting.Apply(parsed.GetValue(eras) ?? Environment.GetEnvironmentVariable("SRS_ERAS"));
}
catch (FormatException e)
{
    await Console.Error.WriteLineAsync($"srs-terminal: --eras: {e.Message}");
    return ExitCodes.Usage;
}
return await parsed.InvokeAsync();
