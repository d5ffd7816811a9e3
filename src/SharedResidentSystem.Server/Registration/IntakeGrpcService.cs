using System.Text;
using System.Text.RegularExpressions;
using CsvHelper;
using Grpc.Core;
using SharedResidentSystem.Contracts.Certificates.V1;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Japanese;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Pipeline;

namespace SharedResidentSystem.Server.Registration;

/// <summary>
/// CSV intake at the counter (10.8): the data of a 転出証明書, a 住民異動届, a 交付申請書 or a
/// 個人番号カード's 券面事項 as a pre-filled request, for the clerk's confirmation screen. It
/// records nothing; a problem names the CSV column and the line.
/// </summary>
public sealed partial class IntakeGrpcService(CallerContext callers, TenantDirectory tenants, CallRecord record) : IntakeService.IntakeServiceBase
{
    /// <summary>Most persons one CSV may carry (a household, or the persons of one application).</summary>
    public const int MaxRows = 20;

    public override Task<ReadIntakeCsvResponse> ReadIntakeCsv(ReadIntakeCsvRequest request, ServerCallContext context)
    {
        var city = tenants.Get(callers.Required.TenantCode);
        var rows = IntakeCsv.Read(request.Csv, request.Kind);
        var response = request.Kind switch
        {
            IntakeKind.MoveOutCertificate => FromMoveOutCertificate(rows, city),
            IntakeKind.IdouNotification => FromIdouNotification(rows, city),
            IntakeKind.CertificateApplication => FromApplication(rows, city.Code),
            IntakeKind.CardFace => FromCardFace(rows, city),
            _ => throw DomainException.Invalid(ErrorReasons.RequiredField, "kind", "取り込むデータの種類を指定してください。"),
        };
        rows.ThrowIfProblems();
        return Task.FromResult(record.Answer(response, new Touched([], Detail: $"csv intake {request.Kind}: {rows.Count} rows")));
    }

    private static ReadIntakeCsvResponse FromMoveOutCertificate(IntakeCsv rows, TenantDefinition city)
    {
        var request = new RecordMoveInRequest
        {
            Reason = MoveInReason.Domestic,
            Notifier = new Notifier(),
            PreviousAddress = rows.Same("住所", text => SplitAddress(text)),
            Address = rows.Same("転出先", text => CityAddress(text, city, rows, "転出先")),
        };
        request.Members.AddRange(rows.Select(row => Person(row)));
        var response = new ReadIntakeCsvResponse { MoveIn = request };
        var planned = rows.Same("転出予定日", text => rows.Date(text, "転出予定日"));
        response.Notes.Add($"異動日（転入日）を確かめて入力してください（転出予定日 {Views(planned)}）。");
        response.Notes.Add("届出日・届出人を入力してください。");
        return response;
    }

    private static ReadIntakeCsvResponse FromIdouNotification(IntakeCsv rows, TenantDefinition city)
    {
        var kind = rows.Same("異動の種類", text => text);
        var date = rows.Same("異動日", text => rows.Date(text, "異動日"));
        var notified = rows.Same("届出日", text => rows.Date(text, "届出日"));
        var notifier = new Notifier { Name = rows.Same("届出人氏名", text => text) ?? "", Relation = rows.Same("届出人続柄", text => text) ?? "" };
        var response = new ReadIntakeCsvResponse();
        switch (kind)
        {
            case "転入":
                var moveIn = new RecordMoveInRequest
                {
                    Reason = MoveInReason.Domestic, MoveDate = date, NotificationDate = notified, Notifier = notifier,
                    Address = rows.Same("新住所", text => CityAddress(text, city, rows, "新住所")),
                    PreviousAddress = rows.Same("旧住所", text => SplitAddress(text)),
                };
                moveIn.Members.AddRange(rows.Select(row => Person(row)));
                response.MoveIn = moveIn;
                break;
            case "転居":
                var change = new RecordAddressChangeRequest
                {
                    MoveDate = date, NotificationDate = notified, Notifier = notifier,
                    Address = rows.Same("新住所", text => CityAddress(text, city, rows, "新住所")),
                };
                change.Residents.AddRange(rows.Select(row => Resident(row, rows, city.Code)));
                response.AddressChange = change;
                break;
            case "転出":
                var moveOut = new RecordMoveOutRequest
                {
                    PlannedDate = date, NotificationDate = notified, Notifier = notifier,
                    Destination = rows.Same("新住所", text => SplitAddress(text)),
                };
                moveOut.Residents.AddRange(rows.Select(row => Resident(row, rows, city.Code)));
                response.MoveOut = moveOut;
                break;
            case null:
                break;
            default:
                rows.Problem(1, "異動の種類", $"「{kind}」は取り込めません（転入・転居・転出）。");
                break;
        }
        return response;
    }

