using SharedResidentSystem.Client;
using SharedResidentSystem.Contracts.Protection.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;

namespace SharedResidentSystem.Terminal;

/// <summary>The interactive terminal: a menu of the counter's work, each a keyboard-only screen.</summary>
public sealed class Counter(Session session, Screen screen)
{
    private readonly Submitter _submitter = new(screen, session);

    public async Task<int> RunAsync()
    {
        session.Screen = screen;
        screen.Line("SharedResidentSystem 窓口端末");
        if (session.Settings.Token is { Length: > 0 } given)
        {
            var problem = await session.SignInAsync(given);
            if (problem is not null)
            {
                Views.Problem(screen, problem);
                if (problem.Kind == ProblemKind.Unavailable)
                {
                    return ExitCodes.Unavailable;
                }
                await session.SignInAgainAsync();
            }
        }
        else
        {
            await session.SignInAgainAsync();
        }
        screen.Line($"{session.Tenant!.DisplayName}（{session.Tenant.Code}）　職員 {session.Staff}　端末 {session.Terminal}　{string.Join('・', session.Roles)}");
        var idou = new IdouScreens(session, screen, _submitter);
        var certificates = new CertificateDesk(session, screen, _submitter);
        while (true)
        {
            screen.Title("業務メニュー");
            var choice = await AskMenuAsync();
            if (choice is null)
            {
                continue;
            }
            try
            {
                switch (choice)
                {
                    case 0:
                        screen.Line("終了します。");
                        return ExitCodes.Done;
                    case 1:
                        await SearchAsync();
                        break;
                    case 2:
                        await ShowAsync(await screen.AskAsync("宛名番号", required: true));
                        break;
                    case 3:
                        await idou.MoveInAsync();
                        break;
                    case 4:
                        var movedOut = await idou.MoveOutAsync();
                        if (movedOut is { } m)
                        {
                            await certificates.OfferMoveOutCertificateAsync(m.Residents, m.Abroad, m.Special);
                        }
                        break;
                    case 5:
                        await idou.AddressChangeAsync();
                        break;
                    case 6:
                        await idou.BirthAsync();
                        break;
                    case 7:
                        await idou.DeathAsync();
                        break;
                    case 8:
                        await certificates.IssueAsync(null);
                        break;
                    case 9:
                        await certificates.VerifyAsync();
                        break;
                    case 10:
                        await ApprovePendingAsync();
                        break;
                    case 11:
                        await ReleaseSuppressionAsync();
                        break;
                    case 12:
                        await idou.HeadChangeAsync();
                        break;
                    case 13:
                        await idou.FromFileAsync();
                        break;
                    case 14:
                        await certificates.HistoryAsync();
                        break;
                    case 15:
                        await ChangePasswordAsync();
                        break;
                    case 16:
                        await IntakeAsync(idou, certificates);
                        break;
                    case 17:
                        await CsLinkAsync();
                        break;
                    case 18:
                        await JobsAsync();
                        break;
                }
            }
            catch (CancelledByClerkException)
            {
                screen.Line("中止しました（何も記録していません）。");
            }
            catch (InputEndedException)
            {
                throw;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The terminal stays up for the next resident; what failed is shown, not hidden.
                screen.Line($"■ 端末の内部エラー: {e.GetType().Name}: {e.Message}（この画面を中断しました。送信済みかどうかは住民の異動履歴で確かめてください）");
            }
        }
    }

