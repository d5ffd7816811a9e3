using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;

namespace SharedResidentSystem.Core.Registration;

/// <summary>
/// Records 異動. Each method validates the whole request first (every violation at once),
/// then adds one Idou and the new person versions to the current transaction; nothing is
/// updated in place. The caller runs it inside a <see cref="RegisterTransaction"/>.
/// </summary>
public sealed class RegisterService(SrsDbContext db, NumberIssuer numbers, TenantDirectory tenants, TimeProvider time)
{
    public async Task<IdouResult> MoveInAsync(Caller caller, string requestId, MoveInCommand command, CancellationToken cancellationToken)
    {
        var today = ResidentRules.Today(time);
        var tenant = tenants.Get(caller.TenantCode);
        var v = new Violations();
        ResidentRules.CheckNotFuture(v, "move_date", command.MoveDate, "異動日", today);
        ResidentRules.CheckNotFuture(v, "notification_date", command.NotificationDate, "届出日", today);
        if (command.MoveDate is { } moved && command.NotificationDate is { } notified && notified < moved)
        {
            v.Add("notification_date", "転入の届出日は異動日 (転入した日) より前にできません。");
        }
        v.Required("notifier.name", command.Notifier.Name, "届出人氏名");
        AddressRules.CheckInCity(v, "address", command.Address, tenant);
        if (command.PreviousAddress.IsEmpty)
        {
            v.Add("previous_address", "転入前住所を入力してください。");
        }
        if (command.Members.Count == 0)
        {
            v.Add("members", "転入する人を一人以上入力してください。");
        }
        for (var i = 0; i < command.Members.Count; i++)
        {
            var m = command.Members[i];
            ResidentRules.CheckName(v, $"members[{i}].person_name", m.Name);
            ResidentRules.CheckPartialDate(v, $"members[{i}].birth_date", m.BirthDate, "生年月日", today);
            ResidentRules.CheckSex(v, $"members[{i}].sex", m.Sex);
            if (Relationships.Check(m.Relationship) is { } problem)
            {
                v.Add($"members[{i}].relationship", problem);
            }
        }
        var heads = command.Members.Count(m => Relationships.Normalize(m.Relationship ?? "") == Relationships.Head);
        if (command.Members.Count > 0 && heads != 1)
        {
            v.Add("members", heads == 0 ? "世帯主を一人指定してください。" : "世帯主は一人だけです。");
        }
        v.ThrowIfAny();

        var now = time.GetUtcNow().UtcDateTime;
        var idou = await NewIdouAsync(caller, requestId, "記載", "国内転入", command.MoveDate!.Value, command.NotificationDate, command.Notifier, "", now, cancellationToken);
        var household = await numbers.NextCheckedAsync(caller.TenantCode, NumberKinds.Household, cancellationToken);
        var persons = new List<PersonVersion>();
        foreach (var m in command.Members)
        {
            var person = new PersonVersion
            {
                TenantCode = caller.TenantCode,
                ResidentNumber = await numbers.NextCheckedAsync(caller.TenantCode, NumberKinds.Resident, cancellationToken),
                HistoryNumber = 1,
                IdouId = idou.Id,
                ValidFrom = command.MoveDate.Value,
                RecordedAt = now,
                HouseholdNumber = household,
                Relationship = Relationships.Normalize(m.Relationship),
                Address = AddressRules.ToStored(command.Address, tenant),
                PreviousAddress = AddressRules.ToStored(command.PreviousAddress),
                BecameResidentOn = command.MoveDate,
                AddressSetOn = command.MoveDate,
                NotifiedOn = command.NotificationDate,
                State = ResidentState.Active,
            };
            PersonMapping.SetName(person, m.Name!);
            PersonMapping.SetBirth(person, m.BirthDate!);
            person.Sex = (int)m.Sex;
            person.ETag = PersonMapping.NewETag();
            db.PersonVersions.Add(person);
            persons.Add(person);
        }
        idou.Summary = JsonSerializer.Serialize(persons.Select(p => new ChangeSummary(p.ResidentNumber, "記載", null, $"{p.FamilyName} {p.GivenName}")));
        return new IdouResult(idou.Id, household, persons);
    }

