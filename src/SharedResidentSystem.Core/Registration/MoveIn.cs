using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Registration;

public sealed partial class RegisterService
{
    /// <summary>転入 (4.1.1): 国内転入 or 国外転入等, into a new household or an existing one.</summary>
    public Task<IdouResult> MoveInAsync(Caller caller, string requestId, MoveInCommand command, CancellationToken cancellationToken) =>
        EnterAsync(caller, requestId, command, command.FromAbroad ? IdouReasons.MoveInFromAbroad : IdouReasons.DomesticMoveIn, isMove: true, "", cancellationToken);

    /// <summary>
    /// 職権記載 (4.2.1): persons entered by the city's own act (住所設定・未届転入, 帰化等, 国籍喪失);
    /// 帰化等 enters Japanese residents only, 国籍喪失 foreign residents only.
    /// </summary>
    public async Task<IdouResult> OfficialEntryAsync(Caller caller, string requestId, OfficialEntryCommand command, CancellationToken cancellationToken)
    {
        var v = new Violations();
        if (!IdouReasons.All[IdouReasons.Entry].Contains(command.Reason) || !command.Reason.StartsWith(IdouReasons.OfficialEntry, StringComparison.Ordinal))
        {
            v.Add("reason", "職権記載の種類を選んでください。");
        }
        for (var i = 0; i < command.Entry.Members.Count; i++)
        {
            var kind = command.Entry.Members[i].Kind;
            if (command.Reason == IdouReasons.OfficialEntryNaturalization && kind != ResidentKind.Japanese)
            {
                v.Add($"members[{i}].kind", $"{(command.Cause.Length > 0 ? command.Cause : "帰化等")}による職権記載は日本人住民の記載です。");
            }
            if (command.Reason == IdouReasons.OfficialEntryLossOfNationality && kind != ResidentKind.Foreign)
            {
                v.Add($"members[{i}].kind", "国籍喪失による職権記載は外国人住民の記載です。");
            }
        }
        if (command.NationalityLostOn is { } lost)
        {
            if (command.Reason != IdouReasons.OfficialEntryLossOfNationality)
            {
                v.Add("nationality_lost_on", "国籍を失った年月日は国籍喪失による職権記載にだけ入力します。");
            }
            else if (command.Entry.Header.Date is { } entered && lost > entered)
            {
                v.Add("nationality_lost_on", $"国籍を失った年月日が異動日 {entered:yyyy-MM-dd} より後です。");
            }
        }
        v.Required("note", command.Note, "職権記録書の記載事項");
        if (command.UnreportedMoveIn && command.Entry.PreviousAddress.IsEmpty)
        {
            v.Add("previous_address", "未届転入では未届の住所のうち直近のものを転入前住所に入力してください。");
        }
        v.ThrowIfAny();
        var entry = CarryOver(command.Reason) is null ? command.Entry : await WithFormerItemsAsync(command.Entry, cancellationToken);
        var note = IdouReasons.WithCause(command.Cause, command.Note);
        if (command.UnreportedMoveIn)
        {
            // 4.1.1.4: the 転入前住所 ends with 「（未届）」, and the 留意事項 says it was an unreported move.
            var previous = entry.PreviousAddress;
            var text = previous.FreeText.Length > 0 ? previous.FreeText : PersonMapping.Describe(AddressRules.ToStored(previous));
            entry = entry with { PreviousAddress = previous with { FreeText = text.EndsWith("（未届）", StringComparison.Ordinal) ? text : text + "（未届）" } };
            note = $"未届転入 (転入前住所: {entry.PreviousAddress.FreeText}) {note}";
        }
        return await EnterAsync(caller, requestId, entry, command.Reason, isMove: false, note, cancellationToken, command.LastRegisteredAddress, command.NationalityLostOn);
    }

