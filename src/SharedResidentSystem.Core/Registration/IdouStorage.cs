using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

// How 異動, 仮登録, the 住民票コード stock and the outbox are stored. The storage model is one namespace (EF names its
// entities by CLR name, and every migration with them); its files stand beside their features.
namespace SharedResidentSystem.Core.Storage;

/// <summary>異動の状態</summary>
public enum IdouState
{
    Provisional = 1,
    Final = 2,
    Cancelled = 3,
}

/// <summary>異動: one change to the register, the unit of every write.</summary>
public sealed class Idou : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public long Id { get; set; }
    /// <summary>記載 / 消除 / 修正 (1.2.2)</summary>
    public string Category { get; set; } = "";
    /// <summary>異動事由 (e.g. 国内転入, 軽微な修正)</summary>
    public string Reason { get; set; } = "";
    /// <summary>異動日</summary>
    public DateOnly OccurredOn { get; set; }
    /// <summary>届出日</summary>
    public DateOnly? NotifiedOn { get; set; }
    /// <summary>処理日時 (UTC)</summary>
    public DateTime RecordedAt { get; set; }
    public string NotifierName { get; set; } = "";
    public string NotifierRelation { get; set; } = "";
    public string StaffId { get; set; } = "";
    public string TerminalId { get; set; } = "";
    public string RequestId { get; set; } = "";
    public IdouState State { get; set; }
    public long? CancelsIdouId { get; set; }
    /// <summary>Alert codes the clerk acknowledged for this 異動 (11.1), comma separated.</summary>
    public string AcknowledgedAlerts { get; set; } = "";
    /// <summary>Free text the clerk gave (修正の理由 and the like).</summary>
    public string Note { get; set; } = "";
    /// <summary>Before/after of each item changed, as JSON, for 異動履歴照会.</summary>
    public string Summary { get; set; } = "";
    /// <summary>
    /// 1.1.4#4: the 特別な事由 of a 修正 (特別養子縁組, 特別養子縁組の解消, 性別の変更; <see cref="SpecialReasons"/>),
    /// whose history a certificate leaves out unless asked; empty for any other.
    /// </summary>
    public string SpecialReason { get; set; } = "";

    /// <summary>What it was made on (<see cref="IdouBasis"/>), naming <see cref="NotifiedOn"/>: 届出日, 申出日, 戸籍届出・通知日, 通知日 or 請求日.</summary>
    public string Basis { get; set; } = "";
}

/// <summary>The 特別な事由 of 1.1.4#4.</summary>
public static class SpecialReasons
{
    public const string SpecialAdoption = "特別養子縁組";
    public const string SpecialAdoptionDissolution = "特別養子縁組の解消";
    public const string GenderChange = "性別の変更";
}

/// <summary>仮登録の状態 (4.0.8)</summary>
public enum PendingState
{
    Pending = 1,
    Approved = 2,
    Discarded = 3,
}

/// <summary>
/// 仮登録: a checked 異動 that waits for 決裁. It holds the request as entered; 本登録 runs it
/// then, so the register itself only ever holds 本登録 data.
/// </summary>
public sealed class PendingIdou : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public long Id { get; set; }
    /// <summary>The call it was entered with (RecordMoveIn, ...).</summary>
    public string Kind { get; set; } = "";
    /// <summary>異動事由 it will be recorded with.</summary>
    public string Reason { get; set; } = "";
    /// <summary>Full name of the request message type.</summary>
    public string RequestType { get; set; } = "";
    public byte[] Request { get; set; } = [];
    /// <summary>The response a 本登録 would have given when it was entered (4.0.9 確認).</summary>
    public byte[] Preview { get; set; } = [];
    /// <summary>Residents (r:宛名番号) and households (h:世帯番号) it locks, as ",r:1,h:2,".</summary>
    public string Targets { get; set; } = "";
    public PendingState State { get; set; }
    public string StaffId { get; set; } = "";
    public string TerminalId { get; set; } = "";
    public DateTime EnteredAt { get; set; }
    /// <summary>The 異動 its 本登録 recorded.</summary>
    public long? IdouId { get; set; }
    /// <summary>Set anew by the application on every change.</summary>
    public Guid ConcurrencyStamp { get; set; }
}

/// <summary>住民票コードの蓄積 (4.3.1): one code obtained from the CS, free or given to a resident.</summary>
public sealed class ResidentCodeStock : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public string Code { get; set; } = "";
    public DateTime ImportedAt { get; set; }
    /// <summary>宛名番号 it was given to (empty while free)</summary>
    public string AssignedTo { get; set; } = "";
    public DateTime? AssignedAt { get; set; }
    public Guid ConcurrencyStamp { get; set; }
}

/// <summary>State of a notice for another system.</summary>
public enum OutboxState
{
    Pending = 1,
    Sent = 2,
    Failed = 3,
}

