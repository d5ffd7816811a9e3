using SharedResidentSystem.Client;
using SharedResidentSystem.Contracts.Certificates.V1;

namespace SharedResidentSystem.Terminal;

/// <summary>The certificate screens: issue (with preview), the 転出証明書 after a 転出, and verification.</summary>
public sealed class CertificateDesk(Session session, Screen screen, Submitter submitter)
{
    private static readonly (int, string)[] Kinds =
    [
        (1, "住民票の写し"), (2, "住民票記載事項証明書"), (3, "除票の写し"), (4, "除票記載事項証明書"), (5, "転出証明書"),
    ];

    private static readonly (int Key, string Text, CertificateItem Item)[] Items =
    [
        (1, "世帯主・続柄", CertificateItem.HeadAndRelationship),
        (2, "本籍・筆頭者", CertificateItem.Domicile),
        (3, "住民票コード", CertificateItem.ResidentCode),
        (4, "個人番号", CertificateItem.IndividualNumber),
        (5, "外国人住民の事項", CertificateItem.ForeignItems),
        (6, "住民となった日等", CertificateItem.Dates),
        (7, "旧氏・通称", CertificateItem.OtherNames),
    ];

    /// <summary>4.1.3.0.3: right after a 国内転出 the clerk is offered its 転出証明書.</summary>
    public async Task OfferMoveOutCertificateAsync(IReadOnlyList<string> residents, bool abroad, bool special)
    {
        // 4.1.3.0.4: a 特例転出 needs none (its 転出証明書情報 goes to the CS); one may be printed, marked 「特例による転出処理済」.
        if (abroad || !await screen.YesNoAsync(special ? "特例転出のため転出証明書は不要です。任意に出力しますか" : "続けて転出証明書を交付しますか", defaultYes: !special))
        {
            return;
        }
        var request = new IssueCertificateRequest { Kind = CertificateKind.MoveOutCertificate, Copies = 1 };
        request.Residents.AddRange(residents);
        await IssueAsync(request);
    }