    /// <summary>
    /// 4.5.3-4.5.5: a 帰化等 (帰化, 国籍取得) or 国籍喪失 entry carries the person's record of the
    /// other kind over: which kind it must be, the 消除事由 it must have been removed with, and the
    /// refusal when it is not.
    /// </summary>
    private static (ResidentKind Kind, string RemovedAs, string Refusal)? CarryOver(string reason) => reason switch
    {
        IdouReasons.OfficialEntryNaturalization => (ResidentKind.Foreign, IdouReasons.OfficialRemovalNaturalization,
            "帰化等による記載で引き継げるのは、帰化等により職権消除した外国人住民の住民票です。"),
        IdouReasons.OfficialEntryLossOfNationality => (ResidentKind.Japanese, IdouReasons.OfficialRemovalLossOfNationality,
            "国籍喪失による記載で引き継げるのは、国籍喪失により職権消除した日本人住民の住民票です。"),
        _ => null,
    };

    /// <summary>
    /// 4.5.3#2, 4.5.4#2, 4.5.5#2: the 生年月日, 性別 and 続柄 of the record carried over stand where
    /// the clerk left them blank (the 住所, 住所を定めた年月日, 転入前住所 and the numbers are carried
    /// over when the person is entered).
    /// </summary>
    private async Task<MoveInCommand> WithFormerItemsAsync(MoveInCommand entry, CancellationToken cancellationToken)
    {
        var members = new List<PersonEntryValue>(entry.Members.Count);
        foreach (var member in entry.Members)
        {
            var former = member.ReturningResident.Length == 0 ? null : await db.PersonVersions.AsNoTracking()
                .Where(p => p.ResidentNumber == member.ReturningResident)
                .OrderByDescending(p => p.HistoryNumber)
                .FirstOrDefaultAsync(cancellationToken);
            members.Add(former is null ? member : member with
            {
                BirthDate = member.BirthDate ?? new PartialDateValue(former.BirthYear, former.BirthMonth, former.BirthDay),
                Sex = member.Sex == SexValue.Unspecified ? (SexValue)former.Sex : member.Sex,
                Relationship = string.IsNullOrWhiteSpace(member.Relationship) ? former.Relationship : member.Relationship,
            });
        }
        return entry with { Members = members };
    }

