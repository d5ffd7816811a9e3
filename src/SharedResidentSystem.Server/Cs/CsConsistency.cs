using System.Globalization;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Contracts.JukiNet.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Cs;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;

namespace SharedResidentSystem.Server.Cs;

/// <summary>整合性確認 (7.1.1.2): a person as the register has them against the CS's 本人確認情報.</summary>
public static class CsConsistency
{
    public const string MissingAtCs = "CSにない";
    public const string MissingInRegister = "台帳にない";

    private static readonly (string Item, Func<CsPerson, string> Value)[] Items =
    [
        ("氏名", p => p.Name),
        ("氏名の読み", p => p.NameKana),
        ("生年月日", p => p.BirthDate),
        ("性別", p => p.Sex.ToString(CultureInfo.InvariantCulture)),
        ("住所", p => p.Address),
        ("個人番号", p => p.IndividualNumber),
        ("消除", p => p.Removed ? "消除" : ""),
    ];

    /// <summary>
    /// The whole check of one city: the CS's side first, held by 住民票コード, then the register's
    /// current versions one at a time (in 住基ネット統一文字, as they were sent: an unconvertible
    /// character stays, and shows as a difference); <paramref name="each"/> is told every
    /// difference with the 宛名番号 it concerns (null for one the register does not have).
    /// Returns how many persons were compared. A CS out of reach is FAILED_PRECONDITION.
    /// </summary>
    public static async Task<int> RunAsync(SrsDbContext db, CsGateway.CsGatewayClient client, TenantDefinition tenant, Action<CsDifference, string?> each, CancellationToken ct)
    {
        var held = new Dictionary<string, CsPerson>(StringComparer.Ordinal);
        try
        {
            using var stream = client.StreamIdentities(new StreamIdentitiesRequest { SenderCode = tenant.Code }, cancellationToken: ct);
            while (await stream.ResponseStream.MoveNext(ct))
            {
                held[stream.ResponseStream.Current.ResidentCode] = stream.ResponseStream.Current;
            }
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded || e.Status.DebugException is HttpRequestException)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.CsUnreachable, "CS に接続できません。しばらくしてからもう一度確認してください。", [new FieldViolation("cs", "CS に接続できません。")]);
        }
        var characters = new UnifiedCharacters(tenant.CsCharacters);
        var compared = 0;
        var current = db.CurrentVersions.AsNoTracking().Where(p => p.ResidentCode != "").OrderBy(p => p.ResidentNumber).AsAsyncEnumerable();
        await foreach (var person in current.WithCancellation(ct))
        {
            compared++;
            held.Remove(person.ResidentCode, out var atCs);
            foreach (var difference in Compare(TenantResourceNames.Resident(person.TenantCode, person.ResidentNumber), CsMessages.InUnifiedCharacters(CsMessages.PersonOf(person), characters, []), atCs))
            {
                each(difference, person.ResidentNumber);
            }
        }
        foreach (var orphan in held.Values.OrderBy(p => p.ResidentCode, StringComparer.Ordinal))
        {
            compared++;
            foreach (var difference in Compare("", null, orphan))
            {
                each(difference, null);
            }
        }
        return compared;
    }

    /// <summary>The differences between the register's person and the CS's (either may be missing).</summary>
    public static IEnumerable<CsDifference> Compare(string resident, CsPerson? register, CsPerson? cs)
    {
        var code = register?.ResidentCode ?? cs?.ResidentCode ?? "";
        if (cs is null)
        {
            yield return new CsDifference { ResidentCode = code, Resident = resident, Item = MissingAtCs };
            yield break;
        }
        if (register is null)
        {
            yield return new CsDifference { ResidentCode = code, Item = MissingInRegister, CsValue = $"{cs.Name} {cs.BirthDate}" };
            yield break;
        }
        foreach (var (item, value) in Items)
        {
            if (value(register) != value(cs))
            {
                yield return new CsDifference { ResidentCode = code, Resident = resident, Item = item, RegisterValue = value(register), CsValue = value(cs) };
            }
        }
    }
}