    /// <summary>
    /// 証明書の交付. <paramref name="preset"/>: a 転出証明書 right after a 転出 (kind and persons fixed);
    /// <paramref name="filled"/>: a request read from a 交付申請書 CSV (10.8), every item still to correct, on the confirmation screen at once.
    /// </summary>
    public async Task IssueAsync(IssueCertificateRequest? preset, IssueCertificateRequest? filled = null)
    {
        var request = preset ?? filled ?? new IssueCertificateRequest { Copies = 1 };
        request.Requester ??= new Requester();
        request.Printer = request.Printer.Length > 0 ? request.Printer : session.Settings.Printer ?? "";
        screen.Title($"証明書の交付{(request.Kind != CertificateKind.Unspecified ? $"（{Shown.Kind(request.Kind)}）" : "")}");
        var sections = new List<FormSection>();
        if (preset is null)
        {
            sections.Add(new("種類", () => Shown.Kind(request.Kind), async () =>
                request.Kind = (CertificateKind)await screen.ChooseAsync("証明書の種類", Kinds, request.Kind == CertificateKind.Unspecified ? null : (int)request.Kind)));
            sections.Add(new("対象", Target(request), async () =>
            {
                var text = await screen.AskAsync("世帯:世帯番号（世帯全員）、または宛名番号（カンマ区切り）", required: true);
                request.Household = "";
                request.Residents.Clear();
                if (text.StartsWith("世帯:", StringComparison.Ordinal))
                {
                    request.Household = session.HouseholdName(text[3..]);
                }
                else
                {
                    request.Residents.AddRange(text.Split([',', '、', ' '], StringSplitOptions.RemoveEmptyEntries).Select(session.ResidentName));
                }
            }));
            sections.Add(new("様式・履歴", () => $"{(request.Layout == CertificateLayout.Individual ? "個人票" : "世帯連記式")}・履歴{(request.IncludeHistory ? "あり" : "なし")}", async () =>
            {
                request.Layout = await screen.ChooseAsync("様式", [(1, "世帯連記式"), (2, "個人票")], request.Layout == CertificateLayout.Individual ? 2 : 1) == 2
                    ? CertificateLayout.Individual
                    : CertificateLayout.Household;
                request.IncludeHistory = await screen.YesNoAsync("履歴を記載する", request.IncludeHistory);
            }));
            sections.Add(new("記載事項", () => request.Items.Count == 0 ? "基本事項のみ" : string.Join("・", request.Items.Select(i => Items.First(x => x.Item == i).Text)), async () =>
            {
                var menu = string.Join(" ", Items.Select(i => $"{i.Key}:{i.Text}"));
                while (true)
                {
                    var text = await screen.AskAsync($"記載する事項の番号（カンマ区切り、空欄: 基本事項のみ）{menu}",
                        string.Join(",", request.Items.Select(i => Items.First(x => x.Item == i).Key)));
                    var keys = text.Split([',', '、', ' '], StringSplitOptions.RemoveEmptyEntries);
                    var chosen = keys.Select(k => Items.FirstOrDefault(i => i.Key.ToString(System.Globalization.CultureInfo.InvariantCulture) == k)).ToList();
                    if (chosen.Any(c => c.Text is null))
                    {
                        screen.Line("  ※ 表示された番号から選んでください。");
                        continue;
                    }
                    request.Items.Clear();
                    request.Items.AddRange(chosen.Select(c => c.Item).Distinct());
                    return;
                }
            }));
        }
        else
        {
            sections.Add(new("種類・対象", () => $"{Shown.Kind(request.Kind)}　{Target(request)()}", () => Task.CompletedTask));
            sections.Add(new("再交付", () => request.Reissue ? "再交付" : "交付", async () => request.Reissue = await screen.YesNoAsync("再交付ですか", request.Reissue)));
        }
        sections.Add(new("請求者", () => RequesterText(request.Requester), () => RequesterAsync(request)));
        sections.Add(new("部数・プリンタ", () => $"{request.Copies}部　{(request.Printer.Length > 0 ? request.Printer : "（指定なし）")}", async () =>
        {
            request.Copies = await screen.NumberAsync("部数", Math.Max(1, request.Copies), 1, 10);
            request.Printer = await screen.AskAsync("プリンタ（端末に登録されたもの）", request.Printer);
        }));

        foreach (var section in filled is null ? sections : [])
        {
            await section.Edit();
        }
        while (true)
        {
            screen.Title($"{Shown.Kind(request.Kind)}　請求内容の確認");
            for (var i = 0; i < sections.Count; i++)
            {
                screen.Line($"{i + 1,3}. {sections[i].Label}: {sections[i].Show()}");
            }
            var choice = await screen.ChooseAsync("操作", [(1, "交付する"), (2, "修正する"), (3, "見本を表示・保存"), (0, "中止")], 1);
            switch (choice)
            {
                case 0:
                    throw new CancelledByClerkException();
                case 2:
                    var n = await screen.NumberAsync("修正する項目の番号", 1, 1, sections.Count);
                    await sections[n - 1].Edit();
                    continue;
                case 3:
                    await PreviewAsync(request);
                    continue;
            }
            var (end, response) = await submitter.SendAsync(RequestIds.Renewed(request), r => session.Client.IssueCertificateAsync(r));
            if (end == SubmitEnd.BackToEdit)
            {
                continue;
            }
            if (end == SubmitEnd.Recorded)
            {
                await HandOverAsync(response!);
            }
            return;
        }
    }