    private async Task<IdouResult> EnterAsync(Caller caller, string requestId, MoveInCommand command, string reason, bool isMove, string note, CancellationToken cancellationToken,
        AddressValue? lastRegistered = null, DateOnly? nationalityLostOn = null)
    {
        var work = Begin(caller, requestId, command.Header.AcknowledgedAlerts);
        var header = command.Header;
        var v = new Violations();
        CheckHeader(v, header, work.Today, notifierRequired: isMove);
        var joining = !string.IsNullOrEmpty(command.JoinHousehold);
        if (!joining || !command.Address.IsEmpty)
        {
            AddressRules.CheckInCity(v, "address", command.Address, work.Tenant);
        }
        // 法30条の46: a foreign resident from abroad may have no 転入前住所.
        var article30_46 = command.FromAbroad && command.Members.Count > 0 && command.Members.All(m => m.Kind == ResidentKind.Foreign) && command.PreviousAddress.IsEmpty;
        if ((isMove && !article30_46) || !command.PreviousAddress.IsEmpty)
        {
            AddressRules.CheckPrevious(v, "previous_address", command.PreviousAddress, command.FromAbroad);
        }
        if (command.Members.Count == 0)
        {
            v.Add("members", "転入する人を一人以上入力してください。");
        }
        for (var i = 0; i < command.Members.Count; i++)
        {
            CheckEntry(v, $"members[{i}]", command.Members[i], work.Today);
            if (header.Date is { } entered && command.Members[i].BirthDate?.Earliest is { } born && born > entered)
            {
                v.Add($"members[{i}].birth_date", $"生年月日が異動日 {entered:yyyy-MM-dd} より後です (異動日に生まれていない人は記載できません)。");
            }
        }
        var newHeads = command.Members.Count(m => Relationships.Normalize(m.Relationship ?? "") == Relationships.Head);
        if (newHeads > 1)
        {
            v.Add("members", "世帯主は一人だけです。");
        }
        v.ThrowIfAny();

        var alerts = new AlertCollector(header.AcknowledgedAlerts);
        string household;
        var address = AddressRules.ToStored(command.Address, work.Tenant);
        if (joining)
        {
            household = command.JoinHousehold!;
            var members = await work.HouseholdAsync(household, cancellationToken, "join_household");
            if (members.Count == 0)
            {
                throw DomainException.NotFound("世帯", "join_household");
            }
            var householdAddress = members[0].Address;
            if (!command.Address.IsEmpty && !PersonMapping.SamePlace(address, householdAddress))
            {
                throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.AddressMismatch, "転入先の世帯と住所 (方書を含む) が違います。",
                    [new FieldViolation("address", $"世帯の住所は {PersonMapping.Describe(householdAddress)} です。")]);
            }
            if (newHeads > 0 && members.Any(m => m.Relationship == Relationships.Head))
            {
                throw HouseholdRule("members", "転入先の世帯には既に世帯主がいます。");
            }
            address = PersonMapping.Copy(householdAddress);
        }
        else
        {
            household = await numbers.NextCheckedAsync(caller.TenantCode, NumberKinds.Household, cancellationToken);
            if (newHeads == 0)
            {
                alerts.Raise(AlertCodes.NoHead, "members", "世帯主のいない世帯になります。");
            }
        }
        await CheckIndividualNumbersFreeAsync(command.Members.Select((m, i) => ($"members[{i}].individual_number", m.IndividualNumber.Trim())), cancellationToken);
        await CheckResidentCodesFreeAsync(command.Members.Select((m, i) => ($"members[{i}].resident_code", m.ResidentCode.Trim())), cancellationToken);
        var returning = new Dictionary<int, PersonVersion>();
        for (var i = 0; i < command.Members.Count; i++)
        {
            var member = command.Members[i];
            if (member.ReturningResident.Length > 0)
            {
                var removed = await work.ResidentAsync(new ResidentRefValue(member.ReturningResident, ""), $"members[{i}].returning_resident", cancellationToken, mustBeActive: false);
                if (removed.State != ResidentState.Removed)
                {
                    throw RecordRule($"members[{i}].returning_resident", "再転入として指定した人は住民です (除票ではありません)。");
                }
                if (CarryOver(reason) is { } carried)
                {
                    if (removed.Kind != carried.Kind || removed.RemovalReason != carried.RemovedAs)
                    {
                        throw RecordRule($"members[{i}].returning_resident", carried.Refusal);
                    }
                    if (removed.RemovalOn is { } removedOn && header.Date < removedOn)
                    {
                        throw RecordRule(header.DateField, $"異動日が引き継ぐ住民票の消除日 {removedOn:yyyy-MM-dd} より前です。");
                    }
                }
                returning[i] = removed;
                continue;
            }
            await CheckReentryAsync(alerts, $"members[{i}]", member, cancellationToken);
            await CheckEntryAlertsAsync(alerts, $"members[{i}]", member, header.Date!.Value, cancellationToken);
        }
        if (isMove)
        {
            AlertIfLate(alerts, header, header.Date, "転入");
        }
        alerts.ThrowIfUnacknowledged();

