using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using HarfBuzzSharp;

namespace SharedResidentSystem.Documents;

/// <summary>
/// Cuts a font down to the characters one document uses (variation selectors included, so the
/// IVS table keeps the sequences it needs), with HarfBuzz's subsetter: the PDF embeds a few
/// kilobytes instead of the whole 46 MB IPAmj明朝. Recent subsets are kept for reuse.
/// </summary>
internal sealed partial class FontSubsetter : IDisposable
{
    private const string Library = "libHarfBuzzSharp";
    private const int CacheSize = 256;

    private readonly Blob _blob;
    private readonly Face _face;
    private readonly ConcurrentDictionary<string, byte[]> _cache = new(StringComparer.Ordinal);
    private readonly Lock _subsetLock = new();

    public FontSubsetter(string fontPath)
    {
        _blob = Blob.FromFile(fontPath);
        _face = new Face(_blob, 0);
        if (_face.GlyphCount == 0)
        {
            throw new InvalidDataException($"{fontPath} is not a font HarfBuzz can read.");
        }
    }

    public int GlyphCount => _face.GlyphCount;

    /// <summary>A standalone font holding the glyphs of <paramref name="codePoints"/> (sorted, distinct).</summary>
    public byte[] Subset(IReadOnlyList<int> codePoints)
    {
        var key = string.Join(',', codePoints);
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }
        byte[] bytes;
        lock (_subsetLock)
        {
            var input = hb_subset_input_create_or_fail();
            if (input == IntPtr.Zero)
            {
                throw new InvalidOperationException("HarfBuzz could not start a subset.");
            }
            try
            {
                var set = hb_subset_input_unicode_set(input);
                foreach (var cp in codePoints)
                {
                    hb_set_add(set, (uint)cp);
                }
                var subset = hb_subset_or_fail(_face.Handle, input);
                if (subset == IntPtr.Zero)
                {
                    throw new InvalidOperationException("HarfBuzz could not subset the font.");
                }
                var blob = hb_face_reference_blob(subset);
                try
                {
                    var data = hb_blob_get_data(blob, out var length);
                    bytes = new byte[length];
                    Marshal.Copy(data, bytes, 0, (int)length);
                }
                finally
                {
                    hb_blob_destroy(blob);
                    hb_face_destroy(subset);
                }
            }
            finally
            {
                hb_subset_input_destroy(input);
            }
        }
        if (_cache.Count >= CacheSize)
        {
            _cache.Clear();
        }
        _cache[key] = bytes;
        return bytes;
    }

    public void Dispose()
    {
        _face.Dispose();
        _blob.Dispose();
    }

    [LibraryImport(Library)]
    private static partial IntPtr hb_subset_input_create_or_fail();

    [LibraryImport(Library)]
    private static partial IntPtr hb_subset_input_unicode_set(IntPtr input);

    [LibraryImport(Library)]
    private static partial void hb_set_add(IntPtr set, uint codePoint);

    [LibraryImport(Library)]
    private static partial IntPtr hb_subset_or_fail(IntPtr face, IntPtr input);

    [LibraryImport(Library)]
    private static partial void hb_subset_input_destroy(IntPtr input);

    [LibraryImport(Library)]
    private static partial IntPtr hb_face_reference_blob(IntPtr face);

    [LibraryImport(Library)]
    private static partial IntPtr hb_blob_get_data(IntPtr blob, out uint length);

    [LibraryImport(Library)]
    private static partial void hb_blob_destroy(IntPtr blob);

    [LibraryImport(Library)]
    private static partial void hb_face_destroy(IntPtr face);
}