    /// <summary>
    /// The 住基ネット link as the clerk sees it (7.1.2.4 稼働状況, 7.1.1.1 エラー表示, 4.1.3.1.2
    /// 取込エラー一覧): whether the CS is reached, the messages it refused (they hold the city's
    /// queue until a supervisor sends them again or completes them by hand), and what was received
    /// but could not be taken by itself.
    /// </summary>
    private async Task CsLinkAsync()
    {
        screen.Title("CS連携の状況");
        var status = await session.Client.GetCsLinkStatusAsync();
        if (!status.Succeeded)
        {
            Views.Problem(screen, status.Problem!);
            return;
        }
        var s = status.Value!;
        screen.Line(Shown.CsLink(s));
        if (s.Manual)
        {
            screen.Line("手動連携中: 電文は送信待ちのまま保存されます。");
        }
        screen.Line($"送信待ち {s.Pending} 件　送信エラー {s.Failed} 件　取込エラー（要確認） {s.InboundNeedsReview} 件");
        if (s.Failed > 0)
        {
            var failed = await session.Client.ListCsMessagesAsync(new ListCsMessagesRequest { State = CsMessageState.Failed });
            if (failed.Succeeded)
            {
                screen.Line("── 送信エラー（監督者が再送信するか、手入力で補完するまで後の電文も送りません）──");
                foreach (var m in failed.Value!.Messages)
                {
                    screen.Line($"  電文 {m.Name[(m.Name.LastIndexOf('/') + 1)..]} {m.Kind}（{m.Reason}）宛名番号 {m.Resident[(m.Resident.LastIndexOf('/') + 1)..]}: {m.Result}");
                }
            }
        }
        if (s.InboundNeedsReview > 0)
        {
            var review = await session.Client.ListCsInboundAsync(new ListCsInboundRequest { State = CsInboundState.NeedsReview });
            if (review.Succeeded)
            {
                screen.Line("── 取込エラー一覧（内容を確かめて手で処理してください）──");
                foreach (var m in review.Value!.Messages)
                {
                    screen.Line($"  受信 {m.Name[(m.Name.LastIndexOf('/') + 1)..]} {m.Kind} 住民票コード {m.ResidentCode}（{m.SenderCode} から）: {m.Result}");
                }
            }
        }
    }

