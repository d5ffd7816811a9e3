using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Core.Residents;

/// <summary>氏名 with its 振り仮名. Kept exactly as entered (IVS and non-BMP included).</summary>
public sealed record PersonNameValue(string Family, string Given, string FamilyKana, string GivenKana, bool KanaConfirmed);

/// <summary>A date whose year, month or day may be unknown (不詳, 0).</summary>
public sealed record PartialDateValue(int Year, int Month, int Day)
{
    public bool IsComplete => Year > 0 && Month > 0 && Day > 0;

    /// <summary>The parts name a date that exists, or its known part does (unknown parts 0, no day without its month).</summary>
    public bool IsValid =>
        Year is >= 0 and <= 9999 && Month is >= 0 and <= 12 && Day is >= 0 and <= 31 && !(Month == 0 && Day > 0)
        && (Month == 0 || Day <= DateTime.DaysInMonth(Year > 0 ? Year : 2000, Month));

    /// <summary>The date itself when every part is known and it exists; otherwise null.</summary>
    public DateOnly? AsDate => IsComplete && IsValid ? new DateOnly(Year, Month, Day) : null;

    /// <summary>The earliest real date this could be (for "not in the future" checks); null when unknown or not a date.</summary>
    public DateOnly? Earliest => Year == 0 || !IsValid ? null : new DateOnly(Year, Math.Max(Month, 1), Math.Max(Day, 1));
}

/// <summary>性別</summary>
public enum SexValue
{
    Unspecified = 0,
    Male = 1,
    Female = 2,
}

/// <summary>An address as entered.</summary>
public sealed record AddressValue(
    string Prefecture, string City, string Town, int Chome, string Banchi, string Katagaki,
    string PostalCode, string LocalGovernmentCode, string FreeText, string Country)
{
    public static readonly AddressValue Empty = new("", "", "", 0, "", "", "", "", "", "");

    public bool IsEmpty => this == Empty;
}

/// <summary>本籍・筆頭者</summary>
public sealed record DomicileValue(string Address, string HeadName)
{
    public static readonly DomicileValue Empty = new("", "");
}

/// <summary>被保険者資格 (国保, 後期高齢, 介護)</summary>
public sealed record CoverageValue(bool Covered, DateOnly? From, DateOnly? Until)
{
    public static readonly CoverageValue None = new(false, null, null);
}

/// <summary>国民年金</summary>
public sealed record PensionValue(bool Covered, string Number, string Kind, DateOnly? KindChangedOn, DateOnly? From, DateOnly? Until)
{
    public static readonly PensionValue None = new(false, "", "", null, null, null);
}

/// <summary>選挙, 国保, 後期高齢, 介護, 国民年金, 児童手当 (法7条9号-11号の2)</summary>
public sealed record EntitlementsValue(
    bool OnElectoralRoll, CoverageValue NationalHealthInsurance, CoverageValue LateElderlyMedical, CoverageValue LongTermCare,
    PensionValue NationalPension, string ChildAllowanceFrom, string ChildAllowanceUntil)
{
    /// <summary>住基カード又は個人番号カードを保有している (7.2.2)</summary>
    public bool CardHeld { get; init; }

    /// <summary>成年被後見人 (9.4#1)</summary>
    public bool AdultWard { get; init; }

    public static readonly EntitlementsValue None = new(false, CoverageValue.None, CoverageValue.None, CoverageValue.None, PensionValue.None, "", "");
}

/// <summary>外国人住民の記載事項 (法30条の45)</summary>
public sealed record ForeignValue(string Nationality, int Category, string ResidenceStatus, string PeriodOfStay, DateOnly? StayExpiresOn, string CardNumber, string AlphabetName,
    DateOnly? FormerAlienRegistrationOn = null)
{
    public static readonly ForeignValue None = new("", 0, "", "", null, "", "");
}

/// <summary>A person entering the register (転入, 出生) with every item that is known.</summary>
public sealed record PersonEntryValue(
    PersonNameValue? Name,
    PartialDateValue? BirthDate,
    SexValue Sex,
    string Relationship,
    Storage.ResidentKind Kind,
    string OldSurname,
    string OldSurnameKana,
    string CommonName,
    string CommonNameKana,
    DomicileValue Domicile,
    string IndividualNumber,
    string ResidentCode,
    EntitlementsValue Entitlements,
    ForeignValue Foreign)
{
    /// <summary>再転入: the 宛名番号 of the person's 除票 (empty for a new person).</summary>
    public string ReturningResident { get; init; } = "";

    /// <summary>旧氏 and 通称のフリガナ確認フラグ (1.1.18).</summary>
    public bool OldSurnameKanaConfirmed { get; init; }

    public bool CommonNameKanaConfirmed { get; init; }
}

/// <summary>Collects every violation of one request, then refuses it whole.</summary>
public sealed class Violations
{
    private readonly List<FieldViolation> _items = [];

    public int Count => _items.Count;

    public void Add(string field, string description) => _items.Add(new FieldViolation(field, description));

    public void Required(string field, string? value, string label)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"{label}を入力してください。");
        }
    }

    public void ThrowIfAny(string reasonWhenMixed = ErrorReasons.InvalidField)
    {
        if (_items.Count == 0)
        {
            return;
        }
        var message = _items.Count == 1 ? _items[0].Description : $"入力に{_items.Count}件の誤りがあります: " + string.Join(" ", _items.Select(v => v.Description));
        throw new DomainException(ErrorKind.InvalidArgument, reasonWhenMixed, message, _items.ToList());
    }
}

