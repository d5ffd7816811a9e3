using System.Text.RegularExpressions;
using SharedResidentSystem.Core.Certificates;
using SharedResidentSystem.Documents;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Documents.Tests;

/// <summary>The PDF read back with poppler, as any reader of a handed-over certificate would.</summary>
public sealed partial class PdfCertificateRendererTests
{
    private static readonly Lazy<PdfCertificateRenderer> Renderer = new(() =>
        new PdfCertificateRenderer(CertificateFonts.Find(null) ?? throw new InvalidOperationException("Install fonts-ipamj-mincho (./test.sh does).")));

    // 葛 with the MJ variation selector U+E0102, 邉 with U+E0110, and 𠮷 (beyond the BMP).
    // Family and given names are stored apart; the certificate prints them with a full-width
    // space between, which text extraction reads as a word break.
    private const string IvsFamily = "葛\U000E0102西";
    private const string IvsGiven = "邉\U000E0110子";
    private const string IvsName = IvsFamily + "　" + IvsGiven;
    private const string NonBmpFamily = "𠮷田";
    private const string NonBmpName = NonBmpFamily + "　太郎";

    private static CertificateContent Content(int persons, string address = "東京都東村山市本町一丁目2番3号　コーポ101")
    {
        var people = Enumerable.Range(0, persons).Select(i => new CertificatePerson($"00000{i}", [
            new CertificateField("name", "氏名", i == 0 ? IvsName : i == 1 ? NonBmpName : $"見本　{i}郎"),
            new CertificateField("birth_date", "生年月日", "昭和60年6月15日"),
            new CertificateField("sex", "性別", "男"),
            new CertificateField("address", "住所", address),
        ], [])).ToList();
        var perPage = 4;
        var pages = Enumerable.Range(0, (persons + perPage - 1) / perPage).Select(p => (IReadOnlyList<int>)Enumerable.Range(p * perPage, Math.Min(perPage, persons - (p * perPage))).ToList()).ToList();
        return new CertificateContent(CertificateKind.ResidentCopy, "住民票の写し", [new CertificateField("address", "住所", address)], people, pages,
            "この写しは、住民票の原本と相違ないことを証明する。", "東京都東村山市長", "見本　市長", "", new DateOnly(2026, 11, 26), "令和8年11月26日");
    }

    [Fact]
    [Spec("5.1#6")]
    [Spec("5.5#4")]
    public void The_auth_text_is_on_the_last_page_only_and_every_page_has_its_issue_number()
    {
        var copy = Renderer.Value.Render(Content(6), new CopyStamp("20261126 東村山市 本庁1 プリンタ001", 11, VerificationCodes.New()), null, OverflowHandling.Truncate);
        Assert.Equal(2, copy.Pages);
        Assert.Equal(2, PdfTools.Pages(copy.Pdf));
        Assert.DoesNotContain("相違ないことを証明する", PdfTools.Text(copy.Pdf, 1), StringComparison.Ordinal);
        Assert.Contains("この写しは、住民票の原本と相違ないことを証明する。", PdfTools.Text(copy.Pdf, 2), StringComparison.Ordinal);
        Assert.Contains("20261126 東村山市 本庁1 プリンタ001 011 1/2", PdfTools.Text(copy.Pdf, 1), StringComparison.Ordinal);
        Assert.Contains("20261126 東村山市 本庁1 プリンタ001 011 2/2", PdfTools.Text(copy.Pdf, 2), StringComparison.Ordinal);
    }

    [Fact]
    [Spec("5.5#3")]
    [Spec("5.5#4")]
    public void The_issue_number_has_the_format_of_5_5()
    {
        var copy = Renderer.Value.Render(Content(1), new CopyStamp("20200502 東村山市 本庁1 プリンタ001", 11, VerificationCodes.New()), null, OverflowHandling.Truncate);
        Assert.Matches(IssueNumber(), PdfTools.Text(copy.Pdf));
    }

