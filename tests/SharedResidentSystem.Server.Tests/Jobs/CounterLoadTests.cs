using Microsoft.AspNetCore.Http;
using SharedResidentSystem.Server.Jobs;

namespace SharedResidentSystem.Server.Tests.Jobs;

/// <summary>What counts as the counter's work, for the jobs that wait for its quiet moments.</summary>
public sealed class CounterLoadTests
{
    [Theory]
    [InlineData("/srs.residents.v1.ResidentService/GetResident", true)]
    [InlineData("/srs.registration.v1.RegistrationService/RecordMoveIn", true)]
    [InlineData("/srs.jobs.v1.JobService/GetOperation", false)]
    [InlineData("/grpc.health.v1.Health/Check", false)]
    [InlineData("/srs", false)]
    public void Every_call_of_the_contract_but_the_jobs_own_is_counter_work(string path, bool counted) =>
        Assert.Equal(counted, CounterLoad.IsCounterCall(new PathString(path)));

    [Fact]
    public void The_counter_is_busy_while_a_call_is_in_flight_and_just_after()
    {
        var load = new CounterLoad();
        Assert.False(load.Busy);
        load.Enter();
        Assert.True(load.Busy);
        load.Exit();
        Assert.True(load.Busy);
        Thread.Sleep(CounterLoad.Quiet * 2);
        Assert.False(load.Busy);
    }
}
