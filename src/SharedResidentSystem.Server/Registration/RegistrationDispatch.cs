using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Common;
using DomainHouseholdChangeKind = SharedResidentSystem.Core.Registration.HouseholdChangeKind;

namespace SharedResidentSystem.Server.Registration;

/// <summary>
/// Turns a 異動 request into its domain command and records it. Used for a direct call, for
/// the check of a 仮登録, and for its 本登録 later.
/// </summary>
public sealed class RegistrationDispatch(RegisterService register)
{
    /// <summary>The request types that record a 異動, by full proto name (for stored 仮登録).</summary>
    public static readonly IReadOnlyDictionary<string, MessageParser> Parsers = new Dictionary<string, MessageParser>
    {
        [RecordMoveInRequest.Descriptor.FullName] = RecordMoveInRequest.Parser,
        [RecordMoveOutRequest.Descriptor.FullName] = RecordMoveOutRequest.Parser,
        [RecordAddressChangeRequest.Descriptor.FullName] = RecordAddressChangeRequest.Parser,
        [RecordBirthRequest.Descriptor.FullName] = RecordBirthRequest.Parser,
        [RecordDeathRequest.Descriptor.FullName] = RecordDeathRequest.Parser,
        [RecordHouseholdChangeRequest.Descriptor.FullName] = RecordHouseholdChangeRequest.Parser,
        [RecordHeadChangeRequest.Descriptor.FullName] = RecordHeadChangeRequest.Parser,
        [CorrectResidentRequest.Descriptor.FullName] = CorrectResidentRequest.Parser,
        [RecordAmendmentRequest.Descriptor.FullName] = RecordAmendmentRequest.Parser,
        [RecordOfficialEntryRequest.Descriptor.FullName] = RecordOfficialEntryRequest.Parser,
        [RecordOfficialRemovalRequest.Descriptor.FullName] = RecordOfficialRemovalRequest.Parser,
        [RecordCancellationRequest.Descriptor.FullName] = RecordCancellationRequest.Parser,
        [RecordMoveInNoticeRequest.Descriptor.FullName] = RecordMoveInNoticeRequest.Parser,
    };

    public RegisterService Register => register;

    public Task<IdouResult> ExecuteAsync(Caller caller, IMessage request, CancellationToken ct) => request switch
    {
        RecordMoveInRequest r => RecordMoveInAsync(r, caller, ct),
        RecordMoveOutRequest r => RecordMoveOutAsync(r, caller, ct),
        RecordAddressChangeRequest r => RecordAddressChangeAsync(r, caller, ct),
        RecordBirthRequest r => RecordBirthAsync(r, caller, ct),
        RecordDeathRequest r => RecordDeathAsync(r, caller, ct),
        RecordHouseholdChangeRequest r => RecordHouseholdChangeAsync(r, caller, ct),
        RecordHeadChangeRequest r => RecordHeadChangeAsync(r, caller, ct),
        CorrectResidentRequest r => CorrectResidentAsync(r, caller, ct),
        RecordAmendmentRequest r => RecordAmendmentAsync(r, caller, ct),
        RecordOfficialEntryRequest r => RecordOfficialEntryAsync(r, caller, ct),
        RecordOfficialRemovalRequest r => RecordOfficialRemovalAsync(r, caller, ct),
        RecordCancellationRequest r => RecordCancellationAsync(r, caller, ct),
        RecordMoveInNoticeRequest r => register.MoveInNoticeAsync(caller, r.RequestId, ProtoMapping.ToDomain(r.Resident, caller.TenantCode, "resident"),
            ProtoMapping.ToDomain(r.NoticeDate, "notice_date"), ProtoMapping.ToDomain(r.ConfirmedOn, "confirmed_on"), ProtoMapping.ToDomain(r.ConfirmedDestination), r.AcknowledgedAlerts.ToList(), ct),
        _ => throw new ArgumentException($"not a 異動 request: {request.Descriptor.FullName}", nameof(request)),
    };