    [Fact]
    public void Names_with_variation_selectors_and_beyond_the_bmp_come_back_exactly_and_the_font_is_an_embedded_subset()
    {
        var copy = Renderer.Value.Render(Content(2), new CopyStamp("20261126 東村山市 本庁1", 1, VerificationCodes.New()), null, OverflowHandling.Truncate);
        var text = PdfTools.Text(copy.Pdf);
        var words = text.Split((char[])['\n', ' ', '\u3000'], StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(IvsFamily, words);
        Assert.Contains(IvsGiven, words);
        Assert.Contains(NonBmpFamily, words);
        var fonts = PdfTools.Fonts(copy.Pdf);
        Assert.Matches(@"\+IPAmjMincho\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes", fonts);
        Assert.True(copy.Pdf.Length < 200_000, $"{copy.Pdf.Length} bytes: the font was not subset");
    }

    [Spec("5.8#2")]
    [Fact]
    [Spec("5.8#1")]
    [Spec("5.8#3")]
    public void A_value_that_does_not_fit_is_set_smaller_then_cut_or_left_blank_and_reported()
    {
        var longAddress = "東京都東村山市本町一丁目2番3号　" + string.Concat(Enumerable.Repeat("グランドメゾン東村山", 12));
        var cut = Renderer.Value.Render(Content(1, longAddress), null, null, OverflowHandling.Truncate);
        Assert.Contains(cut.Overflows, o => o.Key == "address" && o.Handling == "限界まで出力");
        Assert.Contains("東京都東村山市本町一丁目2番3号", PdfTools.Text(cut.Pdf), StringComparison.Ordinal);
        var blank = Renderer.Value.Render(Content(1, longAddress), null, null, OverflowHandling.Blank);
        Assert.Contains(blank.Overflows, o => o.Key == "address" && o.Handling == "空白で出力");
        Assert.DoesNotContain("本町一丁目2番3号", PdfTools.Text(blank.Pdf), StringComparison.Ordinal);
        var fits = Renderer.Value.Render(Content(1, "東京都東村山市本町一丁目2番3号　グランドメゾン東村山グランドメゾン東村山グランドメゾン東村山"), null, null, OverflowHandling.Truncate);
        Assert.Empty(fits.Overflows);
    }

    [Fact]
    [Spec("5.7#1")]
    public void The_official_use_mark_is_printed_when_asked()
    {
        var copy = Renderer.Value.Render(Content(1) with { OfficialUse = true }, null, null, OverflowHandling.Truncate);
        Assert.Contains("公用", PdfTools.Text(copy.Pdf), StringComparison.Ordinal);
        Assert.DoesNotContain("公用", PdfTools.Text(Renderer.Value.Render(Content(1), null, null, OverflowHandling.Truncate).Pdf), StringComparison.Ordinal);
    }

    [Fact]
    public void Rendering_in_parallel_survives_compacting_garbage_collections()
    {
        // HarfBuzz reads the subset font while shaping: its memory must not move under it.
        Parallel.For(0, 48, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var content = Content(1 + (i % 5), $"東京都東村山市本町{i}丁目{i}番{i}号");
            var copy = Renderer.Value.Render(content, new CopyStamp("20261126 東村山市 本庁1", i, VerificationCodes.New()), null, OverflowHandling.Truncate);
            if (i % 4 == 0)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            }
            Assert.True(copy.Pdf.Length > 1000);
        });
        Assert.Contains($"本町7丁目7番7号", PdfTools.Text(Renderer.Value.Render(Content(1, "東京都東村山市本町7丁目7番7号"), null, null, OverflowHandling.Truncate).Pdf), StringComparison.Ordinal);
    }

    [Fact]
    public void Verification_codes_catch_a_changed_symbol()
    {
        var code = VerificationCodes.New();
        Assert.Matches("^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$", code);
        Assert.Equal(code, VerificationCodes.Normalize(code.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal)));
        Assert.Equal(code, VerificationCodes.Normalize(VerificationCodes.QrPrefix + code));
        const string symbols = "0123456789ABCDEFGHJKMNPQRSTVWXY";
        for (var i = 0; i < code.Length; i++)
        {
            if (code[i] == '-')
            {
                continue;
            }
            foreach (var other in symbols.Where(s => s != code[i]))
            {
                Assert.Null(VerificationCodes.Normalize(code[..i] + other + code[(i + 1)..]));
            }
        }
    }

    [GeneratedRegex(@"\d{8} 東村山市 本庁1 プリンタ001 \d{3} \d+/\d+")]
    private static partial Regex IssueNumber();
}
