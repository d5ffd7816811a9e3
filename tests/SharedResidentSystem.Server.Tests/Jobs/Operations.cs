using Grpc.Core;
using SharedResidentSystem.Contracts.Jobs.V1;

namespace SharedResidentSystem.Server.Tests.Jobs;

/// <summary>Waiting for a job of the service tests to end (the runner polls every second at most).</summary>
internal static class Operations
{
    public static async Task<Operation> FinishedAsync(JobService.JobServiceClient jobs, Operation started)
    {
        // Up to two minutes: on a busy two-core machine a job's steps wait their turn.
        for (var i = 0; i < 2400; i++)
        {
            var now = await jobs.GetOperationAsync(new GetOperationRequest { Name = started.Name });
            if (now.Done)
            {
                return now;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"{started.Name} did not finish");
    }

    /// <summary>A job of a server process, asked for with <paramref name="headers"/> until it reaches what the test waits for.</summary>
    public static async Task<Operation> UntilAsync(JobService.JobServiceClient jobs, Metadata headers, string name, Func<Operation, bool> reached)
    {
        for (var i = 0; i < 1200; i++)
        {
            var now = await jobs.GetOperationAsync(new GetOperationRequest { Name = name }, headers);
            if (reached(now))
            {
                return now;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException(name);
    }
}
