using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using SharedResidentSystem.Contracts.Analytics.V1;
using SharedResidentSystem.Core.Certificates;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Statistics;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Japanese;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Pipeline;

namespace SharedResidentSystem.Server.Analytics;

/// <summary>
/// The cities' indicators (Core/Statistics/Indicators): a call per series for one city, and the
/// report that puts cities side by side (IndicatorReportBuilder). A city's staff read their own
/// city only (another is NOT_FOUND, as if it did not exist); an operator of the joint system names
/// any. Each city's figures are read in a scope of that city, so that its register is read as its own.
/// </summary>
public sealed class IndicatorGrpcService(CallerContext callers, TenantDirectory tenants, IServiceScopeFactory scopes, ICertificateRenderer renderer, CallRecord record,
    TimeProvider time) : IndicatorService.IndicatorServiceBase
{
    public const int MaxMonths = 60;

    public override async Task<IndicatorCounts> ListIdouCounts(IndicatorRequest request, ServerCallContext context)
    {
        var (city, from, to) = Read(request);
        return Counts(city, await InCityAsync(city, (db, ct) => Indicators.IdouByKindAsync(db, from, to, ct), context.CancellationToken));
    }

    public override async Task<IndicatorCounts> ListCertificateCounts(IndicatorRequest request, ServerCallContext context)
    {
        var (city, from, to) = Read(request);
        return Counts(city, await InCityAsync(city, (db, ct) => Indicators.CertificatesByKindAsync(db, from, to, ct), context.CancellationToken));
    }

    public override async Task<IndicatorCounts> ListRefusalCounts(IndicatorRequest request, ServerCallContext context)
    {
        var (city, from, to) = Read(request);
        return Counts(city, await InCityAsync(city, (db, ct) => Indicators.RefusalsByReasonAsync(db, from, to, ct), context.CancellationToken));
    }

    public override async Task<HandlingTimes> ListHandlingTimes(IndicatorRequest request, ServerCallContext context)
    {
        var (city, from, to) = Read(request);
        var tasks = await InCityAsync(city, (db, ct) => Indicators.CounterTasksAsync(db, from, to, ct), context.CancellationToken);
        var answer = new HandlingTimes { Tenant = TenantResourceNames.Tenant(city) };
        answer.Months.AddRange(Indicators.HandlingTimes(tasks).Select(h => new Contracts.Analytics.V1.HandlingTime
        {
            Month = h.Month.ToString(), Tasks = h.Tasks, MedianSeconds = h.MedianSeconds, P90Seconds = h.P90Seconds,
        }));
        return Logged(answer, city);
    }

    public override async Task<PaperlessShares> ListPaperlessShares(IndicatorRequest request, ServerCallContext context)
    {
        var (city, from, to) = Read(request);
        var tasks = await InCityAsync(city, (db, ct) => Indicators.CounterTasksAsync(db, from, to, ct), context.CancellationToken);
        var answer = new PaperlessShares { Tenant = TenantResourceNames.Tenant(city) };
        answer.Months.AddRange(Indicators.PaperlessShares(tasks).Select(p => new Contracts.Analytics.V1.PaperlessShare
        {
            Month = p.Month.ToString(), Tasks = p.Tasks, FromIntake = p.FromIntake, Share = p.Tasks == 0 ? 0 : (double)p.FromIntake / p.Tasks,
        }));
        return Logged(answer, city);
    }

    public override async Task<IndicatorReport> RenderIndicatorReport(RenderIndicatorReportRequest request, ServerCallContext context)
    {
        var (from, to) = Months(request.FromMonth, request.ToMonth);
        var names = request.Tenants.Count == 0 ? [""] : request.Tenants.ToList();
        var cities = names.Select((n, i) => Target(n, $"tenants[{i}]")).Distinct().ToList();
        var ct = context.CancellationToken;
        var figures = new List<IndicatorReportBuilder.CityFigures>();
        foreach (var city in cities)
        {
            figures.Add(await InCityAsync(city, async (db, token) => new IndicatorReportBuilder.CityFigures(tenants.Get(city).Name,
                await Indicators.IdouByKindAsync(db, from, to, token), await Indicators.CertificatesByKindAsync(db, from, to, token),
                await Indicators.RefusalsByReasonAsync(db, from, to, token), await Indicators.CounterTasksAsync(db, from, to, token)), ct));
        }
        var report = IndicatorReportBuilder.Build(figures, from, to, JapanTime.Today(time));
        var answer = new IndicatorReport
        {
            Html = ByteString.CopyFromUtf8(IndicatorReportBuilder.Html(report)),
            Pdf = ByteString.CopyFrom(renderer.RenderReport(report)),
        };
        return record.Answer(answer, new Touched([], Detail: $"指標の報告 {from}〜{to}: {string.Join("、", cities)} (集計のみ、個人の記録は出力しない)"));
    }

    private IndicatorCounts Counts(string city, IReadOnlyList<Core.Statistics.IndicatorCount> counts)
    {
        var answer = new IndicatorCounts { Tenant = TenantResourceNames.Tenant(city) };
        answer.Counts.AddRange(counts.Select(c => new Contracts.Analytics.V1.IndicatorCount { Month = c.Month.ToString(), Kind = c.Kind, Count = c.Count, Extra = c.Extra }));
        return Logged(answer, city);
    }

    private T Logged<T>(T answer, string city) => record.Answer(answer, new Touched([], Detail: $"指標 {city} (集計のみ)"));

    private (string City, Month From, Month To) Read(IndicatorRequest request)
    {
        var city = Target(request.Tenant, "tenant");
        var (from, to) = Months(request.FromMonth, request.ToMonth);
        return (city, from, to);
    }

    /// <summary>The months asked for (yyyy-MM; empty: the twelve months up to this one), refused naming the field.</summary>
    private (Month From, Month To) Months(string fromText, string toText)
    {
        var now = Month.Of(JapanTime.Today(time));
        Month Parse(string text, string field, Month fallback) =>
            text.Trim().Length == 0 ? fallback
            : Month.TryParse(text, out var month) ? month
            : throw DomainException.Invalid(ErrorReasons.InvalidField, field, $"月「{text.Trim()}」は yyyy-MM で書いてください。");
        var to = Parse(toText, "to_month", now);
        var from = Parse(fromText, "from_month", new Month(to.Year - 1, to.Number).Next);
        if (from > to)
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "to_month", "終わりの月が始まりの月より前です。");
        }
        if (Month.Range(from, to).Count > MaxMonths)
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "from_month", $"一度に見られるのは {MaxMonths} か月までです。");
        }
        return (from, to);
    }

    /// <summary>The city a request names, if the caller may read it; another city is NOT_FOUND.</summary>
    private string Target(string name, string field) => TenantTargets.Resolve(callers.Required, name, field, code => tenants.Find(code) is not null);

    private async Task<T> InCityAsync<T>(string city, Func<SrsDbContext, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var caller = callers.Required;
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(caller with { TenantCode = city });
        return await read(scope.ServiceProvider.GetRequiredService<SrsDbContext>(), cancellationToken);
    }
}
