using SharedResidentSystem.Client;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using Date = Google.Type.Date;

namespace SharedResidentSystem.Terminal;

/// <summary>
/// The 異動 screens of the counter. Each shows the name of the process it is in (2.3.1), takes
/// every item from the keyboard, and ends on the confirmation screen (4.0.9) before anything
/// is recorded. The 異動日 starts blank, to be typed from the 届出 (4.0.3#2); the 届出日 starts as
/// today (4.1.0.2#2).
/// </summary>
public sealed class IdouScreens(Session session, Screen screen, Submitter submitter)
{
    /// <summary>転入; <paramref name="filled"/>: a request read from a CSV (10.8), shown on the confirmation screen at once.</summary>
    public async Task MoveInAsync(RecordMoveInRequest? filled = null)
    {
        var today = screen.Today;
        var request = filled ?? new RecordMoveInRequest();
        request.MoveDate ??= new Date();
        request.NotificationDate ??= ToDate(today);
        request.Notifier ??= new Notifier { Relation = "本人" };
        request.Address ??= new Address();
        request.PreviousAddress ??= new Address();
        var process = "転入";
        screen.Title(process);
        var sections = new List<FormSection>
        {
            Dates("異動日（転入日）", request.MoveDate, "届出日", request.NotificationDate),
            NotifierSection(request.Notifier),
            new("転入の種類", () => request.Reason == MoveInReason.FromAbroad ? "国外転入等" : "国内転入", async () =>
                request.Reason = await screen.ChooseAsync("転入の種類", [(1, "国内転入"), (2, "国外転入等")], request.Reason == MoveInReason.FromAbroad ? 2 : 1) == 2
                    ? MoveInReason.FromAbroad
                    : MoveInReason.Domestic),
            new("世帯", () => request.JoinHousehold.Length == 0 ? "新しい世帯" : $"既存の世帯 {Shown.Id(request.JoinHousehold)} に加わる", async () =>
            {
                var number = await screen.AskAsync("加わる世帯の世帯番号（空欄: 新しい世帯）", Shown.Id(request.JoinHousehold));
                request.JoinHousehold = number.Length == 0 ? "" : session.HouseholdName(number);
            }),
            AddressSection("新住所", request.Address),
            new("従前の住所", () => Shown.Address(request.PreviousAddress), async () =>
            {
                var a = request.PreviousAddress;
                if (request.Reason == MoveInReason.FromAbroad)
                {
                    a.Country = await screen.AskAsync("国名等", a.Country, required: true);
                }
                a.Prefecture = await screen.AskAsync("都道府県", a.Prefecture);
                a.City = await screen.AskAsync("市区町村", a.City);
                a.FreeText = await screen.AskAsync("町名・番地・方書", a.FreeText, required: true);
            }),
        };
        if (request.Members.Count == 0)
        {
            request.Members.Add(new PersonEntry { Relationship = "世帯主" });
        }
        foreach (var (member, i) in request.Members.Select((m, i) => (m, i)))
        {
            sections.Add(PersonSection($"世帯員{i + 1}", member));
        }
        var memberSections = new FormSection("世帯員の追加", () => $"{request.Members.Count}人", async () =>
        {
            while (await screen.YesNoAsync($"世帯員を追加しますか（現在 {request.Members.Count} 人）", defaultYes: false))
            {
                var member = new PersonEntry();
                request.Members.Add(member);
                var section = PersonSection($"世帯員{request.Members.Count}", member);
                await section.Edit();
                sections.Insert(sections.Count - 1, section);
            }
        });
        sections.Add(memberSections);
        var response = await submitter.RunFormAsync(process, sections, request, r => session.Client.RecordMoveInAsync(r), editFirst: filled is null);
        Recorded(process, response);
    }

