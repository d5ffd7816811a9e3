using System.Text;

namespace SharedResidentSystem.AdminTool;

/// <summary>Questions to the person at the keyboard (sign-in): nobody is asked when input is redirected.</summary>
public static class ConsoleQuestions
{
    public static string? Ask(string label, bool secret)
    {
        if (Console.IsInputRedirected)
        {
            return null;
        }
        Console.Error.Write($"{label}: ");
        if (!secret)
        {
            return Console.ReadLine()?.Trim();
        }
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return text.ToString();
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                text.Length = Math.Max(0, text.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
    }
}