    /// <summary>交付履歴照会 (2.2.2) of a resident, and a reprint of an entry: the same bytes, logged as a print.</summary>
    public async Task HistoryAsync()
    {
        screen.Title("交付履歴照会");
        var number = await screen.AskAsync("宛名番号", required: true);
        var list = await session.Client.ListIssuancesAsync(new ListIssuancesRequest { Resident = session.ResidentName(number), IncludeRefused = true, PageSize = 20 });
        if (!list.Succeeded)
        {
            Views.Problem(screen, list.Problem!);
            return;
        }
        var entries = list.Value!.Issuances;
        if (entries.Count == 0)
        {
            screen.Line("交付履歴はありません。");
            return;
        }
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            screen.Line($"{i + 1,3}  {e.IssuedAt?.ToDateTimeOffset().ToOffset(TimeSpan.FromHours(9)):yyyy-MM-dd HH:mm}  {Shown.Kind(e.Kind)}  {e.Copies}部  "
                + $"{e.RequesterName}  職員 {e.Staff}  {(e.Outcome == "ISSUED" ? "交付" : $"拒否（{e.Outcome}）")}{(e.Disposed ? "  処分済" : "")}"
                + $"{(e.IndividualNumberPrinted ? "  個人番号あり" : "")}");
        }
        var pick = await screen.NumberAsync("再印刷する番号（0: 戻る）", 0, 0, entries.Count);
        if (pick == 0)
        {
            return;
        }
        var chosen = entries[pick - 1];
        if (chosen.Outcome != "ISSUED")
        {
            screen.Line("  ※ 拒否された請求は印刷できません。");
            return;
        }
        var reprint = await session.Client.ReprintIssuanceAsync(new ReprintIssuanceRequest { Name = chosen.Name });
        if (!reprint.Succeeded)
        {
            Views.Problem(screen, reprint.Problem!);
            return;
        }
        screen.Line("■ 交付時と同じ内容で再印刷します（記録されます）。");
        await DeliverAsync(reprint.Value!, "reprint-");
    }

    public async Task VerifyAsync()
    {
        screen.Title("証明書の検証");
        var code = await screen.AskAsync("検証コード（XXXX-XXXX-XXXX-XXXX）", required: true);
        var result = await session.Client.VerifyCertificateAsync(code);
        if (!result.Succeeded)
        {
            Views.Problem(screen, result.Problem!);
            return;
        }
        var v = result.Value!;
        screen.Line(v.Status switch
        {
            VerifyCertificateResponse.Types.Status.Issued => $"■ 有効: {v.CityName}（{v.CityCode}）が {v.IssuedAt?.ToDateTimeOffset().ToOffset(TimeSpan.FromHours(9)):yyyy-MM-dd HH:mm} に交付した{Shown.Kind(v.Kind)}（{v.Pages}枚）",
            VerifyCertificateResponse.Types.Status.Disposed => $"■ 無効: この証明書は処分済みです（{v.CityName} {Shown.Kind(v.Kind)}）",
            VerifyCertificateResponse.Types.Status.NotIssued => "■ このコードの証明書は交付されていません。",
            _ => "■ 検証コードの形式が正しくありません（打ち間違いがないか確かめてください）。",
        });
        if (v.ContentHash.Length > 0)
        {
            screen.Line($"  内容のハッシュ (SHA-256) {v.ContentHash}");
        }
    }

    private async Task PreviewAsync(IssueCertificateRequest request)
    {
        var preview = request.Clone();
        preview.RequestId = "";
        var result = await session.Client.PreviewCertificateAsync(preview);
        if (!result.Succeeded)
        {
            Views.Problem(screen, result.Problem!);
            return;
        }
        screen.Line("見本（発行番号なし・台帳に記録なし）:");
        await DeliverAsync(result.Value!, "preview-");
        foreach (var p in result.Value!.Certificate.Persons)
        {
            screen.Line("  " + string.Join("　", p.Fields.Select(f => $"{f.Label} {f.Value}")));
        }
        Overflows(result.Value);
    }

    private async Task HandOverAsync(IssueCertificateResponse response)
    {
        screen.Line($"■ {Shown.Kind(response.Certificate.Kind)}を交付しました（交付番号 {Shown.Id(response.Issuance)}、手数料 {Shown.Yen(response.Fee)}）。");
        foreach (var c in response.Copies)
        {
            screen.Line($"  {c.CopyNumber}部目　発行番号 {c.IssueNumber}　検証コード {c.VerificationCode}　{c.Pages}枚");
        }
        if (response.Delivery == Delivery.PostToResident)
        {
            screen.Line("  ※ 個人番号の記載があるため、窓口では渡さず住民票の住所へ郵送してください。");
        }
        if (response.IndividualNumberPrinted)
        {
            screen.Line("  ※ 個人番号を記載しています。");
        }
        Overflows(response);
        await DeliverAsync(response, "");
    }

    /// <summary>
    /// Prints the copies when the terminal has a print command and keeps them only in a folder the
    /// clerk named (--output-dir, or asked here when there is no printer): no copy stays behind otherwise.
    /// </summary>
    private async Task DeliverAsync(IssueCertificateResponse response, string prefix)
    {
        var folder = session.Settings.SaveDirectory;
        if (folder is null && session.Settings.PrintCommand is not { Length: > 0 })
        {
            var asked = await screen.AskAsync("印刷コマンドがありません。保存先フォルダ（空欄: 保存しない）", required: false);
            folder = asked.Length > 0 ? asked : null;
        }
        var delivered = await CertificateOutput.DeliverAsync(response, folder, session.Settings.PrintCommand, prefix);
        foreach (var saved in delivered.SavedFiles)
        {
            screen.Line($"  保存しました: {saved}");
        }
        if (delivered.Printed > 0)
        {
            screen.Line($"  プリンタへ送りました（{delivered.Printed}部）。");
        }
        if (delivered.PrintFailures.Count > 0)
        {
            screen.Line("  ※ 印刷できませんでした: " + string.Join(" / ", delivered.PrintFailures));
        }
        if (delivered.SavedFiles.Count == 0 && delivered.Printed == 0)
        {
            screen.Line("  ※ 印刷も保存もしていません。");
        }
    }

    /// <summary>10.7: what did not fit is listed for the clerk.</summary>
    private void Overflows(IssueCertificateResponse response)
    {
        foreach (var o in response.Overflows)
        {
            screen.Line($"  ※ 印字域超過: {o.Page}枚目 {Shown.Id(o.Resident)} {o.Field}（{o.Handling}）");
        }
    }

    private async Task RequesterAsync(IssueCertificateRequest request)
    {
        var r = request.Requester;
        var category = await screen.ChooseAsync("請求者の区分", [(1, "本人・同一世帯員"), (2, "代理人"), (3, "第三者"), (4, "特定事務受任者"), (5, "公用")],
            r.Category == RequesterCategory.Unspecified ? 1 : (int)r.Category);
        r.Category = (RequesterCategory)category;
        r.Name = await screen.AskAsync(r.Category == RequesterCategory.Official ? "担当者の氏名" : "請求者の氏名", r.Name, required: true);
        switch (r.Category)
        {
            case RequesterCategory.SelfOrHousehold:
                var number = await screen.AskAsync("請求者の宛名番号", Shown.Id(r.Resident).Length > 0 ? Shown.Id(r.Resident) : Shown.Id(request.Residents.FirstOrDefault() ?? ""), required: true);
                r.Resident = session.ResidentName(number);
                break;
            case RequesterCategory.Agent:
                r.Address = await screen.AskAsync("代理人の住所", r.Address, required: true);
                r.PrincipalName = await screen.AskAsync("委任者の氏名", r.PrincipalName, required: true);
                r.PowerOfAttorney = await screen.YesNoAsync("委任状を確認しました", r.PowerOfAttorney);
                break;
            case RequesterCategory.ThirdParty:
                r.Address = await screen.AskAsync("請求者の住所", r.Address, required: true);
                r.Purpose = (ThirdPartyPurpose)await screen.ChooseAsync("請求事由", [(1, "自己の権利行使・義務履行"), (2, "国等への提出"), (3, "その他正当な理由")],
                    r.Purpose == ThirdPartyPurpose.Unspecified ? null : (int)r.Purpose);
                r.PurposeDetail = await screen.AskAsync("請求事由の詳細", r.PurposeDetail, required: true);
                break;
            case RequesterCategory.SpecifiedProfessional:
                r.Qualification = await screen.AskAsync("資格（弁護士、司法書士 など）", r.Qualification, required: true);
                r.RegistrationNumber = await screen.AskAsync("登録番号", r.RegistrationNumber, required: true);
                r.PurposeDetail = await screen.AskAsync("受任事件・業務", r.PurposeDetail, required: true);
                break;
            case RequesterCategory.Official:
                r.Agency = await screen.AskAsync("請求機関", r.Agency, required: true);
                r.LegalBasis = await screen.AskAsync("法令の根拠（番号を求める場合）", r.LegalBasis);
                request.OfficialUse = true;
                break;
        }
        if (r.Category != RequesterCategory.Official)
        {
            r.IdentityCheck = await screen.AskAsync("本人確認書類（例 運転免許証、個人番号カード）", r.IdentityCheck, required: true);
        }
    }

    private static string RequesterText(Requester r) => r.Category switch
    {
        RequesterCategory.SelfOrHousehold => $"本人・同一世帯員（宛名番号 {Shown.Id(r.Resident)}）確認 {r.IdentityCheck}",
        RequesterCategory.Agent => $"代理人 {r.Name}（委任者 {r.PrincipalName}、委任状{(r.PowerOfAttorney ? "あり" : "なし")}）確認 {r.IdentityCheck}",
        RequesterCategory.ThirdParty => $"第三者 {r.Name}（{r.PurposeDetail}）確認 {r.IdentityCheck}",
        RequesterCategory.SpecifiedProfessional => $"特定事務受任者 {r.Name}（{r.Qualification} {r.RegistrationNumber}）確認 {r.IdentityCheck}",
        RequesterCategory.Official => $"公用 {r.Agency}{(r.LegalBasis.Length > 0 ? $"（{r.LegalBasis}）" : "")}",
        _ => "",
    };

    private static Func<string> Target(IssueCertificateRequest request) => () =>
        request.Household.Length > 0 ? $"世帯 {Shown.Id(request.Household)} の全員" : "宛名番号 " + string.Join("、", request.Residents.Select(Shown.Id));
}
