using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Protection;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Core.Certificates;

/// <summary>One copy as handed over.</summary>
public sealed record IssuedDocument(int CopyNumber, string IssueNumber, string VerificationCode, string ContentHash, byte[] Pdf, int Pages);

/// <summary>The outcome of an issuance (or a preview, which has no ledger entry and no numbers).</summary>
public sealed record IssuanceResult(long IssuanceId, CertificateContent Content, IReadOnlyList<IssuedDocument> Copies, int Fee, string Delivery,
    IReadOnlySet<CertificateItem> Items, IReadOnlyList<Overflow> Overflows, IReadOnlyList<string> Residents, bool IndividualNumberPrinted);

/// <summary>The ledger's part of a refused request.</summary>
public sealed record IssuanceRefusal(CertificateRequest Request, string Reason, string Message);

/// <summary>
/// Issues certificates in three steps. Prepare (reads only): finds the persons as of today
/// (so what a 転出届 recorded is left out before the planned date, 5.1), applies 抑止・支援措置
/// (a supervisor's 一時解除 lets it through), refuses any request from or on behalf of a
/// recorded 加害者, decides what may be printed (<see cref="Entitlement"/>) and composes it.
/// Reserve (a short transaction, shared with the requests waiting at the same moment, see
/// <see cref="IssueNumberReservations"/>): the ledger number and each copy's serial (5.5). Then each
/// copy is rendered outside any transaction, and Record writes the ledger entry (1.3.8) with
/// the exact bytes, the content hash and the fee, in the caller's transaction with its
/// access-log entry. A serial taken by a request that then fails is not reused.
/// </summary>
public sealed partial class Issuances(SrsDbContext db, ResidentQueries queries, ProtectionGate gate, SupportMeasures measures, NumberIssuer numbers,
    IssueNumberReservations reservations, TenantDirectory tenants, ICertificateRenderer renderer, TimeProvider time)
{
    public const int MaxCopies = 10;
    public const string Issued = "ISSUED";
    public const string Counter = "COUNTER";
    public const string Post = "POST_TO_RESIDENT";

    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Everything decided before anything is numbered or written: who, what, for whom, as what.</summary>
    public sealed record Prepared(CertificateRequest Request, DateOnly Today, TenantConfigSnapshot Snapshot, OfficeEntry Office, TerminalEntry Terminal, PrinterEntry? Printer,
        CertificateContent Content, IReadOnlySet<CertificateItem> Items, IReadOnlyList<PersonVersion> Persons, byte[]? Seal, OverflowHandling Overflow,
        bool NumberPrinted, bool CodePrinted, string Delivery, int Fee)
    {
        public IReadOnlyList<string> Residents => Persons.Select(p => p.ResidentNumber).ToList();
    }

    /// <summary>The numbers an issuance prints: its ledger number and one serial per copy (5.5).</summary>
    public sealed record Reserved(long IssuanceId, IReadOnlyList<CopyStamp> Stamps);

    /// <summary>
    /// Reads and decides (no writes): the persons as of today, entitlement, the requester, 抑止
    /// and 支援措置, the content. Throws the refusal, if any.
    /// </summary>
    public async Task<Prepared> PrepareAsync(Caller caller, CertificateRequest request, CancellationToken cancellationToken)
    {
        var today = JapanTime.Today(time);
        var snapshot = tenants.SnapshotAt(caller.TenantCode, today) ?? throw new InvalidOperationException("unknown tenant");
        var city = snapshot.Definition;
        if (request.Copies is < 1 or > MaxCopies)
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "copies", $"部数は1から{MaxCopies}までです。");
        }
        var place = city.FindTerminal(caller.TerminalId)
            ?? throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.TerminalNotRegistered,
                $"端末 {caller.TerminalId} は{city.Name}の設定に登録されていません。運用者に端末の登録を依頼してください。");
        PrinterEntry? printer = null;
        if (request.PrinterId.Length > 0)
        {
            printer = place.Terminal.Printers.FirstOrDefault(p => p.Id == request.PrinterId)
                ?? throw DomainException.Invalid(ErrorReasons.InvalidField, "printer", $"プリンタ {request.PrinterId} はこの端末 ({place.Terminal.Name}) に登録されていません。");
        }
        if (request.Furigana && !city.IsOn("5.3"))
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.OptionDisabled, $"{city.Name}ではフリガナの記載 (5.3) を利用していません。",
                [new FieldViolation("furigana", "この団体では使えません。")]);
        }
        var authenticator = city.AuthenticatorOn(today)
            ?? throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.NoAuthenticator, $"{today:yyyy-MM-dd} の認証者 (市区町村長又は職務代理者) が設定されていません。");

        var (persons, head) = await TargetsAsync(request, today, cancellationToken);
        if (request.RemadeOriginal)
        {
            persons = await RemadeOriginalsAsync(request, persons, cancellationToken);
        }
        IReadOnlySet<CertificateItem> items;
        try
        {
            items = Entitlement.Decide(request);
        }
        catch (DomainException refused)
        {
            throw refused.Concerning(persons.Select(p => p.ResidentNumber));
        }
        // One query tells whether any 抑止 (支援措置 included) is set on the persons; only then
        // are the 加害者 and the 抑止 themselves looked at (a 加害者 is refused first, released or not).
        var targets = persons.Select(p => new ProtectionTarget(p.ResidentNumber, p.HouseholdNumber)).ToList();
        var protectedPersons = (await gate.MarkedAsync(targets, cancellationToken)).Count > 0;
        await CheckRequesterAsync(request, persons, today, protectedPersons, cancellationToken);
        if (protectedPersons)
        {
            await gate.EnforceAsync(caller, targets, SuppressedProcesses.Issuance, request.AcknowledgedAlerts, "residents", cancellationToken);
        }

        var history = new Dictionary<string, IReadOnlyList<IdouView>>(StringComparer.Ordinal);
        if (request.IncludeHistory || request.RemadeOriginal)
        {
            foreach (var p in persons)
            {
                history[p.ResidentNumber] = await queries.ListIdouAsync(p.ResidentNumber, cancellationToken) ?? [];
            }
        }
        var content = CertificateComposer.Compose(request, items, persons, head, history, city, authenticator, today);
        if (request.Kind == CertificateKind.MoveOutCertificate && request.Reissue)
        {
            content = await AsFirstIssuedAsync(content, persons, cancellationToken);
        }
        var seal = authenticator.SealKey.Length > 0 && city.Seals.TryGetValue(authenticator.SealKey, out var image) ? image : null;
        var numberPrinted = items.Contains(CertificateItem.IndividualNumber) && persons.Any(p => p.IndividualNumber.Length > 0);
        var delivery = request.Requester.Category == RequesterCategory.Agent && numberPrinted && request.Kind != CertificateKind.MoveOutCertificate ? Post : Counter;
        var fee = request.OfficialUse || request.Requester.Category == RequesterCategory.Official ? 0 : city.Certificates[CertificateComposer.ConfigKey(request.Kind)].Fee * request.Copies;
        return new Prepared(request, today, snapshot, place.Office, place.Terminal, printer, content, items, persons, seal,
            city.OverflowTruncates ? OverflowHandling.Truncate : OverflowHandling.Blank, numberPrinted,
            items.Contains(CertificateItem.ResidentCode) && persons.Any(p => p.ResidentCode.Length > 0), delivery, fee);
    }

    /// <summary>見本: rendered without numbers, code or ledger entry.</summary>
    public IssuanceResult Preview(Prepared prepared)
    {
        var content = prepared.Content with { Preview = true };
        var sample = renderer.Render(content, null, prepared.Seal, prepared.Overflow);
        return new IssuanceResult(0, content, [new IssuedDocument(0, "", "", Hash(sample.Pdf), sample.Pdf, sample.Pages)], 0, prepared.Delivery,
            prepared.Items, sample.Overflows, prepared.Residents, prepared.NumberPrinted);
    }

    /// <summary>Takes the ledger number and the copies' serials (in a short transaction of the reservations, not the caller's).</summary>
    public async Task<Reserved> ReserveAsync(Caller caller, Prepared prepared, CancellationToken cancellationToken)
    {
        var serialKind = $"issue:{prepared.Today:yyyyMMdd}:{prepared.Terminal.Id}";
        var taken = await reservations.TakeAsync(caller, serialKind, prepared.Request.Copies, cancellationToken);
        var prefix = string.Join(' ', new[]
        {
            prepared.Today.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), prepared.Snapshot.Definition.Name, prepared.Terminal.Name, prepared.Printer?.Name ?? "",
        }).TrimEnd();
        return new Reserved(taken.IssuanceId, taken.Serials.Select(serial => new CopyStamp(prefix, serial, VerificationCodes.New())).ToList());
    }

    /// <summary>Renders each copy (outside any transaction: it is the slow part).</summary>
    public IReadOnlyList<RenderedCopy> Render(Prepared prepared, Reserved reserved) =>
        reserved.Stamps.Select(stamp => renderer.Render(prepared.Content, stamp, prepared.Seal, prepared.Overflow)).ToList();

    /// <summary>The rows an issuance writes, made before its transaction (hashes and JSON take no lock).</summary>
    public sealed record Finished(IssuanceResult Result, Issuance Entry, IReadOnlyList<IssuedCopy> Copies);

    /// <summary>Hashes each copy and builds the ledger rows (outside any transaction).</summary>
    public Finished Finish(Caller caller, Prepared prepared, Reserved reserved, IReadOnlyList<RenderedCopy> rendered)
    {
        var documents = new List<IssuedDocument>();
        var rows = new List<IssuedCopy>();
        for (var i = 0; i < rendered.Count; i++)
        {
            var stamp = reserved.Stamps[i];
            var hash = Hash(rendered[i].Pdf);
            var number = stamp.IssueNumber(1, rendered[i].Pages);
            documents.Add(new IssuedDocument(i + 1, number, stamp.VerificationCode, hash, rendered[i].Pdf, rendered[i].Pages));
            rows.Add(new IssuedCopy
            {
                TenantCode = caller.TenantCode,
                IssuanceId = reserved.IssuanceId,
                CopyNumber = i + 1,
                IssueNumber = number,
                VerificationCode = stamp.VerificationCode,
                ContentHash = hash,
                Pdf = rendered[i].Pdf,
            });
        }
        var overflows = rendered[0].Overflows;
        var entry = Ledger(caller, prepared.Request, prepared.Today, reserved.IssuanceId, (prepared.Office, prepared.Terminal), prepared.Printer);
        entry.Residents = string.Join(',', prepared.Residents);
        entry.Items = string.Join(',', prepared.Items.Order());
        entry.IndividualNumberPrinted = prepared.NumberPrinted;
        entry.ResidentCodePrinted = prepared.CodePrinted;
        entry.Pages = documents[0].Pages;
        entry.Fee = prepared.Fee;
        entry.Delivery = prepared.Delivery;
        entry.Outcome = Issued;
        entry.ConfigVersion = prepared.Snapshot.Version;
        entry.Overflows = overflows.Count == 0 ? "" : JsonSerializer.Serialize(overflows, Json);
        entry.Content = JsonSerializer.Serialize(prepared.Content, Json);
        var result = new IssuanceResult(reserved.IssuanceId, prepared.Content, documents, prepared.Fee, prepared.Delivery, prepared.Items, overflows, prepared.Residents, prepared.NumberPrinted);
        return new Finished(result, entry, rows);
    }

    /// <summary>Writes the ledger entry, the copies' exact bytes and the 本人通知 owed (in the caller's transaction).</summary>
    public async Task<IssuanceResult> RecordAsync(Caller caller, Prepared prepared, Finished finished, CancellationToken cancellationToken)
    {
        db.IssuedCopies.AddRange(finished.Copies);
        db.Issuances.Add(finished.Entry);
        await PersonalNoticesAsync(caller, prepared.Snapshot.Definition, prepared.Request, finished.Entry, prepared.Persons, prepared.Today, cancellationToken);
        return finished.Result;
    }

    /// <summary>Records a refused request in the ledger (in a transaction of its own).</summary>
    public async Task RecordRefusalAsync(Caller caller, IssuanceRefusal refusal, CancellationToken cancellationToken)
    {
        var today = JapanTime.Today(time);
        var city = tenants.At(caller.TenantCode, today);
        var place = city?.FindTerminal(caller.TerminalId);
        var entry = Ledger(caller, refusal.Request, today, await numbers.NextAsync(caller.TenantCode, NumberKinds.Issuance, cancellationToken), place, null);
        var residents = refusal.Request.ResidentNumbers.ToList();
        if (residents.Count == 0 && refusal.Request.HouseholdNumber.Length > 0
            && await queries.GetHouseholdAsync(refusal.Request.HouseholdNumber, today, null, movedRemovals: true, cancellationToken) is { } household)
        {
            residents.AddRange(household.Members.Concat(household.Removed).Select(m => m.ResidentNumber));
        }
        entry.Residents = string.Join(',', residents);
        entry.Items = string.Join(',', refusal.Request.Items.Order());
        entry.Outcome = refusal.Reason;
        entry.OutcomeMessage = refusal.Message.Length > 400 ? refusal.Message[..400] : refusal.Message;
        db.Issuances.Add(entry);
    }

    private Issuance Ledger(Caller caller, CertificateRequest request, DateOnly today, long id, (OfficeEntry Office, TerminalEntry Terminal)? place, PrinterEntry? printer)
    {
        var r = request.Requester;
        return new Issuance
        {
            TenantCode = caller.TenantCode,
            Id = id,
            IssuedAt = time.GetUtcNow().UtcDateTime,
            IssuedOn = today,
            StaffId = caller.StaffId,
            TerminalId = caller.TerminalId,
            OfficeName = place?.Office.Name ?? "",
            TerminalName = place?.Terminal.Name ?? "",
            PrinterId = printer?.Id ?? "",
            PrinterName = printer?.Name ?? "",
            Kind = request.Kind.ToString(),
            Layout = request.Layout.ToString(),
            IncludeHistory = request.IncludeHistory,
            RequesterCategory = r.Category.ToString(),
            RequesterName = r.Name,
            RequesterDetail = JsonSerializer.Serialize(new
            {
                r.NameKana, r.Address, r.IdentityCheck, r.ResidentNumber, Purpose = r.Purpose.ToString(), r.PurposeDetail,
                r.PowerOfAttorney, r.PrincipalName, r.Agency, r.LegalBasis, r.Qualification, r.RegistrationNumber,
            }, Json),
            Copies = request.Copies,
            OfficialUse = request.OfficialUse,
            Reissue = request.Reissue,
        };
    }

    private static string Hash(byte[] pdf) => Convert.ToHexString(SHA256.HashData(pdf));

    private async Task PersonalNoticesAsync(Caller caller, TenantDefinition city, CertificateRequest request, Issuance entry, IReadOnlyList<PersonVersion> persons, DateOnly today, CancellationToken cancellationToken)
    {
        if (!city.IsOn("8.1") || request.Kind == CertificateKind.MoveOutCertificate)
        {
            return;
        }
        var category = request.Requester.Category;
        var thirdPartyOrAgent = category is RequesterCategory.ThirdParty or RequesterCategory.SpecifiedProfessional or RequesterCategory.Agent;
        var numbersOnIt = persons.Select(p => p.ResidentNumber).ToList();
        var registrations = await db.PersonalNoticeRegistrations.AsNoTracking()
            .Where(g => numbersOnIt.Contains(g.ResidentNumber) && g.EndedOn == null && g.RegisteredOn <= today && g.ExpiresOn >= today)
            .ToListAsync(cancellationToken);
        // Who is owed a notice: registered residents (except when they asked themselves, if the
        // city says so), or under "anyThirdPartyOrAgent" every person on a certificate that a
        // third party or an agent obtained, registered or not (8.1.3).
        var owed = city.PersonalNoticeCondition switch
        {
            PersonalNoticeCondition.AnyThirdPartyOrAgent => thirdPartyOrAgent
                ? persons.Select(p => (p.ResidentNumber, RegistrationId: registrations.FirstOrDefault(g => g.ResidentNumber == p.ResidentNumber)?.Id ?? 0L)).ToList()
                : [],
            PersonalNoticeCondition.RegisteredExceptSelf => registrations
                .Where(g => !(category == RequesterCategory.SelfOrHousehold && request.Requester.ResidentNumber == g.ResidentNumber))
                .Select(g => (g.ResidentNumber, RegistrationId: g.Id)).ToList(),
            _ => registrations.Select(g => (g.ResidentNumber, RegistrationId: g.Id)).ToList(),
        };
        foreach (var (resident, registrationId) in owed)
        {
            db.PersonalNotices.Add(new PersonalNotice
            {
                TenantCode = caller.TenantCode,
                Id = await numbers.NextAsync(caller.TenantCode, NumberKinds.PersonalNotice, cancellationToken),
                RegistrationId = registrationId,
                IssuanceId = entry.Id,
                ResidentNumber = resident,
                IssuedOn = today,
                RequesterCategory = category.ToString(),
                Kind = request.Kind.ToString(),
                Copies = request.Copies,
                RecordedAt = time.GetUtcNow().UtcDateTime,
            });
        }
    }
}