    /// <summary>転出 (国内, 国外, or 特例転出 4.1.3.0.4); returns the residents who moved out and how (for the 転出証明書).</summary>
    public async Task<(IReadOnlyList<string> Residents, bool Abroad, bool Special)?> MoveOutAsync(RecordMoveOutRequest? filled = null)
    {
        screen.Title("転出");
        var request = filled ?? new RecordMoveOutRequest();
        request.PlannedDate ??= new Date();
        request.NotificationDate ??= ToDate(screen.Today);
        request.Notifier ??= new Notifier { Relation = "本人" };
        request.Destination ??= new Address();
        var process = filled is null ? await ResidentsAsync(request.Residents, "転出") : await ProcessOfAsync(request.Residents, "転出");
        var sections = new List<FormSection>
        {
            ResidentsSection(request.Residents),
            Dates("転出予定日", request.PlannedDate, "届出日", request.NotificationDate),
            NotifierSection(request.Notifier),
            new("転出先", () => (request.Abroad ? "国外 " : request.Special ? "特例転出 " : "") + Shown.Address(request.Destination), async () =>
            {
                var kind = await screen.ChooseAsync("転出の種類", [(1, "国内転出"), (2, "国外転出"), (3, "特例転出（個人番号カード等の保有者の国内転出）")],
                    request.Abroad ? 2 : request.Special ? 3 : 1);
                (request.Abroad, request.Special) = (kind == 2, kind == 3);
                var a = request.Destination;
                if (request.Abroad)
                {
                    a.Country = await screen.AskAsync("国名等", a.Country, required: true);
                }
                else
                {
                    a.Prefecture = await screen.AskAsync("都道府県", a.Prefecture, required: true);
                    a.City = await screen.AskAsync("市区町村", a.City, required: true);
                }
                a.FreeText = await screen.AskAsync("町名・番地・方書", a.FreeText);
            }),
        };
        var response = await submitter.RunFormAsync(process, sections, request, r => session.Client.RecordMoveOutAsync(r), editFirst: filled is null);
        Recorded(process, response);
        return response is { Idou.Length: > 0 } ? (request.Residents.Select(r => r.Name).ToList(), request.Abroad, request.Special) : null;
    }

    public async Task AddressChangeAsync(RecordAddressChangeRequest? filled = null)
    {
        screen.Title("転居");
        var request = filled ?? new RecordAddressChangeRequest();
        request.MoveDate ??= new Date();
        request.NotificationDate ??= ToDate(screen.Today);
        request.Notifier ??= new Notifier { Relation = "本人" };
        request.Address ??= new Address();
        var process = filled is null ? await ResidentsAsync(request.Residents, "転居") : await ProcessOfAsync(request.Residents, "転居");
        var sections = new List<FormSection>
        {
            ResidentsSection(request.Residents),
            Dates("異動日（転居日）", request.MoveDate, "届出日", request.NotificationDate),
            NotifierSection(request.Notifier),
            AddressSection("新住所", request.Address),
        };
        if (process.Contains("一部", StringComparison.Ordinal))
        {
            request.Placement = new Placement();
            sections.Add(new FormSection("移動先の世帯", () => request.Placement.Household.Length == 0
                ? "新しい世帯（" + string.Join("、", request.Placement.Relationships.Select(kv => $"{Shown.Id(kv.Key)}: {kv.Value}")) + "）"
                : $"世帯 {Shown.Id(request.Placement.Household)}（" + string.Join("、", request.Placement.Relationships.Select(kv => $"{Shown.Id(kv.Key)}: {kv.Value}")) + "）", async () =>
            {
                var number = await screen.AskAsync("加わる世帯の世帯番号（空欄: 新しい世帯）", Shown.Id(request.Placement.Household));
                request.Placement.Household = number.Length == 0 ? "" : session.HouseholdName(number);
                foreach (var r in request.Residents)
                {
                    request.Placement.Relationships[r.Name] = await screen.AskAsync($"{Shown.Id(r.Name)} の新しい続柄",
                        request.Placement.Relationships.TryGetValue(r.Name, out var rel) ? rel : null, required: true);
                }
            }));
        }
        var response = await submitter.RunFormAsync(process, sections, request, r => session.Client.RecordAddressChangeAsync(r), editFirst: filled is null);
        Recorded(process, response);
    }

    public async Task BirthAsync()
    {
        var process = "出生";
        screen.Title(process);
        var child = new PersonEntry { Relationship = "子" };
        var request = new RecordBirthRequest
        {
            Child = child,
            NotificationDate = ToDate(screen.Today),
            Notifier = new Notifier { Relation = "父" },
        };
        var sections = new List<FormSection>
        {
            new("世帯", () => Shown.Id(request.Household), async () =>
                request.Household = session.HouseholdName(await screen.AskAsync("生まれた子が入る世帯の世帯番号", Shown.Id(request.Household), required: true))),
            PersonSection("子", child),
            new("届出日", () => Shown.Date(request.NotificationDate), async () => Set(request.NotificationDate, await screen.AskDateAsync("届出日", FromDate(request.NotificationDate)))),
            NotifierSection(request.Notifier),
        };
        var response = await submitter.RunFormAsync(process, sections, request, r => session.Client.RecordBirthAsync(r));
        Recorded(process, response);
    }

