using SharedResidentSystem.Client;
using System.Globalization;
using System.Text;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Terminal;

/// <summary>The clerk typed "!" at a prompt: the current screen is abandoned, nothing is sent.</summary>
public sealed class CancelledByClerkException : Exception
{
    public CancelledByClerkException()
        : base("中止しました。")
    {
    }
}

/// <summary>The input ended (the terminal was closed).</summary>
public sealed class InputEndedException : Exception
{
    public InputEndedException()
        : base("入力が終わりました。")
    {
    }
}

/// <summary>
/// A plain-terminal screen driven by the keyboard alone (2.3.2): line prompts with the value
/// kept when Enter is pressed, "!" to abandon the screen, and a lock after a while without
/// input that asks for the clerk's token again before anything else is done.
/// </summary>
public sealed class Screen(TextReader input, TextWriter output, TimeProvider time, TimeSpan lockAfter, Func<string, Task<bool>> unlock)
{
    public const string CancelKey = "!";
    public const string HelpKey = "?";

    private string _help = Help.Keys;

    public TextWriter Out => output;

    public DateOnly Today => JapanTime.Today(time);

    public void Line(string text = "") => output.WriteLine(text);

    public void Title(string title)
    {
        output.WriteLine();
        output.WriteLine($"━━ {title} ━━  （Enter: 表示中の値のまま、{CancelKey}: 中止、{HelpKey}: 説明）");
        _help = Help.For(title);
    }

    /// <summary>Reads one answer; an idle screen is locked first. Null only when nothing was typed and there is no default.</summary>
    public async Task<string> AskAsync(string label, string? current = null, bool required = false)
    {
        while (true)
        {
            output.Write(current is { Length: > 0 } ? $"{label} [{current}]: " : $"{label}: ");
            output.Flush();
            var asked = time.GetTimestamp();
            var line = await input.ReadLineAsync() ?? throw new InputEndedException();
            if (time.GetElapsedTime(asked) > lockAfter)
            {
                await LockAsync();
                continue;
            }
            line = line.Trim();
            if (line is CancelKey or "！")
            {
                throw new CancelledByClerkException();
            }
            if (line is HelpKey or "？")
            {
                output.WriteLine(_help);
                continue;
            }
            if (line.Length == 0)
            {
                line = current ?? "";
            }
            if (required && line.Length == 0)
            {
                output.WriteLine($"  ※ {label}は必須です。");
                continue;
            }
            return line;
        }
    }

    /// <summary>A date typed in 和暦 or 西暦; Enter keeps the value shown.</summary>
    public async Task<DateOnly?> AskDateAsync(string label, DateOnly? current, bool required = true)
    {
        while (true)
        {
            var text = await AskAsync(label, current is { } c ? Wareki.Format(c) : null, required);
            if (text.Length == 0)
            {
                return null;
            }
            if (text is "今日" or "本日")
            {
                return Today;
            }
            var read = Wareki.TryParse(text, out var y, out var m, out var d, out var problem);
            if (read && m > 0 && d > 0)
            {
                return new DateOnly(y, m, d);
            }
            output.WriteLine($"  ※ {(read ? "月日まで入力してください。" : problem)}例: R8.11.26 / 令和8年11月26日 / 2026-11-26");
        }
    }

    /// <summary>A date whose month or day may be unknown (不詳), e.g. a birth date.</summary>
    public async Task<(int Year, int Month, int Day)?> AskPartialDateAsync(string label, (int, int, int)? current)
    {
        while (true)
        {
            var shown = current is { } c ? Shown.PartialDate(c.Item1, c.Item2, c.Item3) : null;
            var text = await AskAsync(label, shown, required: true);
            if (text == shown && current is { } same)
            {
                return same;
            }
            if (Wareki.TryParse(text, out var y, out var m, out var d, out var problem))
            {
                return (y, m, d);
            }
            output.WriteLine($"  ※ {problem}例: S60.6.15 / 昭和60年6月15日 / 1985-06-15（月日不詳は 昭和60年）");
        }
    }

    /// <summary>One of numbered choices; returns the key chosen.</summary>
    public async Task<int> ChooseAsync(string label, IReadOnlyList<(int Key, string Text)> choices, int? current = null)
    {
        var menu = string.Join("  ", choices.Select(c => $"{c.Key}:{c.Text}"));
        while (true)
        {
            var text = await AskAsync($"{label}（{menu}）", current?.ToString(CultureInfo.InvariantCulture), required: true);
            if (int.TryParse(text.Normalize(NormalizationForm.FormKC), NumberStyles.None, CultureInfo.InvariantCulture, out var key) && choices.Any(c => c.Key == key))
            {
                return key;
            }
            output.WriteLine("  ※ 表示された番号から選んでください。");
        }
    }

    public async Task<bool> YesNoAsync(string question, bool defaultYes)
    {
        while (true)
        {
            var text = (await AskAsync($"{question} ({(defaultYes ? "Y/n" : "y/N")})")).ToLowerInvariant();
            switch (text)
            {
                case "":
                    return defaultYes;
                case "y" or "yes" or "はい":
                    return true;
                case "n" or "no" or "いいえ":
                    return false;
            }
            output.WriteLine("  ※ y か n で答えてください。");
        }
    }

    public async Task<int> NumberAsync(string label, int current, int min, int max)
    {
        while (true)
        {
            var text = await AskAsync(label, current.ToString(CultureInfo.InvariantCulture), required: true);
            if (int.TryParse(text.Normalize(NormalizationForm.FormKC), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
            {
                return n;
            }
            output.WriteLine($"  ※ {min}〜{max} の数を入力してください。");
        }
    }

    /// <summary>What the screen lock asks for (the staff member's password, or the token).</summary>
    public string UnlockLabel { get; set; } = "パスワードを入力してロックを解除";

    /// <summary>Reads a secret (a password, a token) without echoing it on a real terminal.</summary>
    public async Task<string> AskSecretAsync(string label)
    {
        output.Write($"{label}: ");
        output.Flush();
        if (ReferenceEquals(input, Console.In) && !Console.IsInputRedirected)
        {
            var secret = new StringBuilder();
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter)
                {
                    break;
                }
                if (key.Key == ConsoleKey.Backspace)
                {
                    if (secret.Length > 0)
                    {
                        secret.Length--;
                    }
                    continue;
                }
                secret.Append(key.KeyChar);
            }
            output.WriteLine();
            return secret.ToString().Trim();
        }
        return (await input.ReadLineAsync() ?? throw new InputEndedException()).Trim();
    }

    private async Task LockAsync()
    {
        output.WriteLine();
        output.WriteLine("■ 一定時間操作がなかったため画面をロックしました。入力された内容は使いません。");
        while (true)
        {
            var secret = await AskSecretAsync(UnlockLabel);
            if (await unlock(secret))
            {
                output.WriteLine("ロックを解除しました。もう一度入力してください。");
                return;
            }
            output.WriteLine("  ※ 正しくありません。");
        }
    }
}