/// <summary>Field rules shared by every 異動.</summary>
public static class ResidentRules
{
    public static void CheckName(Violations v, string path, PersonNameValue? name)
    {
        if (name is null)
        {
            v.Add(path, "氏名を入力してください。");
            return;
        }
        v.Required($"{path}.family", name.Family, "氏");
        foreach (var (field, value) in new[] { ("family", name.Family), ("given", name.Given) })
        {
            if (HasCompanySymbol(value))
            {
                v.Add($"{path}.{field}", CompanySymbolMessage);
            }
        }
        if (!string.IsNullOrWhiteSpace(name.FamilyKana) && !KanaFolding.IsKana(name.FamilyKana))
        {
            v.Add($"{path}.family_kana", "氏の振り仮名はカタカナで入力してください。");
        }
        if (!string.IsNullOrWhiteSpace(name.GivenKana) && !KanaFolding.IsKana(name.GivenKana))
        {
            v.Add($"{path}.given_kana", "名の振り仮名はカタカナで入力してください。");
        }
    }

    public const string CompanySymbolMessage = "（株）や（有）等の記号は氏名に入力できず、検索にも使えません (2.1.2)。";

    /// <summary>
    /// 2.1.2 must not: the register holds persons, so company symbols (㈱, ㈲, （株）, （有） and
    /// the like, in any width) are neither entered nor searched for.
    /// </summary>
    public static bool HasCompanySymbol(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        var folded = text.Normalize(System.Text.NormalizationForm.FormKC);
        return folded.Contains("(株)", StringComparison.Ordinal) || folded.Contains("(有)", StringComparison.Ordinal)
            || folded.Contains("(合)", StringComparison.Ordinal) || folded.Contains("(資)", StringComparison.Ordinal)
            || folded.Contains("(名)", StringComparison.Ordinal) || folded.Contains("(財)", StringComparison.Ordinal) || folded.Contains("(社)", StringComparison.Ordinal);
    }

    /// <summary>A date with unknown parts is valid if its known parts are (不詳: 0).</summary>
    public static void CheckPartialDate(Violations v, string path, PartialDateValue? date, string label, DateOnly today)
    {
        if (date is null || (date.Year == 0 && date.Month == 0 && date.Day == 0))
        {
            v.Add(path, $"{label}を入力してください (不明な部分は不詳として0)。");
            return;
        }
        if (!date.IsValid)
        {
            v.Add(path, $"{label} {date.Year}-{date.Month}-{date.Day} は存在しない日付です。");
            return;
        }
        if (date.Earliest is { } earliest && earliest > today)
        {
            v.Add(path, $"{label}が未来の日付です。");
        }
    }

    /// <summary>異動日 and 届出日 may not be after today (4.0.3; 転出 is the exception).</summary>
    public static void CheckNotFuture(Violations v, string path, DateOnly? date, string label, DateOnly today, bool required = true)
    {
        if (date is null)
        {
            if (required)
            {
                v.Add(path, $"{label}を入力してください。");
            }
            return;
        }
        if (date.Value > today)
        {
            v.Add(path, $"{label} {date.Value:yyyy-MM-dd} は未来の日付です (処理日 {today:yyyy-MM-dd})。");
        }
    }

    /// <summary>
    /// 1.1.6: the items of 法30条の45 that may not be blank for a foreign resident (not a 除票):
    /// the 在留カード番号 of a 中長期在留者, the 特別永住者証明書番号 of a 特別永住者, the 上陸期間 of an
    /// 一時庇護許可者 and the 仮滞在期間 of a 仮滞在許可者 (held as 在留期間); and the 区分 itself
    /// (中長期在留者・特別永住者・一時庇護許可者・仮滞在許可者・経過滞在者である旨).
    /// </summary>
    public static void CheckForeignRequired(Violations v, string path, int category, string cardNumber, string periodOfStay)
    {
        if (category is < 1 or > 5)
        {
            v.Add($"{path}.category", "法第30条の45の区分を選んでください。空欄にはできません (1.1.6)。");
            return;
        }
        var (item, field, value) = category switch
        {
            1 => ("在留カードの番号", "residence_card_number", cardNumber),
            2 => ("特別永住者証明書の番号", "residence_card_number", cardNumber),
            3 => ("上陸期間", "period_of_stay", periodOfStay),
            4 => ("仮滞在期間", "period_of_stay", periodOfStay),
            _ => ("", "", "x"),
        };
        if (string.IsNullOrWhiteSpace(value))
        {
            v.Add($"{path}.{field}", $"{item}は空欄にできません (1.1.6)。");
        }
    }

    public static void CheckSex(Violations v, string path, SexValue sex)
    {
        if (sex is not (SexValue.Male or SexValue.Female))
        {
            v.Add(path, "性別を選んでください。");
        }
    }

    public static DateOnly Today(TimeProvider time) => JapanTime.Today(time);

    /// <summary>The first year the Japanese calendar (明治) can express.</summary>
    public const int FirstWarekiYear = 1868;

    /// <summary>在留カード・特別永住者証明書の番号: two letters, eight digits, two letters.</summary>
    public static bool IsResidenceCardNumber(string number)
    {
        var n = number.Trim().ToUpperInvariant();
        return n.Length == 12 && n[..2].All(char.IsAsciiLetterUpper) && n[2..10].All(char.IsAsciiDigit) && n[10..].All(char.IsAsciiLetterUpper);
    }
}
