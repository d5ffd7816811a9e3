using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using HarfBuzzSharp;
using SkiaSharp;
using HbBuffer = HarfBuzzSharp.Buffer;
using HbFont = HarfBuzzSharp.Font;

namespace SharedResidentSystem.Documents;

/// <summary>A shaped line: glyphs with their positions, and the UTF-8 text they came from.</summary>
internal sealed record ShapedText(string Text, byte[] Utf8, ushort[] Glyphs, uint[] Clusters, float[] Offsets, float[] Advances, float Width)
{
    /// <summary>Width in points at <paramref name="size"/> (advances are in 1/1000 em).</summary>
    public float WidthAt(float size) => Width * size / Units;

    public const float Units = 1000f;
}

/// <summary>
/// Shapes text with HarfBuzz (so a base character and its variation selector become the one
/// variant glyph) and draws it with Skia as a run that carries the glyphs, the original text
/// and the clusters between them: the PDF then maps every glyph back to the exact characters
/// stored, selectors and characters beyond the BMP included, for search and copy.
/// </summary>
internal sealed class TextShaper : IDisposable
{
    private readonly SKData _data;
    private readonly SKTypeface _typeface;
    private readonly Blob _blob;
    private readonly Face _face;
    private readonly HbFont _font;
    private readonly Dictionary<string, ShapedText> _shaped = new(StringComparer.Ordinal);

    public TextShaper(byte[] fontBytes)
    {
        _data = SKData.CreateCopy(fontBytes);
        _typeface = SKTypeface.FromData(_data) ?? throw new InvalidDataException("Skia could not read the subset font.");
        // HarfBuzz keeps reading the font after this call: give it unmanaged memory that stays
        // put (a pinned managed array would move at the next compacting GC), freed with the blob.
        var native = Marshal.AllocHGlobal(fontBytes.Length);
        Marshal.Copy(fontBytes, 0, native, fontBytes.Length);
        _blob = new Blob(native, fontBytes.Length, MemoryMode.ReadOnly, () => Marshal.FreeHGlobal(native));
        _face = new Face(_blob, 0);
        _font = new HbFont(_face);
        _font.SetScale((int)ShapedText.Units, (int)ShapedText.Units);
    }

    public ShapedText Shape(string text)
    {
        if (_shaped.TryGetValue(text, out var known))
        {
            return known;
        }
        using var buffer = new HbBuffer { Flags = BufferFlags.RemoveDefaultIgnorables };
        var utf8 = Encoding.UTF8.GetBytes(text);
        buffer.AddUtf8(utf8);
        buffer.GuessSegmentProperties();
        _font.Shape(buffer);
        var infos = buffer.GlyphInfos;
        var positions = buffer.GlyphPositions;
        var glyphs = new ushort[infos.Length];
        var clusters = new uint[infos.Length];
        var offsets = new float[infos.Length];
        var advances = new float[infos.Length];
        var width = 0f;
        for (var i = 0; i < infos.Length; i++)
        {
            glyphs[i] = (ushort)infos[i].Codepoint;
            clusters[i] = infos[i].Cluster;
            offsets[i] = positions[i].XOffset;
            advances[i] = positions[i].XAdvance;
            width += advances[i];
        }
        var shaped = new ShapedText(text, utf8, glyphs, clusters, offsets, advances, width);
        _shaped[text] = shaped;
        return shaped;
    }

    /// <summary>Draws <paramref name="shaped"/> with its baseline at (x, y).</summary>
    public void Draw(SKCanvas canvas, ShapedText shaped, float x, float y, float size, SKColor? color = null)
    {
        if (shaped.Glyphs.Length == 0)
        {
            return;
        }
        using var font = new SKFont(_typeface, size);
        using var builder = new SKTextBlobBuilder();
        var run = builder.AllocateRawPositionedTextRun(font, shaped.Glyphs.Length, shaped.Utf8.Length);
        var glyphs = run.Glyphs;
        var points = run.Positions;
        var clusters = run.Clusters;
        var scale = size / ShapedText.Units;
        var pen = 0f;
        for (var i = 0; i < shaped.Glyphs.Length; i++)
        {
            glyphs[i] = shaped.Glyphs[i];
            points[i] = new SKPoint(pen + (shaped.Offsets[i] * scale), 0);
            clusters[i] = shaped.Clusters[i];
            pen += shaped.Advances[i] * scale;
        }
        shaped.Utf8.CopyTo(run.Text);
        using var blob = builder.Build();
        using var paint = new SKPaint { Color = color ?? SKColors.Black, IsAntialias = true };
        canvas.DrawText(blob, x, y, paint);
    }

    /// <summary><paramref name="text"/> broken into lines (at whole characters) that each fit <paramref name="maxWidth"/>.</summary>
    public IReadOnlyList<string> Wrap(string text, float size, float maxWidth)
    {
        var lines = new List<string>();
        var rest = text;
        while (rest.Length > 0)
        {
            var elements = StringInfo.ParseCombiningCharacters(rest);
            int low = 1, high = elements.Length;
            while (low < high)
            {
                var mid = (low + high + 1) / 2;
                var prefix = mid == elements.Length ? rest : rest[..elements[mid]];
                if (Shape(prefix).WidthAt(size) <= maxWidth)
                {
                    low = mid;
                }
                else
                {
                    high = mid - 1;
                }
            }
            // At least one character a line, however narrow the width.
            var cut = low == elements.Length ? rest.Length : elements[low];
            lines.Add(rest[..cut]);
            rest = rest[cut..];
        }
        return lines.Count == 0 ? [""] : lines;
    }

    /// <summary>The longest beginning of <paramref name="text"/> (whole characters) that fits <paramref name="maxWidth"/>.</summary>
    public ShapedText Fit(string text, float size, float maxWidth)
    {
        var elements = StringInfo.ParseCombiningCharacters(text);
        int low = 0, high = elements.Length;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            var prefix = mid == elements.Length ? text : text[..elements[mid]];
            if (Shape(prefix).WidthAt(size) <= maxWidth)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }
        return Shape(low == elements.Length ? text : text[..(low == 0 ? 0 : elements[low])]);
    }

    public void Dispose()
    {
        _font.Dispose();
        _face.Dispose();
        _blob.Dispose();
        _typeface.Dispose();
        _data.Dispose();
    }
}
