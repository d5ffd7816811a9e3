using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Numbers;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Registration;

public sealed partial class RegisterService
{
    /// <summary>The items each 修正 may change (proto paths of Resident).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> AmendableItems = new Dictionary<string, IReadOnlyList<string>>
    {
        [IdouReasons.MinorCorrection] = ["person_name", "birth_date", "sex", "address.katagaki", "domicile", "entitlements"],
        [IdouReasons.OfficialCorrection] = ["person_name", "birth_date", "sex", "relationship", "address.katagaki", "domicile", "entitlements", "foreign", "became_resident_on", "address_set_on"],
        [IdouReasons.ClericalError] = ["person_name", "birth_date", "sex", "relationship", "address.katagaki", "domicile", "entitlements", "foreign", "became_resident_on", "address_set_on"],
        [IdouReasons.OldSurnameEntry] = ["old_surname"],
        [IdouReasons.OldSurnameChange] = ["old_surname"],
        [IdouReasons.OldSurnameDeletion] = ["old_surname"],
        [IdouReasons.CommonNameEntry] = ["common_name"],
        [IdouReasons.CommonNameDeletion] = ["common_name"],
        [IdouReasons.IndividualNumberChangeRequest] = ["individual_number"],
        [IdouReasons.IndividualNumberOfficialCorrection] = ["individual_number"],
        [IdouReasons.IndividualNumberOfficialEntry] = ["individual_number"],
        [IdouReasons.ResidentCodeChangeRequest] = ["resident_code"],
        [IdouReasons.ResidentCodeOfficialEntry] = ["resident_code"],
    };

    /// <summary>軽微な修正 (4.2.3.2) of one resident, against the version the clerk saw (etag required).</summary>
    public Task<IdouResult> CorrectAsync(Caller caller, string requestId, CorrectionCommand command, CancellationToken cancellationToken) =>
        AmendAsync(caller, requestId, new AmendmentCommand(IdouReasons.MinorCorrection, command.ResidentNumber, command.ETag, command.Values,
            command.CorrectionDate, command.NotificationDate, command.Reason, []), cancellationToken, notePath: "reason");

