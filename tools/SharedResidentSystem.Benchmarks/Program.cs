using SharedResidentSystem.Benchmarks;

return await Bench.RunAsync(args);