    private Task<IdouResult> RecordMoveInAsync(RecordMoveInRequest request, Caller caller, CancellationToken ct) =>
        register.MoveInAsync(caller, request.RequestId, new MoveInCommand(
            Header(request.MoveDate, "move_date", request.NotificationDate, request.Notifier, request.AcknowledgedAlerts),
            ProtoMapping.ToDomain(request.Address),
            ProtoMapping.ToDomain(request.PreviousAddress),
            request.Members.Select((m, i) => ProtoMapping.ToDomain(m, $"members[{i}]", caller.TenantCode)).ToList(),
            request.Reason == MoveInReason.FromAbroad,
            string.IsNullOrEmpty(request.JoinHousehold) ? null : ProtoMapping.OwnId(request.JoinHousehold, "households", caller.TenantCode, "join_household", "世帯")), ct);

    private Task<IdouResult> RecordMoveOutAsync(RecordMoveOutRequest request, Caller caller, CancellationToken ct) =>
        register.MoveOutAsync(caller, request.RequestId, new MoveOutCommand(
            Header(request.PlannedDate, "planned_date", request.NotificationDate, request.Notifier, request.AcknowledgedAlerts),
            ProtoMapping.ToDomain(request.Residents, caller.TenantCode, "residents"),
            ProtoMapping.ToDomain(request.Destination),
            request.Abroad), ct);

    private Task<IdouResult> RecordAddressChangeAsync(RecordAddressChangeRequest request, Caller caller, CancellationToken ct) =>
        register.AddressChangeAsync(caller, request.RequestId, new AddressChangeCommand(
            Header(request.MoveDate, "move_date", request.NotificationDate, request.Notifier, request.AcknowledgedAlerts),
            ProtoMapping.ToDomain(request.Residents, caller.TenantCode, "residents"),
            ProtoMapping.ToDomain(request.Address),
            ProtoMapping.ToDomain(request.Placement, caller.TenantCode, "placement")), ct);

    private Task<IdouResult> RecordBirthAsync(RecordBirthRequest request, Caller caller, CancellationToken ct) =>
        register.BirthAsync(caller, request.RequestId, new BirthCommand(
            Header(null, "child.birth_date", request.NotificationDate, request.Notifier, request.AcknowledgedAlerts),
            ProtoMapping.ToDomain(request.Child ?? throw DomainException.Invalid(ErrorReasons.RequiredField, "child", "出生した子を入力してください。"), "child"),
            ProtoMapping.OwnId(request.Household, "households", caller.TenantCode, "household", "世帯")), ct);

    private Task<IdouResult> RecordDeathAsync(RecordDeathRequest request, Caller caller, CancellationToken ct) =>
        register.DeathAsync(caller, request.RequestId, new DeathCommand(
            Header(request.DeathDate, "death_date", request.NotificationDate, request.Notifier, request.AcknowledgedAlerts),
            ProtoMapping.ToDomain(request.Resident, caller.TenantCode, "resident")), ct);

    private Task<IdouResult> RecordHouseholdChangeAsync(RecordHouseholdChangeRequest request, Caller caller, CancellationToken ct) =>
        register.HouseholdChangeAsync(caller, request.RequestId, new HouseholdChangeCommand(
            Header(request.ChangeDate, "change_date", request.NotificationDate, request.Notifier, request.AcknowledgedAlerts),
            (DomainHouseholdChangeKind)request.Kind,
            ProtoMapping.ToDomain(request.Residents, caller.TenantCode, "residents"),
            ProtoMapping.ToDomain(request.Placement, caller.TenantCode, "placement") ?? new PlacementValue(null, new Dictionary<string, string>())), ct);

