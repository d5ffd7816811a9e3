using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace SharedResidentSystem.Core.Staff;

/// <summary>
/// The staff accounts (ASP.NET Core Identity) and the sign-in service's applications, grants
/// and tokens (OpenIddict), in the register's database by default, with their own migrations
/// and history table. Kept apart from <see cref="Storage.SrsDbContext"/>: nothing here is a
/// resident's data, and the sign-in can move to a database of its own by configuration.
/// </summary>
public sealed class StaffDbContext(DbContextOptions<StaffDbContext> options) : IdentityUserContext<StaffAccount>(options)
{
    public const string HistoryTable = "__StaffMigrationsHistory";

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseOpenIddict();
        builder.Entity<StaffAccount>(e =>
        {
            e.ToTable("StaffAccounts");
            e.Property(a => a.TenantCode).HasMaxLength(6).IsRequired();
            e.Property(a => a.StaffId).HasMaxLength(StaffAccount.MaxStaffIdLength).IsRequired();
            e.Property(a => a.DisplayName).HasMaxLength(100);
            e.Property(a => a.Unit).HasMaxLength(100);
            e.Property(a => a.Roles).HasMaxLength(100);
            e.HasIndex(a => new { a.TenantCode, a.StaffId }).IsUnique();
        });
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserClaim<string>>().ToTable("StaffAccountClaims");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserLogin<string>>().ToTable("StaffAccountLogins");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserToken<string>>().ToTable("StaffAccountTokens");
    }
}
