using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Contracts.Jobs.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Jobs;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Pipeline;
using CoreJobState = SharedResidentSystem.Core.Jobs.JobState;
using CoreParameters = SharedResidentSystem.Core.Jobs.RandomExtractionParameters;

namespace SharedResidentSystem.Server.Jobs;

/// <summary>The city's jobs as AIP-151 operations: started here, run by the JobRunner.</summary>
public sealed class JobGrpcService(CallerContext callers, SrsDbContext db, CallRecord record, NumberIssuer numbers, TimeProvider time, TenantDirectory tenants, JobSignal signal,
    IEnumerable<IJobKind> kinds, RemovedRecordsArchive archive) : JobService.JobServiceBase
{
    public override async Task<Operation> StartJob(StartJobRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        if (request.Reason.Trim().Length == 0)
        {
            throw DomainException.Invalid(ErrorReasons.RequiredField, "reason", "ジョブを行う理由を入力してください。");
        }
        var kind = kinds.FirstOrDefault(k => k.Contract == request.Kind)
            ?? throw DomainException.Invalid(ErrorReasons.InvalidField, "kind", "ジョブの種類を指定してください (RANDOM_EXTRACTION, CS_CONSISTENCY, ADDRESS_BULK_CHANGE, INSPECTION_COPY, REMOVED_RECORDS_ARCHIVE, SUPPRESSION_LIST, RETENTION, ANNUAL_REPORT)。");
        string parameters;
        IReadOnlyList<AddressBulkChange.Rule> rules = [];
        var own = kind.Kind switch
        {
            RandomExtraction.Kind => StartJobRequest.ParametersOneofCase.RandomExtraction,
            InspectionCopy.Kind => StartJobRequest.ParametersOneofCase.InspectionCopy,
            AddressBulkChange.Kind => StartJobRequest.ParametersOneofCase.AddressBulkChange,
            RemovedRecordsArchiving.Kind => StartJobRequest.ParametersOneofCase.RemovedRecordsArchive,
            SuppressionListJob.KindName => StartJobRequest.ParametersOneofCase.SuppressionList,
            AnnualReportJob.KindName => StartJobRequest.ParametersOneofCase.AnnualReport,
            _ => StartJobRequest.ParametersOneofCase.None,
        };
        if (request.ParametersCase != StartJobRequest.ParametersOneofCase.None && request.ParametersCase != own)
        {
            // Conditions of another kind are a mistake, never silently dropped.
            throw DomainException.Invalid(ErrorReasons.InvalidField, StartJobRequest.Descriptor.FindFieldByNumber((int)request.ParametersCase).Name,
                own == StartJobRequest.ParametersOneofCase.None ? "この種類のジョブに条件はありません。" : "この種類のジョブの条件ではありません。");
        }
        if (kind.Kind == RandomExtraction.Kind)
        {
            if (request.ParametersCase != StartJobRequest.ParametersOneofCase.RandomExtraction)
            {
                throw DomainException.Invalid(ErrorReasons.RequiredField, "random_extraction", "無作為抽出の条件 (random_extraction) を指定してください。");
            }
            var given = request.RandomExtraction;
            var extraction = new CoreParameters(given.Sex, given.BornFrom.Trim(), given.BornTo.Trim(), [.. given.Districts.Select(d => d.Trim())], given.ResidentKind, given.Count,
                // No seed given: one is chosen, and shown, so that the draw can be made again.
                given.Seed != 0 ? given.Seed : RandomNumberGenerator.GetInt32(1, int.MaxValue),
                given.StratifyBy.Trim(), SharedResidentSystem.Japanese.JapanTime.Today(time));
            RandomExtraction.Check(extraction, tenants.Get(caller.TenantCode));
            parameters = JsonSerializer.Serialize(extraction);
        }
        else if (kind.Kind == InspectionCopy.Kind)
        {
            if (request.ParametersCase != StartJobRequest.ParametersOneofCase.InspectionCopy)
            {
                throw DomainException.Invalid(ErrorReasons.RequiredField, "inspection_copy", "閲覧用写しの条件 (inspection_copy) を指定してください。");
            }
            var given = request.InspectionCopy;
            var copy = new InspectionCopy.Parameters([.. given.Districts.Select(d => d.Trim())], [.. given.Towns.Select(t => t.Trim())], given.Sex, given.BornFrom.Trim(),
                given.BornTo.Trim(), given.Order.Trim().Length == 0 ? InspectionCopy.ByAddress : given.Order.Trim(),
                given.Order.Trim() == InspectionCopy.AtRandom && given.Seed == 0 ? RandomNumberGenerator.GetInt32(1, int.MaxValue) : given.Seed,
                SharedResidentSystem.Japanese.JapanTime.Today(time));
            InspectionCopy.Check(copy, tenants.Get(caller.TenantCode));
            parameters = JsonSerializer.Serialize(copy);
        }
        else if (kind.Kind == AddressBulkChange.Kind)
        {
            if (request.ParametersCase != StartJobRequest.ParametersOneofCase.AddressBulkChange)
            {
                throw DomainException.Invalid(ErrorReasons.RequiredField, "address_bulk_change", "住所一括変更の指定 (address_bulk_change) をしてください。");
            }
            (parameters, rules) = await AddressBulkChangeAsync(request.AddressBulkChange, caller, ct);
        }
        else if (kind.Kind == AnnualReportJob.KindName)
        {
            var given = request.ParametersCase == StartJobRequest.ParametersOneofCase.AnnualReport ? request.AnnualReport : new AnnualReportParameters();
            parameters = JsonSerializer.Serialize(AnnualReportJob.Check(given.AsOf, given.From, given.To, SharedResidentSystem.Japanese.JapanTime.Today(time),
                tenants.Get(caller.TenantCode).StartedOn));
        }
        else if (kind.Kind == RetentionJob.KindName)
        {
            parameters = JsonSerializer.Serialize(new RetentionJob.Parameters(SharedResidentSystem.Japanese.JapanTime.Today(time)));
        }
        else if (kind.Kind == SuppressionListJob.KindName)
        {
            var lifted = request.ParametersCase == StartJobRequest.ParametersOneofCase.SuppressionList && request.SuppressionList.IncludeLifted;
            parameters = JsonSerializer.Serialize(new SuppressionListJob.Parameters(lifted, SharedResidentSystem.Japanese.JapanTime.Today(time)));
        }
        else if (kind.Kind == RemovedRecordsArchiving.Kind)
        {
            // No parameters: the yearly move and deletion; restore: the 除票 named come back.
            var restore = request.ParametersCase == StartJobRequest.ParametersOneofCase.RemovedRecordsArchive
                ? request.RemovedRecordsArchive.Restore.Select(n => n.Trim()).ToList() : [];
            if (restore.Count > 0)
            {
                await RemovedRecordsArchiving.CheckRestoreAsync(restore, db, archive.Db, ct);
            }
            parameters = JsonSerializer.Serialize(new RemovedRecordsArchiving.Parameters(restore, SharedResidentSystem.Japanese.JapanTime.Today(time)));
        }
        else
        {
            parameters = "{}";
        }
        // One job of a kind at a time per city (the runner starts a queued one only when none of its kind runs).
        if (await db.Jobs.AnyAsync(j => j.Kind == kind.Kind && (j.State == CoreJobState.Queued || j.State == CoreJobState.Running), ct))
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.JobRunning, "同じ種類のジョブが実行中です。終わるのを待つか、取り消してください。",
                [new FieldViolation("kind", "実行中のジョブがあります。")]);
        }
        var job = await JobRunner.QueueAsync(db, numbers, caller, kind.Kind, parameters, request.Reason.Trim(), "", time.GetUtcNow().UtcDateTime, ct);
        // The definition is kept with the job (its rows are read page by page, and again by a resume).
        db.JobItems.AddRange(rules.Select((rule, i) => new JobItem
        {
            TenantCode = caller.TenantCode,
            JobId = job.Id,
            Part = JobItemParts.Definition,
            Seq = i + 1,
            Key = rule.Line.ToString(CultureInfo.InvariantCulture),
            Data = JsonSerializer.Serialize(rule),
        }));
        signal.Wake();
        var answer = WithChanges(ToProto(job), await PreviousAsync(job, ct));
        return record.Answer(answer, new Touched([])
        {
            Detail = $"{kind.Title}を開始 (ジョブ {job.Id}): {job.Reason}" + (answer.Metadata.ChangedFromLast.Count > 0 ? $"; 前回から変更: {string.Join("、", answer.Metadata.ChangedFromLast)}" : ""),
        });
    }

    public override async Task<Operation> GetOperation(GetOperationRequest request, ServerCallContext context)
    {
        var job = await LoadAsync(request.Name, context.CancellationToken);
        return record.Answer(WithChanges(ToProto(job), await PreviousAsync(job, context.CancellationToken)), Touched.Nothing);
    }

    public override async Task<ListOperationsResponse> ListOperations(ListOperationsRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var query = db.Jobs.AsNoTracking();
        var size = PageTokens.Size(request.PageSize);
        if (PageTokens.After(request, request.PageToken) is { } after)
        {
            query = query.Where(j => j.Id > after);
        }
        var (rows, next) = PageTokens.Page(request, await query.OrderBy(j => j.Id).Take(size + 1).ToListAsync(ct), size, j => j.Id);
        var response = new ListOperationsResponse { NextPageToken = next };
        // The previous job of a kind is the one before it on the page; only the first of each kind is looked up.
        var lastOfKind = new Dictionary<string, Operation>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var operation = WithChanges(ToProto(row), lastOfKind.GetValueOrDefault(row.Kind) ?? await PreviousAsync(row, ct));
            lastOfKind[row.Kind] = operation;
            response.Operations.Add(operation);
        }
        return record.Answer(response, Touched.Nothing);
    }

    /// <summary>A finished job is left as it is.</summary>
    public override async Task<Operation> CancelOperation(CancelOperationRequest request, ServerCallContext context)
    {
        var job = await LoadAsync(request.Name, context.CancellationToken);
        if (job.State == CoreJobState.Queued)
        {
            // Not begun: it ends at once.
            (job.State, job.FinishedAt, job.CancelRequested) = (CoreJobState.Cancelled, time.GetUtcNow().UtcDateTime, true);
            job.ConcurrencyStamp = Guid.NewGuid();
        }
        else if (job.State == CoreJobState.Running)
        {
            // The runner stops it after its current step; what it committed stays.
            job.CancelRequested = true;
            job.ConcurrencyStamp = Guid.NewGuid();
        }
        return record.Answer(ToProto(job), new Touched([]) { Detail = $"ジョブ {job.Id} の取消しを依頼 ({callers.Required.StaffId})" });
    }

    /// <summary>
    /// 9.7: a 仮処理 reads its definition (refused with every problem); a 本処理 takes a finished
    /// 仮処理 not applied yet, on or after its 実施日; a 取消し takes a finished 本処理 not undone yet.
    /// </summary>
    private async Task<(string Parameters, IReadOnlyList<AddressBulkChange.Rule> Rules)> AddressBulkChangeAsync(Contracts.Jobs.V1.AddressBulkChangeParameters given, Caller caller,
        CancellationToken ct)
    {
        const string prefix = "address_bulk_change.";
        var tenant = tenants.Get(caller.TenantCode);
        var today = SharedResidentSystem.Japanese.JapanTime.Today(time);
        if (given.Mode == AddressBulkChangeMode.Preview)
        {
            var target = given.Target switch
            {
                AddressBulkChangeTarget.Address => AddressBulkChange.TargetAddress,
                AddressBulkChangeTarget.Domicile => AddressBulkChange.TargetDomicile,
                _ => throw DomainException.Invalid(ErrorReasons.InvalidField, prefix + "target", "現住所 (ADDRESS) か本籍 (DOMICILE) かを指定してください。"),
            };
            if (!DateOnly.TryParseExact(given.EffectiveDate.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var effective))
            {
                throw DomainException.Invalid(ErrorReasons.InvalidField, prefix + "effective_date", "実施日を yyyy-MM-dd で入力してください。");
            }
            if (given.FromOperation.Length > 0)
            {
                throw DomainException.Invalid(ErrorReasons.InvalidField, prefix + "from_operation", "仮処理は定義から始めます (from_operation は本処理・取消しで指定します)。");
            }
            if (given.DefinitionCsv.IsEmpty)
            {
                throw DomainException.Invalid(ErrorReasons.RequiredField, prefix + "definition_csv", "住所一括変更の定義 (CSV) を指定してください。");
            }
            string text;
            try
            {
                text = new System.Text.UTF8Encoding(false, true).GetString(given.DefinitionCsv.Span).TrimStart('\uFEFF');
            }
            catch (System.Text.DecoderFallbackException)
            {
                throw DomainException.Invalid(ErrorReasons.InvalidField, prefix + "definition_csv", "定義は UTF-8 の CSV にしてください。");
            }
            var rules = AddressBulkChange.ReadDefinition(target, text, tenant, prefix + "definition_csv");
            return (JsonSerializer.Serialize(new AddressBulkChange.Parameters(target, AddressBulkChange.Preview, 0, effective, given.Notices, rules.Count)), rules);
        }
        var mode = given.Mode switch
        {
            AddressBulkChangeMode.Apply => AddressBulkChange.Apply,
            AddressBulkChangeMode.Undo => AddressBulkChange.Undo,
            _ => throw DomainException.Invalid(ErrorReasons.InvalidField, prefix + "mode", "仮処理 (PREVIEW)・本処理 (APPLY)・取消し (UNDO) のどれかを指定してください。"),
        };
        if (!given.DefinitionCsv.IsEmpty || given.EffectiveDate.Length > 0 || given.Target != AddressBulkChangeTarget.Unspecified)
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, prefix + (given.DefinitionCsv.IsEmpty ? given.EffectiveDate.Length > 0 ? "effective_date" : "target" : "definition_csv"),
                "本処理と取消しは仮処理の定義・実施日・対象のままで行います (指定しません)。");
        }
        var fromId = ProtoMapping.OwnNumericId(given.FromOperation, "operations", caller.TenantCode, prefix + "from_operation", "ジョブ");
        var from = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == fromId, ct) ?? throw DomainException.NotFound("ジョブ", prefix + "from_operation");
        var wanted = mode == AddressBulkChange.Apply ? AddressBulkChange.Preview : AddressBulkChange.Apply;
        var fromParameters = from.Kind == AddressBulkChange.Kind ? JsonSerializer.Deserialize<AddressBulkChange.Parameters>(from.Parameters)! : null;
        if (fromParameters?.Mode != wanted || from.State != CoreJobState.Succeeded)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.NotEligible,
                mode == AddressBulkChange.Apply ? "本処理は、終わった住所一括変更の仮処理から行います。" : "取消しは、終わった住所一括変更の本処理について行います。",
                [new FieldViolation(prefix + "from_operation", "指定のジョブは対象になりません。")]);
        }
        if (mode == AddressBulkChange.Apply && fromParameters.EffectiveDate > today)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.NotEligible, $"本処理は実施日 {fromParameters.EffectiveDate:yyyy-MM-dd} から行えます。",
                [new FieldViolation(prefix + "from_operation", "実施日の前です。")]);
        }
        // A 仮処理 is applied once, a 本処理 undone once (a failed or cancelled attempt may be made again).
        var others = await db.Jobs.AsNoTracking().Where(j => j.Kind == AddressBulkChange.Kind && j.State != CoreJobState.Failed && j.State != CoreJobState.Cancelled)
            .Select(j => new { j.Id, j.Parameters }).ToListAsync(ct);
        if (others.FirstOrDefault(o => JsonSerializer.Deserialize<AddressBulkChange.Parameters>(o.Parameters) is { } op && op.Mode == mode && op.FromJob == fromId) is { } done)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.NotEligible,
                $"ジョブ {fromId} は{(mode == AddressBulkChange.Apply ? "本処理" : "取消し")}がされています (ジョブ {done.Id})。",
                [new FieldViolation(prefix + "from_operation", "処理済みです。")]);
        }
        return (JsonSerializer.Serialize(fromParameters with { Mode = mode, FromJob = fromId, Notices = given.Notices }), []);
    }

    /// <summary>The job of the same kind started just before this one, if any.</summary>
    private async Task<Operation?> PreviousAsync(JobRecord job, CancellationToken cancellationToken) =>
        await db.Jobs.AsNoTracking().Where(j => j.Kind == job.Kind && j.Id < job.Id).OrderByDescending(j => j.Id).FirstOrDefaultAsync(cancellationToken) is { } previous
            ? ToProto(previous) : null;

    /// <summary>9.1#5: which parameters differ from the previous job of the kind (none for the first).</summary>
    private static Operation WithChanges(Operation operation, Operation? previous)
    {
        static Google.Protobuf.IMessage? Parameters(JobMetadata? m) =>
            m?.RandomExtraction ?? m?.AddressBulkChange ?? m?.InspectionCopy ?? m?.RemovedRecordsArchive ?? m?.SuppressionList ?? (Google.Protobuf.IMessage?)m?.AnnualReport;
        var before = Parameters(previous?.Metadata);
        var now = Parameters(operation.Metadata);
        if (before is not null && now is not null && before.Descriptor == now.Descriptor)
        {
            operation.Metadata.ChangedFromLast.AddRange(now.Descriptor.Fields.InFieldNumberOrder()
                .Where(f => !Equals(f.Accessor.GetValue(before), f.Accessor.GetValue(now)))
                .Select(f => f.Name));
        }
        return operation;
    }

    private async Task<JobRecord> LoadAsync(string name, CancellationToken cancellationToken)
    {
        var id = ProtoMapping.OwnNumericId(name, "operations", callers.Required.TenantCode, "name", "ジョブ");
        return await db.Jobs.SingleOrDefaultAsync(j => j.Id == id, cancellationToken) ?? throw DomainException.NotFound("ジョブ", "name");
    }

    internal static Operation ToProto(JobRecord job)
    {
        var metadata = new JobMetadata
        {
            Kind = job.Kind switch
            {
                RandomExtraction.Kind => JobKind.RandomExtraction,
                CsConsistencyJob.KindName => JobKind.CsConsistency,
                AddressBulkChange.Kind => JobKind.AddressBulkChange,
                InspectionCopy.Kind => JobKind.InspectionCopy,
                RemovedRecordsArchiving.Kind => JobKind.RemovedRecordsArchive,
                SuppressionListJob.KindName => JobKind.SuppressionList,
                RetentionJob.KindName => JobKind.Retention,
                AnnualReportJob.KindName => JobKind.AnnualReport,
                Analytics.EucSnapshotJob.KindName => JobKind.EucSnapshot,
                _ => JobKind.Unspecified,
            },
            State = (Contracts.Jobs.V1.JobState)(int)job.State,
            Staff = job.StaffId,
            Terminal = job.TerminalId,
            Reason = job.Reason,
            CreatedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(job.CreatedAt, DateTimeKind.Utc)),
            StartedAt = job.StartedAt is { } started ? Timestamp.FromDateTime(DateTime.SpecifyKind(started, DateTimeKind.Utc)) : null,
            FinishedAt = job.FinishedAt is { } finished ? Timestamp.FromDateTime(DateTime.SpecifyKind(finished, DateTimeKind.Utc)) : null,
            DoneCount = job.Done,
            TotalCount = job.Total,
            Percent = job.State == CoreJobState.Succeeded ? 100 : job.Total == 0 ? 0 : (int)Math.Min(99, job.Done * 100 / job.Total),
            CancelRequested = job.CancelRequested,
            Resumed = job.Resumed,
            Schedule = job.Schedule,
        };
        if (job.Kind == RandomExtraction.Kind)
        {
            var parameters = JsonSerializer.Deserialize<CoreParameters>(job.Parameters)!;
            metadata.RandomExtraction = new Contracts.Jobs.V1.RandomExtractionParameters
            {
                Sex = parameters.Sex, BornFrom = parameters.BornFrom, BornTo = parameters.BornTo, Districts = { parameters.Districts }, ResidentKind = parameters.ResidentKind,
                Count = parameters.Count, Seed = parameters.Seed, StratifyBy = parameters.StratifyBy,
            };
        }
        if (job.Kind == InspectionCopy.Kind)
        {
            var copy = JsonSerializer.Deserialize<InspectionCopy.Parameters>(job.Parameters)!;
            metadata.InspectionCopy = new InspectionCopyParameters
            {
                Districts = { copy.Districts }, Towns = { copy.Towns }, Sex = copy.Sex, BornFrom = copy.BornFrom, BornTo = copy.BornTo, Order = copy.Order, Seed = copy.Seed,
            };
        }
        if (job.Kind == AnnualReportJob.KindName)
        {
            var report = JsonSerializer.Deserialize<AnnualReportJob.Parameters>(job.Parameters)!;
            metadata.AnnualReport = new AnnualReportParameters
            {
                AsOf = report.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), From = report.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                To = report.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            };
        }
        if (job.Kind == SuppressionListJob.KindName)
        {
            metadata.SuppressionList = new SuppressionListParameters { IncludeLifted = JsonSerializer.Deserialize<SuppressionListJob.Parameters>(job.Parameters)!.IncludeLifted };
        }
        if (job.Kind == RemovedRecordsArchiving.Kind)
        {
            metadata.RemovedRecordsArchive = new RemovedRecordsArchiveParameters { Restore = { JsonSerializer.Deserialize<RemovedRecordsArchiving.Parameters>(job.Parameters)!.Restore } };
        }
        if (job.Kind == AddressBulkChange.Kind)
        {
            var parameters = JsonSerializer.Deserialize<AddressBulkChange.Parameters>(job.Parameters)!;
            metadata.AddressBulkChange = new Contracts.Jobs.V1.AddressBulkChangeParameters
            {
                Target = parameters.Target == AddressBulkChange.TargetAddress ? AddressBulkChangeTarget.Address : AddressBulkChangeTarget.Domicile,
                Mode = parameters.Mode switch { AddressBulkChange.Preview => AddressBulkChangeMode.Preview, AddressBulkChange.Apply => AddressBulkChangeMode.Apply, _ => AddressBulkChangeMode.Undo },
                FromOperation = parameters.FromJob > 0 ? $"{TenantResourceNames.Tenant(job.TenantCode)}/operations/{parameters.FromJob.ToString(CultureInfo.InvariantCulture)}" : "",
                EffectiveDate = parameters.EffectiveDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Notices = parameters.Notices,
                Rows = parameters.Rows,
            };
        }
        var operation = new Operation
        {
            Name = $"{TenantResourceNames.Tenant(job.TenantCode)}/operations/{job.Id.ToString(CultureInfo.InvariantCulture)}",
            Metadata = metadata,
            Done = job.State is CoreJobState.Succeeded or CoreJobState.Failed or CoreJobState.Cancelled,
        };
        switch (job.State)
        {
            case CoreJobState.Succeeded:
                var outcome = JsonSerializer.Deserialize<JobOutcome>(job.Result)!;
                var result = new JobResult { Files = { outcome.Files }, Errors = { outcome.Errors } };
                result.Counts.Add(outcome.Counts.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal));
                operation.Response = result;
                break;
            case CoreJobState.Failed:
                operation.Error = new JobError { Reason = "JOB_FAILED", Message = job.Result };
                break;
            case CoreJobState.Cancelled:
                operation.Error = new JobError { Reason = "JOB_CANCELLED", Message = "取り消されました。" + (job.Done > 0 ? $" ({job.Done:N0} 件まで処理)" : "") };
                break;
        }
        return operation;
    }
}
