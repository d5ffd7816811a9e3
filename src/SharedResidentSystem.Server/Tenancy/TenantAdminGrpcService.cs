using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using SharedResidentSystem.Contracts.Tenancy.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Japanese;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Pipeline;
using CoreChange = SharedResidentSystem.Core.Tenancy.ConfigChange;
using CoreProblem = SharedResidentSystem.Core.Tenancy.ConfigProblem;
using ProtoChange = SharedResidentSystem.Contracts.Tenancy.V1.ConfigChange;
using ProtoProblem = SharedResidentSystem.Contracts.Tenancy.V1.ConfigProblem;

namespace SharedResidentSystem.Server.Tenancy;

/// <summary>How a configuration change is described in the city's access log.</summary>
public static class ConfigAudit
{
    private const int MaxDetail = 8000;

    public static string Describe(ConfigChangeResult result)
    {
        var v = result.Version;
        var head = $"config version {string.Join(", ", result.Versions.Select(n => $"{n.Version} effective {n.EffectiveFrom:yyyy-MM-dd} etag {n.Hash[..16]}"))} reason: {v.Reason}; {result.Changes.Count} change(s)";
        var lines = string.Join('\n', result.Dates.SelectMany(d => d.Changes.Select(c => $"{d.From:yyyy-MM-dd} {c}").Concat(d.Kept.Select(c => $"{d.From:yyyy-MM-dd} kept (that version sets it): {c.Path}"))));
        var detail = lines.Length == 0 ? head : $"{head}\n{lines}";
        return detail.Length <= MaxDetail ? detail : detail[..MaxDetail] + "\n… (the whole diff: srs-admin history / show --version)";
    }
}

