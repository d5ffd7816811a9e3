using SharedResidentSystem.Core.Cs;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Core.Tests.Cs;

/// <summary>Which messages to the CS each 異動 owes for a person (7.1.1.1).</summary>
public sealed class CsOutboxTests
{
    private static PersonVersion Person(string domicile = "東京都千代田区千代田1番", string number = "", ResidentKind kind = ResidentKind.Japanese) =>
        new() { Domicile = domicile, IndividualNumber = number, Kind = kind };

    [Theory]
    [Spec("7.1.1.1#12")]
    [Spec("7.1.1.1#13")]
    [Spec("7.1.1.1#14")]
    [InlineData(IdouReasons.DomesticMoveIn, "本人確認情報,転入通知情報,戸籍附票記載事項通知")]
    [InlineData(IdouReasons.DomesticMoveOut, "本人確認情報,転出証明書情報,戸籍附票記載事項通知")]
    [InlineData(IdouReasons.MoveOutAbroad, "本人確認情報,戸籍附票記載事項通知")]
    [InlineData(IdouReasons.AddressChange, "本人確認情報,戸籍附票記載事項通知")]
    [InlineData(IdouReasons.Death, "本人確認情報,戸籍附票記載事項通知")]
    [InlineData(IdouReasons.HeadChange, "本人確認情報")]
    [InlineData(IdouReasons.MinorCorrection, "本人確認情報")]
    public void A_japanese_resident_with_a_domicile_gets_the_annex_notice_whenever_the_address_is_set_or_ended(string reason, string kinds) =>
        Assert.Equal(kinds.Split(','), CsOutbox.Owed(reason, Person(number: "123456789018"), Person()));

    [Fact]
    [Spec("7.1.1.1#7")]
    public void A_person_who_enters_without_a_number_asks_for_one_first()
    {
        Assert.Equal([CsOutbox.IndividualNumberRequest, CsOutbox.Identity], CsOutbox.Owed(IdouReasons.Birth, Person("不明"), null));
        Assert.Equal([CsOutbox.Identity], CsOutbox.Owed(IdouReasons.Birth, Person("不明", "123456789018"), null));
        // A foreign resident from abroad: no 本籍, so no 附票 notice.
        Assert.Equal([CsOutbox.IndividualNumberRequest, CsOutbox.Identity], CsOutbox.Owed(IdouReasons.MoveInFromAbroad, Person("", kind: ResidentKind.Foreign), null));
        // 本籍 unknown or none: no 附票 notice.
        Assert.Equal([CsOutbox.Identity], CsOutbox.Owed(IdouReasons.AddressChange, Person("なし", "123456789018"), null));
    }

    [Fact]
    [Spec("7.1.2.1#3")]
    public void A_change_of_the_number_entered_without_the_new_one_asks_the_cs_for_it()
    {
        var before = Person(number: "123456789018");
        Assert.Equal([CsOutbox.IndividualNumberChangeRequest, CsOutbox.Identity],
            CsOutbox.Owed(IdouReasons.IndividualNumberChangeRequest, Person(number: "123456789018"), before));
        Assert.Equal([CsOutbox.IndividualNumberChangeRequest, CsOutbox.Identity],
            CsOutbox.Owed(IdouReasons.IndividualNumberOfficialCorrection, Person(number: "123456789018"), before));
        // The clerk entered the new number, or the 修正 is not of the number: nothing to ask.
        Assert.Equal([CsOutbox.Identity], CsOutbox.Owed(IdouReasons.IndividualNumberChangeRequest, Person(number: "234567890123"), before));
        Assert.Equal([CsOutbox.Identity], CsOutbox.Owed(IdouReasons.OfficialCorrection, Person(number: "123456789018"), before));
    }
}
