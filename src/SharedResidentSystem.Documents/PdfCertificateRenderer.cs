using QRCoder;
using SharedResidentSystem.Core.Certificates;
using SkiaSharp;

namespace SharedResidentSystem.Documents;

/// <summary>Where the Japanese font is looked for.</summary>
public static class CertificateFonts
{
    /// <summary>IPAmj明朝 (Debian fonts-ipamj-mincho): every 行政事務標準文字, with its IVS.</summary>
    public const string IpamjMincho = "/usr/share/fonts/truetype/ipamj/ipamjm.ttf";

    /// <summary>IPAex明朝 (Debian fonts-ipaexfont-mincho): the fallback; JIS characters only, variation selectors fall back to the base glyph.</summary>
    public const string IpaexMincho = "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf";

    /// <summary>The configured font, else the first of the known ones that is installed; null when none is.</summary>
    public static string? Find(string? configured) =>
        !string.IsNullOrWhiteSpace(configured)
            ? (File.Exists(configured) ? configured : null)
            : new[] { IpamjMincho, IpaexMincho }.FirstOrDefault(File.Exists);
}

/// <summary>
/// Renders certificates on A4 (5.x): title, 「公用」 (5.7), the household's address and head,
/// the persons in blocks (世帯連記式 or 個人票), their history, the 発行番号 and the
/// verification code with its QR on every page, and the 認証文, date, 認証者 and 電子公印 on the
/// last page only (5.1). A value too long for its box is set smaller, then cut or left blank
/// as the city chose, and reported (5.8). The font is subset per document and embedded.
/// </summary>
public sealed partial class PdfCertificateRenderer : ICertificateRenderer, IDisposable
{
    public const float PageWidth = 595.28f;
    public const float PageHeight = 841.89f;
    private const float Margin = 42f;
    private const float LabelWidth = 96f;
    private const float RowHeight = 15f;
    private const float ValueSize = 9.5f;
    private const float LabelSize = 8f;
    private const float MinimumScale = 0.6f;
    private const float FooterHeight = 150f;
    private const float HistoryLine = 11.5f;
    private const float SealSize = 70.87f; // 25 mm
    private static readonly SKColor Rule = new(0x55, 0x55, 0x55);
    private static readonly HashSet<string> WideFields = new(StringComparer.Ordinal)
    {
        "name", "address", "previous_address", "address_set_on", "domicile", "destination", "removal", "old_surname", "common_name", "head",
        "foreign_category", "nationality",
    };

    // Characters every page may print besides the content (numbers, codes, fixed labels).
    private const string FixedText = "0123456789ABCDEFGHJKMNPQRSTVWXYZ-/ :：（）()発行番号照合番号頁公用再交付見本プレビュー続き次葉へ";

    private readonly FontSubsetter _subsetter;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SKImage?> _seals = new(StringComparer.Ordinal);

    public PdfCertificateRenderer(string fontPath)
    {
        FontPath = fontPath;
        _subsetter = new FontSubsetter(fontPath);
    }

    public string FontPath { get; }

    /// <summary>
    /// The certificate font cut down to <paramref name="codePoints"/> (sorted, distinct;
    /// variation selectors included): the browser counter's web font, so that a name shows on
    /// the screen with the glyph it will print with.
    /// </summary>
    public byte[] FontSubset(IReadOnlyList<int> codePoints) => _subsetter.Subset(codePoints);

    public RenderedCopy Render(CertificateContent content, CopyStamp? stamp, byte[]? seal, OverflowHandling overflow)
    {
        using var shaper = new TextShaper(_subsetter.Subset(CodePoints(content, stamp)));
        using var stream = new MemoryStream();
        var overflows = new List<Overflow>();
        var pages = content.Pages.Count;
        using (var document = SKDocument.CreatePdf(stream, Metadata(content.Title, content.IssuedOn)))
        {
            for (var page = 0; page < pages; page++)
            {
                var canvas = document.BeginPage(PageWidth, PageHeight);
                var page1 = page + 1;
                var y = Header(canvas, shaper, content, page1, pages);
                if (content.HouseholdFields.Count > 0)
                {
                    y = Block(canvas, shaper, content.HouseholdFields, [], y, page1, "", overflow, overflows, PageHeight - Margin - FooterHeight);
                    y += 6;
                }
                var onPage = content.Pages[page];
                var bottom = PageHeight - Margin - FooterHeight;
                var share = onPage.Count == 0 ? 0 : (bottom - y) / onPage.Count;
                foreach (var index in onPage)
                {
                    var person = content.Persons[index];
                    var limit = y + share;
                    y = Block(canvas, shaper, person.Fields, person.History, y, page1, person.ResidentNumber, overflow, overflows, limit) + 6;
                }
                Footer(canvas, shaper, content, stamp, seal, page1, pages);
                document.EndPage();
            }
            document.Close();
        }
        return new RenderedCopy(stream.ToArray(), pages, overflows);
    }

