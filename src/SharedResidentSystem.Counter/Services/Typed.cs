using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Counter.Forms;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Counter.Services;

/// <summary>What a clerk typed, read into the contract's values; what cannot be read is an error at its field.</summary>
public static class Typed
{
    /// <summary>A whole date (異動日, 届出日): 和暦 or 西暦; empty is null (an error when required).</summary>
    public static Google.Type.Date? Date(string text, string path, FormErrors errors, bool required)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors.Add(path, "入力してください。");
            }
            return null;
        }
        if (!Wareki.TryParse(text, out var year, out var month, out var day, out var problem))
        {
            errors.Add(path, problem);
            return null;
        }
        if (month == 0 || day == 0)
        {
            errors.Add(path, "年月日をすべて入力してください。");
            return null;
        }
        return new Google.Type.Date { Year = year, Month = month, Day = day };
    }

    /// <summary>A whole date as the jobs' parameters take it ("2026-03-31"); empty when none was typed or it could not be read.</summary>
    public static string IsoDate(string text, string path, FormErrors errors, bool required) =>
        Date(text, path, errors, required) is { } d ? $"{d.Year:D4}-{d.Month:D2}-{d.Day:D2}" : "";

    /// <summary>
    /// A recorded date as a clerk would type it again ("昭和60年6月15日", "昭和60年"; a foreign
    /// resident's in 西暦, "1995-07-14"), so that an unchanged field reads back to the same date.
    /// </summary>
    public static string Prefill(PartialDate? d, bool western)
    {
        if (d is null || d.Year == 0)
        {
            return "";
        }
        if (western)
        {
            return d.Month == 0 ? $"{d.Year:D4}" : d.Day == 0 ? $"{d.Year:D4}-{d.Month:D2}" : $"{d.Year:D4}-{d.Month:D2}-{d.Day:D2}";
        }
        return SharedResidentSystem.Client.Shown.PartialDate(d).Replace("（月日不詳）", "", StringComparison.Ordinal).Replace("（日不詳）", "", StringComparison.Ordinal);
    }

    /// <summary>A full date as a clerk would type it again (和暦); empty when there is none.</summary>
    public static string Prefill(Google.Type.Date? d) => d is null || d.Year == 0 ? "" : SharedResidentSystem.Client.Shown.Date(d);

    /// <summary>A date whose month or day may be unknown (生年月日: 昭和60年, 昭和60年6月).</summary>
    public static PartialDate? PartialDate(string text, string path, FormErrors errors, bool required)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors.Add(path, "入力してください (不詳の部分は省けます: 昭和60年6月)。");
            }
            return null;
        }
        if (!Wareki.TryParse(text, out var year, out var month, out var day, out var problem))
        {
            errors.Add(path, problem);
            return null;
        }
        return new PartialDate { Year = year, Month = month, Day = day };
    }
}
