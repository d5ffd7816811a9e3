using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;

namespace SharedResidentSystem.Core.Registration;

public sealed partial class RegisterService
{
    /// <summary>軽微な修正 (4.2.3.2) of one resident, against the version the clerk saw (etag required).</summary>
    public async Task<IdouResult> CorrectAsync(Caller caller, string requestId, CorrectionCommand command, CancellationToken cancellationToken)
    {
        var work = Begin(caller, requestId, []);
        var v = new Violations();
        ResidentRules.CheckNotFuture(v, "correction_date", command.CorrectionDate, "異動日", work.Today);
        ResidentRules.CheckNotFuture(v, "notification_date", command.NotificationDate, "届出日", work.Today, required: false);
        v.Required("reason", command.Reason, "修正の理由");
        if (command.Values.Name is { } name)
        {
            ResidentRules.CheckName(v, "resident.person_name", name);
        }
        if (command.Values.BirthDate is { } birth)
        {
            ResidentRules.CheckPartialDate(v, "resident.birth_date", birth, "生年月日", work.Today);
        }
        if (command.Values.Sex is { } sex)
        {
            ResidentRules.CheckSex(v, "resident.sex", sex);
        }
        if (string.IsNullOrEmpty(command.ETag))
        {
            v.Add("resident.etag", "修正する版の etag を指定してください。");
        }
        v.ThrowIfAny();

        var current = await work.ResidentAsync(new ResidentRefValue(command.ResidentNumber, command.ETag), "resident", cancellationToken);
        var next = work.Next(current);
        if (command.Values.Name is { } newName)
        {
            PersonMapping.SetName(next, newName);
        }
        if (command.Values.BirthDate is { } newBirth)
        {
            PersonMapping.SetBirth(next, newBirth);
        }
        if (command.Values.Sex is { } newSex)
        {
            next.Sex = (int)newSex;
        }
        if (command.Values.Katagaki is { } katagaki)
        {
            next.Address.Katagaki = katagaki.Trim();
        }
        if (command.Values.Domicile is { } domicile)
        {
            PersonMapping.SetDomicile(next, domicile);
        }
        if (command.Values.Entitlements is { } entitlements)
        {
            PersonMapping.SetEntitlements(next, entitlements);
        }
        var header = new IdouHeader("correction_date", command.CorrectionDate, command.NotificationDate, new NotifierValue("", "職権"), []);
        return await work.RecordAsync(IdouReasons.MinorCorrection, header, command.CorrectionDate!.Value, command.CorrectionDate.Value,
            new AlertCollector([]), command.Reason.Trim(), current.HouseholdNumber, cancellationToken);
    }
}
