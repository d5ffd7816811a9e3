using Grpc.Core;
using SharedResidentSystem.Contracts.Protection.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Protection;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Pipeline;
using Stored = SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Server.Protection;

/// <summary>抑止 (3.1) and the 9.2 list: supervisors only.</summary>
public sealed class SuppressionGrpcService(CallerContext callers, Suppressions suppressions, CallRecord record) : SuppressionService.SuppressionServiceBase
{
    public override async Task<Suppression> CreateSuppression(CreateSuppressionRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        var s = request.Suppression ?? throw DomainException.Invalid(ErrorReasons.RequiredField, "suppression", "抑止の内容を入力してください。");
        var resident = string.IsNullOrEmpty(s.Resident) ? "" : ProtoMapping.OwnId(s.Resident, "residents", caller.TenantCode, "suppression.resident", "住民");
        var household = string.IsNullOrEmpty(s.Household) ? "" : ProtoMapping.OwnId(s.Household, "households", caller.TenantCode, "suppression.household", "世帯");
        var created = await suppressions.CreateSuppressionAsync(caller, new SuppressionCommand(
            resident, household, ToDomain(s.Processes),
            s.Level switch { SuppressionLevel.Error => Stored.SuppressionLevel.Error, SuppressionLevel.Alert => Stored.SuppressionLevel.Alert, _ => null },
            s.Category switch { SuppressionCategory.SupportMeasure => Stored.SuppressionCategory.SupportMeasure, SuppressionCategory.ExclusiveControl => Stored.SuppressionCategory.ExclusiveControl, SuppressionCategory.Other => Stored.SuppressionCategory.Other, _ => null },
            s.Reason, ProtoMapping.ToDomain(s.StartsOn, "suppression.starts_on"), ProtoMapping.ToDomain(s.EndsOn, "suppression.ends_on")), ct);
        return record.Answer(ToProto(created, []), new Touched(resident.Length > 0 ? [resident] : []));
    }

    public override async Task<Suppression> LiftSuppression(LiftSuppressionRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var lifted = await suppressions.LiftSuppressionAsync(IdOf(request.Name), request.Etag, request.Reason, ct);
        return record.Answer(ToProto(lifted, []), Targets(lifted));
    }

    public override async Task<Suppression> ReleaseSuppression(ReleaseSuppressionRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var (suppression, release) = await suppressions.ReleaseAsync(callers.Required, IdOf(request.Name), request.Minutes, request.ForStaff, request.Reason, ct);
        // The new release is not committed yet: show it with those already in force.
        var releases = (await suppressions.ReleasesInForceAsync(suppression.Id, ct)).Append(release).ToList();
        return record.Answer(ToProto(suppression, releases), Targets(suppression));
    }

    public override async Task<ListSuppressionsResponse> ListSuppressions(ListSuppressionsRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var size = PageTokens.Size(request.PageSize);
        var (list, next) = PageTokens.Page(request, await suppressions.ListSuppressionsAsync(request.IncludeLifted, PageTokens.After(request, request.PageToken), size + 1, ct), size, x => x.Suppression.Id);
        var response = new ListSuppressionsResponse { NextPageToken = next };
        response.Suppressions.AddRange(list.Select(x => ToProto(x.Suppression, x.Releases)));
        return record.Answer(response, new Touched(list.Select(x => x.Suppression.ResidentNumber).Where(n => n.Length > 0).Distinct().ToList()));
    }

    private long IdOf(string name) => ProtoMapping.OwnNumericId(name, "suppressions", callers.Required.TenantCode, "name", "抑止");

    private static Touched Targets(Stored.Suppression s) => new(s.ResidentNumber.Length > 0 ? [s.ResidentNumber] : []);

    private static Stored.SuppressedProcesses ToDomain(IEnumerable<SuppressedProcess> processes) =>
        processes.Aggregate(Stored.SuppressedProcesses.None, (all, p) => all | p switch
        {
            SuppressedProcess.Idou => Stored.SuppressedProcesses.Idou,
            SuppressedProcess.Issuance => Stored.SuppressedProcesses.Issuance,
            SuppressedProcess.Inquiry => Stored.SuppressedProcesses.Inquiry,
            _ => Stored.SuppressedProcesses.None,
        });

    public static Suppression ToProto(Stored.Suppression s, IEnumerable<Stored.SuppressionRelease> releases)
    {
        var message = new Suppression
        {
            Name = $"{TenantResourceNames.Prefix}{s.TenantCode}/suppressions/{s.Id}",
            Resident = s.ResidentNumber.Length > 0 ? TenantResourceNames.Resident(s.TenantCode, s.ResidentNumber) : "",
            Household = s.HouseholdNumber.Length > 0 ? TenantResourceNames.Household(s.TenantCode, s.HouseholdNumber) : "",
            Level = s.Level == Stored.SuppressionLevel.Error ? SuppressionLevel.Error : SuppressionLevel.Alert,
            Category = s.Category switch
            {
                Stored.SuppressionCategory.SupportMeasure => SuppressionCategory.SupportMeasure,
                Stored.SuppressionCategory.ExclusiveControl => SuppressionCategory.ExclusiveControl,
                _ => SuppressionCategory.Other,
            },
            Reason = s.Reason,
            StartsOn = ProtoMapping.ToProto(s.StartsOn),
            EndsOn = ProtoMapping.ToProto(s.EndsOn),
            Active = s.Active,
            SupportMeasure = s.SupportMeasureId is { } m ? $"{TenantResourceNames.Prefix}{s.TenantCode}/supportMeasures/{m}" : "",
            Etag = s.ConcurrencyStamp.ToString("N"),
        };
        foreach (var (flag, value) in new[] { (Stored.SuppressedProcesses.Idou, SuppressedProcess.Idou), (Stored.SuppressedProcesses.Issuance, SuppressedProcess.Issuance), (Stored.SuppressedProcesses.Inquiry, SuppressedProcess.Inquiry) })
        {
            if (s.Processes.HasFlag(flag))
            {
                message.Processes.Add(value);
            }
        }
        message.Releases.AddRange(releases.Select(r => new SuppressionRelease
        {
            ReleasedBy = r.ReleasedBy,
            ForStaff = r.ForStaff,
            ReleasedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.SpecifyKind(r.ReleasedAt, DateTimeKind.Utc)),
            ExpiresAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.SpecifyKind(r.ExpiresAt, DateTimeKind.Utc)),
            Reason = r.Reason,
        }));
        return message;
    }
}
