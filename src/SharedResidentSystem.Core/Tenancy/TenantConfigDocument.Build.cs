using System.Globalization;
using SharedResidentSystem.Core.Numbers;

namespace SharedResidentSystem.Core.Tenancy;

// The rules a schema cannot say, applied while the definition is built from the document.
public static partial class TenantConfigDocument
{
    private static TenantDefinition Build(DocumentDto d, string document, List<ConfigProblem> problems)
    {
        if (!CheckDigits.IsValidLocalGovernmentCode(d.Code))
        {
            problems.Add(new ConfigProblem("$.code", "check-digit", $"地方公共団体コード '{d.Code}' の検査数字が正しくありません。"));
        }
        else if (Prefectures.ByCode(d.Code!) is not { } prefecture || prefecture.Name != d.Prefecture!.Trim())
        {
            // 1.3.3: the first two digits are the 都道府県 of JIS X 0401; the two must agree.
            problems.Add(new ConfigProblem("$.prefecture", "code", $"団体コード {d.Code} の都道府県は{Prefectures.ByCode(d.Code!)?.Name ?? "ありません"}です (「{d.Prefecture}」と合いません)。"));
        }

        var offices = d.Offices!.Select(o => new OfficeEntry(o.Id!, o.Name!.Trim(), o.Address?.Trim() ?? "",
            o.Terminals!.Select(t => new TerminalEntry(t.Id!, t.Name!.Trim(), (t.Printers ?? []).Select(p => new PrinterEntry(p.Id!, p.Name!.Trim())).ToList())).ToList())).ToList();
        Unique(offices, o => o.Id, "$.offices", "入力場所 id", problems);
        Unique(offices.SelectMany(o => o.Terminals), t => t.Id, "$.offices", "端末 id", problems);
        for (var i = 0; i < offices.Count; i++)
        {
            for (var j = 0; j < offices[i].Terminals.Count; j++)
            {
                Unique(offices[i].Terminals[j].Printers, p => p.Id, $"$.offices[{i}].terminals[{j}].printers", "プリンタ id", problems);
            }
        }

        var seals = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, base64) in d.Seals ?? [])
        {
            var path = Child("$.seals", key);
            try
            {
                var bytes = Convert.FromBase64String(base64);
                if (bytes.Length < 8 || !bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }))
                {
                    problems.Add(new ConfigProblem(path, "png", "PNG 画像ではありません。"));
                }
                seals[key] = bytes;
            }
            catch (FormatException)
            {
                problems.Add(new ConfigProblem(path, "base64", "base64 として読めません。"));
            }
        }

        var authenticators = new List<Authenticator>();
        for (var i = 0; i < d.Authenticators!.Count; i++)
        {
            var a = d.Authenticators[i];
            var path = $"$.authenticators[{i}]";
            var from = Date(a.From, $"{path}.from", problems) ?? DateOnly.MinValue;
            var until = Date(a.Until, $"{path}.until", problems);
            if (until < from)
            {
                problems.Add(new ConfigProblem($"{path}.until", "period", "終了日が開始日より前です。"));
            }
            if (a.Seal is not null && !(d.Seals?.ContainsKey(a.Seal) ?? false))
            {
                problems.Add(new ConfigProblem($"{path}.seal", "reference", $"公印 '{a.Seal}' が $.seals にありません。"));
            }
            authenticators.Add(new Authenticator(a.Role == "deputy" ? AuthenticatorRole.Deputy : AuthenticatorRole.Mayor, a.Title!.Trim(), a.Name!.Trim(), from, until, a.Seal ?? ""));
        }
        if (authenticators.All(a => a.Role != AuthenticatorRole.Mayor))
        {
            problems.Add(new ConfigProblem("$.authenticators", "mayor", "市区町村長 (role: mayor) を一人以上登録してください。"));
        }
        foreach (var role in new[] { AuthenticatorRole.Mayor, AuthenticatorRole.Deputy })
        {
            var same = authenticators.Select((a, i) => (a, i)).Where(x => x.a.Role == role).OrderBy(x => x.a.From).ToList();
            for (var k = 1; k < same.Count; k++)
            {
                var previous = same[k - 1].a;
                if (previous.Until is null || previous.Until >= same[k].a.From)
                {
                    problems.Add(new ConfigProblem($"$.authenticators[{same[k].i}].from", "overlap",
                        $"在任期間が $.authenticators[{same[k - 1].i}] と重なっています (前任者に until を設定してください)。"));
                }
            }
        }

        var certificates = new Dictionary<string, CertificateSettings>(TenantDefaults.Certificates, StringComparer.Ordinal);
        foreach (var (kind, settings) in d.Certificates?.All() ?? [])
        {
            var defaults = TenantDefaults.Certificates[kind];
            certificates[kind] = new CertificateSettings(settings.AuthText?.Trim() ?? defaults.AuthText, settings.Fee ?? defaults.Fee);
        }

        var optionsOn = new HashSet<string>(TenantDefaults.OptionsOn, StringComparer.Ordinal);
        foreach (var (section, on) in d.Options ?? [])
        {
            if (on && !TenantDefaults.AvailableOptions.Contains(section))
            {
                problems.Add(new ConfigProblem(Child("$.options", section), "not-available", $"標準オプション機能 {section} はこの版では提供していません。false にするか削除してください。"));
            }
            if (!on && TenantDefaults.AlwaysOn.Contains(section))
            {
                problems.Add(new ConfigProblem(Child("$.options", section), "always-on", $"標準オプション機能 {section} はこの版では常に有効です。true にするか削除してください。"));
            }
            if (on)
            {
                optionsOn.Add(section);
            }
            else
            {
                optionsOn.Remove(section);
            }
        }

        var towns = new List<TownEntry>();
        for (var i = 0; i < d.Towns!.Count; i++)
        {
            var t = d.Towns[i];
            if (t.Chome is { } chome && chome.To < chome.From)
            {
                problems.Add(new ConfigProblem($"$.towns[{i}].chome.to", "range", "丁目の終わりが始まりより小さくなっています。"));
            }
            var buildings = (t.Buildings ?? []).Select(b => b.Trim()).ToList();
            Unique(buildings, b => b, $"$.towns[{i}].buildings", "方書", problems);
            towns.Add(BuildTown(t, $"$.towns[{i}]", buildings, problems));
        }
        Unique(towns, t => t.Name, "$.towns", "町字", problems);
        Unique(towns, t => t.Code, "$.towns", "町字コード", problems);
        var districts = BuildDistricts(d.Districts ?? [], towns, problems);
        var linkedSystems = BuildLinkedSystems(d.LinkedSystems ?? [], problems);
        var characters = d.CsLink?.Characters ?? [];
        foreach (var (from, to) in characters)
        {
            if (!Cs.UnifiedCharacters.IsInSet(to))
            {
                problems.Add(new ConfigProblem($"$.csLink.characters.{from}", "character", $"変換先「{to}」が住基ネット統一文字 (JIS X 0208 の文字) ではありません。"));
            }
        }

        var approval = new HashSet<string>(StringComparer.Ordinal);
        var required = d.Approval?.RequiredFor ?? [];
        for (var i = 0; i < required.Count; i++)
        {
            if (!Registration.IdouReason.IsKnown(required[i]))
            {
                problems.Add(new ConfigProblem($"$.approval.requiredFor[{i}]", "reason", $"「{required[i]}」は異動事由 (1.2.2) ではありません。"));
            }
            approval.Add(required[i]);
        }

        AccessPolicy? access = null;
        if (d.Access is { } a2)
        {
            var units = (a2.Units ?? []).Select(u => new AccessGrant(u.Id!, u.Name!.Trim(), u.Functions!.ToHashSet(StringComparer.Ordinal), (u.HiddenItems ?? []).ToHashSet(StringComparer.Ordinal))).ToList();
            Unique(units, u => u.Id, "$.access.units", "所属 id", problems);
            var users = new List<AccessGrant>();
            var rawUsers = a2.Users ?? [];
            for (var i = 0; i < rawUsers.Count; i++)
            {
                var u = rawUsers[i];
                var path = $"$.access.users[{i}]";
                if (u.Unit is not null && units.All(x => x.Id != u.Unit))
                {
                    problems.Add(new ConfigProblem($"{path}.unit", "reference", $"所属 '{u.Unit}' が $.access.units にありません。"));
                }
                if (u.Unit is null && u.Functions is null)
                {
                    problems.Add(new ConfigProblem($"{path}.functions", "required", "所属 (unit) か操作権限 (functions) のいずれかが必要です。"));
                }
                var from = Date(u.From, $"{path}.from", problems);
                var until = Date(u.Until, $"{path}.until", problems);
                if (from is not null && until is not null && until < from)
                {
                    problems.Add(new ConfigProblem($"{path}.until", "period", "利用期間の終了日が開始日より前です。"));
                }
                users.Add(new AccessGrant(u.Id!, u.Name ?? "", (u.Functions ?? []).ToHashSet(StringComparer.Ordinal), (u.HiddenItems ?? []).ToHashSet(StringComparer.Ordinal))
                {
                    Unit = u.Unit ?? "",
                    From = from,
                    Until = until,
                });
            }
            Unique(users, u => u.Id, "$.access.users", "利用者 id", problems);
            access = new AccessPolicy(units, users);
        }

        var retention = new RetentionSettings(
            d.Retention?.RemovedRecordsYears ?? TenantDefaults.Retention.RemovedRecordsYears,
            d.Retention?.IssuanceLedgerYears ?? TenantDefaults.Retention.IssuanceLedgerYears,
            d.Retention?.AccessLogYears ?? TenantDefaults.Retention.AccessLogYears)
        {
            ArchiveAfterYears = d.Retention?.ArchiveAfterYears ?? TenantDefaults.Retention.ArchiveAfterYears,
        };

        return new TenantDefinition(d.Code!, d.Name!.Trim(), d.NameKana!.Trim(), d.Prefecture!.Trim(), towns, document)
        {
            Offices = offices,
            Districts = districts,
            Authenticators = authenticators,
            Seals = seals,
            Certificates = certificates,
            OptionsOn = optionsOn,
            PersonalNoticeCondition = d.PersonalNotice?.Condition switch
            {
                "registeredExceptSelf" => PersonalNoticeCondition.RegisteredExceptSelf,
                "anyThirdPartyOrAgent" => PersonalNoticeCondition.AnyThirdPartyOrAgent,
                _ => PersonalNoticeCondition.Registered,
            },
            PersonalNoticeRegistrationYears = d.PersonalNotice?.RegistrationYears ?? TenantDefaults.PersonalNoticeRegistrationYears,
            ApprovalRequiredFor = approval,
            Access = access,
            Retention = retention,
            StartedOn = DateOnly.TryParseExact(d.StartedOn ?? "", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var started)
                ? started : null,
            CsManual = d.CsLink?.Manual ?? false,
            CsCharacters = characters,
            LinkedSystems = linkedSystems,
            JobSchedules = BuildSchedules(d.Jobs?.Schedules ?? [], d.Code!, districts, problems),
            OverflowTruncates = d.Printing?.Overflow != "blank",
            SealNote = d.Printing?.SealNote?.Trim() ?? "",
        };
    }

    /// <summary>A 町字 with its 住居表示・地番 master (1.3.2): lines inside the 丁目 range, no overlap.</summary>
    private static TownEntry BuildTown(TownDto t, string path, List<string> buildings, List<ConfigProblem> problems)
    {
        var numbering = t.Numbering switch
        {
            "residence" => LotNumbering.Residence,
            "lot" => LotNumbering.Lot,
            _ => LotNumbering.None,
        };
        var blocks = (t.Blocks ?? []).Select(b => new BlockEntry(b.Chome, b.Number, b.From, b.To)).ToList();
        if (numbering == LotNumbering.None && (blocks.Count > 0 || t.SpecialLots is { Count: > 0 }))
        {
            problems.Add(new ConfigProblem($"{path}.numbering", "required", "街区・地番の一覧があるときは numbering (residence: 住居表示 / lot: 地番) が必要です。"));
        }
        for (var j = 0; j < blocks.Count; j++)
        {
            var b = blocks[j];
            var at = $"{path}.blocks[{j}]";
            if (t.Chome is { } range ? b.Chome < range.From || b.Chome > range.To : b.Chome != 0)
            {
                problems.Add(new ConfigProblem($"{at}.chome", "range", t.Chome is { } r ? $"丁目は {r.From} から {r.To} までです。" : "丁目のない町字では 0 です。"));
            }
            if (b.To < b.From)
            {
                problems.Add(new ConfigProblem($"{at}.to", "range", "番号の終わりが始まりより小さくなっています。"));
            }
            if (numbering == LotNumbering.Residence && b.From == 0)
            {
                problems.Add(new ConfigProblem($"{at}.from", "range", "住居番号は1から始まります。"));
            }
            if (blocks.Take(j).Any(o => o.Chome == b.Chome && o.Number == b.Number && o.From <= b.To && b.From <= o.To))
            {
                problems.Add(new ConfigProblem(at, "overlap", $"{b.Chome}丁目 {b.Number}番の番号が他の行と重なっています。"));
            }
        }
        var specials = (t.SpecialLots ?? []).Select(s => s.Trim()).ToList();
        Unique(specials, s => s, $"{path}.specialLots", "特殊地番", problems);
        for (var j = 0; j < specials.Count; j++)
        {
            if (LotNumber.ParseStrict(specials[j]) is not null)
            {
                problems.Add(new ConfigProblem($"{path}.specialLots[{j}]", "special", $"「{specials[j]}」は番号だけです。特殊地番には名前を付けてください (無番地、地先 …)。"));
            }
        }
        return new TownEntry(t.Name!.Trim(), t.PostalCode!)
        {
            Kana = t.Kana?.Trim() ?? "",
            Code = t.Code!,
            Chome = t.Chome is { } c ? (c.From, c.To) : null,
            Buildings = buildings,
            Numbering = numbering,
            Blocks = blocks,
            SpecialLots = specials,
        };
    }

    /// <summary>9.1: each scheduled job with a time, a schedule it can keep, a reason, and the parameters its kind needs.</summary>
    private static List<Jobs.JobSchedule> BuildSchedules(List<JobScheduleDto> raw, string code, List<DistrictEntry> districts, List<ConfigProblem> problems)
    {
        var schedules = new List<Jobs.JobSchedule>();
        for (var i = 0; i < raw.Count; i++)
        {
            var s = raw[i];
            var path = $"$.jobs.schedules[{i}]";
            if (Jobs.JobSchedules.Problem(s.Every ?? "") is { } every)
            {
                problems.Add(new ConfigProblem($"{path}.every", "schedule", every));
            }
            var at = TimeOnly.TryParseExact(s.At ?? "", "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : TimeOnly.MinValue;
            var parameters = "{}";
            if (s.Kind == Jobs.RandomExtraction.Kind)
            {
                if (s.RandomExtraction is not { } r)
                {
                    problems.Add(new ConfigProblem($"{path}.randomExtraction", "required", "無作為抽出の条件 (randomExtraction) を書いてください。"));
                }
                else
                {
                    // The day it runs is the job's 基準日; it is set when the job is started.
                    var given = new Jobs.RandomExtractionParameters(r.Sex, r.BornFrom ?? "", r.BornTo ?? "", r.Districts ?? [], r.ResidentKind, r.Count, r.Seed, r.StratifyBy ?? "", DateOnly.MinValue);
                    try
                    {
                        Jobs.RandomExtraction.Check(given, new TenantDefinition(code, "", "", "", [], "") { Districts = districts });
                    }
                    catch (Errors.DomainException refused)
                    {
                        problems.AddRange(refused.Violations.Select(v => new ConfigProblem($"{path}.randomExtraction", "parameters", v.Description)));
                    }
                    parameters = System.Text.Json.JsonSerializer.Serialize(given);
                }
            }
            else if (s.RandomExtraction is not null)
            {
                problems.Add(new ConfigProblem($"{path}.randomExtraction", "kind", "randomExtraction は kind が randomExtraction のときだけ書きます。"));
            }
            schedules.Add(new Jobs.JobSchedule(s.Id!, s.Kind!, at, s.Every ?? "", parameters, s.Reason!.Trim()));
        }
        Unique(schedules, x => x.Id, "$.jobs.schedules", "スケジュール id", problems);
        return schedules;
    }

    /// <summary>The item the 団体内統合宛名システム is kept by (7.1.2.3).</summary>
    private const string IntegratedAtenaKey = "個人番号";

    /// <summary>7.2: each linked system with items the register can give and a delivery it can keep.</summary>
    private static List<LinkedSystem> BuildLinkedSystems(List<LinkedSystemDto> raw, List<ConfigProblem> problems)
    {
        var systems = new List<LinkedSystem>();
        for (var i = 0; i < raw.Count; i++)
        {
            var s = raw[i];
            var path = $"$.linkedSystems[{i}]";
            var items = (s.Items ?? []).Select(x => x.Trim()).ToList();
            for (var j = 0; j < items.Count; j++)
            {
                if (!Link.LinkItems.Known.Contains(items[j]))
                {
                    problems.Add(new ConfigProblem($"{path}.items[{j}]", "item", $"「{items[j]}」は連携できる項目ではありません (移行レイアウトの住民の項目名、支援措置、抑止)。"));
                }
            }
            Unique(items, x => x, $"{path}.items", "項目", problems);
            var kind = s.Kind switch
            {
                "familyRegisterAnnex" => LinkedSystemKind.FamilyRegisterAnnex,
                "integratedAtena" => LinkedSystemKind.IntegratedAtena,
                _ => LinkedSystemKind.Atena,
            };
            if (kind == LinkedSystemKind.IntegratedAtena && !items.Contains(IntegratedAtenaKey))
            {
                // 7.1.2.3: the 中間サーバー's 副本 is kept by 個人番号.
                problems.Add(new ConfigProblem($"{path}.items", "item", $"団体内統合宛名システムには「{IntegratedAtenaKey}」を連携項目に含めてください。"));
            }
            var interval = s.Delivery == "interval" ? s.IntervalMinutes ?? 0 : 0;
            if (s.Delivery == "interval" && interval is < 1 or > 10)
            {
                problems.Add(new ConfigProblem($"{path}.intervalMinutes", "range", "準リアルタイムの連携間隔は1分から10分までです。"));
            }
            if (s.Delivery != "interval" && s.IntervalMinutes is not null)
            {
                problems.Add(new ConfigProblem($"{path}.intervalMinutes", "delivery", "連携間隔は delivery が interval (準リアルタイム) のときだけ指定します。"));
            }
            var reports = s.Reports ?? [];
            Unique(reports, x => x, $"{path}.reports", "業務", problems);
            systems.Add(new LinkedSystem(s.Id!, s.Name!.Trim(), kind, items)
            {
                IntervalMinutes = interval,
                Reports = reports.ToHashSet(StringComparer.Ordinal),
            });
        }
        Unique(systems, x => x.Id, "$.linkedSystems", "連携先システム id", problems);
        return systems;
    }

    /// <summary>地区 (1.3.5): areas that exist, and no place in two 地区.</summary>
    private static List<DistrictEntry> BuildDistricts(List<DistrictDto> raw, List<TownEntry> towns, List<ConfigProblem> problems)
    {
        var districts = new List<DistrictEntry>();
        for (var i = 0; i < raw.Count; i++)
        {
            var areas = new List<DistrictArea>();
            var list = raw[i].Areas ?? [];
            for (var j = 0; j < list.Count; j++)
            {
                var at = $"$.districts[{i}].areas[{j}]";
                var name = list[j].Town!.Trim();
                var chome = (list[j].Chome ?? []).Distinct().Order().ToList();
                var town = towns.FirstOrDefault(t => t.Name == name);
                if (town is null)
                {
                    problems.Add(new ConfigProblem($"{at}.town", "reference", $"町字「{name}」が $.towns にありません。"));
                }
                else if (chome.Any(c => town.Chome is not { } r || c < r.From || c > r.To))
                {
                    problems.Add(new ConfigProblem($"{at}.chome", "range", town.Chome is { } r ? $"{name}の丁目は {r.From} から {r.To} までです。" : $"{name}に丁目はありません。"));
                }
                var area = new DistrictArea(name, chome);
                var clash = districts.SelectMany(d => d.Areas.Select(a => (d.Name, Area: a))).Concat(areas.Select(a => (Name: raw[i].Name!.Trim(), Area: a)))
                    .FirstOrDefault(o => o.Area.Town == name && (o.Area.Chome.Count == 0 || chome.Count == 0 || o.Area.Chome.Intersect(chome).Any()));
                if (clash.Area is not null)
                {
                    problems.Add(new ConfigProblem(at, "overlap", $"{name}{(chome.Count > 0 ? string.Join("・", chome) + "丁目" : "")}は既に地区「{clash.Name}」に入っています。"));
                }
                areas.Add(area);
            }
            districts.Add(new DistrictEntry(raw[i].Code!, raw[i].Name!.Trim(), areas));
        }
        Unique(districts, d => d.Code, "$.districts", "地区コード", problems);
        return districts;
    }
}