    public async Task<IdouResult> CorrectAsync(Caller caller, string requestId, CorrectionCommand command, CancellationToken cancellationToken)
    {
        var today = ResidentRules.Today(time);
        var v = new Violations();
        ResidentRules.CheckNotFuture(v, "correction_date", command.CorrectionDate, "異動日", today);
        ResidentRules.CheckNotFuture(v, "notification_date", command.NotificationDate, "届出日", today, required: false);
        v.Required("reason", command.Reason, "修正の理由");
        if (command.Values.Name is { } name)
        {
            ResidentRules.CheckName(v, "resident.person_name", name);
        }
        if (command.Values.BirthDate is { } birth)
        {
            ResidentRules.CheckPartialDate(v, "resident.birth_date", birth, "生年月日", today);
        }
        if (command.Values.Sex is { } sex)
        {
            ResidentRules.CheckSex(v, "resident.sex", sex);
        }
        v.ThrowIfAny();

        var current = await CurrentAsync(command.ResidentNumber, cancellationToken)
            ?? throw DomainException.NotFound("住民");
        if (string.IsNullOrEmpty(command.ETag) || command.ETag != current.ETag)
        {
            throw new DomainException(ErrorKind.Aborted, ErrorReasons.StaleEtag,
                "この住民はほかの処理で更新されています。最新の内容を読み直してから修正してください。",
                [new FieldViolation("resident.etag", "etag が最新ではありません。")]);
        }
        if (current.State == ResidentState.Removed)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.ResidentRemoved, "除票の住民は軽微な修正の対象になりません。");
        }
        var now = time.GetUtcNow().UtcDateTime;
        var idou = await NewIdouAsync(caller, requestId, "修正", "軽微な修正", command.CorrectionDate!.Value, command.NotificationDate,
            new NotifierValue("", "職権"), command.Reason, now, cancellationToken);
        var next = PersonMapping.CopyForNewVersion(current, idou.Id, command.CorrectionDate.Value, now);
        var changes = new List<ChangeSummary>();
        if (command.Values.Name is { } newName)
        {
            changes.Add(new ChangeSummary(current.ResidentNumber, "氏名", $"{current.FamilyName} {current.GivenName}", $"{newName.Family} {newName.Given}"));
            PersonMapping.SetName(next, newName);
        }
        if (command.Values.BirthDate is { } newBirth)
        {
            changes.Add(new ChangeSummary(current.ResidentNumber, "生年月日", $"{current.BirthYear}-{current.BirthMonth}-{current.BirthDay}", $"{newBirth.Year}-{newBirth.Month}-{newBirth.Day}"));
            PersonMapping.SetBirth(next, newBirth);
        }
        if (command.Values.Sex is { } newSex)
        {
            changes.Add(new ChangeSummary(current.ResidentNumber, "性別", current.Sex.ToString(System.Globalization.CultureInfo.InvariantCulture), ((int)newSex).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            next.Sex = (int)newSex;
        }
        if (command.Values.Katagaki is { } katagaki)
        {
            changes.Add(new ChangeSummary(current.ResidentNumber, "方書", current.Address.Katagaki, katagaki));
            next.Address.Katagaki = katagaki.Trim();
        }
        idou.Summary = JsonSerializer.Serialize(changes);
        db.PersonVersions.Add(next);
        return new IdouResult(idou.Id, next.HouseholdNumber, [next]);
    }

    private Task<PersonVersion?> CurrentAsync(string residentNumber, CancellationToken cancellationToken) =>
        db.PersonVersions.AsNoTracking()
            .Where(p => p.ResidentNumber == residentNumber)
            .OrderByDescending(p => p.HistoryNumber)
            .FirstOrDefaultAsync(cancellationToken);

    private async Task<Idou> NewIdouAsync(Caller caller, string requestId, string category, string reason, DateOnly occurredOn,
        DateOnly? notifiedOn, NotifierValue notifier, string note, DateTime now, CancellationToken cancellationToken)
    {
        var idou = new Idou
        {
            TenantCode = caller.TenantCode,
            Id = await numbers.NextAsync(caller.TenantCode, NumberKinds.Idou, cancellationToken),
            Category = category,
            Reason = reason,
            OccurredOn = occurredOn,
            NotifiedOn = notifiedOn,
            RecordedAt = now,
            NotifierName = notifier.Name,
            NotifierRelation = notifier.Relation,
            StaffId = caller.StaffId,
            TerminalId = caller.TerminalId,
            RequestId = requestId,
            State = IdouState.Final,
            Note = note,
        };
        db.Idous.Add(idou);
        return idou;
    }
}

/// <summary>One before/after line of a 異動 (異動履歴照会).</summary>
public sealed record ChangeSummary(string ResidentNumber, string Item, string? Before, string? After);