    public byte[] RenderLetter(LetterContent letter) => RenderLetters([letter]);

    public byte[] RenderLetters(IReadOnlyList<LetterContent> letters)
    {
        ArgumentOutOfRangeException.ThrowIfZero(letters.Count);
        var lines = letters.SelectMany(letter => letter.Addressee.Split('\n').Concat(letter.Lines).Append(letter.Title).Append(letter.Sender).Append(letter.DateText).Append(letter.Sender + "長"));
        using var shaper = new TextShaper(_subsetter.Subset(CodePointsOf(lines)));
        using var stream = new MemoryStream();
        using (var document = SKDocument.CreatePdf(stream, Metadata(letters[0].Title, letters[0].Date)))
        {
            foreach (var letter in letters)
            {
                var canvas = document.BeginPage(PageWidth, PageHeight);
                var y = Margin + 20;
                foreach (var line in letter.Addressee.Split('\n'))
                {
                    shaper.Draw(canvas, shaper.Fit(line, 11, PageWidth - (2 * Margin)), Margin, y, 11);
                    y += 16;
                }
                var date = shaper.Shape(letter.DateText);
                shaper.Draw(canvas, date, PageWidth - Margin - date.WidthAt(10.5f), y + 10, 10.5f);
                var sender = shaper.Shape(letter.Sender + "長");
                shaper.Draw(canvas, sender, PageWidth - Margin - sender.WidthAt(10.5f), y + 26, 10.5f);
                var title = shaper.Shape(letter.Title);
                y += 80;
                shaper.Draw(canvas, title, (PageWidth - title.WidthAt(15)) / 2, y, 15);
                y += 40;
                foreach (var line in letter.Lines)
                {
                    // A long line goes on over the next (a letter loses nothing at its margin).
                    foreach (var part in shaper.Wrap(line, 11, PageWidth - (2 * Margin) - 10))
                    {
                        shaper.Draw(canvas, shaper.Shape(part), Margin + 10, y, 11);
                        y += 16;
                    }
                    y += 6;
                }
                document.EndPage();
            }
            document.Close();
        }
        return stream.ToArray();
    }