    public async Task DeathAsync()
    {
        var process = "死亡";
        screen.Title(process);
        var request = new RecordDeathRequest
        {
            Resident = new ResidentRef(),
            DeathDate = new Date(),
            NotificationDate = ToDate(screen.Today),
            Notifier = new Notifier { Relation = "親族" },
        };
        var sections = new List<FormSection>
        {
            new("死亡した住民", () => Shown.Id(request.Resident.Name), async () =>
                request.Resident.Name = session.ResidentName(await screen.AskAsync("宛名番号", Shown.Id(request.Resident.Name), required: true))),
            Dates("死亡日", request.DeathDate, "届出日", request.NotificationDate),
            NotifierSection(request.Notifier),
        };
        var response = await submitter.RunFormAsync(process, sections, request, r => session.Client.RecordDeathAsync(r));
        Recorded(process, response);
    }

    /// <summary>世帯主変更 (4.1.4.1, 4.1.4.2): the new head and every other member's new 続柄.</summary>
    public async Task HeadChangeAsync()
    {
        var process = "世帯主変更";
        screen.Title(process);
        var request = new RecordHeadChangeRequest
        {
            NewHead = new ResidentRef(),
            ChangeDate = new Date(),
            NotificationDate = ToDate(screen.Today),
            Notifier = new Notifier { Relation = "本人" },
        };
        var members = new List<Resident>();
        var sections = new List<FormSection>
        {
            new("世帯・新しい世帯主", () => $"世帯 {Shown.Id(request.Household)}　新しい世帯主 {Shown.Id(request.NewHead.Name)}", async () =>
            {
                var number = await screen.AskAsync("世帯番号", Shown.Id(request.Household), required: true);
                var household = await session.Client.GetHouseholdAsync(new GetHouseholdRequest { Name = session.HouseholdName(number) });
                if (!household.Succeeded)
                {
                    Views.Problem(screen, household.Problem!);
                    throw new CancelledByClerkException();
                }
                request.Household = household.Value!.Name;
                members.Clear();
                members.AddRange(household.Value.Members);
                Views.Household(screen, household.Value);
                var head = await screen.AskAsync("新しい世帯主の宛名番号", Shown.Id(request.NewHead.Name), required: true);
                request.NewHead = new ResidentRef { Name = session.ResidentName(head) };
            }),
            new("続柄", () => string.Join("、", request.Relationships.Select(kv => $"{Shown.Id(kv.Key)}: {kv.Value}")), async () =>
            {
                request.Relationships.Clear();
                foreach (var m in members.Where(m => m.Name != request.NewHead.Name))
                {
                    request.Relationships[m.Name] = await screen.AskAsync($"{m.ResidentNumber} {Shown.Name(m.PersonName)} の新しい続柄", required: true);
                }
            }),
            Dates("異動日", request.ChangeDate, "届出日", request.NotificationDate),
            NotifierSection(request.Notifier),
        };
        var response = await submitter.RunFormAsync(process, sections, request, r => session.Client.RecordHeadChangeAsync(r));
        Recorded(process, response);
    }

    /// <summary>
    /// Any other 異動 of the contract (職権記載・消除, 修正, 取消し, 世帯変更等 …) from a request file
    /// prepared beforehand: read back on the confirmation screen, sent with the same handling
    /// of errors and alerts; 修正 reads the file again after the clerk corrected it.
    /// </summary>
    public async Task FromFileAsync()
    {
        screen.Title("その他の異動（届出内容ファイル）");
        var kinds = ScriptCommands.Records.Keys.ToList();
        var kind = kinds[await screen.ChooseAsync("異動の種類", kinds.Select((k, i) => (i + 1, ScriptCommands.RecordLabels[k])).ToList()) - 1];
        var path = await screen.AskAsync("届出内容ファイル（proto JSON）", required: true);
        var (parser, send) = ScriptCommands.Records[kind];
        Google.Protobuf.IMessage request = await ReadAsync(parser, path);
        var formatter = new Google.Protobuf.JsonFormatter(Google.Protobuf.JsonFormatter.Settings.Default.WithIndentation());
        var sections = new List<FormSection>
        {
            new("届出内容", () => "\n" + formatter.Format(request), async () => request = await ReadAsync(parser, path)),
        };
        var process = ScriptCommands.RecordLabels[kind];
        var response = await submitter.RunAnyFormAsync(process, sections, () => request, m => send(session.Client, m));
        Recorded(process, response);
    }

    private async Task<Google.Protobuf.IMessage> ReadAsync(Google.Protobuf.MessageParser parser, string path)
    {
        while (true)
        {
            try
            {
                return parser.ParseJson(await File.ReadAllTextAsync(path));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Google.Protobuf.InvalidJsonException or Google.Protobuf.InvalidProtocolBufferException)
            {
                screen.Line($"  ※ ファイルを読めません: {e.Message}");
                path = await screen.AskAsync("届出内容ファイル（proto JSON）", path, required: true);
            }
        }
    }

