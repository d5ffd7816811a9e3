using SharedResidentSystem.Core.Cs;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Core.Tests.Cs;

/// <summary>Which messages to the CS each 異動 owes for a person (7.1.1.1).</summary>
public sealed class CsOutboxTests
{
    private static PersonVersion Person(string domicile = "東京都千代田区千代田1番", string number = "", ResidentKind kind = ResidentKind.Japanese, bool special = false) =>
        new() { Domicile = domicile, IndividualNumber = number, Kind = kind, SpecialMoveOut = special };

    [Theory]
    [Spec("7.1.1.1#12")]
    [Spec("7.1.1.1#13")]
    [Spec("7.1.1.1#14")]
    [InlineData(IdouReasons.DomesticMoveIn, "本人確認情報,転入通知情報,戸籍附票記載事項通知")]
    [InlineData(IdouReasons.DomesticMoveOut, "本人確認情報,戸籍附票記載事項通知")]
    [InlineData(IdouReasons.MoveOutAbroad, "本人確認情報,戸籍附票記載事項通知")]
    [InlineData(IdouReasons.AddressChange, "本人確認情報,戸籍附票記載事項通知")]
    [InlineData(IdouReasons.Death, "本人確認情報,戸籍附票記載事項通知")]
    [InlineData(IdouReasons.CancellationDecrease, "本人確認情報,戸籍附票記載事項通知")]
    [InlineData(IdouReasons.CancellationIncrease, "本人確認情報,戸籍附票記載事項通知")]
    [InlineData(IdouReasons.CancellationAmendment, "本人確認情報")]
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
        // The clerk entered the new number (its 通知書 and 符号 follow), or the 修正 is not of the number: nothing to ask.
        Assert.Equal([CsOutbox.Identity, CsOutbox.DeliveryAddress, CsOutbox.SymbolRequest], CsOutbox.Owed(IdouReasons.IndividualNumberChangeRequest, Person(number: "234567890123"), before));
        Assert.Equal([CsOutbox.Identity], CsOutbox.Owed(IdouReasons.OfficialCorrection, Person(number: "123456789018"), before));
    }

    [Fact]
    [Spec("4.1.3.0.4#2")]
    public void Only_a_special_move_out_sends_the_move_out_certificate_information()
    {
        Assert.Equal([CsOutbox.Identity, CsOutbox.MoveOutCertificate, CsOutbox.FamilyRegisterAnnex],
            CsOutbox.Owed(IdouReasons.DomesticMoveOut, Person(number: "123456789018", special: true), Person()));
        // A 転出 with a paper 転出証明書 (the 転入 city reads the paper): none.
        Assert.DoesNotContain(CsOutbox.MoveOutCertificate, CsOutbox.Owed(IdouReasons.DomesticMoveOut, Person(number: "123456789018"), Person()));
    }

    [Fact]
    [Spec("7.1.1.4#1")]
    [Spec("7.1.2.2#1")]
    public void A_new_individual_number_sends_its_delivery_address_and_asks_for_its_symbol_and_a_number_brought_along_does_not()
    {
        Assert.Equal([CsOutbox.Identity, CsOutbox.DeliveryAddress, CsOutbox.SymbolRequest],
            CsOutbox.Owed(IdouReasons.IndividualNumberOfficialEntry, Person("不明", "123456789018"), Person("不明")));
        // A 転入 with the number the person had in the former city, and the number taken again unchanged: no 通知書.
        Assert.DoesNotContain(CsOutbox.DeliveryAddress, CsOutbox.Owed(IdouReasons.DomesticMoveIn, Person(number: "123456789018"), null));
        Assert.Equal([CsOutbox.Identity], CsOutbox.Owed(IdouReasons.IndividualNumberOfficialEntry, Person("不明", "123456789018"), Person("不明", "123456789018")));
    }

    [Theory]
    [Spec("7.1.1.1#2")]
    [InlineData(0, "", "", "", "理由", "print_category")]
    [InlineData(3, "", "", "", "理由", "print_category")]
    [InlineData(1, "", "", "1890001", "理由", "residence")]
    [InlineData(1, "", "201号", "", "理由", "residence")]
    [InlineData(1, "東京都清瀬市元町1-1", "", "", "理由", "residence_postal_code")]
    [InlineData(1, "東京都清瀬市元町1-1", "", "18900", "理由", "residence_postal_code")]
    [InlineData(2, "", "", "", " ", "note")]
    public void A_designation_that_contradicts_itself_is_refused_naming_the_field(int category, string residence, string katagaki, string postal, string note, string field)
    {
        var refused = Assert.Throws<Errors.DomainException>(() => DeliveryAddresses.Check((DeliveryPrintCategory)category, residence, katagaki, postal, note));
        Assert.Equal(field, refused.Violations[0].Field);
    }

    [Fact]
    [Spec("7.1.1.1#2")]
    public void A_designation_to_a_residence_with_its_postal_code_or_to_the_address_is_accepted()
    {
        DeliveryAddresses.Check(DeliveryPrintCategory.Print, "東京都清瀬市元町1-1", "ひまわり荘201", "2040021", "長期入院");
        DeliveryAddresses.Check(DeliveryPrintCategory.NoPrint, "", "", "", "窓口で交付");
    }
}
