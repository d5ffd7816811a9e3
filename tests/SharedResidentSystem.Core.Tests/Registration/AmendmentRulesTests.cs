using System.Globalization;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Numbers;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Core.Tests.Registration.RegisterHarness;

namespace SharedResidentSystem.Core.Tests.Registration;

/// <summary>
/// 修正 (4.4) and the 職権 entries and removals (4.5) in the domain: each reason of 1.2.2 is
/// recorded under its own name, and a reason that contradicts the record is refused.
/// </summary>
public sealed class AmendmentRulesTests(RegisterHarness register) : IClassFixture<RegisterHarness>
{
    private static readonly CorrectionValues Nothing = new(null, null, null, null, null, null);

    private static string NewIndividualNumber()
    {
        var body = Random.Shared.NextInt64(10_000_000_000, 99_999_999_999).ToString(CultureInfo.InvariantCulture);
        return body + CheckDigits.IndividualNumber(body);
    }

    private static PersonEntryValue Foreigner(string given) => Person(given, 1990, "世帯主") with
    {
        Kind = ResidentKind.Foreign,
        Domicile = new DomicileValue("", ""),
        Foreign = new ForeignValue("ベトナム", 1, "技能", "3年", new DateOnly(2029, 4, 1), "AB" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture) + "CD", "NGUYEN VAN A"),
    };

    private async Task<PersonVersion> ResidentAsync(string banchi, PersonEntryValue? person = null) =>
        (await register.RunAsync(r => r.MoveInAsync(register.Clerk, Guid.NewGuid().ToString(),
            new MoveInCommand(Header("move_date", MovedIn, Notified), Address(banchi), Osaka, [person ?? Person("太郎", 1980, "世帯主")], false, null), CancellationToken.None))).Persons[0];

    private Task<IdouResult> AmendAsync(PersonVersion resident, string reason, CorrectionValues values) =>
        register.RunAsync(r => r.AmendAsync(register.Clerk, Guid.NewGuid().ToString(),
            new AmendmentCommand(reason, resident.ResidentNumber, resident.ETag, values, Notified, Notified, "戸籍の通知による", []), CancellationToken.None));

    [Spec("1.2.2#23")]
    [Spec("1.2.2#24")]
    [Spec("1.2.2#25")]
    [Fact]
    public async Task Each_correction_is_recorded_under_its_own_reason_against_the_version_seen()
    {
        var resident = await ResidentAsync("30番1号");
        var minor = await register.RunAsync(r => r.CorrectAsync(register.Clerk, Guid.NewGuid().ToString(),
            new CorrectionCommand(resident.ResidentNumber, resident.ETag, Nothing with { Katagaki = "コーポ本町101" }, Notified, Notified, "方書の届出"), CancellationToken.None));
        Assert.Equal(IdouReasons.MinorCorrection, minor.Reason);

        var stale = await Assert.ThrowsAsync<DomainException>(() => AmendAsync(resident, IdouReasons.OfficialCorrection, Nothing with { Sex = SexValue.Female }));
        Assert.Equal(ErrorKind.Aborted, stale.Kind);

        var official = await AmendAsync(minor.Persons[0], IdouReasons.OfficialCorrection, Nothing with { Sex = SexValue.Female });
        Assert.Equal((IdouReasons.OfficialCorrection, (int)SexValue.Female), (official.Reason, official.Persons[0].Sex));

        var clerical = await AmendAsync(official.Persons[0], IdouReasons.ClericalError, Nothing with { Sex = SexValue.Male });
        Assert.Equal((IdouReasons.ClericalError, (int)SexValue.Male), (clerical.Reason, clerical.Persons[0].Sex));
    }

    [Spec("1.2.2#28")]
    [Fact]
    public async Task An_individual_number_is_entered_once_and_then_only_changed()
    {
        var resident = await ResidentAsync("30番2号");
        var number = NewIndividualNumber();
        var entered = await AmendAsync(resident, IdouReasons.IndividualNumberOfficialEntry, Nothing with { IndividualNumber = number });
        Assert.Equal((IdouReasons.IndividualNumberOfficialEntry, number), (entered.Reason, entered.Persons[0].IndividualNumber));

        var again = await Assert.ThrowsAsync<DomainException>(() => AmendAsync(entered.Persons[0], IdouReasons.IndividualNumberOfficialEntry, Nothing with { IndividualNumber = NewIndividualNumber() }));
        Assert.Equal((ErrorReasons.RecordRule, "reason"), (again.Reason, again.Violations.Single().Field));
        Assert.Contains("記載済み", again.Message, StringComparison.Ordinal);

        var unchanged = await Assert.ThrowsAsync<DomainException>(() => AmendAsync(entered.Persons[0], IdouReasons.IndividualNumberChangeRequest, Nothing with { IndividualNumber = number }));
        Assert.Contains("変わっていません", unchanged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_old_surname_is_for_japanese_residents_and_a_common_name_for_foreign_ones()
    {
        var japanese = await ResidentAsync("30番3号");
        var commonName = await Assert.ThrowsAsync<DomainException>(() => AmendAsync(japanese, IdouReasons.CommonNameEntry, Nothing with { CommonName = ("山本　花", "ヤマモト　ハナ", false) }));
        Assert.Contains("外国人住民", commonName.Message, StringComparison.Ordinal);

        var foreigner = await ResidentAsync("30番4号", Foreigner("アン"));
        var oldSurname = await Assert.ThrowsAsync<DomainException>(() => AmendAsync(foreigner, IdouReasons.OldSurnameEntry, Nothing with { OldSurname = ("佐藤", "サトウ", false) }));
        Assert.Contains("日本人住民", oldSurname.Message, StringComparison.Ordinal);

        var entered = await AmendAsync(foreigner, IdouReasons.CommonNameEntry, Nothing with { CommonName = ("中村　安", "ナカムラ　アン", true) });
        Assert.Equal(IdouReasons.CommonNameEntry, entered.Reason);
    }

    [Spec("1.2.2#8")]
    [Spec("1.2.2#17")]
    [Fact]
    public async Task Loss_of_nationality_removes_the_japanese_record_and_enters_a_foreign_one_and_the_kinds_must_fit()
    {
        var japanese = await ResidentAsync("31番1号");
        var wrongKind = await Assert.ThrowsAsync<DomainException>(() => register.RunAsync(r => r.OfficialRemovalAsync(register.Clerk, Guid.NewGuid().ToString(),
            new OfficialRemovalCommand(IdouReasons.OfficialRemovalNaturalization, Header("removal_date", Notified, Notified), [new ResidentRefValue(japanese.ResidentNumber, "")], "帰化の通知"), CancellationToken.None)));
        Assert.Contains(wrongKind.Violations, v => v.Field == "residents[0]");

        var removed = await register.RunAsync(r => r.OfficialRemovalAsync(register.Clerk, Guid.NewGuid().ToString(),
            new OfficialRemovalCommand(IdouReasons.OfficialRemovalLossOfNationality, Header("removal_date", Notified, Notified), [new ResidentRefValue(japanese.ResidentNumber, "")], "国籍喪失の届出"), CancellationToken.None));
        Assert.Equal((ResidentState.Removed, IdouReasons.OfficialRemovalLossOfNationality), (removed.Persons[0].State, removed.Persons[0].RemovalReason));

        var notForeign = await Assert.ThrowsAsync<DomainException>(() => register.RunAsync(r => r.OfficialEntryAsync(register.Clerk, Guid.NewGuid().ToString(),
            new OfficialEntryCommand(IdouReasons.OfficialEntryLossOfNationality, new MoveInCommand(Header("move_date", Notified, Notified), Address("31番1号"), AddressValue.Empty, [Person("太郎", 1980, "世帯主")], false, null), "国籍喪失の届出"), CancellationToken.None)));
        Assert.Contains(notForeign.Violations, v => v.Field == "members[0].kind");

        var entered = await register.RunAsync(r => r.OfficialEntryAsync(register.Clerk, Guid.NewGuid().ToString(),
            new OfficialEntryCommand(IdouReasons.OfficialEntryLossOfNationality, new MoveInCommand(Header("move_date", Notified, Notified), Address("31番1号"), AddressValue.Empty, [Foreigner("タロウ")], false, null), "国籍喪失の届出"), CancellationToken.None));
        Assert.Equal((IdouReasons.OfficialEntryLossOfNationality, ResidentKind.Foreign), (entered.Reason, entered.Persons[0].Kind));
    }

    [Spec("1.2.2#5")]
    [Spec("1.2.2#14")]
    [Fact]
    public async Task A_move_from_abroad_and_a_move_abroad_carry_their_own_reasons()
    {
        var germany = new AddressValue("", "", "", 0, "", "", "", "", "", "ドイツ");
        var arrived = await register.RunAsync(r => r.MoveInAsync(register.Clerk, Guid.NewGuid().ToString(),
            new MoveInCommand(Header("move_date", MovedIn, Notified), Address("32番1号"), germany, [Person("太郎", 1980, "世帯主")], true, null), CancellationToken.None));
        Assert.Equal(IdouReasons.MoveInFromAbroad, arrived.Reason);

        var left = await register.RunAsync(r => r.MoveOutAsync(register.Clerk, Guid.NewGuid().ToString(),
            new MoveOutCommand(Header("planned_date", new DateOnly(2026, 12, 5), new DateOnly(2026, 11, 26)), [new ResidentRefValue(arrived.Persons[0].ResidentNumber, "")], germany, true), CancellationToken.None));
        Assert.Equal((IdouReasons.MoveOutAbroad, ResidentState.Removed), (left.Reason, left.Persons[0].State));
    }
}
