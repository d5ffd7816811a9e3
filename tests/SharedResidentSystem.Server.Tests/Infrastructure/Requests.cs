using Google.Rpc;
using Grpc.Core;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using Date = Google.Type.Date;

namespace SharedResidentSystem.Server.Tests.Infrastructure;

/// <summary>Builds requests with data unique to the calling test.</summary>
public static class Requests
{
    /// <summary>A family name reading no other test uses (katakana, 6 letters).</summary>
    public static string UniqueKana() => Testing.Readings.UniqueKana();

    public static Date Date(int year, int month, int day) => new() { Year = year, Month = month, Day = day };

    /// <summary>The header a server process's caller sends its bearer token in.</summary>
    public static Metadata Bearer(string token) => new() { { "Authorization", $"Bearer {token}" } };

    /// <summary>A one-person 転入 into <paramref name="tenant"/> moved in and notified today on the real clock (what a server process takes as today).</summary>
    public static RecordMoveInRequest MoveInToday(string tenant, PersonEntry person, int chome, string banchi)
    {
        var date = RealToday();
        var request = new RecordMoveInRequest
        {
            RequestId = Guid.NewGuid().ToString(), MoveDate = date, NotificationDate = date, Notifier = RegisterDriver.Notifier(),
            Address = new Address { Town = TownOf(tenant), Chome = chome, Banchi = banchi },
            PreviousAddress = new Address { Prefecture = "埼玉県", City = "所沢市", FreeText = "東町1-1" },
        };
        request.Members.Add(person);
        return request;
    }

    /// <summary>Today in Japan on the real clock: what a server process (not the fixture's fake clock) takes as today.</summary>
    public static Date RealToday()
    {
        var today = Japanese.JapanTime.Today(TimeProvider.System);
        return Date(today.Year, today.Month, today.Day);
    }

    /// <summary>A valid 個人番号 nobody else in the tests has.</summary>
    public static string IndividualNumber()
    {
        var body = string.Concat(Enumerable.Range(0, 11).Select(_ => (char)('0' + Random.Shared.Next(10))));
        return body + Core.Numbers.CheckDigits.IndividualNumber(body);
    }

    /// <summary>A town of the city's address dictionary.</summary>
    public static string TownOf(string tenant) => tenant switch
    {
        "132225" => "本町",
        "132110" => "小川町",
        // Any other city here was added by a test from TenantDocuments.Minimal, whose town is 本町.
        _ => "本町",
    };

    public static RecordMoveInRequest MoveIn(string tenant, string familyKana, string familyName = "高橋", int members = 2)
    {
        var request = new RecordMoveInRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            MoveDate = Date(2026, 11, 20),
            NotificationDate = Date(2026, 11, 25),
            Notifier = new Notifier { Name = $"{familyName} 一郎", Relation = "本人" },
            Address = new Address { Town = TownOf(tenant), Chome = 1, Banchi = "2番3号", Katagaki = "コーポ101" },
            PreviousAddress = new Address { Prefecture = "大阪府", City = "大阪市北区", FreeText = "梅田1-1-1" },
        };
        string[] given = ["一郎", "花子", "太郎", "次郎"];
        string[] givenKana = ["イチロウ", "ハナコ", "タロウ", "ジロウ"];
        string[] relationships = ["世帯主", "妻", "子", "子"];
        for (var i = 0; i < members; i++)
        {
            request.Members.Add(new PersonEntry
            {
                PersonName = new PersonName { Family = familyName, Given = given[i], FamilyKana = familyKana, GivenKana = givenKana[i], KanaConfirmed = true },
                BirthDate = new PartialDate { Year = 1980 + (i * 5), Month = 6, Day = 15 },
                Sex = i == 1 ? Sex.Female : Sex.Male,
                Relationship = relationships[i],
                Domicile = new Domicile { Address = "東京都千代田区千代田1番", HeadName = $"{familyName} {given[0]}" },
            });
        }
        return request;
    }

    /// <summary>The same 転入 as a 国外転入等 from Hanoi of foreign residents with <paramref name="items"/>.</summary>
    public static RecordMoveInRequest FromAbroad(RecordMoveInRequest request, ForeignResidentItems items)
    {
        request.Reason = MoveInReason.FromAbroad;
        request.PreviousAddress = new Address { Country = "ベトナム", FreeText = "Hanoi" };
        foreach (var member in request.Members)
        {
            member.Kind = ResidentKind.Foreign;
            member.Domicile = null;
            member.Foreign = items.Clone();
        }
        return request;
    }

    /// <summary>A valid 住民票コード (11 digits, modulus 11) no other test uses.</summary>
    public static string ResidentCode()
    {
        var body = string.Concat(Guid.NewGuid().ToByteArray().Take(10).Select(b => (char)('0' + (b % 10))));
        return body + Core.Numbers.CheckDigits.Modulus11Weights2To7(body);
    }

    /// <summary>A 在留カード番号 (two letters, eight digits, two letters) no other test uses.</summary>
    public static string CardNumber() => "RC" + Random.Shared.Next(10000000, 99999999).ToString(System.Globalization.CultureInfo.InvariantCulture) + "ZZ";

    /// <summary>The same 転入, moved in (and notified) on an earlier day, for tests whose later 異動 come before the usual date.</summary>
    public static RecordMoveInRequest MovedInOn(RecordMoveInRequest request, Date day)
    {
        request.MoveDate = day;
        request.NotificationDate = day;
        return request;
    }

    public static ErrorInfo? ErrorInfo(this RpcException e) => e.GetRpcStatus()?.GetDetail<ErrorInfo>();

    public static IReadOnlyList<string> ViolatedFields(this RpcException e) =>
        e.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field).ToList() ?? [];
}
