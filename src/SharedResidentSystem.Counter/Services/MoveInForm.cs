using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Counter.Forms;

namespace SharedResidentSystem.Counter.Services;

/// <summary>
/// The 転入届 as the clerk fills it in (4.1.1: the items of the paper form in its order), and
/// the request it becomes. Dates are typed as on the form (和暦 or 西暦).
/// </summary>
public sealed class MoveInForm
{
    public string Reason { get; set; } = "domestic";
    public string MoveDate { get; set; } = "";
    public string NotificationDate { get; set; } = "";
    public string NotifierName { get; set; } = "";
    public string NotifierRelation { get; set; } = "本人";
    /// <summary>The chosen place of the city's address master: "町字|丁目".</summary>
    public string Place { get; set; } = "";
    public string Banchi { get; set; } = "";
    public string Katagaki { get; set; } = "";
    public string PreviousAddress { get; set; } = "";
    public string PreviousCountry { get; set; } = "";
    public List<Member> Members { get; } = [new Member { Relationship = "世帯主" }];

    public sealed class Member
    {
        public string Family { get; set; } = "";
        public string Given { get; set; } = "";
        public string FamilyKana { get; set; } = "";
        public string GivenKana { get; set; } = "";
        public string Birth { get; set; } = "";
        public string Sex { get; set; } = "";
        public string Relationship { get; set; } = "";
        public string Domicile { get; set; } = "";
        public string DomicileHead { get; set; } = "";
        public string IndividualNumber { get; set; } = "";

        /// <summary>The person as the contract takes them (a Japanese resident); what cannot be read is an error under <paramref name="path"/>.</summary>
        public PersonEntry ToEntry(string path, FormErrors errors) => new()
        {
            PersonName = new PersonName { Family = Family.Trim(), Given = Given.Trim(), FamilyKana = FamilyKana.Trim(), GivenKana = GivenKana.Trim() },
            BirthDate = Typed.PartialDate(Birth, path + ".birth_date", errors, required: true),
            Sex = Sex switch { "1" => Contracts.Residents.V1.Sex.Male, "2" => Contracts.Residents.V1.Sex.Female, _ => Contracts.Residents.V1.Sex.Unspecified },
            Relationship = Relationship.Trim(),
            Kind = ResidentKind.Japanese,
            Domicile = new Domicile { Address = Domicile.Trim(), HeadName = DomicileHead.Trim() },
            IndividualNumber = IndividualNumber.Trim(),
        };
    }

    /// <summary>The 続柄 offered as the clerk types (any other may be typed).</summary>
    public static readonly IReadOnlyList<string> Relationships = ["世帯主", "妻", "夫", "子", "父", "母", "孫", "兄", "姉", "弟", "妹", "祖父", "祖母", "同居人", "縁故者"];

    public static readonly IReadOnlyList<(string, string)> Sexes = [("", "選んでください"), ("1", "男"), ("2", "女")];

    public bool FromAbroad => Reason == "abroad";

    /// <summary>The request, or null with <paramref name="errors"/> filled when something typed cannot be read.</summary>
    public RecordMoveInRequest? Build(IReadOnlyList<AddressCandidate> places, FormErrors errors)
    {
        var request = new RecordMoveInRequest
        {
            Reason = FromAbroad ? MoveInReason.FromAbroad : MoveInReason.Domestic,
            MoveDate = Typed.Date(MoveDate, "move_date", errors, required: true),
            NotificationDate = Typed.Date(NotificationDate, "notification_date", errors, required: true),
            Notifier = new Notifier { Name = NotifierName.Trim(), Relation = NotifierRelation.Trim() },
            PreviousAddress = FromAbroad ? new Address { Country = PreviousCountry.Trim(), FreeText = PreviousAddress.Trim() } : new Address { FreeText = PreviousAddress.Trim() },
        };
        var place = places.FirstOrDefault(p => Key(p) == Place);
        if (place is null)
        {
            errors.Add("address.town", "住所辞書の町字・丁目を選んでください。");
        }
        else
        {
            request.Address = AddressAt(place, Banchi, Katagaki);
        }
        for (var i = 0; i < Members.Count; i++)
        {
            request.Members.Add(Members[i].ToEntry($"members[{i}]", errors));
        }
        return errors.Count == 0 ? request : null;
    }

    /// <summary>A new address in the city: the dictionary's place with the 番地 and 方書 typed.</summary>
    public static Address AddressAt(AddressCandidate place, string banchi, string katagaki) => new()
    {
        Prefecture = place.Address.Prefecture,
        City = place.Address.City,
        Town = place.Address.Town,
        Chome = place.Address.Chome,
        PostalCode = place.Address.PostalCode,
        LocalGovernmentCode = place.Address.LocalGovernmentCode,
        Banchi = banchi.Trim(),
        Katagaki = katagaki.Trim(),
    };

    public static string Key(AddressCandidate place) => $"{place.Address.Town}|{place.Address.Chome}";

    public static string PlaceText(AddressCandidate place) => place.Address.Town + (place.Address.Chome > 0 ? $"{place.Address.Chome}丁目" : "");
}
