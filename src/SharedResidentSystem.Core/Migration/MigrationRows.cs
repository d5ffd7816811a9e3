using System.Text;
using System.Xml;
using CsvHelper;

namespace SharedResidentSystem.Core.Migration;

/// <summary>The form of a set of migration files.</summary>
public enum MigrationFormat
{
    /// <summary>CSV: a header row of the item names, one row per record.</summary>
    Csv,

    /// <summary>XML: a 移行ファイル element, one 行 element per record with an element per item, named as the item.</summary>
    Xml,
}

/// <summary>
/// Reads and writes the rows of one migration file in its form (CSV or XML): the exporter
/// writes through <see cref="IRowWriter"/>, the importer reads through <see cref="IRowReader"/>,
/// so that both forms are checked and imported alike.
/// </summary>
public static class MigrationRows
{
    public const string XmlRoot = "移行ファイル";
    public const string XmlRow = "行";

    /// <summary>The file's name in the form: the layout names CSV files; XML files end in .xml.</summary>
    public static string FileName(LayoutFile file, MigrationFormat format) =>
        format == MigrationFormat.Xml ? Path.ChangeExtension(file.File, ".xml") : file.File;

    internal static IRowWriter Writer(Stream stream, LayoutFile file, MigrationFormat format, GaijiTable? gaiji) =>
        format == MigrationFormat.Xml ? new XmlRows(stream, file, gaiji) : new CsvRows(MigrationExporter.Writer(stream, gaiji));

    internal static IRowReader Reader(Stream stream, MigrationFormat format, Encoding encoding) =>
        format == MigrationFormat.Xml ? new XmlRowReader(stream) : new CsvRowReader(stream, encoding);

    private sealed class CsvRows(CsvWriter csv) : IRowWriter
    {
        public void Header(IReadOnlyList<string> names) => csv.WriteHeader([.. names]);

        public void Row(string[] fields) => csv.WriteRecord(fields);

        public void Dispose()
        {
            csv.Flush();
            csv.Dispose();
        }
    }

    private sealed class XmlRows : IRowWriter
    {
        private readonly XmlWriter _xml;
        private string[] _names = [];

        public XmlRows(Stream stream, LayoutFile file, GaijiTable? gaiji)
        {
            _xml = XmlWriter.Create(stream, new XmlWriterSettings
            {
                Encoding = gaiji is null ? new UTF8Encoding(false) : GaijiTable.Cp932, Indent = true, NewLineChars = "\r\n",
            });
            _xml.WriteStartDocument();
            _xml.WriteStartElement(XmlConvert.EncodeLocalName(XmlRoot));
            _xml.WriteAttributeString("id", file.Id);
            _xml.WriteAttributeString("title", file.Title);
        }

        public void Header(IReadOnlyList<string> names) => _names = [.. names.Select(n => XmlConvert.EncodeLocalName(n)!)];

        public void Row(string[] fields)
        {
            _xml.WriteStartElement(XmlRow);
            for (var i = 0; i < fields.Length; i++)
            {
                _xml.WriteElementString(_names[i], fields[i]);
            }
            _xml.WriteEndElement();
        }

        public void Dispose()
        {
            _xml.WriteEndElement();
            _xml.WriteEndDocument();
            _xml.Dispose();
        }
    }

    private sealed class CsvRowReader(Stream stream, Encoding encoding) : IRowReader
    {
        private readonly CsvReader _csv = CsvReader.Create(stream, new CsvReaderOptions { HasHeader = true, TrackLineNumbers = true, Encoding = encoding });

        public IReadOnlyList<string>? Headers => _csv.Headers;

        public string? RowProblem => null;

        public int Line => (int)_csv.LineNumber;

        public int FieldCount => _csv.FieldCount;

        public bool Read() => _csv.Read();

        public string Get(int index) => _csv.GetString(index);

        public void Dispose() => _csv.Dispose();
    }

    /// <summary>XML rows: the item names are the first row's elements; a later row with other elements is named as a problem.</summary>
    private sealed class XmlRowReader : IRowReader
    {
        private readonly XmlReader _xml;
        private readonly List<string> _values = [];
        private List<string>? _headers;
        private List<string>? _pending;
        private int _pendingLine;

        public XmlRowReader(Stream stream)
        {
            _xml = XmlReader.Create(stream, new XmlReaderSettings { IgnoreWhitespace = true, IgnoreComments = true, DtdProcessing = DtdProcessing.Prohibit });
            _xml.MoveToContent();
            if (XmlConvert.DecodeName(_xml.LocalName) != XmlRoot)
            {
                throw new XmlException($"最上位の要素が {XmlRoot} ではありません。");
            }
            _pending = ReadRow();
            _headers = _pending is null ? null : [.. _names];
        }

        private readonly List<string> _names = [];

        /// <summary>The first row's element names; null for a file without rows (nothing to compare).</summary>
        public IReadOnlyList<string>? Headers => _headers;

        public string? RowProblem { get; private set; }

        public int Line { get; private set; }

        public int FieldCount => _values.Count;

        public string Get(int index) => _values[index];

        public bool Read()
        {
            var row = _pending ?? ReadRow();
            _pending = null;
            if (row is null)
            {
                return false;
            }
            Line = _pendingLine;
            _values.Clear();
            _values.AddRange(row);
            RowProblem = _names.SequenceEqual(Headers!) ? null : $"要素 {string.Join(",", _names.Take(5))}… が最初の行の項目（{string.Join(",", Headers!.Take(5))}…）と違います。";
            return true;
        }

        /// <summary>The next 行's values (its element names in <see cref="_names"/>), or null at the end.</summary>
        private List<string>? ReadRow()
        {
            while (!(_xml.NodeType == XmlNodeType.Element && _xml.LocalName == XmlRow))
            {
                if (!_xml.Read())
                {
                    return null;
                }
            }
            _pendingLine = ((IXmlLineInfo)_xml).LineNumber;
            _names.Clear();
            var values = new List<string>();
            if (_xml.IsEmptyElement)
            {
                _xml.Read();
                return values;
            }
            _xml.Read();
            while (_xml.NodeType != XmlNodeType.EndElement)
            {
                if (_xml.NodeType == XmlNodeType.Element)
                {
                    _names.Add(XmlConvert.DecodeName(_xml.LocalName));
                    values.Add(_xml.ReadElementContentAsString());
                }
                else
                {
                    _xml.Read();
                }
            }
            _xml.Read();
            return values;
        }

        public void Dispose() => _xml.Dispose();
    }
}

/// <summary>Writes one migration file's rows.</summary>
internal interface IRowWriter : IDisposable
{
    void Header(IReadOnlyList<string> names);

    void Row(string[] fields);
}

/// <summary>Reads one migration file's rows: the item names, then row by row its line and values.</summary>
internal interface IRowReader : IDisposable
{
    /// <summary>The item names the file gives; null when it gives none (an XML file without rows).</summary>
    IReadOnlyList<string>? Headers { get; }

    /// <summary>What is wrong with the row as a whole beyond its number of values (an XML row with other elements), or null.</summary>
    string? RowProblem { get; }

    int Line { get; }

    int FieldCount { get; }

    bool Read();

    string Get(int index);
}