    /// <summary>A list as a table: its title and subtitle, a header on every page, the page number.</summary>
    public byte[] RenderTable(TableContent table)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(table.Widths.Count, table.Headers.Count);
        const float size = 8.5f;
        const float line = 16f;
        var top = Margin + 56;
        var perPage = Math.Max(1, (int)((PageHeight - top - Margin - 20) / line));
        var pages = Math.Max(1, (table.Rows.Count + perPage - 1) / perPage);
        var pageTexts = Enumerable.Range(1, pages).Select(n => $"{n} / {pages}");
        using var shaper = new TextShaper(_subsetter.Subset(CodePointsOf(table.Rows.SelectMany(r => r).Concat(table.Headers).Append(table.Title).Append(table.Subtitle).Concat(pageTexts))));
        var total = table.Widths.Sum();
        var scale = (PageWidth - (2 * Margin)) / total;
        using var stream = new MemoryStream();
        using var rule = new SKPaint { Color = SKColors.Black, StrokeWidth = 0.5f };
        using (var document = SKDocument.CreatePdf(stream, Metadata(table.Title, table.Date)))
        {
            for (var page = 0; page < pages; page++)
            {
                var canvas = document.BeginPage(PageWidth, PageHeight);
                var title = shaper.Shape(table.Title);
                shaper.Draw(canvas, title, (PageWidth - title.WidthAt(14)) / 2, Margin + 14, 14);
                shaper.Draw(canvas, shaper.Fit(table.Subtitle, 9, PageWidth - (2 * Margin)), Margin, Margin + 36, 9);
                void Row(IReadOnlyList<string> cells, float y)
                {
                    var x = Margin;
                    for (var i = 0; i < cells.Count; i++)
                    {
                        var width = table.Widths[i] * scale;
                        shaper.Draw(canvas, shaper.Fit(cells[i], size, width - 4), x + 2, y, size);
                        x += width;
                    }
                }
                Row(table.Headers, top);
                canvas.DrawLine(Margin, top + 4, PageWidth - Margin, top + 4, rule);
                var y = top + line;
                foreach (var row in table.Rows.Skip(page * perPage).Take(perPage))
                {
                    Row(row, y);
                    y += line;
                }
                var number = shaper.Shape($"{page + 1} / {pages}");
                shaper.Draw(canvas, number, (PageWidth - number.WidthAt(8)) / 2, PageHeight - Margin + 10, 8);
                document.EndPage();
            }
            document.Close();
        }
        return stream.ToArray();
    }

    /// <summary>宛名シール: A4 sheets of 2 × 6 labels, each with its 〒, address lines and name.</summary>
    public byte[] RenderLabels(IReadOnlyList<LabelContent> labels)
    {
        ArgumentOutOfRangeException.ThrowIfZero(labels.Count);
        const int columns = 2;
        const int rows = 6;
        const float width = 255f;
        const float height = 120f;
        var left = (PageWidth - (columns * width)) / 2;
        var top = (PageHeight - (rows * height)) / 2;
        using var shaper = new TextShaper(_subsetter.Subset(CodePointsOf(labels.SelectMany(l => l.AddressLines.Append("〒" + l.PostalCode).Append(l.Name + "　様")))));
        using var stream = new MemoryStream();
        using (var document = SKDocument.CreatePdf(stream, Metadata("宛名シール", labels[0].Date)))
        {
            foreach (var sheet in labels.Chunk(columns * rows))
            {
                var canvas = document.BeginPage(PageWidth, PageHeight);
                for (var i = 0; i < sheet.Length; i++)
                {
                    var x = left + ((i % columns) * width) + 14;
                    var y = top + ((i / columns) * height) + 22;
                    var label = sheet[i];
                    shaper.Draw(canvas, shaper.Shape("〒" + label.PostalCode), x, y, 9);
                    y += 16;
                    foreach (var address in label.AddressLines)
                    {
                        shaper.Draw(canvas, shaper.Fit(address, 10, width - 28), x, y, 10);
                        y += 14;
                    }
                    shaper.Draw(canvas, shaper.Fit(label.Name + "　様", 13, width - 28), x + 10, Math.Max(y + 10, top + ((i / columns) * height) + 90), 13);
                }
                document.EndPage();
            }
            document.Close();
        }
        return stream.ToArray();
    }

    private static float Header(SKCanvas canvas, TextShaper shaper, CertificateContent content, int page, int pages)
    {
        var title = shaper.Shape(content.Title);
        shaper.Draw(canvas, title, (PageWidth - title.WidthAt(18)) / 2, Margin + 18, 18);
        if (content.OfficialUse)
        {
            var mark = shaper.Shape("公用");
            using var frame = new SKPaint { Color = SKColors.Black, Style = SKPaintStyle.Stroke, StrokeWidth = 1.2f };
            canvas.DrawRect(PageWidth - Margin - 52, Margin, 52, 26, frame);
            shaper.Draw(canvas, mark, PageWidth - Margin - 26 - (mark.WidthAt(14) / 2), Margin + 18, 14);
        }
        if (content.Reissue)
        {
            shaper.Draw(canvas, shaper.Shape("再交付"), Margin, Margin + 18, 14);
        }
        if (content.Preview)
        {
            using var save = new SKAutoCanvasRestore(canvas);
            canvas.RotateDegrees(-35, PageWidth / 2, PageHeight / 2);
            var sample = shaper.Shape("見本（プレビュー）");
            shaper.Draw(canvas, sample, (PageWidth - sample.WidthAt(60)) / 2, PageHeight / 2, 60, new SKColor(0xBB, 0xBB, 0xBB));
        }
        if (pages > 1 && page < pages)
        {
            var next = shaper.Shape("次葉へ続き");
            shaper.Draw(canvas, next, PageWidth - Margin - next.WidthAt(8), PageHeight - Margin - FooterHeight + 12, 8);
        }
        return Margin + 40;
    }

    /// <summary>A bordered block of label/value rows (short items two to a row) and history lines; returns the y below it.</summary>
    private static float Block(SKCanvas canvas, TextShaper shaper, IReadOnlyList<CertificateField> fields, IReadOnlyList<string> history,
        float top, int page, string resident, OverflowHandling overflow, List<Overflow> overflows, float limit)
    {
        var width = PageWidth - (2 * Margin);
        var half = width / 2;
        var rows = new List<(CertificateField Left, CertificateField? Right)>();
        for (var i = 0; i < fields.Count; i++)
        {
            var f = fields[i];
            if (!WideFields.Contains(f.Key) && i + 1 < fields.Count && !WideFields.Contains(fields[i + 1].Key))
            {
                rows.Add((f, fields[i + 1]));
                i++;
            }
            else
            {
                rows.Add((f, null));
            }
        }
        using var line = new SKPaint { Color = Rule, Style = SKPaintStyle.Stroke, StrokeWidth = 0.5f };
        var y = top;
        foreach (var (left, right) in rows)
        {
            Cell(canvas, shaper, left, Margin, right is null ? width : half, y, page, resident, overflow, overflows);
            if (right is not null)
            {
                Cell(canvas, shaper, right, Margin + half, half, y, page, resident, overflow, overflows);
                canvas.DrawLine(Margin + half, y, Margin + half, y + RowHeight, line);
            }
            canvas.DrawLine(Margin, y + RowHeight, Margin + width, y + RowHeight, line);
            y += RowHeight;
        }
        if (history.Count > 0)
        {
            var label = shaper.Shape("異動履歴");
            shaper.Draw(canvas, label, Margin + 4, y + 10, LabelSize);
            y += 3;
            var room = (int)Math.Max(0, (limit - y - 2) / HistoryLine);
            for (var i = 0; i < history.Count; i++)
            {
                if (i >= room)
                {
                    overflows.Add(new Overflow(page, resident, "history", $"{history.Count - room} 行を印字できませんでした"));
                    break;
                }
                y += HistoryLine;
                var text = Fitted(shaper, history[i], ValueSize - 1, width - LabelWidth - 8, page, resident, "history", overflow, overflows, out var size);
                shaper.Draw(canvas, text, Margin + LabelWidth, y, size);
            }
            y += 4;
        }
        canvas.DrawRect(Margin, top, width, y - top, line);
        return y;
    }

    private static void Cell(SKCanvas canvas, TextShaper shaper, CertificateField field, float x, float width, float y, int page, string resident,
        OverflowHandling overflow, List<Overflow> overflows)
    {
        var labelWidth = Math.Min(LabelWidth, width / 2.2f);
        var label = shaper.Fit(field.Label, LabelSize, labelWidth - 6);
        shaper.Draw(canvas, label, x + 4, y + 10.5f, LabelSize);
        var value = Fitted(shaper, field.Value, ValueSize, width - labelWidth - 8, page, resident, field.Key, overflow, overflows, out var size);
        shaper.Draw(canvas, value, x + labelWidth, y + 11f, size);
    }

    /// <summary>5.8: smaller type first, then cut at the limit or left blank; every case is reported.</summary>
    private static ShapedText Fitted(TextShaper shaper, string text, float size, float width, int page, string resident, string key,
        OverflowHandling overflow, List<Overflow> overflows, out float used)
    {
        var shaped = shaper.Shape(text);
        used = size;
        if (shaped.WidthAt(size) <= width)
        {
            return shaped;
        }
        var smallest = size * MinimumScale;
        var needed = width / shaped.Width * ShapedText.Units;
        if (needed >= smallest)
        {
            used = needed;
            return shaped;
        }
        used = smallest;
        overflows.Add(new Overflow(page, resident, key, overflow == OverflowHandling.Blank ? "空白で出力" : "限界まで出力"));
        return overflow == OverflowHandling.Blank ? shaper.Shape("") : shaper.Fit(text, smallest, width);
    }

    private void Footer(SKCanvas canvas, TextShaper shaper, CertificateContent content, CopyStamp? stamp, byte[]? seal, int page, int pages)
    {
        var top = PageHeight - Margin - FooterHeight + 18;
        if (page == pages)
        {
            var y = top;
            foreach (var note in content.Notes)
            {
                shaper.Draw(canvas, shaper.Shape(note), Margin, y, 9);
                y += 13;
            }
            shaper.Draw(canvas, shaper.Fit(content.AuthText, 10.5f, PageWidth - (2 * Margin)), Margin, y + 4, 10.5f);
            shaper.Draw(canvas, shaper.Shape(content.IssuedOnText), Margin + 20, y + 26, 10.5f);
            var signer = shaper.Shape($"{content.AuthenticatorTitle}　{content.AuthenticatorName}");
            var signerX = PageWidth - Margin - SealSize - 10 - signer.WidthAt(12);
            shaper.Draw(canvas, signer, signerX, y + 54, 12);
            if (seal is not null)
            {
                DrawSeal(canvas, seal, PageWidth - Margin - SealSize, y + 54 - (SealSize / 2) - 4);
            }
        }
        var bottom = PageHeight - Margin + 4;
        if (stamp is not null)
        {
            shaper.Draw(canvas, shaper.Shape("発行番号 " + stamp.IssueNumber(page, pages)), Margin, bottom, 8);
            shaper.Draw(canvas, shaper.Shape("照合番号 " + stamp.VerificationCode), Margin, bottom - 12, 8);
            DrawQr(canvas, VerificationCodes.QrPrefix + stamp.VerificationCode, PageWidth - Margin - 48, bottom - 44, 48);
        }
        else
        {
            shaper.Draw(canvas, shaper.Shape($"見本（プレビュー） {page}/{pages}"), Margin, bottom, 8);
        }
    }

    /// <summary>The 電子公印 in black, at most 25 mm square (5.6).</summary>
    private void DrawSeal(SKCanvas canvas, byte[] png, float x, float y)
    {
        var image = _seals.GetOrAdd(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(png)), _ => PrepareSeal(png));
        if (image is null)
        {
            return;
        }
        var scale = Math.Min(SealSize / image.Width, SealSize / image.Height);
        var w = image.Width * scale;
        var h = image.Height * scale;
        canvas.DrawImage(image, SKRect.Create(x + ((SealSize - w) / 2), y + ((SealSize - h) / 2), w, h), new SKSamplingOptions(SKFilterMode.Linear));
    }

    /// <summary>
    /// Decodes a seal once: black on white, at 300 dpi for 25 mm at most, kept as JPEG so that
    /// every certificate embeds the same encoded bytes instead of compressing pixels again.
    /// </summary>
    private static SKImage? PrepareSeal(byte[] png)
    {
        using var decoded = SKImage.FromEncodedData(png);
        if (decoded is null)
        {
            return null;
        }
        const int pixels = 295; // 25 mm at 300 dpi
        var scale = Math.Min(1f, Math.Min((float)pixels / decoded.Width, (float)pixels / decoded.Height));
        var info = new SKImageInfo(Math.Max(1, (int)(decoded.Width * scale)), Math.Max(1, (int)(decoded.Height * scale)), SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info);
        surface.Canvas.Clear(SKColors.White);
        using var paint = new SKPaint { ColorFilter = SKColorFilter.CreateBlendMode(SKColors.Black, SKBlendMode.SrcIn) };
        surface.Canvas.DrawImage(decoded, SKRect.Create(info.Width, info.Height), new SKSamplingOptions(SKFilterMode.Linear), paint);
        using var snapshot = surface.Snapshot();
        using var jpeg = snapshot.Encode(SKEncodedImageFormat.Jpeg, 92);
        return SKImage.FromEncodedData(jpeg);
    }

    private static void DrawQr(SKCanvas canvas, string text, float x, float y, float size)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix;
        var module = size / matrix.Count;
        using var paint = new SKPaint { Color = SKColors.Black, Style = SKPaintStyle.Fill };
        for (var row = 0; row < matrix.Count; row++)
        {
            for (var col = 0; col < matrix[row].Length; col++)
            {
                if (matrix[row][col])
                {
                    canvas.DrawRect(x + (col * module), y + (row * module), module, module, paint);
                }
            }
        }
    }

    private static List<int> CodePoints(CertificateContent content, CopyStamp? stamp)
    {
        var texts = new List<string> { FixedText, content.Title, content.AuthText, content.AuthenticatorTitle, content.AuthenticatorName, content.IssuedOnText, "　" };
        texts.AddRange(content.Notes);
        texts.AddRange(content.HouseholdFields.SelectMany(f => new[] { f.Label, f.Value }));
        texts.AddRange(content.Persons.SelectMany(p => p.Fields.SelectMany(f => new[] { f.Label, f.Value }).Concat(p.History)));
        texts.Add("異動履歴");
        if (stamp is not null)
        {
            texts.Add(stamp.IssueNumberPrefix);
            texts.Add(stamp.VerificationCode);
        }
        return CodePointsOf(texts);
    }

    /// <summary>Every code point of the texts, sorted and distinct (variation selectors included).</summary>
    private static List<int> CodePointsOf(IEnumerable<string> texts)
    {
        var set = new SortedSet<int>();
        foreach (var text in texts)
        {
            for (var i = 0; i < text.Length; i++)
            {
                set.Add(char.ConvertToUtf32(text, i));
                if (char.IsHighSurrogate(text[i]))
                {
                    i++;
                }
            }
        }
        return [.. set];
    }

    /// <summary>Fixed metadata (the day of issue, not the moment of rendering), so a document is the same however often it is made.</summary>
    private static SKDocumentPdfMetadata Metadata(string title, DateOnly date) => new()
    {
        Title = title,
        Creator = "SharedResidentSystem",
        Producer = "SharedResidentSystem",
        Creation = date.ToDateTime(TimeOnly.MinValue),
        Modified = date.ToDateTime(TimeOnly.MinValue),
    };

    public void Dispose()
    {
        _subsetter.Dispose();
        foreach (var image in _seals.Values)
        {
            image?.Dispose();
        }
    }
}