    private Task<IdouResult> RecordHeadChangeAsync(RecordHeadChangeRequest request, Caller caller, CancellationToken ct) =>
        register.HeadChangeAsync(caller, request.RequestId, new HeadChangeCommand(
            Header(request.ChangeDate, "change_date", request.NotificationDate, request.Notifier, request.AcknowledgedAlerts),
            ProtoMapping.OwnId(request.Household, "households", caller.TenantCode, "household", "世帯"),
            ProtoMapping.ToDomain(request.NewHead, caller.TenantCode, "new_head"),
            ProtoMapping.Relationships(request.Relationships, caller.TenantCode, "relationships")), ct);

    private Task<IdouResult> CorrectResidentAsync(CorrectResidentRequest request, Caller caller, CancellationToken ct)
    {
        var resident = request.Resident ?? throw DomainException.Invalid(ErrorReasons.RequiredField, "resident", "修正する住民を指定してください。");
        var number = ProtoMapping.OwnId(resident.Name, "residents", caller.TenantCode, "resident.name", "住民");
        var values = Values(resident, request.UpdateMask?.Paths ?? [], RegisterService.AmendableItems[IdouReasons.MinorCorrection]);
        return register.CorrectAsync(caller, request.RequestId, new CorrectionCommand(number, resident.Etag, values,
            ProtoMapping.ToDomain(request.CorrectionDate, "correction_date"),
            ProtoMapping.ToDomain(request.NotificationDate, "notification_date"),
            request.Reason), ct);
    }

    private Task<IdouResult> RecordAmendmentAsync(RecordAmendmentRequest request, Caller caller, CancellationToken ct)
    {
        var resident = request.Resident ?? throw DomainException.Invalid(ErrorReasons.RequiredField, "resident", "修正する住民を指定してください。");
        var number = ProtoMapping.OwnId(resident.Name, "residents", caller.TenantCode, "resident.name", "住民");
        var reason = request.Reason switch
        {
            AmendmentReason.OfficialCorrection => "職権修正",
            AmendmentReason.ClericalError => "誤記修正",
            AmendmentReason.OldSurnameEntry => "旧氏の記載",
            AmendmentReason.OldSurnameChange => "旧氏の変更",
            AmendmentReason.OldSurnameDeletion => "旧氏の削除",
            AmendmentReason.CommonNameEntry => "通称の記載",
            AmendmentReason.CommonNameDeletion => "通称の削除",
            AmendmentReason.IndividualNumberChangeRequest => "個人番号の変更請求",
            AmendmentReason.IndividualNumberOfficialCorrection => "個人番号の職権修正",
            AmendmentReason.IndividualNumberOfficialEntry => "個人番号の職権記載",
            AmendmentReason.ResidentCodeChangeRequest => "住民票コードの変更請求",
            AmendmentReason.ResidentCodeOfficialEntry => "住民票コードの職権記載",
            _ => throw DomainException.Invalid(ErrorReasons.RequiredField, "reason", "修正の種類を選んでください。"),
        };
        var values = Values(resident, request.UpdateMask?.Paths ?? [], RegisterService.AmendableItems[reason]);
        return register.AmendAsync(caller, request.RequestId, new AmendmentCommand(reason, number, resident.Etag, values,
            ProtoMapping.ToDomain(request.AmendmentDate, "amendment_date"), ProtoMapping.ToDomain(request.NotificationDate, "notification_date"),
            request.Note, request.AcknowledgedAlerts.ToList()), ct);
    }

