using System.Net;
using System.Text;
using OpenIddict.Abstractions;

namespace SharedResidentSystem.Server.SignIn;

/// <summary>
/// The sign-in page of the browser counter (authorization code with PKCE): 団体コード, 職員ID,
/// パスワード, 確認コード (TOTP) and, after an operator's reset, the new password. The request's
/// own parameters travel in hidden fields, so the page posts the whole request back.
/// </summary>
public static class SignInPage
{
    public const string Submit = "srs_submit";

    private static readonly HashSet<string> Own = new(StringComparer.Ordinal) { "tenant", "username", "password", "totp", "terminal", "new_password", Submit };

    public static string Render(OpenIddictRequest request, string error)
    {
        static string E(string? value) => WebUtility.HtmlEncode(value ?? "");
        var hidden = new StringBuilder();
        foreach (var (name, value) in request.GetParameters())
        {
            if (!Own.Contains(name) && (string?)value is { } text)
            {
                hidden.Append(System.Globalization.CultureInfo.InvariantCulture, $"""<input type="hidden" name="{E(name)}" value="{E(text)}">""").Append('\n');
            }
        }
        var tenant = (string?)request["tenant"];
        var username = (string?)request["username"];
        // The counter PC's terminal ID, as the browser counter remembers it (a certificate's 発行番号 counts per terminal).
        var terminal = (string?)request["terminal"];
        var problem = error.Length == 0 ? "" : $"""<p id="error" role="alert">{E(error)}</p>""";
        return $$"""
            <!DOCTYPE html>
            <html lang="ja">
            <head><meta charset="utf-8"><title>サインイン — 住民記録システム</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>
            body { font-family: sans-serif; margin: 2rem auto; max-width: 28rem; color: #111; }
            label { display: block; margin-top: 1rem; font-weight: bold; }
            input { font-size: 1.1rem; padding: .4rem; width: 100%; box-sizing: border-box; border: 1px solid #555; }
            input:focus { outline: 3px solid #0050b3; }
            button { margin-top: 1.5rem; font-size: 1.1rem; padding: .5rem 2rem; }
            #error { color: #a00000; font-weight: bold; }
            </style></head>
            <body>
            <h1>住民記録システム サインイン</h1>
            {{problem}}
            <form method="post" autocomplete="off">
            {{hidden}}<input type="hidden" name="{{Submit}}" value="1">
            <label for="tenant">団体コード</label><input id="tenant" name="tenant" inputmode="numeric" maxlength="6" required value="{{E(tenant)}}" autofocus>
            <label for="username">職員ID</label><input id="username" name="username" maxlength="64" required value="{{E(username)}}" autocomplete="username">
            <label for="password">パスワード</label><input id="password" name="password" type="password" maxlength="200" required autocomplete="current-password">
            <label for="totp">確認コード (認証アプリの6桁)</label><input id="totp" name="totp" inputmode="numeric" maxlength="6" required autocomplete="one-time-code">
            <label for="terminal">端末ID</label><input id="terminal" name="terminal" maxlength="64" value="{{E(terminal)}}">
            <label for="new_password">新しいパスワード (変更を求められたときのみ)</label><input id="new_password" name="new_password" type="password" maxlength="200" autocomplete="new-password">
            <button type="submit">サインイン</button>
            </form>
            </body></html>
            """;
    }
}