        for (var i = 0; i < command.Members.Count; i++)
        {
            var member = command.Members[i];
            var person = returning.TryGetValue(i, out var removed)
                ? Returning(work.Next(removed), member)
                : PersonMapping.FromEntry(member, caller.TenantCode, await numbers.NextCheckedAsync(caller.TenantCode, NumberKinds.Resident, cancellationToken));
            person.HouseholdNumber = household;
            person.Address = PersonMapping.Copy(address);
            person.PreviousAddress = AddressRules.ToStored(command.PreviousAddress);
            person.LastRegisteredAddress = AddressRules.ToStored(lastRegistered ?? AddressValue.Empty);
            // 4.1.1.1: without a 転居 the 住所を定めた年月日 is the 住民となった年月日.
            person.BecameResidentOn = header.Date;
            person.AddressSetOn = header.Date;
            if (CarryOver(reason) is not null && returning.TryGetValue(i, out var former))
            {
                // 4.5.3-4.5.5: the person goes on with their 宛名番号, 住民票コード and 個人番号 (kept by
                // Returning); the 住所を定めた年月日 stays while the address does, the 転入前住所 unless
                // another is entered.
                person.AddressSetOn = PersonMapping.SamePlace(former.Address, person.Address) ? former.AddressSetOn ?? header.Date : header.Date;
                if (command.PreviousAddress.IsEmpty)
                {
                    person.PreviousAddress = PersonMapping.Copy(former.PreviousAddress);
                }
                if (reason == IdouReasons.OfficialEntryNaturalization)
                {
                    // The 外国人住民となった年月日 becomes the 住民となった年月日; a 通称 is a foreign resident's item only.
                    person.BecameResidentOn = former.BecameResidentOn ?? header.Date;
                    (person.CommonName, person.CommonNameKana, person.CommonNameKanaConfirmed, person.CommonNameRecordedOn, person.CommonNameRecordedBy) = ("", "", false, null, "");
                }
                else
                {
                    // 4.5.5#3: a foreign resident from the later of the day the nationality was lost and the
                    // day they became a resident; 旧氏 is a Japanese resident's item only.
                    var lost = nationalityLostOn ?? header.Date!.Value;
                    person.BecameResidentOn = former.BecameResidentOn is { } became && became > lost ? became : lost;
                    (person.OldSurname, person.OldSurnameKana, person.OldSurnameKanaConfirmed) = ("", "", false);
                }
            }
            person.NotifiedOn = header.NotificationDate;
            if (person.CommonName.Length > 0)
            {
                // 通称を記載した年月日・市区町村 (法施行令30条の26)
                person.CommonNameRecordedOn = header.Date;
                person.CommonNameRecordedBy = work.Tenant.Name;
            }
            if (person.ResidentCode.Length == 0)
            {
                // 4.3.1: a person without a 住民票コード gets one from the stock (未付番 while it is empty).
                person.ResidentCode = await residentCodes.AssignAsync(person.ResidentNumber, cancellationToken) ?? "";
            }
            if (!returning.ContainsKey(i))
            {
                work.Add(person);
            }
        }
        return await work.RecordAsync(reason, header, header.Date!.Value, header.Date.Value, alerts, note, household, cancellationToken);
    }

    /// <summary>
    /// 4.1.1.2: a 除票 whose 個人番号, 住民票コード or 在留カード番号 matches must be entered as a
    /// 再転入 (new entry refused); one with the same name, sex and birth date is an alert.
    /// </summary>
    private async Task CheckReentryAsync(AlertCollector alerts, string path, PersonEntryValue entry, CancellationToken cancellationToken)
    {
        // The 除票 of the register, then those moved to the 除票用データベース (9.3): a person whose
        // 除票 was moved is the same person, and must not come back under a new 宛名番号.
        foreach (var store in archive is null ? [db] : new[] { db, archive.Db })
        {
            await CheckReentryAsync(store, store != db, alerts, path, entry, cancellationToken);
        }
    }

    private async Task CheckReentryAsync(SrsDbContext store, bool archived, AlertCollector alerts, string path, PersonEntryValue entry, CancellationToken cancellationToken)
    {
        // A copy the archive kept of someone the register holds again is not a 除票 (Jobs/RemovedRecordsArchiveJob).
        async Task<string?> NotHeld(string? number) =>
            number is null || (archived && await db.PersonVersions.AnyAsync(p => p.ResidentNumber == number, cancellationToken)) ? null : number;
        var removed = store.PersonVersions.AsNoTracking()
            .Where(p => p.State == ResidentState.Removed)
            .Where(p => !store.PersonVersions.Any(o => o.ResidentNumber == p.ResidentNumber && o.HistoryNumber > p.HistoryNumber));
        var where = archived ? "除票用データベースの除票" : "除票";
        var individual = entry.IndividualNumber.Trim();
        var code = entry.ResidentCode.Trim();
        var card = entry.Foreign.CardNumber.Trim().ToUpperInvariant();
        if (individual.Length > 0 || code.Length > 0 || card.Length > 0)
        {
            var match = await NotHeld(await removed
                .Where(p => (individual != "" && p.IndividualNumber == individual) || (code != "" && p.ResidentCode == code) || (card != "" && p.ResidenceCardNumber == card))
                .Select(p => p.ResidentNumber)
                .FirstOrDefaultAsync(cancellationToken));
            if (match is not null)
            {
                var message = archived
                    ? $"{where} (宛名番号 {match}) と番号が一致します。除票を戻してから再転入として入力してください。"
                    : $"{where} (宛名番号 {match}) と番号が一致します。再転入として入力してください。";
                throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.ReentryRequired, message, [new FieldViolation($"{path}.returning_resident", message)]);
            }
        }
        var kana = KanaFolding.FoldKana((entry.Name?.FamilyKana ?? "") + (entry.Name?.GivenKana ?? ""));
        var written = KanaFolding.FoldName((entry.Name?.Family ?? "") + (entry.Name?.Given ?? ""));
        if (entry.BirthDate is { } b && written.Length > 0)
        {
            // 3情報: the written name, sex and birth date; a reading on both sides must agree too.
            var sex = (int)entry.Sex;
            var candidate = await NotHeld(await removed
                .Where(p => p.BirthYear == b.Year && p.BirthMonth == b.Month && p.BirthDay == b.Day && p.Sex == sex && p.SearchName == written)
                .Where(p => kana == "" || p.SearchKana == "" || p.SearchKana == kana)
                .Select(p => p.ResidentNumber)
                .FirstOrDefaultAsync(cancellationToken));
            if (candidate is not null)
            {
                alerts.Raise(AlertCodes.ReentryCandidate, $"{path}.returning_resident", $"氏名・性別・生年月日が一致する{where} (宛名番号 {candidate}) があります。再転入ではありませんか。");
            }
        }
    }

    /// <summary>The returning person's record: their 宛名番号 and history, with what the clerk entered now.</summary>
    private static PersonVersion Returning(PersonVersion next, PersonEntryValue entry)
    {
        var keptOld = (next.OldSurname, next.OldSurnameKana, next.OldSurnameKanaConfirmed);
        var keptNumbers = (next.IndividualNumber, next.ResidentCode);
        var keptCommon = (next.CommonName, next.CommonNameKana, next.CommonNameKanaConfirmed, next.CommonNameRecordedOn, next.CommonNameRecordedBy);
        var fresh = PersonMapping.FromEntry(entry, next.TenantCode, next.ResidentNumber);
        foreach (var property in typeof(PersonVersion).GetProperties().Where(p => p.CanWrite && p.Name is not (nameof(PersonVersion.HistoryNumber) or nameof(PersonVersion.ETag))))
        {
            property.SetValue(next, property.GetValue(fresh));
        }
        // The numbers the person had stay theirs unless others are entered.
        next.IndividualNumber = next.IndividualNumber.Length > 0 ? next.IndividualNumber : keptNumbers.IndividualNumber;
        next.ResidentCode = next.ResidentCode.Length > 0 ? next.ResidentCode : keptNumbers.ResidentCode;
        // 1.1.7: 旧氏 and 通称 recorded before the move abroad are carried over unless entered anew.
        if (next.OldSurname.Length == 0)
        {
            (next.OldSurname, next.OldSurnameKana, next.OldSurnameKanaConfirmed) = keptOld;
        }
        if (next.CommonName.Length == 0)
        {
            (next.CommonName, next.CommonNameKana, next.CommonNameKanaConfirmed, next.CommonNameRecordedOn, next.CommonNameRecordedBy) = keptCommon;
        }
        return next;
    }
}

/// <summary>転入 (国内 or 国外転入等) into a new household or an existing one.</summary>
public sealed record MoveInCommand(
    IdouHeader Header,
    AddressValue Address,
    AddressValue PreviousAddress,
    IReadOnlyList<PersonEntryValue> Members,
    bool FromAbroad,
    string? JoinHousehold);

/// <summary>職権記載: like a 転入 in its items, with its own reason.</summary>
public sealed record OfficialEntryCommand(string Reason, MoveInCommand Entry, string Note)
{
    /// <summary>未届転入 (4.1.1.4)</summary>
    public bool UnreportedMoveIn { get; init; }

    /// <summary>最終登録住所地 (4.1.1.4)</summary>
    public Residents.AddressValue LastRegisteredAddress { get; init; } = Residents.AddressValue.Empty;

    /// <summary>帰化 or 国籍取得 for 帰化等 (4.5.3, 4.5.4): the 職権記録書 begins with it.</summary>
    public string Cause { get; init; } = "";

    /// <summary>国籍を失った年月日 (4.5.5#3); the 異動日 when unset.</summary>
    public DateOnly? NationalityLostOn { get; init; }
}
