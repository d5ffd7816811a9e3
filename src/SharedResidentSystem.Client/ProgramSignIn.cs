namespace SharedResidentSystem.Client;

/// <summary>
/// How the operators' and auditors' programs (srs-admin, srs-audit) get their token: a token
/// given to them (a city's own sign-in, or srs-token in development), else the system's sign-in
/// with ID, password and TOTP code — from SRS_TENANT, SRS_STAFF, SRS_PASSWORD and SRS_TOTP where
/// set (scripts), asked for otherwise (a person at the keyboard).
/// </summary>
public static class ProgramSignIn
{
    /// <summary>Asks the person at the keyboard for <c>label</c> (without echo when secret); null when nobody can be asked.</summary>
    public delegate string? Ask(string label, bool secret);

    public sealed record Result(string? Token, string Problem);

    public static async Task<Result> TokenAsync(Uri address, string clientId, string? token, Ask ask, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrWhiteSpace(token))
        {
            return new Result(token.Trim(), "");
        }
        string? Value(string variable, string label, bool secret) =>
            Environment.GetEnvironmentVariable(variable) is { Length: > 0 } set ? set : ask(label, secret);
        var tenant = Value("SRS_TENANT", "団体コード（共同利用の運用者は *）", secret: false);
        var staff = Value("SRS_STAFF", "職員ID", secret: false);
        var password = Value("SRS_PASSWORD", "パスワード", secret: true);
        var code = Value("SRS_TOTP", "確認コード（認証アプリの6桁）", secret: false);
        if (string.IsNullOrWhiteSpace(tenant) || string.IsNullOrWhiteSpace(staff) || string.IsNullOrEmpty(password) || string.IsNullOrWhiteSpace(code))
        {
            return new Result(null, "サインインが必要です: --token (SRS_TOKEN) か、SRS_TENANT、SRS_STAFF、SRS_PASSWORD、SRS_TOTP を指定するか、端末から入力してください。");
        }
        using var signIn = new StaffSignIn(address, clientId);
        SignInOutcome outcome;
        try
        {
            outcome = await signIn.SignInAsync(new SignInCredentials(tenant, staff, password, code, clientId), cancellationToken);
            if (outcome.PasswordChangeRequired && ask("新しいパスワード", true) is { Length: > 0 } changed && ask("確認コード（次に表示されたコード）", false) is { Length: > 0 } next)
            {
                outcome = await signIn.SignInAsync(new SignInCredentials(tenant, staff, password, next, clientId) { NewPassword = changed }, cancellationToken);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new Result(null, $"サインインできません: サーバー {address} に接続できません ({e.Message})。");
        }
        return outcome.Succeeded ? new Result(signIn.Token(), "") : new Result(null, $"サインインできません: {outcome.Message}");
    }
}
