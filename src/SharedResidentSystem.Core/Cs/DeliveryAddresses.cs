using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Cs;

/// <summary>印刷区分 of a 送付先情報 (7.1.1.1, 7.1.1.4): whether J-LIS prints and mails the documents.</summary>
public enum DeliveryPrintCategory
{
    /// <summary>印刷する: J-LIS prints the 個人番号通知書 (and the like) and mails it to the 送付先.</summary>
    Print = 1,
    /// <summary>印刷しない: the city hands the documents over itself (at the counter, by its own post).</summary>
    NoPrint = 2,
}

/// <summary>
/// A clerk's designation of where the 番号通知書類 and card documents of one person go (送付先情報,
/// 7.1.1.4): the 印刷区分, whether the person has 特別な事情 (DV, 長期入院, 施設入所 …), and a 居所
/// that differs from the 住所 (7.1.1.4#3). Rows are never changed: a new designation is a new row,
/// numbered from the city's outbox serial just before the 送付先情報 it sends, so every 送付先情報
/// is built from the designation in force when it was written (the latest row numbered below it).
/// </summary>
public sealed class DeliveryDesignation : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    /// <summary>From the city's outbox serial (NumberKinds.Outbox).</summary>
    public long Id { get; set; }
    public string ResidentNumber { get; set; } = "";
    public DeliveryPrintCategory PrintCategory { get; set; }
    /// <summary>特別な事情がある者</summary>
    public bool SpecialCircumstances { get; set; }
    /// <summary>The 居所 the documents go to instead of the 住所 (empty: the 住所)</summary>
    public string Residence { get; set; } = "";
    /// <summary>方書 of the 居所</summary>
    public string ResidenceKatagaki { get; set; } = "";
    /// <summary>郵便番号 of the 居所 (7 digits)</summary>
    public string ResidencePostalCode { get; set; } = "";
    /// <summary>Why (the clerk's words)</summary>
    public string Note { get; set; } = "";
    public string StaffId { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

internal sealed class DeliveryDesignationConfiguration : IEntityTypeConfiguration<DeliveryDesignation>
{
    public void Configure(EntityTypeBuilder<DeliveryDesignation> builder)
    {
        builder.HasKey(e => new { e.TenantCode, e.Id });
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.ResidentNumber).HasMaxLength(ColumnSizes.Number);
        builder.Property(e => e.Residence).HasMaxLength(ColumnSizes.Name);
        builder.Property(e => e.ResidenceKatagaki).HasMaxLength(ColumnSizes.Name);
        builder.Property(e => e.ResidencePostalCode).HasMaxLength(7);
        builder.Property(e => e.Note).HasMaxLength(ColumnSizes.Text);
        builder.Property(e => e.StaffId).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.CreatedAt).HasConversion(ColumnSizes.Utc);
        builder.HasIndex(e => new { e.TenantCode, e.ResidentNumber, e.Id });
    }
}

/// <summary>The rules of a designation, checked before anything is written.</summary>
public static class DeliveryAddresses
{
    /// <summary>The 異動事由 a 送付先情報 sent on a clerk's designation carries.</summary>
    public const string DesignationReason = "送付先の変更指定";

    /// <summary>The 異動事由 of a 送付先情報 the CS asked for (更新対象者, 7.1.1.4#2), with the CS's purpose.</summary>
    public static string TargetReason(string purpose) => purpose.Trim().Length > 0 ? $"更新対象者 ({purpose.Trim()})" : "更新対象者";

    public static string PrintCategoryName(DeliveryPrintCategory category) => category switch
    {
        DeliveryPrintCategory.Print => "印刷する",
        DeliveryPrintCategory.NoPrint => "印刷しない",
        _ => "",
    };

    /// <summary>
    /// Refuses a designation that contradicts itself: an unknown 印刷区分, a 居所 without its
    /// postal code or a postal code without a 居所, a 郵便番号 that is not 7 digits, no reason.
    /// </summary>
    public static void Check(DeliveryPrintCategory category, string residence, string katagaki, string postalCode, string note)
    {
        var problems = new List<FieldViolation>();
        if (!Enum.IsDefined(category))
        {
            problems.Add(new FieldViolation("print_category", "印刷区分は「印刷する」か「印刷しない」を指定してください。"));
        }
        if (residence.Trim().Length == 0 && (katagaki.Trim().Length > 0 || postalCode.Trim().Length > 0))
        {
            problems.Add(new FieldViolation("residence", "方書・郵便番号だけで居所がありません。居所を入力するか、方書・郵便番号を消してください。"));
        }
        if (residence.Trim().Length > 0 && postalCode.Trim().Length == 0)
        {
            problems.Add(new FieldViolation("residence_postal_code", "居所に送るときは居所の郵便番号を入力してください。"));
        }
        if (postalCode.Trim() is { Length: > 0 } code && (code.Length != 7 || !code.All(char.IsAsciiDigit)))
        {
            problems.Add(new FieldViolation("residence_postal_code", "郵便番号は 7 桁の数字です。"));
        }
        if (note.Trim().Length == 0)
        {
            problems.Add(new FieldViolation("note", "変更指定の理由を入力してください。"));
        }
        if (problems.Count > 0)
        {
            throw new DomainException(ErrorKind.InvalidArgument, problems[0].Field == "note" ? ErrorReasons.RequiredField : ErrorReasons.InvalidField,
                "送付先情報の変更指定に誤りがあります。", problems);
        }
    }

    /// <summary>The designation in force for a 送付先情報 numbered <paramref name="messageId"/> (null: none, the 住所 and 印刷する).</summary>
    public static Task<DeliveryDesignation?> InForceAsync(SrsDbContext db, string residentNumber, long messageId, CancellationToken cancellationToken) =>
        db.DeliveryDesignations.AsNoTracking()
            .Where(d => d.ResidentNumber == residentNumber && d.Id < messageId)
            .OrderByDescending(d => d.Id)
            .FirstOrDefaultAsync(cancellationToken);
}