    /// <summary>Asks who moves; names the process 全部 or 一部 by the household (2.3.1).</summary>
    private async Task<string> ResidentsAsync(Google.Protobuf.Collections.RepeatedField<ResidentRef> residents, string process)
    {
        var text = await screen.AskAsync("宛名番号（複数はカンマ区切り）、または 世帯:世帯番号（世帯全員）", required: true);
        residents.Clear();
        if (text.StartsWith("世帯:", StringComparison.Ordinal))
        {
            var household = await session.Client.GetHouseholdAsync(new GetHouseholdRequest { Name = session.HouseholdName(text[3..]) });
            if (!household.Succeeded)
            {
                Views.Problem(screen, household.Problem!);
                throw new CancelledByClerkException();
            }
            foreach (var m in household.Value!.Members)
            {
                residents.Add(new ResidentRef { Name = m.Name, Etag = m.Etag });
            }
            process = $"全部{process}";
        }
        else
        {
            foreach (var number in text.Split([',', '、', ' '], StringSplitOptions.RemoveEmptyEntries))
            {
                residents.Add(new ResidentRef { Name = session.ResidentName(number) });
            }
            return await ProcessOfAsync(residents, process);
        }
        screen.Line($"── 処理: {process} ──");
        return process;
    }

    /// <summary>The process named 全部 or 一部 by whether the residents are their whole household (2.3.1).</summary>
    private async Task<string> ProcessOfAsync(IReadOnlyCollection<ResidentRef> residents, string process)
    {
        var first = await session.Client.GetResidentAsync(new GetResidentRequest { Name = residents.First().Name });
        if (first.Succeeded && first.Value!.Household.Length > 0)
        {
            var household = await session.Client.GetHouseholdAsync(new GetHouseholdRequest { Name = first.Value.Household });
            if (household.Succeeded)
            {
                var all = household.Value!.Members.Select(m => m.Name).ToHashSet();
                process = all.SetEquals(residents.Select(r => r.Name)) ? $"全部{process}" : $"一部{process}";
            }
        }
        screen.Line($"── 処理: {process} ──");
        return process;
    }

    private static FormSection ResidentsSection(ICollection<ResidentRef> residents) =>
        new("異動する住民", () => string.Join("、", residents.Select(r => Shown.Id(r.Name))), () => Task.CompletedTask);

    private FormSection Dates(string firstLabel, Date first, string secondLabel, Date second) =>
        new($"{firstLabel}・{secondLabel}", () => $"{Shown.Date(first)}・{Shown.Date(second)}", async () =>
        {
            Set(first, await screen.AskDateAsync(firstLabel, FromDate(first)));
            Set(second, await screen.AskDateAsync(secondLabel, FromDate(second)));
        });

    private FormSection NotifierSection(Notifier notifier) =>
        new("届出人", () => $"{notifier.Name}（{notifier.Relation}）", async () =>
        {
            notifier.Name = await screen.AskAsync("届出人の氏名", notifier.Name, required: true);
            notifier.Relation = await screen.AskAsync("届出人と異動者の関係", notifier.Relation, required: true);
        });

    private FormSection AddressSection(string label, Address address) =>
        new(label, () => Shown.Address(address), async () =>
        {
            if (await PlaceAsync() is { } place)
            {
                (address.Town, address.Chome, address.PostalCode) = (place.Address.Town, place.Address.Chome, place.Address.PostalCode);
                screen.Line($"  → {place.Address.Town}{(place.Address.Chome > 0 ? $"{place.Address.Chome}丁目" : "")}　〒{place.Address.PostalCode}　住所コード {place.AddressCode}");
                address.Banchi = await screen.AskAsync(place.Numbering switch
                {
                    LotNumbering.Residence => "街区符号・住居番号（例 2番3号）",
                    LotNumbering.Lot => "地番（例 123番地の4）",
                    _ => "番地・号（例 2番3号）",
                }, address.Banchi);
                address.Katagaki = await screen.AskAsync("方書", address.Katagaki);
                return;
            }
            address.Town = await screen.AskAsync("町字", address.Town);
            address.Chome = await screen.NumberAsync("丁目（なし: 0）", address.Chome, 0, 99);
            address.Banchi = await screen.AskAsync("番地・号（例 2番3号）", address.Banchi);
            address.Katagaki = await screen.AskAsync("方書", address.Katagaki);
            address.PostalCode = await screen.AskAsync("郵便番号（7桁）", address.PostalCode);
        });

