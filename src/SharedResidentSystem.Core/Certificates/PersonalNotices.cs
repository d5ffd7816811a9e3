using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Core.Certificates;

/// <summary>A letter to print: title, the addressee, body lines, the city and the date.</summary>
public sealed record LetterContent(string Title, string Addressee, IReadOnlyList<string> Lines, string Sender, DateOnly Date, string DateText);

/// <summary>
/// 本人通知 (8.1): registrations with their term (8.1.1), the notices issuances create (see
/// <see cref="Issuances"/>), and the notification letter (8.1.3). Only where the city has
/// switched the option on.
/// </summary>
public sealed class PersonalNotices(SrsDbContext db, ResidentQueries queries, NumberIssuer numbers, TenantDirectory tenants, TimeProvider time)
{
    private TenantDefinition EnabledCity(Caller caller)
    {
        var city = tenants.Get(caller.TenantCode);
        return city.IsOn("8.1")
            ? city
            : throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.OptionDisabled, $"{city.Name}では本人通知 (8.1) を利用していません。");
    }

    public async Task<PersonalNoticeRegistration> RegisterAsync(Caller caller, string residentNumber, string sendTo, CancellationToken cancellationToken)
    {
        var city = EnabledCity(caller);
        var today = JapanTime.Today(time);
        var person = await queries.GetAsync(residentNumber, today, null, cancellationToken) ?? throw DomainException.NotFound("住民", "resident");
        if (await db.PersonalNoticeRegistrations.AnyAsync(r => r.ResidentNumber == residentNumber && r.EndedOn == null && r.ExpiresOn >= today, cancellationToken))
        {
            throw new DomainException(ErrorKind.AlreadyExists, ErrorReasons.NotEligible, "この住民は既に本人通知に登録されています。", [new FieldViolation("resident", "登録済みです。")]);
        }
        var registration = new PersonalNoticeRegistration
        {
            TenantCode = caller.TenantCode,
            Id = await numbers.NextAsync(caller.TenantCode, NumberKinds.PersonalNoticeRegistration, cancellationToken),
            ResidentNumber = residentNumber,
            SendTo = string.IsNullOrWhiteSpace(sendTo) ? CertificateComposer.AddressText(person.Address) : sendTo.Trim(),
            RegisteredOn = today,
            ExpiresOn = today.AddYears(city.PersonalNoticeRegistrationYears).AddDays(-1),
            StaffId = caller.StaffId,
            ConcurrencyStamp = Guid.NewGuid(),
        };
        db.PersonalNoticeRegistrations.Add(registration);
        return registration;
    }

    public async Task<PersonalNoticeRegistration> EndAsync(Caller caller, long id, CancellationToken cancellationToken)
    {
        EnabledCity(caller);
        var registration = await db.PersonalNoticeRegistrations.SingleOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw DomainException.NotFound("本人通知の登録", "name");
        if (registration.EndedOn is not null)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.NotEligible, "既に終了しています。", [new FieldViolation("name", "終了済みです。")]);
        }
        registration.EndedOn = JapanTime.Today(time);
        registration.ConcurrencyStamp = Guid.NewGuid();
        return registration;
    }

    public async Task<List<PersonalNoticeRegistration>> ListRegistrationsAsync(Caller caller, string residentNumber, bool includeEnded, long? after, int take, CancellationToken cancellationToken)
    {
        EnabledCity(caller);
        var today = JapanTime.Today(time);
        var rows = db.PersonalNoticeRegistrations.AsNoTracking();
        if (residentNumber.Length > 0)
        {
            rows = rows.Where(r => r.ResidentNumber == residentNumber);
        }
        if (!includeEnded)
        {
            rows = rows.Where(r => r.EndedOn == null && r.ExpiresOn >= today);
        }
        if (after is { } last)
        {
            rows = rows.Where(r => r.Id > last);
        }
        return await rows.OrderBy(r => r.Id).Take(take).ToListAsync(cancellationToken);
    }

    /// <summary>The notices owed, newest first, from before <paramref name="before"/> (a page of them).</summary>
    public async Task<List<PersonalNotice>> ListNoticesAsync(Caller caller, string residentNumber, long? before, int take, CancellationToken cancellationToken)
    {
        EnabledCity(caller);
        var rows = db.PersonalNotices.AsNoTracking();
        if (residentNumber.Length > 0)
        {
            rows = rows.Where(n => n.ResidentNumber == residentNumber);
        }
        if (before is { } last)
        {
            rows = rows.Where(n => n.Id < last);
        }
        return await rows.OrderByDescending(n => n.Id).Take(take).ToListAsync(cancellationToken);
    }

    /// <summary>The letter of 8.1.3: 発行日, 請求者区分, 証明書種別, 枚数 — never who asked.</summary>
    public async Task<(PersonalNotice Notice, LetterContent Letter)> LetterAsync(Caller caller, long id, CancellationToken cancellationToken)
    {
        var city = EnabledCity(caller);
        var notice = await db.PersonalNotices.AsNoTracking().SingleOrDefaultAsync(n => n.Id == id, cancellationToken) ?? throw DomainException.NotFound("本人通知", "name");
        var person = await queries.GetAsync(notice.ResidentNumber, null, null, cancellationToken) ?? throw DomainException.NotFound("住民", "name");
        var registration = notice.RegistrationId == 0 ? null : await db.PersonalNoticeRegistrations.AsNoTracking().SingleOrDefaultAsync(r => r.Id == notice.RegistrationId, cancellationToken);
        var today = JapanTime.Today(time);
        var kind = Enum.TryParse<CertificateKind>(notice.Kind, out var k) ? CertificateComposer.Title(k) : notice.Kind;
        var category = Enum.TryParse<RequesterCategory>(notice.RequesterCategory, out var c) ? CategoryText(c) : notice.RequesterCategory;
        var letter = new LetterContent(
            "住民票の写し等の交付についてのお知らせ",
            $"{registration?.SendTo ?? CertificateComposer.AddressText(person.Address)}\n{CertificateComposer.NameText(person, false)}　様",
            [
                "あなたの住民票の写し等を次のとおり交付しましたので、お知らせします。",
                $"交付年月日　{Wareki.Format(notice.IssuedOn)}",
                $"請求者の区分　{category}",
                $"証明書の種別　{kind}",
                $"枚数　{notice.Copies}通",
            ],
            city.Name,
            today,
            Wareki.Format(today));
        return (notice, letter);
    }

    public static string CategoryText(RequesterCategory category) => category switch
    {
        RequesterCategory.SelfOrHousehold => "本人・同一世帯員",
        RequesterCategory.Agent => "代理人",
        RequesterCategory.ThirdParty => "第三者",
        RequesterCategory.SpecifiedProfessional => "特定事務受任者",
        _ => "国・地方公共団体の機関",
    };
}
