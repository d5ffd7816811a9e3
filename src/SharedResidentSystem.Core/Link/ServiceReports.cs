using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Link;

/// <summary>
/// 他業務照会 (7.2.2): the other systems' latest state of a person — 選挙人名簿, 国保, 後期高齢者医療,
/// 介護保険, 国民年金, 児童手当, 住基カード・個人番号カードの保有 — as each system reports it for the services its configuration
/// names (linkedSystems[].reports). A report changes only its own service's items of the record
/// (法7条9号-11号の2), by a 職権修正 like a clerk's.
/// </summary>
public static class ServiceReports
{
    public const string ElectoralRoll = "electoralRoll";
    public const string NationalHealthInsurance = "nationalHealthInsurance";
    public const string LateElderlyMedical = "lateElderlyMedical";
    public const string LongTermCare = "longTermCare";
    public const string NationalPension = "nationalPension";
    public const string ChildAllowance = "childAllowance";
    public const string Card = "card";

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ElectoralRoll] = "選挙人名簿",
        [NationalHealthInsurance] = "国民健康保険",
        [LateElderlyMedical] = "後期高齢者医療",
        [LongTermCare] = "介護保険",
        [NationalPension] = "国民年金",
        [ChildAllowance] = "児童手当",
        [Card] = "住基カード又は個人番号カード",
    };

    public static IReadOnlySet<string> Known { get; } = Names.Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>The record's items of 法7条9号-11号の2 as they stand.</summary>
    public static EntitlementsValue Of(PersonVersion p) => new(
        p.OnElectoralRoll,
        new CoverageValue(p.NationalHealthInsurance, p.NationalHealthInsuranceFrom, p.NationalHealthInsuranceUntil),
        new CoverageValue(p.LateElderlyMedical, p.LateElderlyMedicalFrom, p.LateElderlyMedicalUntil),
        new CoverageValue(p.LongTermCare, p.LongTermCareFrom, p.LongTermCareUntil),
        new PensionValue(p.NationalPension, p.BasicPensionNumber, p.NationalPensionKind, p.NationalPensionKindChangedOn, p.NationalPensionFrom, p.NationalPensionUntil),
        p.ChildAllowanceFrom, p.ChildAllowanceUntil)
    {
        CardHeld = p.CardHeld,
        AdultWard = p.AdultWard,
    };

    /// <summary>The record's items with one service's taken from the report; the others stay.</summary>
    public static EntitlementsValue Merge(EntitlementsValue now, EntitlementsValue reported, string service) => service switch
    {
        ElectoralRoll => now with { OnElectoralRoll = reported.OnElectoralRoll },
        NationalHealthInsurance => now with { NationalHealthInsurance = reported.NationalHealthInsurance },
        LateElderlyMedical => now with { LateElderlyMedical = reported.LateElderlyMedical },
        LongTermCare => now with { LongTermCare = reported.LongTermCare },
        NationalPension => now with { NationalPension = reported.NationalPension },
        ChildAllowance => now with { ChildAllowanceFrom = reported.ChildAllowanceFrom, ChildAllowanceUntil = reported.ChildAllowanceUntil },
        Card => now with { CardHeld = reported.CardHeld },
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, "not a service of 7.2.2"),
    };
}