    /// <summary>
    /// 住所入力補助 (1.3.3): a 郵便番号 or the first kana of each part ("ホンチ", "ト ヒ ホ") gives the
    /// city's places to pick from; empty (or nothing found and declined) leaves the 町字 to be typed.
    /// </summary>
    private async Task<AddressCandidate?> PlaceAsync()
    {
        while (true)
        {
            var query = await screen.AskAsync("郵便番号か住所の読みの頭文字（例 189-0014、ホンチ。空欄: 町字を直接入力）");
            if (query.Length == 0)
            {
                return null;
            }
            var found = await session.Client.SuggestAddressAsync(query);
            if (!found.Succeeded)
            {
                Views.Problem(screen, found.Problem!);
                continue;
            }
            var candidates = found.Value!.Candidates.Take(30).ToList();
            if (found.Value.Candidates.Count > candidates.Count)
            {
                screen.Line($"  ※ {found.Value.Candidates.Count}件以上あります。最初の{candidates.Count}件です。頭文字を増やすと絞り込めます。");
            }
            if (candidates.Count == 0)
            {
                screen.Line("  ※ 住所辞書に該当する町字がありません。");
                continue;
            }
            if (candidates.Count == 1)
            {
                return candidates[0];
            }
            var choice = await screen.ChooseAsync("町字・丁目", [.. candidates.Select((c, i) => (i + 1, $"{c.Address.Town}{(c.Address.Chome > 0 ? $"{c.Address.Chome}丁目" : "")}"))]);
            return candidates[choice - 1];
        }
    }

    private FormSection PersonSection(string label, PersonEntry person) =>
        new(label, () => $"{Shown.Name(person.PersonName)}　{Shown.PartialDate(person.BirthDate)}　{Shown.Sex(person.Sex)}　{person.Relationship}"
            + (person.IndividualNumber.Length > 0 ? "　個人番号あり" : ""), async () =>
        {
            screen.Line($"〔{label}〕");
            var name = person.PersonName ??= new PersonName();
            name.Family = await screen.AskAsync("氏", name.Family, required: true);
            name.Given = await screen.AskAsync("名", name.Given);
            name.FamilyKana = await screen.AskAsync("氏（カナ）", name.FamilyKana, required: true);
            name.GivenKana = await screen.AskAsync("名（カナ）", name.GivenKana);
            var birth = await screen.AskPartialDateAsync("生年月日", person.BirthDate is { } b ? (b.Year, b.Month, b.Day) : null);
            person.BirthDate = new PartialDate { Year = birth!.Value.Year, Month = birth.Value.Month, Day = birth.Value.Day };
            var sex = await screen.ChooseAsync("性別", [(1, "男"), (2, "女")], person.Sex == Sex.Female ? 2 : person.Sex == Sex.Male ? 1 : null);
            person.Sex = sex == 2 ? Sex.Female : Sex.Male;
            person.Relationship = await screen.AskAsync("世帯主との続柄", person.Relationship, required: true);
            var domicile = person.Domicile ??= new Domicile();
            domicile.Address = await screen.AskAsync("本籍（ないときは なし、分からないときは 不明）", domicile.Address, required: true);
            domicile.HeadName = await screen.AskAsync("筆頭者（ないときは なし、分からないときは 不明）", domicile.HeadName, required: true);
            person.IndividualNumber = await screen.AskAsync("個人番号（12桁、空欄可）", person.IndividualNumber);
        });

    private void Recorded(string process, RecordIdouResponse? response)
    {
        if (response is null)
        {
            return;
        }
        if (response.PendingIdou.Length > 0)
        {
            screen.Line($"■ {process}を仮登録しました（{Shown.Id(response.PendingIdou)}）。監督者の決裁で本登録されます。");
            return;
        }
        screen.Line($"■ {process}を記録しました。異動 {Shown.Id(response.Idou)}　世帯番号 {Shown.Id(response.Household)}");
        foreach (var r in response.Residents)
        {
            screen.Line($"   宛名番号 {r.ResidentNumber}　{Shown.Name(r.PersonName)}　{r.Relationship}");
        }
    }

    public static Date ToDate(DateOnly d) => new() { Year = d.Year, Month = d.Month, Day = d.Day };

    private static DateOnly? FromDate(Date d) => d.Year == 0 ? null : new DateOnly(d.Year, d.Month, d.Day);

    private static void Set(Date target, DateOnly? value)
    {
        target.Year = value?.Year ?? 0;
        target.Month = value?.Month ?? 0;
        target.Day = value?.Day ?? 0;
    }
}