    /// <summary>
    /// The city's jobs (9.x) as a supervisor follows them at the counter: each with its state,
    /// progress, who started it and why, and when done what it gave or why it failed; a running
    /// one can be asked to stop. Started from srs-admin (or a schedule).
    /// </summary>
    private async Task JobsAsync()
    {
        screen.Title("バッチ処理の状況");
        var listed = await session.Client.ListOperationsAsync(new Contracts.Jobs.V1.ListOperationsRequest { PageSize = 500 });
        if (!listed.Succeeded)
        {
            Views.Problem(screen, listed.Problem!);
            return;
        }
        var jobs = listed.Value!.Operations;
        if (jobs.Count == 0)
        {
            screen.Line("ジョブはありません。");
            return;
        }
        static string Number(Contracts.Jobs.V1.Operation o) => o.Name[(o.Name.LastIndexOf('/') + 1)..];
        // The latest first: the last twenty.
        foreach (var o in jobs.Reverse().Take(20))
        {
            var m = o.Metadata;
            screen.Line($"  ジョブ {Number(o)}　{Shown.JobKind(m.Kind)}　{Shown.JobState(m.State)} {m.Percent}%（{m.DoneCount:N0}/{m.TotalCount:N0}）　{m.Staff}　{m.Reason}");
            if (o.Response is { } result)
            {
                screen.Line($"      {string.Join("　", result.Counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value:N0}"))}" +
                    (result.Files.Count > 0 ? $"　出力 {string.Join("、", result.Files)}" : ""));
            }
            if (o.Error is { } error)
            {
                screen.Line($"      {error.Reason}: {error.Message}");
            }
        }
        var running = jobs.Where(o => !o.Done).ToList();
        if (running.Count == 0 || !await screen.YesNoAsync("実行中のジョブを取り消す", defaultYes: false))
        {
            return;
        }
        var which = await screen.AskAsync("ジョブ番号", required: true);
        var job = running.FirstOrDefault(o => Number(o) == which.Trim());
        if (job is null)
        {
            screen.Line("  ※ 実行中のジョブの番号を入力してください。");
            return;
        }
        var cancelled = await session.Client.CancelOperationAsync(new Contracts.Jobs.V1.CancelOperationRequest { RequestId = Guid.NewGuid().ToString(), Name = job.Name });
        if (cancelled.Succeeded)
        {
            screen.Line($"■ ジョブ {which} の取消しを依頼しました（今の段階が終わると止まります。処理済みの分は残ります）。");
        }
        else
        {
            Views.Problem(screen, cancelled.Problem!);
        }
    }

    /// <summary>
    /// 10.8: a CSV of data written elsewhere becomes the pre-filled form of its 異動 or
    /// certificate, shown on the confirmation screen; nothing is recorded until the clerk does.
    /// </summary>
    private async Task IntakeAsync(IdouScreens idou, CertificateDesk certificates)
    {
        screen.Title("CSV取込");
        var kind = (IntakeKind)await screen.ChooseAsync("データの種類",
            [(1, "転出証明書"), (2, "住民異動届"), (3, "証明書の交付申請書"), (4, "個人番号カード券面事項")], null);
        var path = await screen.AskAsync("CSV ファイル", required: true);
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            screen.Line($"  ※ ファイルを読めません: {e.Message}");
            return;
        }
        var read = await session.Client.ReadIntakeCsvAsync(kind, text);
        if (!read.Succeeded)
        {
            Views.Problem(screen, read.Problem!);
            return;
        }
        var filled = read.Value!;
        foreach (var note in filled.Notes)
        {
            screen.Line($"  ※ {note}");
        }
        switch (filled.PrefilledCase)
        {
            case ReadIntakeCsvResponse.PrefilledOneofCase.MoveIn:
                await idou.MoveInAsync(filled.MoveIn);
                break;
            case ReadIntakeCsvResponse.PrefilledOneofCase.AddressChange:
                await idou.AddressChangeAsync(filled.AddressChange);
                break;
            case ReadIntakeCsvResponse.PrefilledOneofCase.MoveOut:
                var movedOut = await idou.MoveOutAsync(filled.MoveOut);
                if (movedOut is { } m)
                {
                    await certificates.OfferMoveOutCertificateAsync(m.Residents, m.Abroad, m.Special);
                }
                break;
            case ReadIntakeCsvResponse.PrefilledOneofCase.Certificate:
                await certificates.IssueAsync(null, filled.Certificate);
                break;
        }
    }

    /// <summary>10.3: the staff member changes their own password; the next renewal asks for a new sign-in.</summary>
    private async Task ChangePasswordAsync()
    {
        screen.Title("パスワードの変更");
        if (session.WithToken)
        {
            screen.Line("トークンで使用中のため、パスワードはサインイン元で変更してください。");
            return;
        }
        var current = await screen.AskSecretAsync("今のパスワード");
        var changed = await screen.AskSecretAsync("新しいパスワード");
        if (changed != await screen.AskSecretAsync("新しいパスワード（確認）"))
        {
            screen.Line("  ※ 二つの入力が一致しません。変更していません。");
            return;
        }
        var result = await session.Client.ChangePasswordAsync(new Contracts.Staff.V1.ChangePasswordRequest { CurrentPassword = current, NewPassword = changed });
        if (result.Succeeded)
        {
            screen.Line("■ パスワードを変更しました。次の更新時に新しいパスワードでサインインし直してください。");
        }
        else
        {
            Views.Problem(screen, result.Problem!);
        }
    }

    private async Task<int?> AskMenuAsync()
    {
        screen.Line("  1 住民検索　　　　　2 住民票・世帯・異動履歴の表示");
        screen.Line("  3 転入　　　　　　　4 転出（転出証明書の交付）");
        screen.Line("  5 転居　　　　　　　6 出生");
        screen.Line("  7 死亡　　　　　　　8 証明書の交付");
        screen.Line("  9 証明書の検証　　 10 仮登録の決裁（監督者）");
        screen.Line(" 11 抑止の一時解除（監督者）12 世帯主変更");
        screen.Line(" 13 その他の異動（届出内容ファイル）14 交付履歴照会・再印刷");
        screen.Line(" 15 パスワードの変更　　16 CSV取込（転出証明書・異動届・申請書・カード）");
        screen.Line(" 17 CS連携の状況（送信エラー・取込エラー一覧）18 バッチ処理の状況（監督者）");
        screen.Line("  0 終了");
        try
        {
            return await screen.NumberAsync("番号", 1, 0, 18);
        }
        catch (CancelledByClerkException)
        {
            return null;
        }
    }

    private async Task SearchAsync()
    {
        screen.Title("住民検索（あいまい検索：カナ・ひらがな・漢字、旧氏・通称も）");
        var request = new SearchResidentsRequest
        {
            NameQuery = await screen.AskAsync("氏名"),
            BirthDate = await screen.AskAsync("生年月日（例 S60.6.15、昭和60年、1985-06-15）"),
            Town = await screen.AskAsync("町字"),
            IncludeRemoved = await screen.YesNoAsync("除票も含める", defaultYes: false),
            PageSize = 20,
        };
        var result = await session.Client.SearchResidentsAsync(request);
        if (!result.Succeeded)
        {
            Views.Problem(screen, result.Problem!);
            return;
        }
        var found = result.Value!.Residents;
        screen.Line($"{found.Count} 件{(result.Value.NextPageToken.Length > 0 ? "（さらにあります。条件を絞ってください）" : "")}");
        for (var i = 0; i < found.Count; i++)
        {
            Views.ResidentRow(screen, i + 1, found[i]);
        }
        if (found.Count == 0)
        {
            return;
        }
        var pick = await screen.NumberAsync("表示する番号（0: 戻る）", 0, 0, found.Count);
        if (pick > 0)
        {
            await ShowAsync(found[pick - 1].ResidentNumber);
        }
    }

    private async Task ShowAsync(string number)
    {
        var read = new GetResidentRequest { Name = session.ResidentName(number) };
        var resident = await session.Client.GetResidentAsync(read);
        if (resident.Problem is { Kind: ProblemKind.AlertsToAcknowledge } alert)
        {
            // An アラート 抑止 on 照会 (3.1): shown, and read only once the clerk acknowledges it.
            Views.Problem(screen, alert);
            if (!await screen.YesNoAsync("上のアラートの内容を確認しました。照会を続けますか", defaultYes: false))
            {
                return;
            }
            read.AcknowledgedAlerts.AddRange(alert.Alerts.Select(a => a.Code));
            resident = await session.Client.GetResidentAsync(read);
        }
        if (!resident.Succeeded)
        {
            Views.Problem(screen, resident.Problem!);
            return;
        }
        var r = resident.Value!;
        Views.Resident(screen, r);
        if (r.Household.Length > 0)
        {
            var household = await session.Client.GetHouseholdAsync(new GetHouseholdRequest { Name = r.Household, IncludeRemoved = true, AcknowledgedAlerts = { read.AcknowledgedAlerts } });
            if (household.Succeeded)
            {
                Views.Household(screen, household.Value!);
            }
            else
            {
                Views.Problem(screen, household.Problem!);
            }
        }
        var history = await session.Client.ListResidentIdouAsync(new ListResidentIdouRequest { Name = r.Name, AcknowledgedAlerts = { read.AcknowledgedAlerts } });
        if (history.Succeeded)
        {
            Views.History(screen, history.Value!.Idou, r.Kind == ResidentKind.Foreign);
        }
        else
        {
            Views.Problem(screen, history.Problem!);
        }
    }

    private async Task ApprovePendingAsync()
    {
        screen.Title("仮登録の決裁");
        // Every page: the supervisor sees the whole list, oldest first.
        var pending = new List<PendingIdou>();
        var page = new ListPendingIdouRequest { PageSize = 500 };
        do
        {
            var list = await session.Client.ListPendingIdouAsync(page);
            if (!list.Succeeded)
            {
                Views.Problem(screen, list.Problem!);
                return;
            }
            pending.AddRange(list.Value!.PendingIdou);
            page.PageToken = list.Value.NextPageToken;
        }
        while (page.PageToken.Length > 0);
        if (pending.Count == 0)
        {
            screen.Line("決裁待ちの仮登録はありません。");
            return;
        }
        for (var i = 0; i < pending.Count; i++)
        {
            var p = pending[i];
            screen.Line($"{i + 1,3}  {p.Reason}  入力 {p.EnteredBy}（{p.EnteredTerminal}）  {string.Join('、', p.Preview.Residents.Select(r => Shown.Name(r.PersonName)))}");
        }
        var pick = await screen.NumberAsync("決裁する番号（0: 戻る）", 0, 0, pending.Count);
        if (pick == 0)
        {
            return;
        }
        var chosen = pending[pick - 1];
        if (!await screen.YesNoAsync($"{chosen.Reason} を本登録しますか", defaultYes: false))
        {
            return;
        }
        var request = new ApprovePendingIdouRequest();
        request.PendingIdou.Add(new PendingIdouRef { Name = chosen.Name, Etag = chosen.Etag });
        var (end, response) = await _submitter.SendAsync(request, r => session.Client.ApprovePendingIdouAsync(r));
        if (end == SubmitEnd.Recorded)
        {
            foreach (var recorded in response!.Recorded)
            {
                screen.Line($"本登録しました: 異動 {Shown.Id(recorded.Idou)}　{string.Join('、', recorded.Residents.Select(r => $"{r.ResidentNumber} {Shown.Name(r.PersonName)}"))}");
            }
        }
    }

    /// <summary>3.1: a supervisor releases a 抑止 for one clerk for some minutes; it reverts by itself.</summary>
    private async Task ReleaseSuppressionAsync()
    {
        screen.Title("抑止の一時解除");
        var active = new List<Suppression>();
        var page = new ListSuppressionsRequest { PageSize = 500 };
        do
        {
            var list = await session.Client.ListSuppressionsAsync(page);
            if (!list.Succeeded)
            {
                Views.Problem(screen, list.Problem!);
                return;
            }
            active.AddRange(list.Value!.Suppressions.Where(x => x.Active));
            page.PageToken = list.Value.NextPageToken;
        }
        while (page.PageToken.Length > 0);
        if (active.Count == 0)
        {
            screen.Line("設定中の抑止はありません。");
            return;
        }
        for (var i = 0; i < active.Count; i++)
        {
            var x = active[i];
            var whom = x.Resident.Length > 0 ? $"宛名番号 {Shown.Id(x.Resident)}" : $"世帯 {Shown.Id(x.Household)}";
            screen.Line($"{i + 1,3}  {whom}  {Shown.Suppression(x)}");
        }
        var pick = await screen.NumberAsync("一時解除する番号（0: 戻る）", 0, 0, active.Count);
        if (pick == 0)
        {
            return;
        }
        var request = new ReleaseSuppressionRequest
        {
            Name = active[pick - 1].Name,
            ForStaff = await screen.AskAsync("解除する職員の職員番号", required: true),
            Minutes = await screen.NumberAsync("解除する時間（分）", 15, 1, 480),
            Reason = await screen.AskAsync("理由", required: true),
        };
        var (end, released) = await _submitter.SendAsync(request, r => session.Client.ReleaseSuppressionAsync(r));
        if (end == SubmitEnd.Recorded)
        {
            var last = released!.Releases.LastOrDefault();
            screen.Line($"■ 一時解除しました（職員 {request.ForStaff}、{last?.ExpiresAt?.ToDateTimeOffset().ToOffset(TimeSpan.FromHours(9)):HH:mm} まで。時間が過ぎると抑止に戻ります）。");
        }
    }
}
