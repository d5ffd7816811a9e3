using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Residents;

/// <summary>
/// 世帯員の並び順 (5.2): 第1順位 世帯主, 配偶者, 子; 第2順位 the families of the children;
/// 第3順位 父母, 兄弟姉妹, 祖父母; 第4順位 other relatives, 縁故者, 同居人. Within a group by
/// birth date, then by 宛名番号. (Which child a 子の妻 belongs to is not recorded, so the
/// children's families are kept together after all children.)
/// </summary>
public static class HouseholdOrder
{
    public static IReadOnlyList<PersonVersion> Sort(IEnumerable<PersonVersion> members) =>
        members.OrderBy(m => Rank(m.Relationship))
            .ThenBy(m => BirthKey(m))
            .ThenBy(m => m.ResidentNumber, StringComparer.Ordinal)
            .ToList();

    /// <summary>Rank × 10 + place within the rank.</summary>
    public static int Rank(string relationship)
    {
        var r = Relationships.Normalize(relationship);
        return r switch
        {
            Relationships.Head => 11,
            "妻" or "夫" or "妻（未届）" or "夫（未届）" => 12,
            "子" => 13,
            "子の妻" or "子の夫" or "子の妻（未届）" or "子の夫（未届）" => 22,
            "父" or "母" => 31,
            "兄" or "姉" or "弟" or "妹" => 32,
            "父の父" or "父の母" or "母の父" or "母の母" => 33,
            Relationships.Kin => 42,
            Relationships.Lodger => 43,
            _ when r.StartsWith("子の", StringComparison.Ordinal) => 23,
            _ => 41,
        };
    }

    private static int BirthKey(PersonVersion p) =>
        ((p.BirthYear == 0 ? 9999 : p.BirthYear) * 10000) + ((p.BirthMonth == 0 ? 99 : p.BirthMonth) * 100) + (p.BirthDay == 0 ? 99 : p.BirthDay);
}
