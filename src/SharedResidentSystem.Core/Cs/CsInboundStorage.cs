using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

// How the messages received from the 住基ネット CS are stored (one namespace for the storage model).
namespace SharedResidentSystem.Core.Storage;

/// <summary>What became of a message received from the CS.</summary>
public enum CsInboundState
{
    /// <summary>Kept for the counter (a 転出証明書情報 waiting for its 特例転入).</summary>
    Received = 1,
    /// <summary>Taken into the register by itself (転入通知の受理, 空きコード).</summary>
    Applied = 2,
    /// <summary>Could not be taken by itself: on the 取込エラー一覧 for a clerk, with the reason.</summary>
    NeedsReview = 3,
    /// <summary>A later message of the same batch for the same person was taken instead (再送分).</summary>
    Superseded = 4,
    /// <summary>Not for a member city of the joint system: refused to the CS, listed for the joint system's operators.</summary>
    Refused = 5,
    /// <summary>Dealt with by hand (a clerk's note says how).</summary>
    Completed = 6,
}

/// <summary>
/// A message the CS gave the joint system (4.1.3.1.2 転入通知, 4.1.3.0.4 転出証明書情報, 住民票コード
/// 空きコード), routed to its city by the recipient's 団体コード (a refused one is kept under "*").
/// The message is kept whole, as received.
/// </summary>
public sealed class CsInboundMessage : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public long Id { get; set; }
    /// <summary>The CS's message id (each is kept once).</summary>
    public string MessageId { get; set; } = "";
    /// <summary>転入通知情報, 転出証明書情報, 空きコード …</summary>
    public string Kind { get; set; } = "";
    public string SenderCode { get; set; } = "";
    public string RecipientCode { get; set; } = "";
    /// <summary>住民票コード of the person it is about (empty for 空きコード)</summary>
    public string ResidentCode { get; set; } = "";
    /// <summary>宛名番号 of the city's resident it was matched to</summary>
    public string ResidentNumber { get; set; } = "";
    /// <summary>The message as received (jukinet.cs.v1.CsMessage)</summary>
    public byte[] Message { get; set; } = [];
    public DateTime ReceivedAt { get; set; }
    public CsInboundState State { get; set; }
    public string Result { get; set; } = "";
    /// <summary>The 異動 that took it into the register</summary>
    public long? IdouId { get; set; }
    public Guid ConcurrencyStamp { get; set; }
}

internal sealed class CsInboundMessageConfiguration : IEntityTypeConfiguration<CsInboundMessage>
{
    public void Configure(EntityTypeBuilder<CsInboundMessage> builder)
    {
        builder.HasKey(e => new { e.TenantCode, e.Id });
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.MessageId).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.Kind).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.SenderCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.RecipientCode).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.ResidentCode).HasMaxLength(11);
        builder.Property(e => e.ResidentNumber).HasMaxLength(ColumnSizes.Number);
        builder.Property(e => e.Result).HasMaxLength(ColumnSizes.Text);
        builder.Property(e => e.ReceivedAt).HasConversion(ColumnSizes.Utc);
        builder.Property(e => e.ConcurrencyStamp).IsConcurrencyToken();
        builder.HasIndex(e => new { e.TenantCode, e.MessageId }).IsUnique();
        builder.HasIndex(e => new { e.TenantCode, e.State });
    }
}
