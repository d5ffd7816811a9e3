using Google.Protobuf;
using SharedResidentSystem.Client;

namespace SharedResidentSystem.Terminal;

/// <summary>One group of items on an entry screen: how it reads back, and how it is entered again.</summary>
public sealed record FormSection(string Label, Func<string> Show, Func<Task> Edit);

/// <summary>How a submission ended.</summary>
public enum SubmitEnd
{
    Recorded,
    BackToEdit,
    GaveUp,
}

/// <summary>
/// Sends a request and follows up on what comes back (11.1): an error is shown with its items
/// and the clerk corrects them; alerts are shown and sent again only once the clerk has
/// acknowledged them; an unreachable server is resent with the same request_id (the server
/// records it once); an expired sign-in asks for the token and resends the same request.
/// </summary>
public sealed class Submitter(Screen screen, Session session)
{
    public Task<(SubmitEnd End, TResponse? Response)> SendAsync<TRequest, TResponse>(TRequest request, Func<TRequest, Task<CallResult<TResponse>>> send)
        where TRequest : IMessage
        where TResponse : class =>
        SendAnyAsync(request, m => send((TRequest)m));

    /// <summary>As <see cref="SendAsync{TRequest, TResponse}"/>, for a request whose type is known only at run time.</summary>
    public async Task<(SubmitEnd End, TResponse? Response)> SendAnyAsync<TResponse>(IMessage request, Func<IMessage, Task<CallResult<TResponse>>> send)
        where TResponse : class
    {
        while (true)
        {
            var result = await send(request);
            if (result.Succeeded)
            {
                return (SubmitEnd.Recorded, result.Value);
            }
            var problem = result.Problem!;
            Views.Problem(screen, problem);
            switch (problem.Kind)
            {
                case ProblemKind.AlertsToAcknowledge:
                    if (await screen.YesNoAsync("上のアラートの内容を確認しました。このまま登録しますか", defaultYes: false))
                    {
                        request = RequestIds.Acknowledging(request, problem.Alerts.Select(a => a.Code));
                        continue;
                    }
                    return (SubmitEnd.BackToEdit, null);
                case ProblemKind.Unavailable:
                    if (await screen.YesNoAsync("同じ受付番号で再送しますか", defaultYes: true))
                    {
                        continue;
                    }
                    screen.Line($"  ※ 送信が記録されたかどうかは異動履歴で確かめてください（受付番号 {problem.RequestId}）。");
                    return (SubmitEnd.GaveUp, null);
                case ProblemKind.SignInRequired:
                    await session.SignInAgainAsync();
                    continue;
                case ProblemKind.NotPermitted:
                    return (SubmitEnd.GaveUp, null);
                default:
                    screen.Line("  ※ 誤りのある項目を修正してください。");
                    return (SubmitEnd.BackToEdit, null);
            }
        }
    }

    /// <summary>
    /// The whole 異動 screen: every section entered once, then the confirmation screen (4.0.9)
    /// until the clerk records, keeps it as 仮登録 for 決裁, or abandons it.
    /// </summary>
    public Task<TResponse?> RunFormAsync<TRequest, TResponse>(string process, IReadOnlyList<FormSection> sections, TRequest request,
        Func<TRequest, Task<CallResult<TResponse>>> send, bool canBeProvisional = true, bool editFirst = true)
        where TRequest : IMessage
        where TResponse : class =>
        RunAnyFormAsync(process, sections, () => request, m => send((TRequest)m), canBeProvisional, editFirst);

    /// <summary>
    /// As <see cref="RunFormAsync{TRequest, TResponse}"/>; <paramref name="current"/> gives the request as the sections left it.
    /// <paramref name="editFirst"/> false: the request came filled in (a CSV, 10.8) and the confirmation screen comes at once.
    /// </summary>
    public async Task<TResponse?> RunAnyFormAsync<TResponse>(string process, IReadOnlyList<FormSection> sections, Func<IMessage> current,
        Func<IMessage, Task<CallResult<TResponse>>> send, bool canBeProvisional = true, bool editFirst = true)
        where TResponse : class
    {
        // A snapshot: a section may add others (another 世帯員) while it is entered.
        foreach (var section in editFirst ? sections.ToList() : [])
        {
            await section.Edit();
        }
        while (true)
        {
            screen.Title($"{process}　入力内容の確認");
            for (var i = 0; i < sections.Count; i++)
            {
                screen.Line($"{i + 1,3}. {sections[i].Label}: {sections[i].Show()}");
            }
            var choices = new List<(int, string)> { (1, "登録する"), (2, "修正する") };
            if (canBeProvisional)
            {
                choices.Add((3, "仮登録（決裁へ）"));
            }
            choices.Add((0, "中止"));
            var choice = await screen.ChooseAsync("操作", choices, 1);
            if (choice == 0)
            {
                throw new CancelledByClerkException();
            }
            if (choice == 2)
            {
                var n = await screen.NumberAsync("修正する項目の番号", 1, 1, sections.Count);
                await sections[n - 1].Edit();
                continue;
            }
            var submission = RequestIds.Renewed(current());
            var provisional = submission.Descriptor.FindFieldByName("provisional");
            provisional?.Accessor.SetValue(submission, choice == 3);
            var (end, response) = await SendAnyAsync(submission, send);
            switch (end)
            {
                case SubmitEnd.Recorded:
                    return response;
                case SubmitEnd.GaveUp:
                    return null;
            }
        }
    }
}