    private static ReadIntakeCsvResponse FromApplication(IntakeCsv rows, string city)
    {
        var kind = rows.Same("証明書の種類", text => text switch
        {
            "住民票の写し" => CertificateKind.ResidentCopy,
            "住民票記載事項証明書" => CertificateKind.ItemCertificate,
            "住民票の除票の写し" or "除票の写し" => CertificateKind.RemovedResidentCopy,
            "住民票除票記載事項証明書" or "除票記載事項証明書" => CertificateKind.RemovedItemCertificate,
            _ => rows.Problem(2, "証明書の種類", $"「{text}」は交付できる証明書の種類ではありません。", CertificateKind.Unspecified),
        });
        var category = rows.Same("請求者の区分", text => text switch
        {
            "本人" or "同一世帯員" or "本人・同一世帯員" => RequesterCategory.SelfOrHousehold,
            "代理人" => RequesterCategory.Agent,
            "第三者" => RequesterCategory.ThirdParty,
            "特定事務受任者" => RequesterCategory.SpecifiedProfessional,
            "公用" or "国・地方公共団体の機関" => RequesterCategory.Official,
            _ => rows.Problem(2, "請求者の区分", $"「{text}」は請求者の区分ではありません（本人・代理人・第三者・特定事務受任者・公用）。", RequesterCategory.Unspecified),
        });
        var request = new IssueCertificateRequest
        {
            Kind = kind,
            Requester = new Requester
            {
                Category = category,
                Name = rows.Same("請求者氏名", text => text) ?? "",
                Address = rows.Same("請求者住所", text => text) ?? "",
                IdentityCheck = rows.Same("本人確認書類", text => text) ?? "",
                PurposeDetail = rows.Same("利用目的", text => text) ?? "",
            },
            // One copy unless the application says how many.
            Copies = Math.Max(1, rows.Same("通数", text => int.TryParse(text, out var n) && n is >= 1 and <= 10 ? n : rows.Problem(2, "通数", "通数は 1 から 10 までの数字です。", 1))),
        };
        foreach (var item in (rows.Same("記載事項", text => text) ?? "").Split(['・', '、', ',', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            request.Items.Add(item switch
            {
                "世帯主" or "続柄" or "世帯主・続柄" => CertificateItem.HeadAndRelationship,
                "本籍" or "筆頭者" => CertificateItem.Domicile,
                "住民票コード" => CertificateItem.ResidentCode,
                "個人番号" => CertificateItem.IndividualNumber,
                "外国人住民の事項" => CertificateItem.ForeignItems,
                "年月日" => CertificateItem.Dates,
                "旧氏" or "通称" => CertificateItem.OtherNames,
                _ => rows.Problem(2, "記載事項", $"「{item}」は記載事項ではありません（世帯主・続柄・本籍・筆頭者・住民票コード・個人番号・外国人住民の事項・年月日・旧氏・通称）。", CertificateItem.Unspecified),
            });
        }
        var items = request.Items.Distinct().ToList();
        request.Items.Clear();
        request.Items.AddRange(items);
        request.Residents.AddRange(rows.Select(row => row.Required("宛名番号") is { Length: > 0 } number
            ? (AccountNumber().IsMatch(number) ? TenantResourceNames.Resident(city, number) : rows.Problem(row.Line, "宛名番号", "宛名番号は数字です。", ""))
            : ""));
        var response = new ReadIntakeCsvResponse { Certificate = request };
        response.Notes.Add("本人確認と請求者の記録を確かめてから交付してください。");
        return response;
    }

    private static ReadIntakeCsvResponse FromCardFace(IntakeCsv rows, TenantDefinition city)
    {
        if (rows.Count != 1)
        {
            rows.Problem(2, "", "券面事項は 1 枚（1 行）ずつ取り込みます。");
        }
        var request = new RecordMoveInRequest
        {
            Reason = MoveInReason.Domestic,
            Notifier = new Notifier { Relation = "本人" },
            PreviousAddress = rows.Same("住所", text => SplitAddress(text)),
            Address = new Address(),
        };
        request.Members.AddRange(rows.Select(row =>
        {
            var person = Person(row);
            person.Relationship = person.Relationship.Length == 0 ? "世帯主" : person.Relationship;
            return person;
        }));
        request.Notifier.Name = request.Members.FirstOrDefault() is { PersonName: { } n } ? $"{n.Family}　{n.Given}".Trim() : "";
        var response = new ReadIntakeCsvResponse { MoveIn = request };
        response.Notes.Add($"{city.Name}の新住所、異動日、続柄、本籍・筆頭者を入力してください（券面にない事項）。");
        return response;
    }

    /// <summary>A person of the row: 氏名 (or 氏 and 名), カナ, 生年月日, 性別, 続柄, 本籍, 筆頭者, 個人番号, 住民票コード, 旧氏, 通称.</summary>
    private static PersonEntry Person(IntakeRow row)
    {
        var (family, given) = row.Optional("氏名") is { Length: > 0 } full ? SplitName(full) : (row.Required("氏"), row.Optional("名"));
        var (familyKana, givenKana) = row.Optional("氏名カナ") is { Length: > 0 } kana ? SplitName(kana) : (row.Optional("氏カナ"), row.Optional("名カナ"));
        var person = new PersonEntry
        {
            PersonName = new PersonName { Family = family, Given = given, FamilyKana = familyKana, GivenKana = givenKana },
            Relationship = row.Optional("続柄"),
            IndividualNumber = row.Digits("個人番号", 12),
            ResidentCode = row.Digits("住民票コード", 11),
            CommonName = row.Optional("通称"),
        };
        if (row.Required("生年月日") is { Length: > 0 } birth)
        {
            if (Wareki.TryParse(birth, out var year, out var month, out var day, out var problem))
            {
                person.BirthDate = new PartialDate { Year = year, Month = month, Day = day };
            }
            else
            {
                row.Problem("生年月日", problem);
            }
        }
        person.Sex = row.Required("性別") switch
        {
            "男" or "1" => Sex.Male,
            "女" or "2" => Sex.Female,
            "" => Sex.Unspecified,
            var other => row.Problem("性別", $"「{other}」は性別ではありません（男・女）。", Sex.Unspecified),
        };
        if (row.Optional("本籍") is { Length: > 0 } domicile)
        {
            person.Domicile = new Domicile { Address = domicile, HeadName = row.Optional("筆頭者") };
        }
        if (row.Optional("旧氏") is { Length: > 0 } oldSurname)
        {
            person.OldSurname = new OldSurname { Surname = oldSurname };
        }
        return person;
    }

    private static ResidentRef Resident(IntakeRow row, IntakeCsv rows, string city)
    {
        var number = row.Required("宛名番号");
        return number.Length > 0 && !AccountNumber().IsMatch(number)
            ? rows.Problem(row.Line, "宛名番号", "宛名番号は数字です。", new ResidentRef())
            : new ResidentRef { Name = number.Length == 0 ? "" : TenantResourceNames.Resident(city, number) };
    }

    /// <summary>"山田　太郎" or "山田 太郎": 氏 and 名 at the first space.</summary>
    private static (string Family, string Given) SplitName(string full)
    {
        var parts = full.Trim().Split([' ', '　'], 2, StringSplitOptions.RemoveEmptyEntries);
        return (parts.ElementAtOrDefault(0) ?? "", parts.ElementAtOrDefault(1)?.Trim() ?? "");
    }

    /// <summary>An address elsewhere as 都道府県, 市区町村 and the rest (free text).</summary>
    internal static Address SplitAddress(string text)
    {
        var match = PrefectureAndCity().Match(text.Trim());
        return match.Success
            ? new Address { Prefecture = match.Groups["prefecture"].Value, City = match.Groups["city"].Value, FreeText = match.Groups["rest"].Value.Trim() }
            : new Address { FreeText = text.Trim() };
    }

    /// <summary>
    /// An address in this city as the register keeps it: the city's name dropped, the town from
    /// its address dictionary (the longest that fits), then 丁目 and 番地・号, the rest as 方書.
    /// </summary>
    internal static Address CityAddress(string text, TenantDefinition city, IntakeCsv rows, string column)
    {
        var rest = text.Normalize(NormalizationForm.FormKC).Trim();
        foreach (var prefix in new[] { city.Prefecture + city.Name, city.Name })
        {
            if (rest.StartsWith(prefix, StringComparison.Ordinal))
            {
                rest = rest[prefix.Length..];
                break;
            }
        }
        var town = city.Towns.Where(t => rest.StartsWith(t.Name, StringComparison.Ordinal)).MaxBy(t => t.Name.Length);
        if (town is null)
        {
            return rows.Problem(2, column, $"「{text}」の町字が{city.Name}の住所辞書にありません。", new Address { Katagaki = text });
        }
        rest = rest[town.Name.Length..];
        var address = new Address { Town = town.Name, PostalCode = town.PostalCode };
        var chome = ChomePattern().Match(rest);
        if (chome.Success)
        {
            address.Chome = int.Parse(chome.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture);
            rest = rest[chome.Length..];
        }
        var banchi = BanchiPattern().Match(rest);
        if (banchi.Success)
        {
            address.Banchi = banchi.Value.Replace('-', '番').Trim() + (banchi.Value.Contains('号', StringComparison.Ordinal) || !banchi.Value.Contains('-', StringComparison.Ordinal) ? "" : "号");
            rest = rest[banchi.Length..];
        }
        address.Katagaki = rest.Trim();
        return address;
    }

    private static string Views(Google.Type.Date? date) => date is null ? "なし" : $"{date.Year}-{date.Month:00}-{date.Day:00}";

    [GeneratedRegex(@"^(?<prefecture>東京都|北海道|(?:京都|大阪)府|.{2,3}県)(?<city>.+?郡.+?[町村]|.+?市.+?区|.+?[市区町村])(?<rest>.*)$")]
    private static partial Regex PrefectureAndCity();

    [GeneratedRegex(@"^(?<n>\d{1,2})丁目")]
    private static partial Regex ChomePattern();

    [GeneratedRegex(@"^\d+(番地?|-)\d*(号|-\d+)?")]
    private static partial Regex BanchiPattern();

    [GeneratedRegex(@"^\d{1,15}$")]
    private static partial Regex AccountNumber();
}

/// <summary>One row of an intake CSV: its line and its values by column name; problems go to the whole CSV.</summary>
public sealed class IntakeRow(IntakeCsv csv, int line, Dictionary<string, string> values)
{
    public int Line => line;

    public string Optional(string column) => values.GetValueOrDefault(column, "").Trim();

    public string Required(string column)
    {
        var value = Optional(column);
        if (value.Length == 0)
        {
            csv.Problem(line, column, values.ContainsKey(column) ? "値がありません。" : "この列がありません。");
        }
        return value;
    }

    /// <summary>A number of exactly <paramref name="length"/> digits, or empty.</summary>
    public string Digits(string column, int length)
    {
        var value = Optional(column).Normalize(NormalizationForm.FormKC).Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (value.Length > 0 && (value.Length != length || !value.All(char.IsAsciiDigit)))
        {
            csv.Problem(line, column, $"{length} 桁の数字ではありません。");
            return "";
        }
        return value;
    }

    public T Problem<T>(string column, string description, T value)
    {
        csv.Problem(line, column, description);
        return value;
    }

    public void Problem(string column, string description) => csv.Problem(line, column, description);
}

/// <summary>
/// An intake CSV read (CsvHelper): a header row, then one row per person; columns by their
/// header names, in any order; a column no kind knows is named. Problems are gathered, each
/// with its column and line, and thrown together as one refusal.
/// </summary>
public sealed class IntakeCsv : List<IntakeRow>
{
    private static readonly Dictionary<IntakeKind, string[]> Columns = new()
    {
        [IntakeKind.MoveOutCertificate] = ["氏名", "氏", "名", "氏名カナ", "氏カナ", "名カナ", "生年月日", "性別", "続柄", "世帯主", "本籍", "筆頭者", "住民票コード", "個人番号", "旧氏", "通称", "住所", "転出先", "転出予定日"],
        [IntakeKind.IdouNotification] = ["異動の種類", "異動日", "届出日", "届出人氏名", "届出人続柄", "新住所", "旧住所", "宛名番号", "氏名", "氏", "名", "氏名カナ", "氏カナ", "名カナ", "生年月日", "性別", "続柄", "本籍", "筆頭者", "住民票コード", "個人番号", "旧氏", "通称"],
        [IntakeKind.CertificateApplication] = ["証明書の種類", "宛名番号", "氏名", "請求者の区分", "請求者氏名", "請求者住所", "本人確認書類", "利用目的", "通数", "記載事項"],
        [IntakeKind.CardFace] = ["氏名", "氏名カナ", "住所", "生年月日", "性別", "個人番号", "旧氏", "通称"],
    };

    private readonly List<FieldViolation> _problems = [];

    public static IntakeCsv Read(string text, IntakeKind kind)
    {
        var csv = new IntakeCsv();
        if (!Columns.TryGetValue(kind, out var known))
        {
            return csv;
        }
        using var reader = CsvText.Open(text);
        if (CsvText.Headers(reader) is not { } headers)
        {
            csv.Problem(1, "", "見出しの行を読めません。");
            csv.ThrowIfProblems();
            return csv;
        }
        if (headers.Length == 0)
        {
            csv.Problem(1, "", "見出しの行がありません。");
        }
        foreach (var unknown in headers.Where(h => !known.Contains(h)))
        {
            csv.Problem(1, unknown, $"この種類のデータにない列です（{string.Join("・", known)}）。");
        }
        foreach (var twice in headers.GroupBy(h => h).Where(g => g.Count() > 1))
        {
            csv.Problem(1, twice.Key, "同じ列が二度あります。");
        }
        csv.ThrowIfProblems();
        while (reader.Read())
        {
            var line = (int)reader.LineNumber;
            if (csv.Count == IntakeGrpcService.MaxRows)
            {
                csv.Problem(line, "", $"1 回に取り込めるのは {IntakeGrpcService.MaxRows} 行までです。");
                break;
            }
            if (reader.FieldCount != headers.Length)
            {
                csv.Problem(line, "", $"項目の数が {reader.FieldCount} です（見出しは {headers.Length} 列）。");
                continue;
            }
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < headers.Length; i++)
            {
                values[headers[i]] = reader.GetString(i);
            }
            csv.Add(new IntakeRow(csv, line, values));
        }
        if (csv.Count == 0)
        {
            csv.Problem(2, "", "データの行がありません。");
        }
        csv.ThrowIfProblems();
        return csv;
    }

    public void Problem(int line, string column, string description) =>
        _problems.Add(new FieldViolation(column.Length == 0 ? "csv" : $"csv.{column}", $"{line} 行目{(column.Length == 0 ? "" : $"「{column}」")}: {description}"));

    public T Problem<T>(int line, string column, string description, T value)
    {
        Problem(line, column, description);
        return value;
    }

    /// <summary>A value every row must give alike (the household's 住所, the notice's 異動日): the first row's, checked against the rest.</summary>
    public T? Same<T>(string column, Func<string, T> read)
    {
        var first = this.FirstOrDefault(r => r.Optional(column).Length > 0);
        if (first is null)
        {
            return default;
        }
        var value = first.Optional(column);
        foreach (var other in this.Where(r => r.Optional(column).Length > 0 && r.Optional(column) != value))
        {
            Problem(other.Line, column, $"行によって値が違います（{first.Line} 行目は「{value}」）。");
        }
        return read(value);
    }

    public Google.Type.Date? Date(string text, string column)
    {
        if (Wareki.TryParse(text, out var year, out var month, out var day, out var problem))
        {
            return new Google.Type.Date { Year = year, Month = month, Day = day };
        }
        var line = this.First(r => r.Optional(column) == text).Line;
        return Problem<Google.Type.Date?>(line, column, problem, null);
    }

    public void ThrowIfProblems()
    {
        if (_problems.Count > 0)
        {
            throw new DomainException(ErrorKind.InvalidArgument, ErrorReasons.InvalidField,
                $"CSV を取り込めません（{_problems.Count} 件）: {_problems[0].Description}", [.. _problems.Take(50)]);
        }
    }
}
