using SharedResidentSystem.AuditTool;

// srs-audit: the auditors' tool. Log search, analyses and export, chain verification against the
// running service (an auditor's token), and the conformance matrix of the standard's lines.
return await AuditCli.RunAsync(args, Console.Out, Console.Error);