/// <summary>
/// Tenant administration for operators: read, check, compare and change a city's
/// configuration, and add a city. A change runs in the target city's scope so that its
/// version and its access-log entry (with the diff) commit together in that city.
/// </summary>
public sealed class TenantAdminGrpcService(CallerContext callers, TenantDirectory tenants, TenantConfigRefresher refresher, IServiceScopeFactory scopes, CallRecord record, TimeProvider time)
    : TenantAdminService.TenantAdminServiceBase
{
    public override Task<ListTenantsResponse> ListTenants(ListTenantsRequest request, ServerCallContext context)
    {
        var caller = callers.Required;
        var today = JapanTime.Today(time);
        var response = new ListTenantsResponse();
        foreach (var code in tenants.Codes.Where(c => caller.IsJointOperator || c == caller.TenantCode))
        {
            response.Tenants.Add(ToProto(tenants.SnapshotAt(code, today)!, withDocument: false));
        }
        return Task.FromResult(response);
    }

    public override Task<TenantConfigVersion> GetTenantConfig(GetTenantConfigRequest request, ServerCallContext context)
    {
        var code = Target(request.Name);
        TenantConfigSnapshot? snapshot;
        if (request.Version > 0)
        {
            snapshot = tenants.Versions(code).FirstOrDefault(v => v.Version == request.Version)
                ?? throw DomainException.NotFound($"設定の版 {request.Version}", "version");
        }
        else
        {
            var date = ProtoMapping.ToDomain(request.AsOf, "as_of") ?? JapanTime.Today(time);
            snapshot = tenants.SnapshotAt(code, date);
        }
        return Task.FromResult(ToProto(snapshot!, withDocument: true));
    }

    public override Task<ListTenantConfigVersionsResponse> ListTenantConfigVersions(ListTenantConfigVersionsRequest request, ServerCallContext context)
    {
        var code = Target(request.Name);
        var response = new ListTenantConfigVersionsResponse();
        response.Versions.AddRange(tenants.Versions(code).Reverse().Select(v => ToProto(v, withDocument: false)));
        return Task.FromResult(response);
    }

    public override Task<ValidateTenantConfigResponse> ValidateTenantConfig(ValidateTenantConfigRequest request, ServerCallContext context)
    {
        var code = string.IsNullOrEmpty(request.Name) ? null : Target(request.Name);
        var result = TenantConfigChanges.Validate(request.Document, code);
        var response = new ValidateTenantConfigResponse { Valid = result.IsValid };
        response.Problems.AddRange(result.Problems.Select(ToProto));
        return Task.FromResult(response);
    }

    public override async Task<DiffTenantConfigResponse> DiffTenantConfig(DiffTenantConfigRequest request, ServerCallContext context)
    {
        var code = Target(request.Name);
        var effective = ProtoMapping.ToDomain(request.EffectiveFrom, "effective_from");
        var result = TenantConfigChanges.Validate(request.Document, code);
        var response = new DiffTenantConfigResponse();
        response.Problems.AddRange(result.Problems.Select(ToProto));
        using var scope = scopes.CreateScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(callers.Required with { TenantCode = code });
        var changes = scope.ServiceProvider.GetRequiredService<TenantConfigChanges>();
        if (result.Problems.Any(p => p.Code == "json"))
        {
            var baseRow = tenants.SnapshotAt(code, effective ?? JapanTime.Today(time))!;
            (response.BaseVersion, response.BaseEtag) = (baseRow.Version, baseRow.Hash);
            return response;
        }
        var preview = await changes.PreviewAsync(request.Document, request.Etag, effective, context.CancellationToken);
        (response.BaseVersion, response.BaseEtag) = (preview.Base.Version, preview.Base.DocumentHash);
        response.Changes.AddRange(preview.Edits.Select(ToProto));
        response.Dates.AddRange(preview.Dates.Select(ToProto));
        return response;
    }

    public override Task<ApplyTenantConfigResponse> ApplyTenantConfig(ApplyTenantConfigRequest request, ServerCallContext context)
    {
        var code = Target(request.Name);
        var effective = ProtoMapping.ToDomain(request.EffectiveFrom, "effective_from");
        return ChangeAsync(code,
            (changes, author, ct) => changes.ApplyAsync(new ConfigChangeRequest(code, request.Document, request.Etag, effective, request.Reason), author, ct),
            context);
    }

    public override Task<ApplyTenantConfigResponse> ImportTowns(ImportTownsRequest request, ServerCallContext context)
    {
        var code = Target(request.Name);
        var effective = ProtoMapping.ToDomain(request.EffectiveFrom, "effective_from");
        return ChangeAsync(code, (changes, author, ct) =>
        {
            // Built on the version the etag names (ApplyAsync refuses one no longer on the timeline) and composed by date.
            var based = tenants.Versions(code).FirstOrDefault(v => string.Equals(v.Hash, request.Etag, StringComparison.OrdinalIgnoreCase)) ?? tenants.Latest(code)!;
            var earlier = tenants.Versions(code).SelectMany(v => v.Definition.Towns).GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First().Code);
            var document = TownImport.ReplaceTowns(based.Definition.Document, request.Csv, code, earlier);
            return changes.ApplyAsync(new ConfigChangeRequest(code, document, request.Etag, effective, request.Reason), author, ct);
        }, context);
    }

    public override Task<ApplyTenantConfigResponse> CreateTenant(CreateTenantRequest request, ServerCallContext context)
    {
        var caller = callers.Required;
        if (!caller.IsJointOperator)
        {
            throw new DomainException(ErrorKind.PermissionDenied, ErrorReasons.FunctionNotPermitted, "団体の追加は共同利用システムの運用者だけが行えます。");
        }
        var read = TenantConfigChanges.Validate(request.Document, null);
        if (read.Definition is null)
        {
            throw new DomainException(ErrorKind.InvalidArgument, ErrorReasons.ConfigInvalid,
                $"設定に誤りが {read.Problems.Count} 件あります。団体は追加していません。",
                read.Problems.Select(p => new FieldViolation(p.Path, $"{p.Code}: {p.Message}")).ToList());
        }
        var code = read.Definition.Code;
        // A city that exists already is refused inside the change (CreateAsync), after a repeat
        // of the same request_id has had its first answer back.
        var effective = ProtoMapping.ToDomain(request.EffectiveFrom, "effective_from");
        return ChangeAsync(code,
            (changes, author, ct) => changes.CreateAsync(new ConfigChangeRequest(code, request.Document, "", effective, request.Reason), author, ct),
            context);
    }

    /// <summary>The city a request names, if this operator may act on it; otherwise NOT_FOUND.</summary>
    private string Target(string name) => TenantTargets.Resolve(callers.Required, name, "name", code => tenants.Latest(code) is not null);

    /// <summary>
    /// A change is a staged write (its policy says so): it commits through the pipeline in the
    /// target city, so that the version and its access-log entry (with the diff) commit together
    /// in that city's chain; every instance then reloads the city's versions.
    /// </summary>
    private async Task<ApplyTenantConfigResponse> ChangeAsync(string code, Func<TenantConfigChanges, string, CancellationToken, Task<ConfigChangeResult>> change, ServerCallContext context)
    {
        var author = callers.Required.StaffId;
        var today = JapanTime.Today(time);
        var response = await record.CommitAsync(async (city, ct) =>
        {
            var result = await change(city.GetRequiredService<TenantConfigChanges>(), author, ct);
            var answer = new ApplyTenantConfigResponse { Version = ToProto(result.Version, withDocument: false) };
            answer.Version.InEffect = result.Version.EffectiveFrom <= today;
            answer.Changes.AddRange(result.Changes.Select(ToProto));
            answer.Dates.AddRange(result.Dates.Select(ToProto));
            answer.Versions.AddRange(result.Versions.Select(v => ToProto(v, withDocument: false)));
            record.Answer(answer, new Touched([], Detail: ConfigAudit.Describe(result)));
            return answer;
        }, context.CancellationToken, code);
        await refresher.RefreshAsync(context.CancellationToken);
        return response;
    }

    private TenantConfigVersion ToProto(TenantConfigSnapshot snapshot, bool withDocument) => new()
    {
        Name = $"{TenantResourceNames.Tenant(snapshot.Code)}/configVersions/{snapshot.Version}",
        TenantCode = snapshot.Code,
        DisplayName = snapshot.Definition.Name,
        Version = snapshot.Version,
        EffectiveFrom = ProtoMapping.ToProto(snapshot.EffectiveFrom == DateOnly.MinValue ? null : snapshot.EffectiveFrom),
        Author = snapshot.Author,
        Reason = snapshot.Reason,
        RecordedAt = snapshot.RecordedAt == DateTime.MinValue ? null : Timestamp.FromDateTime(DateTime.SpecifyKind(snapshot.RecordedAt, DateTimeKind.Utc)),
        Etag = snapshot.Hash,
        Document = withDocument ? snapshot.Definition.Document : "",
        InEffect = tenants.SnapshotAt(snapshot.Code, JapanTime.Today(time))?.Version == snapshot.Version,
    };

    private static DatedConfigChanges ToProto(DatedConfigChange dated)
    {
        var proto = new DatedConfigChanges { EffectiveFrom = ProtoMapping.ToProto(dated.From), ReplacesVersion = dated.Replaces };
        proto.Changes.AddRange(dated.Changes.Select(ToProto));
        proto.Kept.AddRange(dated.Kept.Select(ToProto));
        return proto;
    }

    private static ProtoProblem ToProto(CoreProblem problem) => new() { Path = problem.Path, Code = problem.Code, Message = problem.Message };

    private static ProtoChange ToProto(CoreChange change) => new()
    {
        Path = change.Path,
        Kind = change.Kind switch
        {
            ConfigChangeKind.Added => ProtoChange.Types.Kind.Added,
            ConfigChangeKind.Removed => ProtoChange.Types.Kind.Removed,
            _ => ProtoChange.Types.Kind.Changed,
        },
        Before = change.Before,
        After = change.After,
    };
}