    /// <summary>
    /// A 修正 (4.2.3, 1.1.7, 4.3, 4.4): a new version of one resident with the items the reason
    /// allows changed; the version before stays in history (誤記修正 never overwrites it).
    /// </summary>
    public async Task<IdouResult> AmendAsync(Caller caller, string requestId, AmendmentCommand command, CancellationToken cancellationToken, string notePath = "note")
    {
        var work = Begin(caller, requestId, command.AcknowledgedAlerts);
        var values = command.Values;
        var v = new Violations();
        ResidentRules.CheckNotFuture(v, "amendment_date", command.AmendmentDate, "異動日", work.Today);
        var basis = IdouBasis.Of(command.Reason, command.Basis);
        ResidentRules.CheckNotFuture(v, "notification_date", command.NotificationDate, IdouBasis.DateLabel(basis), work.Today, required: false);
        if (command.Basis.Length > 0 && basis != command.Basis)
        {
            v.Add("basis", $"{command.Reason}の契機は{basis}です (契機を選べるのは職権による修正です)。");
        }
        CheckBasis(v, command.Basis);
        RequireBasisDate(v, command.Basis, command.NotificationDate);
        v.Required(notePath, command.Note, "修正の理由");
        if (values.Name is { } name)
        {
            ResidentRules.CheckName(v, "resident.person_name", name);
        }
        if (values.BirthDate is { } birth)
        {
            ResidentRules.CheckPartialDate(v, "resident.birth_date", birth, "生年月日", work.Today);
        }
        if (values.Sex is { } sex)
        {
            ResidentRules.CheckSex(v, "resident.sex", sex);
        }
        if (values.Relationship is { } relationship)
        {
            if (Relationships.Check(relationship) is { } problem)
            {
                v.Add("resident.relationship", problem);
            }
            else if (Relationships.Normalize(relationship) == Relationships.Head)
            {
                v.Add("resident.relationship", "世帯主にするときは世帯主変更をしてください。");
            }
        }
        if (values.IndividualNumber is { Length: 0 } && command.Reason is IdouReasons.IndividualNumberChangeRequest or IdouReasons.IndividualNumberOfficialCorrection)
        {
            // 7.1.2.1: without the new number, the 請求 (or 職権修正) is recorded and the CS is asked for one (CsOutbox).
            values = values with { IndividualNumber = null };
        }
        if (values.IndividualNumber is { } individual && !CheckDigits.IsValidIndividualNumber(individual.Trim()))
        {
            v.Add("resident.individual_number", "個人番号は12桁の数字で、検査数字が正しい必要があります。");
        }
        if (values.ResidentCode is { Length: > 0 } code && !CheckDigits.IsValidResidentCode(code.Trim()))
        {
            v.Add("resident.resident_code", "住民票コードは11桁の数字で、検査数字が正しい必要があります。");
        }
        if (string.IsNullOrEmpty(command.ETag))
        {
            v.Add("resident.etag", "修正する版の etag を指定してください。");
        }
        v.ThrowIfAny();

        var current = await work.ResidentAsync(new ResidentRefValue(command.ResidentNumber, command.ETag), "resident", cancellationToken);
        if (values.Domicile is { } newDomicile && current.Kind == ResidentKind.Japanese && (newDomicile.Address.Trim().Length == 0 || newDomicile.HeadName.Trim().Length == 0))
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "resident.domicile", "本籍・筆頭者は空欄にできません (「なし」または「不明」と記載できます)。");
        }
        CheckReasonAgainstRecord(command.Reason, values, current);
        if (values.IndividualNumber is { } newNumber)
        {
            await CheckIndividualNumbersFreeAsync([("resident.individual_number", newNumber.Trim())], cancellationToken);
        }
        if (values.ResidentCode is { Length: 0 })
        {
            // 4.3.1: a 職権記載 or 変更請求 without a code takes one from the stock at random.
            values = values with { ResidentCode = await residentCodes.AssignAsync(current.ResidentNumber, cancellationToken) ?? throw ResidentCodes.StockEmpty("resident.resident_code") };
        }
        if (values.ResidentCode is { } newCode)
        {
            var wanted = newCode.Trim();
            if (await db.PersonVersions.AnyAsync(p => p.ResidentCode == wanted && p.ResidentNumber != current.ResidentNumber, cancellationToken)
                || (archive is not null && await archive.Db.PersonVersions.AnyAsync(p => p.ResidentCode == wanted && p.ResidentNumber != current.ResidentNumber, cancellationToken)))
            {
                throw RecordRule("resident.resident_code", "この住民票コードはほかの住民に記載されています。");
            }
        }
        var date = command.AmendmentDate!.Value;
        var next = work.Next(current);
        if (values.Name is { } newName)
        {
            PersonMapping.SetName(next, newName);
        }
        if (values.BirthDate is { } newBirth)
        {
            PersonMapping.SetBirth(next, newBirth);
        }
        if (values.Sex is { } newSex)
        {
            next.Sex = (int)newSex;
        }
        if (values.Katagaki is { } katagaki)
        {
            next.Address.Katagaki = katagaki.Trim();
        }
        if (values.Domicile is { } domicile)
        {
            PersonMapping.SetDomicile(next, domicile);
        }
        if (values.Entitlements is { } entitlements)
        {
            PersonMapping.SetEntitlements(next, entitlements);
        }
        if (values.Relationship is { } rel)
        {
            next.Relationship = Relationships.Normalize(rel);
        }
        if (values.Foreign is { } foreign)
        {
            PersonMapping.SetForeign(next, foreign);
            // The same 1.1.6 rule as at entry: a correction may not blank what may never be blank.
            var blank = new Violations();
            ResidentRules.CheckForeignRequired(blank, "resident.foreign", next.ForeignCategory, next.ResidenceCardNumber, next.PeriodOfStay);
            ResidentRules.CheckNotFuture(blank, "resident.foreign.former_alien_registration_on", next.FormerAlienRegistrationOn, "旧外登法による登録年月日", work.Today, required: false);
            blank.ThrowIfAny();
        }
        if (values.BecameResidentOn is { } became)
        {
            next.BecameResidentOn = became;
        }
        if (values.AddressSetOn is { } set)
        {
            next.AddressSetOn = set;
        }
        if (values.OldSurname is { } old)
        {
            next.OldSurname = old.Surname.Trim();
            next.OldSurnameKana = old.Kana.Trim();
            next.OldSurnameKanaConfirmed = next.OldSurname.Length > 0 && old.KanaConfirmed;
        }
        if (values.CommonName is { } common)
        {
            if (common.Name.Trim().Length > 0)
            {
                next.CommonName = common.Name.Trim();
                next.CommonNameKana = common.Kana.Trim();
                next.CommonNameKanaConfirmed = common.KanaConfirmed;
                next.CommonNameRecordedOn = date;
                next.CommonNameRecordedBy = work.Tenant.Name;
                next.CommonNameDeletedOn = null;
                next.CommonNameDeletedBy = "";
            }
            else
            {
                next.CommonName = "";
                next.CommonNameKana = "";
                next.CommonNameKanaConfirmed = false;
                next.CommonNameDeletedOn = date;
                next.CommonNameDeletedBy = work.Tenant.Name;
            }
        }
        if (values.IndividualNumber is { } number)
        {
            next.IndividualNumber = number.Trim();
        }
        if (values.ResidentCode is { } resident)
        {
            next.ResidentCode = resident.Trim();
        }
        var header = new IdouHeader("amendment_date", command.AmendmentDate, command.NotificationDate, new NotifierValue("", "職権"), command.AcknowledgedAlerts) { Basis = command.Basis };
        if (command.SpecialReason.Length > 0 && command.Reason is not (IdouReasons.OfficialCorrection or IdouReasons.ClericalError))
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "special_reason", "特別な事由 (特別養子縁組・その解消・性別の変更) は職権修正か誤記修正に付けます。");
        }
        return await work.RecordAsync(command.Reason, header, date, date, new AlertCollector(command.AcknowledgedAlerts), command.Note.Trim(), current.HouseholdNumber, cancellationToken,
            specialReason: command.SpecialReason);
    }

    /// <summary>Each 修正 fits only some records: 旧氏 for Japanese residents, 通称 for foreign ones, 職権記載 of a number only where none is recorded ...</summary>
    private static void CheckReasonAgainstRecord(string reason, CorrectionValues values, PersonVersion current)
    {
        string? problem = reason switch
        {
            IdouReasons.OldSurnameEntry when current.Kind != ResidentKind.Japanese => "旧氏は日本人住民に記載します。",
            IdouReasons.OldSurnameEntry when current.OldSurname.Length > 0 => "旧氏は記載済みです (変更は「旧氏の変更」)。",
            IdouReasons.OldSurnameEntry or IdouReasons.OldSurnameChange when values.OldSurname is not { Surname.Length: > 0 } => "旧氏を入力してください。",
            IdouReasons.OldSurnameChange or IdouReasons.OldSurnameDeletion when current.OldSurname.Length == 0 => "旧氏が記載されていません。",
            IdouReasons.OldSurnameDeletion when values.OldSurname is { Surname.Length: > 0 } => "旧氏の削除では旧氏を空にしてください。",
            IdouReasons.CommonNameEntry when current.Kind != ResidentKind.Foreign => "通称は外国人住民に記載します。",
            IdouReasons.CommonNameEntry when values.CommonName is not { Name.Length: > 0 } => "通称を入力してください。",
            IdouReasons.CommonNameDeletion when current.CommonName.Length == 0 => "通称が記載されていません。",
            IdouReasons.CommonNameDeletion when values.CommonName is { Name.Length: > 0 } => "通称の削除では通称を空にしてください。",
            IdouReasons.IndividualNumberOfficialEntry when current.IndividualNumber.Length > 0 => "個人番号は記載済みです (変更は変更請求か職権修正)。",
            IdouReasons.IndividualNumberChangeRequest or IdouReasons.IndividualNumberOfficialCorrection when current.IndividualNumber.Length == 0 => "個人番号が記載されていません (記載は職権記載)。",
            IdouReasons.IndividualNumberChangeRequest or IdouReasons.IndividualNumberOfficialCorrection when values.IndividualNumber?.Trim() == current.IndividualNumber => "個人番号が変わっていません。",
            IdouReasons.ResidentCodeOfficialEntry when current.ResidentCode.Length > 0 => "住民票コードは記載済みです (変更は変更請求)。",
            IdouReasons.ResidentCodeChangeRequest when current.ResidentCode.Length == 0 => "住民票コードが記載されていません (記載は職権記載)。",
            IdouReasons.ResidentCodeChangeRequest when values.ResidentCode?.Trim() == current.ResidentCode => "住民票コードが変わっていません。",
            _ when values.Foreign is not null && current.Kind != ResidentKind.Foreign => "外国人住民の記載事項は外国人住民にだけあります。",
            _ => null,
        };
        if (problem is not null)
        {
            throw RecordRule("reason", problem);
        }
    }
}

/// <summary>軽微な修正 of one resident, against the version the clerk saw (etag).</summary>
public sealed record CorrectionCommand(
    string ResidentNumber,
    string ETag,
    CorrectionValues Values,
    DateOnly? CorrectionDate,
    DateOnly? NotificationDate,
    string Reason);

/// <summary>A 修正 of 1.2.2 (職権修正, 誤記修正, 旧氏, 通称, 個人番号, 住民票コード) of one resident.</summary>
public sealed record AmendmentCommand(
    string Reason,
    string ResidentNumber,
    string ETag,
    CorrectionValues Values,
    DateOnly? AmendmentDate,
    DateOnly? NotificationDate,
    string Note,
    IReadOnlyList<string> AcknowledgedAlerts)
{
    /// <summary>1.1.4#4: a 職権修正 for a 特別な事由 (<see cref="SpecialReasons"/>), whose history certificates leave out by default.</summary>
    public string SpecialReason { get; init; } = "";

    /// <summary>What a 職権 修正 was made on (<see cref="IdouBasis.Chosen"/>; empty: the city's own finding).</summary>
    public string Basis { get; init; } = "";
}