    private Task<IdouResult> RecordOfficialEntryAsync(RecordOfficialEntryRequest request, Caller caller, CancellationToken ct)
    {
        var reason = request.Reason switch
        {
            OfficialEntryReason.Official => "職権記載",
            OfficialEntryReason.Naturalization => "職権記載（帰化等）",
            OfficialEntryReason.LossOfNationality => "職権記載（国籍喪失）",
            _ => throw DomainException.Invalid(ErrorReasons.RequiredField, "reason", "職権記載の種類を選んでください。"),
        };
        var entry = new MoveInCommand(
            Header(request.EntryDate, "entry_date", request.NotificationDate, request.Notifier, request.AcknowledgedAlerts),
            ProtoMapping.ToDomain(request.Address),
            ProtoMapping.ToDomain(request.PreviousAddress),
            request.Members.Select((m, i) => ProtoMapping.ToDomain(m, $"members[{i}]", caller.TenantCode)).ToList(),
            false,
            string.IsNullOrEmpty(request.JoinHousehold) ? null : ProtoMapping.OwnId(request.JoinHousehold, "households", caller.TenantCode, "join_household", "世帯"));
        return register.OfficialEntryAsync(caller, request.RequestId, new OfficialEntryCommand(reason, entry, request.Note)
        {
            UnreportedMoveIn = request.UnreportedMoveIn,
            LastRegisteredAddress = ProtoMapping.ToDomain(request.LastRegisteredAddress),
        }, ct);
    }

    private Task<IdouResult> RecordOfficialRemovalAsync(RecordOfficialRemovalRequest request, Caller caller, CancellationToken ct)
    {
        var reason = request.Reason switch
        {
            OfficialRemovalReason.Official => "職権消除",
            OfficialRemovalReason.Naturalization => "職権消除（帰化等）",
            OfficialRemovalReason.LossOfNationality => "職権消除（国籍喪失）",
            _ => throw DomainException.Invalid(ErrorReasons.RequiredField, "reason", "職権消除の種類を選んでください。"),
        };
        return register.OfficialRemovalAsync(caller, request.RequestId, new OfficialRemovalCommand(reason,
            Header(request.RemovalDate, "removal_date", request.NotificationDate, null, request.AcknowledgedAlerts),
            ProtoMapping.ToDomain(request.Residents, caller.TenantCode, "residents"), request.Note), ct);
    }

    private Task<IdouResult> RecordCancellationAsync(RecordCancellationRequest request, Caller caller, CancellationToken ct)
    {
        var idouId = ProtoMapping.OwnNumericId(request.Idou, "idou", caller.TenantCode, "idou", "異動");
        return register.CancelAsync(caller, request.RequestId, new CancellationCommand(
            Header(null, "idou", request.NotificationDate, null, request.AcknowledgedAlerts), idouId,
            ProtoMapping.ToDomain(request.Residents, caller.TenantCode, "residents"), request.Note), ct);
    }

    /// <summary>The values a mask names, refused when it names an item the 修正 may not change.</summary>
    private static CorrectionValues Values(Contracts.Residents.V1.Resident resident, IEnumerable<string> mask, IReadOnlyList<string> allowed)
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
            OldSurname = paths.Contains("old_surname") ? (resident.OldSurname?.Surname ?? "", resident.OldSurname?.SurnameKana ?? "") : null,
            CommonName = paths.Contains("common_name") ? (resident.CommonName?.Name ?? "", resident.CommonName?.NameKana ?? "") : null,
            IndividualNumber = paths.Contains("individual_number") ? resident.IndividualNumber : null,
            ResidentCode = paths.Contains("resident_code") ? resident.ResidentCode : null,
            Foreign = paths.Contains("foreign") ? ProtoMapping.ToDomain(resident.Foreign, "resident.foreign") : null,
            BecameResidentOn = paths.Contains("became_resident_on") ? ProtoMapping.ToDomain(resident.BecameResidentOn, "resident.became_resident_on") : null,
            AddressSetOn = paths.Contains("address_set_on") ? ProtoMapping.ToDomain(resident.AddressSetOn, "resident.address_set_on") : null,
        };
    }

    private static IdouHeader Header(Google.Type.Date? date, string field, Google.Type.Date? notificationDate, Notifier? notifier, IEnumerable<string> acknowledged) =>
        new(field, ProtoMapping.ToDomain(date, field), ProtoMapping.ToDomain(notificationDate, "notification_date"), ProtoMapping.ToDomain(notifier), acknowledged.ToList());
}
