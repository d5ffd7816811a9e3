using SharedResidentSystem.Core.Statistics;

namespace SharedResidentSystem.Core.Tests.Statistics;

/// <summary>What the indicators count as counter work, and their months and percentiles.</summary>
public sealed class IndicatorsTests
{
    [Theory]
    [InlineData("/srs.registration.v1.RegistrationService/RecordMoveIn", "OK", true)]
    [InlineData("/srs.registration.v1.RegistrationService/CorrectResident", "OK", true)]
    [InlineData("/srs.certificates.v1.CertificateService/IssueCertificate", "OK", true)]
    [InlineData("/srs.registration.v1.RegistrationService/RecordMoveIn", "INVALID_FIELD", false)]
    [InlineData("/srs.registration.v1.RegistrationService/RecordMoveInNotice", "OK", false)]
    [InlineData("/srs.certificates.v1.CertificateService/ReprintIssuance", "OK", false)]
    [InlineData("/srs.residents.v1.ResidentService/GetResident", "OK", false)]
    public void A_task_ends_with_a_recorded_idou_or_an_issued_certificate(string function, string outcome, bool ends) =>
        Assert.Equal(ends, Indicators.Completes(function, outcome));

    [Theory]
    [InlineData("/srs.residents.v1.ResidentService/SearchResidents", true)]
    [InlineData("/srs.registration.v1.IntakeService/ReadIntakeCsv", true)]
    [InlineData("/srs.jobs.v1.JobService/run addressBulkChange", false)]
    [InlineData("/srs.link.v1.LinkService/Subscribe", false)]
    public void Jobs_and_linked_systems_are_not_counter_work(string function, bool counter) => Assert.Equal(counter, Indicators.AtCounter(function));

    [Fact]
    public void Months_are_japanese_and_percentiles_lie_between_ranks()
    {
        // 2026-11-30 15:30 UTC is already 1 December in Japan.
        Assert.Equal(new Month(2026, 12), Month.Of(new DateTime(2026, 11, 30, 15, 30, 0, DateTimeKind.Utc)));
        Assert.Equal(new DateTime(2026, 11, 30, 15, 0, 0, DateTimeKind.Utc), new Month(2026, 12).StartUtc);
        Assert.Equal(["2026-11", "2026-12", "2027-01"], Month.Range(new Month(2026, 11), new Month(2027, 1)).Select(m => m.ToString()));
        Assert.False(Month.TryParse("2026-13", out _));
        Assert.Equal(120, Indicators.Percentile([60, 120, 240], 0.5));
        Assert.Equal(216, Indicators.Percentile([60, 120, 240], 0.9), 6);
        Assert.Equal(0, Indicators.Percentile([], 0.5));
    }
}
