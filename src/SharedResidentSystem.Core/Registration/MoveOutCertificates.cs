using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;

namespace SharedResidentSystem.Core.Registration;

/// <summary>The 転出証明書情報 of one 転出, read by the city moved to.</summary>
public sealed record MoveOutCertificateData(TenantDefinition Source, DateOnly PlannedDate, StoredAddress PreviousAddress, StoredAddress Destination, IReadOnlyList<PersonVersion> Persons);

/// <summary>
/// 特例転入 between member cities (4.1.1.3): the only read that crosses the tenant boundary. It
/// is explicit (the query filter is bypassed here and nowhere else, with the tenant named), and
/// allowed only for a 特例転出 (4.1.3.0.4) whose declared destination is the caller's city.
/// </summary>
public sealed class MoveOutCertificates(SrsDbContext db, TenantDirectory tenants)
{
    public async Task<MoveOutCertificateData> ReadAsync(Caller caller, string sourceTenant, string residentNumber, CancellationToken cancellationToken)
    {
        var source = tenants.Find(sourceTenant);
        var destination = tenants.Get(caller.TenantCode);
        if (source is null || sourceTenant == caller.TenantCode)
        {
            throw DomainException.NotFound("転出証明書情報", "resident");
        }
        var person = await db.PersonVersions.IgnoreQueryFilters().AsNoTracking()
            .Where(p => p.TenantCode == sourceTenant && p.ResidentNumber == residentNumber)
            .OrderByDescending(p => p.HistoryNumber)
            .FirstOrDefaultAsync(cancellationToken);
        // Anything but a 特例転出 (4.1.3.0.4; a 転出 with a paper 転出証明書 sends no 転出証明書情報) to the
        // caller's city is answered like a resident that does not exist.
        if (person is null || person.State != ResidentState.Removed || person.RemovalReason != IdouReasons.DomesticMoveOut || !person.SpecialMoveOut
            || !(person.Destination.LocalGovernmentCode == destination.Code
                 || (person.Destination.City == destination.Name && (person.Destination.Prefecture.Length == 0 || person.Destination.Prefecture == destination.Prefecture))))
        {
            throw DomainException.NotFound("転出証明書情報", "resident");
        }
        var persons = await db.PersonVersions.IgnoreQueryFilters().AsNoTracking()
            .Where(p => p.TenantCode == sourceTenant && p.IdouId == person.IdouId)
            .ToListAsync(cancellationToken);
        // A 転出 keeps the address: it is the 転入前住所 of the 転入.
        return new MoveOutCertificateData(source, person.RemovalOn ?? person.ValidFrom, person.Address, person.Destination, HouseholdOrder.Sort(persons));
    }
}
