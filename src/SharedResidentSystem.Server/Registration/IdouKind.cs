using Google.Protobuf;
using Google.Protobuf.Reflection;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Common;

namespace SharedResidentSystem.Server.Registration;

/// <summary>
/// One 異動 kind as the contract carries it: its request, and how the request becomes the
/// domain command that <see cref="RegisterService"/> checks and records. Each kind is a class of
/// its own in Registration/Kinds, beside the RPC that takes it; <see cref="RegistrationDispatch"/>
/// finds them all, so adding a kind touches no list.
/// </summary>
public abstract class IdouKind
{
    public abstract MessageDescriptor Request { get; }

    public abstract Task<IdouResult> RecordAsync(RegisterService registerService, Caller caller, IMessage request, CancellationToken cancellationToken);

    /// <summary>What a 職権 異動 was made on (4.2.0.4, 4.2.0.5), as the register names it.</summary>
    protected static string Basis(OfficialBasis basis) => basis switch
    {
        OfficialBasis.Unspecified => "",
        OfficialBasis.Application => IdouBasis.Application,
        OfficialBasis.FamilyRegister => IdouBasis.FamilyRegister,
        OfficialBasis.Notice => IdouBasis.Notice,
        _ => throw DomainException.Invalid(ErrorReasons.InvalidField, "basis", "職権による異動の契機を選んでください。"),
    };

    /// <summary>What every 届出 carries: its date (in <paramref name="field"/>), 届出日, 届出人 and the acknowledged alerts.</summary>
    protected static IdouHeader Header(Google.Type.Date? date, string field, Google.Type.Date? notificationDate, Notifier? notifier, IEnumerable<string> acknowledged) =>
        new(field, ProtoMapping.ToDomain(date, field), ProtoMapping.ToDomain(notificationDate, "notification_date"), ProtoMapping.ToDomain(notifier), acknowledged.ToList());

    /// <summary>The values a mask names, refused when it names an item the 修正 may not change.</summary>
    protected static CorrectionValues Values(Contracts.Residents.V1.Resident resident, IEnumerable<string> mask, IReadOnlyList<string> allowed)
    {
        var paths = mask.ToList();
        if (paths.Count == 0)
        {
            throw DomainException.Invalid(ErrorReasons.RequiredField, "update_mask", "修正する項目 (update_mask) を指定してください。");
        }
        var unknown = paths.Where(p => !allowed.Contains(p)).ToList();
        if (unknown.Count > 0)
        {
            throw DomainException.Invalid(ErrorReasons.UnsupportedUpdateMask, "update_mask",
                $"この修正で変更できない項目です: {string.Join(", ", unknown)} (変更できるのは {string.Join(", ", allowed)})");
        }
        return new CorrectionValues(
            paths.Contains("person_name") ? ProtoMapping.ToDomain(resident.PersonName) ?? new PersonNameValue("", "", "", "", false) : null,
            paths.Contains("birth_date") ? ProtoMapping.ToDomain(resident.BirthDate) ?? new PartialDateValue(0, 0, 0) : null,
            paths.Contains("sex") ? (SexValue)resident.Sex : null,
            paths.Contains("address.katagaki") ? resident.Address?.Katagaki ?? "" : null,
            paths.Contains("domicile") ? ProtoMapping.ToDomain(resident.Domicile) : null,
            paths.Contains("entitlements") ? ProtoMapping.ToDomain(resident.Entitlements, "resident.entitlements") : null)
        {
            Relationship = paths.Contains("relationship") ? resident.Relationship : null,
            OldSurname = paths.Contains("old_surname") ? (resident.OldSurname?.Surname ?? "", resident.OldSurname?.SurnameKana ?? "", resident.OldSurname?.SurnameKanaConfirmed ?? false) : null,
            CommonName = paths.Contains("common_name") ? (resident.CommonName?.Name ?? "", resident.CommonName?.NameKana ?? "", resident.CommonName?.NameKanaConfirmed ?? false) : null,
            IndividualNumber = paths.Contains("individual_number") ? resident.IndividualNumber : null,
            ResidentCode = paths.Contains("resident_code") ? resident.ResidentCode : null,
            Foreign = paths.Contains("foreign") ? ProtoMapping.ToDomain(resident.Foreign, "resident.foreign") : null,
            BecameResidentOn = paths.Contains("became_resident_on") ? ProtoMapping.ToDomain(resident.BecameResidentOn, "resident.became_resident_on") : null,
            AddressSetOn = paths.Contains("address_set_on") ? ProtoMapping.ToDomain(resident.AddressSetOn, "resident.address_set_on") : null,
        };
    }
}

/// <summary>A 異動 kind taking <typeparamref name="TRequest"/>.</summary>
public abstract class IdouKind<TRequest> : IdouKind where TRequest : IMessage<TRequest>, new()
{
    public sealed override MessageDescriptor Request { get; } = new TRequest().Descriptor;

    public sealed override Task<IdouResult> RecordAsync(RegisterService registerService, Caller caller, IMessage request, CancellationToken cancellationToken) =>
        RecordAsync(registerService, caller, (TRequest)request, cancellationToken);

    protected abstract Task<IdouResult> RecordAsync(RegisterService registerService, Caller caller, TRequest request, CancellationToken cancellationToken);
}
