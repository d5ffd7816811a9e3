using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using SharedResidentSystem.Contracts.Audit.V1;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Common;
using Stored = SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Server.Audit;

/// <summary>The access log for auditors of the caller's city (10.2); each call is logged too.</summary>
public sealed class AuditGrpcService(CallerContext callers, AuditQueries queries, CheckpointStore checkpoints, TimeProvider time) : AuditService.AuditServiceBase
{
    public override async Task<SearchAccessLogResponse> SearchAccessLog(SearchAccessLogRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var (entries, next) = await queries.SearchAsync(ToSearch(request), ct);
        var response = new SearchAccessLogResponse { NextPageToken = next };
        response.Entries.AddRange(entries.Select(ToProto));
        return response;
    }

    public override async Task<AnalyseAccessLogResponse> AnalyseAccessLog(AnalyseAccessLogRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        if (request.Analysis == Analysis.Unspecified)
        {
            throw DomainException.Invalid(ErrorReasons.RequiredField, "analysis", "分析の種類を選んでください。");
        }
        var rows = await queries.AnalyseAsync((AnalysisKind)request.Analysis, request.From?.ToDateTime(), request.Until?.ToDateTime(), request.Threshold, ct);
        var response = new AnalyseAccessLogResponse();
        response.Rows.AddRange(rows.Select(r =>
        {
            var row = new Contracts.Audit.V1.AnalysisRow { Key = r.Key, Count = r.Count };
            row.Samples.AddRange(r.Samples.Select(ToProto));
            return row;
        }));
        return response;
    }

    public override async Task ExportAccessLog(SearchAccessLogRequest request, IServerStreamWriter<ExportChunk> responseStream, ServerCallContext context)
    {
        // The export is one read; the pipeline writes its entry before the first byte leaves.
        var search = ToSearch(request) with { PageSize = 0, PageToken = "" };
        var builder = new StringBuilder(AuditQueries.CsvHeader).Append('\n');
        await foreach (var entry in Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AsAsyncEnumerable(
            System.Linq.Queryable.OrderBy(queries.Filter(search), e => e.Sequence)).WithCancellation(context.CancellationToken))
        {
            builder.Append(AuditQueries.CsvLine(entry)).Append('\n');
            if (builder.Length > 64 * 1024)
            {
                await responseStream.WriteAsync(new ExportChunk { Csv = ByteString.CopyFromUtf8(builder.ToString()) }, context.CancellationToken);
                builder.Clear();
            }
        }
        await responseStream.WriteAsync(new ExportChunk { Csv = ByteString.CopyFromUtf8(builder.ToString()) }, context.CancellationToken);
    }

    public override async Task<Checkpoint> GetCheckpoint(GetCheckpointRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var head = await queries.HeadAsync(ct);
        var signed = checkpoints.Sign(callers.Required.TenantCode, head?.Sequence ?? 0, head?.Hash ?? AccessLogWriter.GenesisHash, time.GetUtcNow().UtcDateTime);
        return new Checkpoint
        {
            Tenant = signed.Tenant,
            Sequence = signed.Sequence,
            Hash = signed.Hash,
            TakenAt = Timestamp.FromDateTime(signed.TakenAt),
            Signature = signed.Signature,
        };
    }

    /// <summary>
    /// Walks the chain against every checkpoint: the server's own, signed and kept outside the
    /// database (a line whose signature fails is reported as CHECKPOINT_FORGED), and the one sent.
    /// </summary>
    public override async Task<VerifyChainResponse> VerifyChain(VerifyChainRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        var known = new List<ChainCheckpoint>();
        if (request.Checkpoint is { } cp && (cp.Sequence > 0 || cp.Signature.Length > 0))
        {
            if (cp.Tenant.Length > 0 && cp.Tenant != caller.TenantCode)
            {
                throw DomainException.Invalid(ErrorReasons.InvalidField, "checkpoint.tenant", "ほかの団体のチェックポイントです。");
            }
            if (cp.Signature.Length > 0 && (cp.TakenAt is null
                || !checkpoints.IsAuthentic(new SignedCheckpoint(caller.TenantCode, cp.Sequence, cp.Hash, cp.TakenAt.ToDateTime(), cp.Signature))))
            {
                throw DomainException.Invalid(ErrorReasons.InvalidField, "checkpoint.signature", "このシステムが署名したチェックポイントではありません。");
            }
            known.Add(new ChainCheckpoint(cp.Sequence, cp.Hash));
        }
        var (kept, forged) = await checkpoints.ReadAsync(caller.TenantCode, ct);
        known.AddRange(kept.Select(k => new ChainCheckpoint(k.Sequence, k.Hash)));
        // After a deletion at the end of retention the chain starts from the signed start.
        var (start, forgedStart) = await checkpoints.ReadStartAsync(caller.TenantCode, ct);
        var verifier = new ChainVerifier(known, start is null ? null : new ChainCheckpoint(start.Sequence, start.Hash));
        await foreach (var entry in queries.AllInOrder().WithCancellation(ct))
        {
            verifier.Add(entry);
        }
        var problems = verifier.Finish().ToList();
        problems.AddRange(forged.Select(line => new Core.Audit.ChainProblem(0, "CHECKPOINT_FORGED", $"a checkpoint line outside the database was not signed by this system: {line}")));
        if (forgedStart is not null)
        {
            problems.Add(new Core.Audit.ChainProblem(0, "START_FORGED", $"the chain's start outside the database was not signed by this system: {forgedStart}"));
        }
        var response = new VerifyChainResponse { Intact = problems.Count == 0, Entries = verifier.Count, Checkpoints = known.Count, StartsAfter = start?.Sequence ?? 0 };
        response.Problems.AddRange(problems.Take(1000).Select(p => new Contracts.Audit.V1.ChainProblem { Sequence = p.Sequence, Kind = p.Kind, Description = p.Description }));
        return response;
    }

    private static AccessLogSearch ToSearch(SearchAccessLogRequest r) => new(
        r.ResidentNumber, r.Staff, r.Terminal, r.Function, r.Outcome, r.From?.ToDateTime(), r.Until?.ToDateTime(), r.IndividualNumberOnly, r.PageSize, r.PageToken);

    public static Contracts.Audit.V1.AccessLogEntry ToProto(Stored.AccessLogEntry e)
    {
        var entry = new Contracts.Audit.V1.AccessLogEntry
        {
            Sequence = e.Sequence,
            At = Timestamp.FromDateTime(DateTime.SpecifyKind(e.At, DateTimeKind.Utc)),
            Staff = e.StaffId,
            Roles = e.Roles,
            Terminal = e.TerminalId,
            Function = e.Function,
            IndividualNumber = e.TouchedIndividualNumber,
            Outcome = e.Outcome,
            Detail = e.Detail,
            Hash = e.Hash,
            PreviousHash = e.PreviousHash,
        };
        entry.Residents.AddRange(e.Targets.Split(',', StringSplitOptions.RemoveEmptyEntries));
        return entry;
    }
}
