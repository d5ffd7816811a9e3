using System.Globalization;
using SharedResidentSystem.Contracts.JukiNet.V1;
using SharedResidentSystem.Contracts.Registration.V1;

namespace SharedResidentSystem.Server.Cs;

/// <summary>整合性確認 (7.1.1.2): a person as the register has them against the CS's 本人確認情報.</summary>
public static class CsConsistency
{
    public const string MissingAtCs = "CSにない";
    public const string MissingInRegister = "台帳にない";

    private static readonly (string Item, Func<CsPerson, string> Value)[] Items =
    [
        ("氏名", p => p.Name),
        ("氏名の読み", p => p.NameKana),
        ("生年月日", p => p.BirthDate),
        ("性別", p => p.Sex.ToString(CultureInfo.InvariantCulture)),
        ("住所", p => p.Address),
        ("個人番号", p => p.IndividualNumber),
        ("消除", p => p.Removed ? "消除" : ""),
    ];

    /// <summary>The differences between the register's person and the CS's (either may be missing).</summary>
    public static IEnumerable<CsDifference> Compare(string resident, CsPerson? register, CsPerson? cs)
    {
        var code = register?.ResidentCode ?? cs?.ResidentCode ?? "";
        if (cs is null)
        {
            yield return new CsDifference { ResidentCode = code, Resident = resident, Item = MissingAtCs };
            yield break;
        }
        if (register is null)
        {
            yield return new CsDifference { ResidentCode = code, Item = MissingInRegister, CsValue = $"{cs.Name} {cs.BirthDate}" };
            yield break;
        }
        foreach (var (item, value) in Items)
        {
            if (value(register) != value(cs))
            {
                yield return new CsDifference { ResidentCode = code, Resident = resident, Item = item, RegisterValue = value(register), CsValue = value(cs) };
            }
        }
    }
}