/// <summary>A notice for another system (入管 市町村通知 ...), written in the 異動's transaction.</summary>
public sealed class OutboxMessage : ITenantOwned
{
    /// <summary>A new row waiting to be sent, for one person of a 異動.</summary>
    public static OutboxMessage Waiting(Idou idou, long id, string topic, string residentNumber, string category, DateOnly notBefore, DateTime now) =>
        Pending(idou.TenantCode, id, topic, idou.Id, residentNumber, category, idou.Reason, notBefore, now);

    /// <summary>A new row waiting to be sent: its place in the city's order, what and for whom, and why.</summary>
    public static OutboxMessage Pending(string tenant, long id, string topic, long idouId, string residentNumber, string category, string reason, DateOnly notBefore, DateTime now,
        string recipient = "") => new()
    {
        TenantCode = tenant,
        Id = id,
        Topic = topic,
        IdouId = idouId,
        ResidentNumber = residentNumber,
        Recipient = recipient,
        Category = category,
        Reason = reason,
        NotBefore = notBefore,
        CreatedAt = now,
        State = OutboxState.Pending,
        ConcurrencyStamp = Guid.NewGuid(),
    };

    public string TenantCode { get; set; } = "";
    public long Id { get; set; }
    public string Topic { get; set; } = "";
    public long IdouId { get; set; }
    public string ResidentNumber { get; set; } = "";
    /// <summary>The 団体コード the message is for, where the person does not say it (広域交付住民票情報: the 交付地)</summary>
    public string Recipient { get; set; } = "";
    /// <summary>住基法・入管法 or 住基法 (for 入管)</summary>
    public string Category { get; set; } = "";
    public string Reason { get; set; } = "";
    public DateOnly NotBefore { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? SentAt { get; set; }
    public OutboxState State { get; set; }
    public string Result { get; set; } = "";
    public Guid ConcurrencyStamp { get; set; }
}

internal sealed class IdouConfiguration : IEntityTypeConfiguration<Idou>
{
    public void Configure(EntityTypeBuilder<Idou> builder)
    {
        builder.HasKey(e => new { e.TenantCode, e.Id });
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.Category).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.Reason).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.NotifierName).HasMaxLength(ColumnSizes.Name);
        builder.Property(e => e.NotifierRelation).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.StaffId).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.TerminalId).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.RequestId).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.Note).HasMaxLength(ColumnSizes.Text);
        builder.Property(e => e.AcknowledgedAlerts).HasMaxLength(ColumnSizes.Text);
        builder.Property(e => e.SpecialReason).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.Basis).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.RecordedAt).HasConversion(ColumnSizes.Utc);
        builder.HasIndex(e => new { e.TenantCode, e.RequestId }).IsUnique();
    }
}

internal sealed class PendingIdouConfiguration : IEntityTypeConfiguration<PendingIdou>
{
    public void Configure(EntityTypeBuilder<PendingIdou> builder)
    {
        builder.HasKey(e => new { e.TenantCode, e.Id });
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.Kind).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.Reason).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.RequestType).HasMaxLength(ColumnSizes.Name);
        builder.Property(e => e.StaffId).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.TerminalId).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.EnteredAt).HasConversion(ColumnSizes.Utc);
        builder.Property(e => e.ConcurrencyStamp).IsConcurrencyToken();
        builder.HasIndex(e => new { e.TenantCode, e.State });
    }
}

internal sealed class ResidentCodeStockConfiguration : IEntityTypeConfiguration<ResidentCodeStock>
{
    public void Configure(EntityTypeBuilder<ResidentCodeStock> builder)
    {
        builder.HasKey(e => new { e.TenantCode, e.Code });
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.Code).HasMaxLength(11);
        builder.Property(e => e.AssignedTo).HasMaxLength(ColumnSizes.Number);
        builder.Property(e => e.ImportedAt).HasConversion(ColumnSizes.Utc);
        builder.Property(e => e.ConcurrencyStamp).IsConcurrencyToken();
        builder.HasIndex(e => new { e.TenantCode, e.AssignedTo });
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.HasKey(e => new { e.TenantCode, e.Id });
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.Topic).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.ResidentNumber).HasMaxLength(ColumnSizes.Number);
        builder.Property(e => e.Recipient).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.Category).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.Reason).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.Result).HasMaxLength(ColumnSizes.Text);
        builder.Property(e => e.CreatedAt).HasConversion(ColumnSizes.Utc);
        builder.Property(e => e.ConcurrencyStamp).IsConcurrencyToken();
        builder.HasIndex(e => new { e.TenantCode, e.Topic, e.State, e.NotBefore });
        // The cities with something to send, in one read across cities (CsOutbox.CitiesWithUnsentAsync).
        builder.HasIndex(e => new { e.Topic, e.State, e.TenantCode });
    }
}
