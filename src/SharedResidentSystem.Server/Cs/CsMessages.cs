using System.Globalization;
using SharedResidentSystem.Contracts.JukiNet.V1;
using SharedResidentSystem.Core.Cs;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Server.Cs;

/// <summary>
/// The one place that renders an outbox row as the CS's message (the wire format of docs/cs.md):
/// the person as the 異動 left them, and the city the message is for.
/// </summary>
public static class CsMessages
{
    public static string MessageId(string tenantCode, long sequence) => string.Create(CultureInfo.InvariantCulture, $"{tenantCode}-{sequence}");

    public static CsMessageKind KindOf(string category) => category switch
    {
        CsOutbox.Identity => CsMessageKind.Identity,
        CsOutbox.MoveInNotice => CsMessageKind.MoveInNotice,
        CsOutbox.MoveOutCertificate => CsMessageKind.MoveOutCertificate,
        CsOutbox.FamilyRegisterAnnex => CsMessageKind.FamilyRegisterAnnex,
        CsOutbox.IndividualNumberRequest => CsMessageKind.IndividualNumberRequest,
        CsOutbox.IndividualNumberChangeRequest => CsMessageKind.IndividualNumberChangeRequest,
        CsOutbox.WideAreaCopy => CsMessageKind.WideAreaCopy,
        CsOutbox.DeliveryAddress => CsMessageKind.DeliveryAddress,
        CsOutbox.SymbolRequest => CsMessageKind.SymbolRequest,
        CsOutbox.CertificateSerialRequest => CsMessageKind.CertificateSerialRequest,
        _ => CsMessageKind.Unspecified,
    };

