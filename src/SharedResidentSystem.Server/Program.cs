using SharedResidentSystem.Server.Hosting;

return await ServerHost.RunAsync(args);
