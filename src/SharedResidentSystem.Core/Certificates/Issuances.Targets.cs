using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Protection;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;

namespace SharedResidentSystem.Core.Certificates;

// Who a certificate is for: the persons as of today, what a 転出証明書 printed first, and the requester checked against 支援措置.
public sealed partial class Issuances
{
    /// <summary>
    /// 改製原住民票 (1.1.4): each person as their 住民票 stood before its last 改製 (the version
    /// before the one the 改製 made). Only a 写し is printed so; a person never 改製 is refused.
    /// </summary>
    private async Task<IReadOnlyList<PersonVersion>> RemadeOriginalsAsync(CertificateRequest request, IReadOnlyList<PersonVersion> persons, CancellationToken cancellationToken)
    {
        if (request.Kind is not (CertificateKind.ResidentCopy or CertificateKind.RemovedResidentCopy))
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "remade_original", "改製原住民票は住民票の写し又は除票の写しとして交付します。");
        }
        var originals = new List<PersonVersion>();
        foreach (var p in persons)
        {
            // A 除票 moved to the 除票用データベース (9.3) is read there, with the 異動 that made it.
            var store = await queries.StoreOfAsync(p.ResidentNumber, cancellationToken) ?? db;
            var made = await store.PersonVersions.AsNoTracking()
                .Where(v => v.ResidentNumber == p.ResidentNumber && v.HistoryNumber <= p.HistoryNumber
                    && store.Idous.Any(i => i.Id == v.IdouId && i.Reason == Registration.IdouReasons.Remaking && i.State == IdouState.Final))
                .MaxAsync(v => (int?)v.HistoryNumber, cancellationToken);
            var original = made is { } at
                ? await store.PersonVersions.AsNoTracking().SingleOrDefaultAsync(v => v.ResidentNumber == p.ResidentNumber && v.HistoryNumber == at - 1, cancellationToken)
                : null;
            originals.Add(original ?? throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.NotEligible,
                $"{p.FamilyName} {p.GivenName} さんの住民票は改製されていません。", [new FieldViolation("remade_original", "改製原住民票がありません。")]).Concerning([p.ResidentNumber]));
        }
        return originals;
    }

    /// <summary>The persons on the certificate, as of today, in the order of 5.2, and the head of their household.</summary>
    private async Task<(IReadOnlyList<PersonVersion> Persons, PersonVersion? Head)> TargetsAsync(CertificateRequest request, DateOnly today, CancellationToken cancellationToken)
    {
        var removedKind = request.Kind is CertificateKind.RemovedResidentCopy or CertificateKind.RemovedItemCertificate;
        var found = new List<PersonVersion>();
        HouseholdView? household = null;
        if (request.ResidentNumbers.Count == 0)
        {
            if (request.HouseholdNumber.Length == 0)
            {
                throw DomainException.Invalid(ErrorReasons.RequiredField, "residents", "世帯か住民を指定してください。");
            }
            household = await queries.GetHouseholdAsync(request.HouseholdNumber, today, null, movedRemovals: removedKind, cancellationToken) ?? throw DomainException.NotFound("世帯", "household");
            found.AddRange(removedKind ? household.Removed.Where(p => !LeavingLater(p, today)) : household.Members.Concat(household.Removed.Where(p => LeavingLater(p, today))));
            if (found.Count == 0)
            {
                throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.NotEligible,
                    removedKind ? "この世帯に除票の住民はいません。" : "この世帯に現在の住民はいません。除票の写しを請求してください。",
                    [new FieldViolation("household", "対象者がいません。")]);
            }
        }
        else
        {
            for (var i = 0; i < request.ResidentNumbers.Count; i++)
            {
                var person = await queries.GetAsync(request.ResidentNumbers[i], today, null, cancellationToken) ?? throw DomainException.NotFound("住民", $"residents[{i}]");
                found.Add(person);
            }
        }
        if (!removedKind && request.Kind != CertificateKind.MoveOutCertificate)
        {
            // A 転出届 is recorded when it is made, for a planned date: until that date the
            // resident is still here, and the certificate shows the record without it (5.1).
            for (var i = 0; i < found.Count; i++)
            {
                var p = found[i];
                if (p.State == ResidentState.Removed && LeavingLater(p, today))
                {
                    found[i] = await db.PersonVersions.AsNoTracking()
                        .Where(v => v.ResidentNumber == p.ResidentNumber && v.HistoryNumber < p.HistoryNumber && v.State == ResidentState.Active)
                        .OrderByDescending(v => v.HistoryNumber)
                        .FirstOrDefaultAsync(cancellationToken) ?? p;
                }
            }
        }
        for (var i = 0; i < found.Count; i++)
        {
            var p = found[i];
            var field = request.ResidentNumbers.Count > 0 ? $"residents[{i}]" : "household";
            var moveOutKind = request.Kind == CertificateKind.MoveOutCertificate;
            if (moveOutKind)
            {
                if (p.RemovalReason != Registration.IdouReasons.DomesticMoveOut && !await PlannedDomesticMoveOutAsync(p.ResidentNumber, cancellationToken))
                {
                    throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.NotEligible, "転出証明書は国内転出の届出があった住民にだけ交付できます。", [new FieldViolation(field, "国内転出の届出がありません。")]);
                }
            }
            else if (removedKind && p.State != ResidentState.Removed)
            {
                throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.NotEligible, "現在の住民です。住民票の写し又は記載事項証明書を請求してください。", [new FieldViolation(field, "除票ではありません。")]);
            }
            else if (!removedKind && p.State != ResidentState.Active)
            {
                throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.ResidentRemoved, "除票の住民です。除票の写し又は除票記載事項証明書を請求してください。", [new FieldViolation(field, "除票です。")]);
            }
        }
        if (request.Layout == CertificateLayout.Household && found.Select(p => p.HouseholdNumber).Distinct().Count() > 1)
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "residents", "世帯連記式には同じ世帯の住民だけを載せられます (個人票にしてください)。");
        }
        if (request.Kind == CertificateKind.MoveOutCertificate)
        {
            // The 転出証明書 shows the record the 転出届 made (its planned date is ahead of today).
            var recorded = new List<PersonVersion>();
            foreach (var p in found)
            {
                recorded.Add(await queries.GetAsync(p.ResidentNumber, DateOnly.MaxValue, null, cancellationToken) ?? p);
            }
            found = recorded;
        }
        var ordered = HouseholdOrder.Sort(found);
        var headHousehold = household ?? await queries.GetHouseholdAsync(ordered[0].HouseholdNumber, today, null, movedRemovals: false, cancellationToken);
        return (ordered, headHousehold?.Head);
    }

    /// <summary>
    /// 再交付 of a 転出証明書 (4.1.3.0.3): what is printed is what the first 転出証明書 of this 転出
    /// printed (its values in the ledger), not the record as corrected since; only the items the
    /// requester may have today are printed, and the 認証 is today's. Without a first issue in the
    /// ledger (a 転出 recorded before the city came to this system) it prints the record.
    /// </summary>
    private async Task<CertificateContent> AsFirstIssuedAsync(CertificateContent content, IReadOnlyList<PersonVersion> persons, CancellationToken cancellationToken)
    {
        var versions = await db.PersonVersions.AsNoTracking()
            .Where(v => v.ResidentNumber == persons[0].ResidentNumber)
            .OrderByDescending(v => v.HistoryNumber)
            .Select(v => new { v.State, v.RecordedAt })
            .ToListAsync(cancellationToken);
        var movedOutAt = versions.TakeWhile(v => v.State == ResidentState.Removed).Select(v => v.RecordedAt).DefaultIfEmpty(DateTime.MinValue).Min();
        var residents = string.Join(',', persons.Select(p => p.ResidentNumber));
        var kind = CertificateKind.MoveOutCertificate.ToString();
        var disposed = db.IssuanceDisposals.Select(d => d.IssuanceId);
        var first = await db.Issuances.AsNoTracking()
            .Where(i => i.Kind == kind && i.Outcome == Issued && !i.Reissue && i.Residents == residents && i.IssuedAt >= movedOutAt && !disposed.Contains(i.Id))
            .OrderBy(i => i.Id)
            .Select(i => i.Content)
            .FirstOrDefaultAsync(cancellationToken);
        if (first is null || JsonSerializer.Deserialize<CertificateContent>(first, Json) is not { } original)
        {
            return content;
        }
        static IReadOnlyList<CertificateField> AsThen(IReadOnlyList<CertificateField> now, IReadOnlyList<CertificateField> then) =>
            now.Select(f => then.FirstOrDefault(t => t.Key == f.Key) ?? f).ToList();
        var printed = content.Persons.Select(p => original.Persons.FirstOrDefault(o => o.ResidentNumber == p.ResidentNumber) is { } o
            ? p with { Fields = AsThen(p.Fields, o.Fields) }
            : p).ToList();
        return content with { HouseholdFields = AsThen(content.HouseholdFields, original.HouseholdFields), Persons = printed };
    }

    /// <summary>A 転出届 recorded for a date still ahead: the person lives here until then (5.1).</summary>
    private static bool LeavingLater(PersonVersion p, DateOnly today) =>
        p.RemovalOn > today && p.RemovalReason is Registration.IdouReasons.DomesticMoveOut or Registration.IdouReasons.MoveOutAbroad;

    private async Task<bool> PlannedDomesticMoveOutAsync(string residentNumber, CancellationToken cancellationToken)
    {
        var latest = await queries.GetAsync(residentNumber, DateOnly.MaxValue, null, cancellationToken);
        return latest is { State: ResidentState.Removed } && latest.RemovalReason == Registration.IdouReasons.DomesticMoveOut;
    }

    /// <summary>本人・同一世帯員 must be one of the persons or of their household; no request from or for a 加害者.</summary>
    private async Task CheckRequesterAsync(CertificateRequest request, IReadOnlyList<PersonVersion> persons, DateOnly today, bool protectedPersons, CancellationToken cancellationToken)
    {
        var r = request.Requester;
        if (r.Category == RequesterCategory.SelfOrHousehold)
        {
            var requester = persons.FirstOrDefault(p => p.ResidentNumber == r.ResidentNumber)
                ?? await queries.GetAsync(r.ResidentNumber, today, null, cancellationToken)
                ?? throw DomainException.NotFound("請求者", "requester.resident");
            var own = persons.All(p => p.ResidentNumber == requester.ResidentNumber || p.HouseholdNumber == requester.HouseholdNumber);
            if (!own)
            {
                throw new DomainException(ErrorKind.PermissionDenied, ErrorReasons.EntitlementExceeded,
                    "請求者は対象者本人でも同一世帯員でもありません。第三者又は代理人として請求してください。",
                    [new FieldViolation("requester.resident", "本人・同一世帯員ではありません。")]).Concerning(persons.Select(p => p.ResidentNumber).Append(requester.ResidentNumber));
            }
        }
        var asking = new List<RequesterValue> { new(r.Name, r.NameKana, r.BirthDate, r.ResidentNumber) };
        if (r.PrincipalName.Length > 0)
        {
            asking.Add(new RequesterValue(r.PrincipalName, "", null, ""));
        }
        if (protectedPersons && await measures.IsPerpetratorOfAnyAsync(persons.Select(p => p.ResidentNumber).ToList(), asking, cancellationToken))
        {
            throw new DomainException(ErrorKind.PermissionDenied, ErrorReasons.PerpetratorRequest,
                "この請求には応じられません (支援措置)。",
                [new FieldViolation("requester", "支援措置の加害者に係る請求です。")]).Concerning(persons.Select(p => p.ResidentNumber));
        }
    }
}