    /// <summary>
    /// The message of a row, its text in 住基ネット統一文字 (<paramref name="characters"/>); a
    /// character that cannot be converted stops it (CS_MESSAGE_STATE, naming the characters) until
    /// the city adds its conversion and the message is sent again. A 送付先情報 goes where the
    /// <paramref name="designation"/> in force says (none: the 住所, 印刷する).
    /// </summary>
    public static CsMessage Build(OutboxMessage row, Idou idou, PersonVersion person, UnifiedCharacters characters, DeliveryDesignation? designation = null)
    {
        var message = new CsMessage
        {
            MessageId = MessageId(row.TenantCode, row.Id),
            SenderCode = row.TenantCode,
            Sequence = row.Id,
            Kind = KindOf(row.Category),
            IdouReason = row.Reason,
            IdouDate = Date(idou.OccurredOn),
            NotifiedDate = idou.NotifiedOn is { } notified ? Date(notified) : "",
            Resend = row.Result.StartsWith(ResendMark, StringComparison.Ordinal),
            Person = PersonOf(person),
        };
        // The city the message is for: the former city (or the last registered one) for a 転入通知,
        // the destination for a 転出証明書情報, the 本籍地 (as written) for a 戸籍附票 notice.
        switch (row.Category)
        {
            case CsOutbox.MoveInNotice:
                var former = person.LastRegisteredAddress.City.Length + person.LastRegisteredAddress.FreeText.Length > 0 ? person.LastRegisteredAddress : person.PreviousAddress;
                message.RecipientCode = former.LocalGovernmentCode;
                message.Recipient = PersonMapping.Describe(former);
                break;
            case CsOutbox.MoveOutCertificate:
                message.RecipientCode = person.Destination.LocalGovernmentCode;
                message.Recipient = PersonMapping.Describe(person.Destination);
                break;
            case CsOutbox.FamilyRegisterAnnex:
                message.Recipient = person.Domicile;
                break;
            case CsOutbox.WideAreaCopy:
                message.RecipientCode = row.Recipient;
                break;
            case CsOutbox.DeliveryAddress:
                message.Delivery = DeliveryOf(person, designation);
                break;
        }
        var unconvertible = new SortedSet<string>(StringComparer.Ordinal);
        message.Recipient = characters.Convert(message.Recipient, unconvertible);
        if (message.Delivery is { } delivery)
        {
            delivery.Address = characters.Convert(delivery.Address, unconvertible);
            delivery.Katagaki = characters.Convert(delivery.Katagaki, unconvertible);
            delivery.Addressee = characters.Convert(delivery.Addressee, unconvertible);
        }
        message.Person = InUnifiedCharacters(message.Person, characters, unconvertible);
        if (unconvertible.Count > 0)
        {
            var listed = string.Join("、", unconvertible.Select(UnifiedCharacters.Describe));
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.CsMessageState,
                $"住基ネット統一文字に変換できない文字があります: {listed}。団体の設定 csLink.characters に変換を登録し、再送信してください。");
        }
        return message;
    }

    /// <summary>The person's text items in 住基ネット統一文字; what cannot be converted is added to <paramref name="unconvertible"/>.</summary>
    public static CsPerson InUnifiedCharacters(CsPerson person, UnifiedCharacters characters, ICollection<string> unconvertible)
    {
        var converted = person.Clone();
        converted.Name = characters.Convert(person.Name, unconvertible);
        converted.NameKana = characters.Convert(person.NameKana, unconvertible);
        converted.Address = characters.Convert(person.Address, unconvertible);
        converted.PreviousAddress = characters.Convert(person.PreviousAddress, unconvertible);
        converted.Destination = characters.Convert(person.Destination, unconvertible);
        converted.Domicile = characters.Convert(person.Domicile, unconvertible);
        converted.DomicileHead = characters.Convert(person.DomicileHead, unconvertible);
        return converted;
    }

    /// <summary>A person as the CS holds them (本人確認情報 and the items the other messages carry).</summary>
    public static CsPerson PersonOf(PersonVersion person) => new CsPerson
    {
        ResidentCode = person.ResidentCode,
        IndividualNumber = person.IndividualNumber,
        Name = $"{person.FamilyName}　{person.GivenName}".Trim('　'),
        NameKana = $"{person.FamilyKana} {person.GivenKana}".Trim(),
        BirthDate = string.Create(CultureInfo.InvariantCulture, $"{person.BirthYear:D4}-{person.BirthMonth:D2}-{person.BirthDay:D2}"),
        Sex = person.Sex,
        Address = PersonMapping.Describe(person.Address),
        AddressCode = person.Address.AddressCode,
        PostalCode = person.Address.PostalCode,
        ResidentNumber = person.ResidentNumber,
        Foreign = person.Kind == ResidentKind.Foreign,
        PreviousAddress = PersonMapping.Describe(person.PreviousAddress),
        Destination = PersonMapping.Describe(person.ConfirmedDestination.Town.Length + person.ConfirmedDestination.FreeText.Length > 0 ? person.ConfirmedDestination : person.Destination),
        Domicile = person.Domicile,
        DomicileHead = person.DomicileHead,
        AddressSetOn = person.AddressSetOn is { } set ? Date(set) : "",
        Removed = person.State != ResidentState.Active,
    };

    /// <summary>Where the person's documents go: the designated 居所, or else the 住所.</summary>
    public static DeliveryAddress DeliveryOf(PersonVersion person, DeliveryDesignation? designation)
    {
        var residence = designation is { Residence.Length: > 0 };
        // The 住所 as printed, its 方書 apart (Describe ends with it).
        var home = PersonMapping.Describe(person.Address);
        var katagaki = person.Address.Katagaki;
        if (katagaki.Length > 0 && home.EndsWith(" " + katagaki, StringComparison.Ordinal))
        {
            home = home[..^(katagaki.Length + 1)];
        }
        return new DeliveryAddress
        {
            PrintCategory = (int)(designation?.PrintCategory ?? DeliveryPrintCategory.Print),
            SpecialCircumstances = designation?.SpecialCircumstances ?? false,
            Residence = residence,
            Address = residence ? designation!.Residence : home,
            Katagaki = residence ? designation!.ResidenceKatagaki : person.Address.Katagaki,
            PostalCode = residence ? designation!.ResidencePostalCode : person.Address.PostalCode,
            Addressee = $"{person.FamilyName}　{person.GivenName}".Trim('　'),
        };
    }

    /// <summary>How the CS's answer to a 電子証明書のシリアル番号の取得要求 is written in the row's result.</summary>
    public const string SerialMark = "シリアル番号";

    /// <summary>How a row sent again by a clerk is marked (its result text starts with it until sent).</summary>
    public const string ResendMark = "再送信";

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
