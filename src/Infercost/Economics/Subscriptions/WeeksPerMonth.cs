using System.Globalization;

namespace Infercost.Economics.Subscriptions;

// Monthly figures depend on how many weeks a month holds, and published analyses disagree: the r/ClaudeAI $2,679
// uses a 30-day month (30/7), she-llac's $2,708 uses 52/12. The constant is therefore always an explicit input.

/// <summary>Weeks per month: the one free choice in every monthly figure.</summary>
public static class WeeksPerMonth
{
    /// <summary>A 30-day month: 30/7 = 4.2857 weeks (gives the r/ClaudeAI $2,679 and Alderson's 30-day costs).</summary>
    public const double ThirtyDayMonth = 30.0 / 7;

    /// <summary>An average month: 52/12 = 4.3333 weeks (gives she-llac's $2,708).</summary>
    public const double FiftyTwoOverTwelve = 52.0 / 12;

    /// <summary>Parses <c>30/7</c>, <c>52/12</c> or a decimal such as <c>4.33</c>; the result must lie in [1, 6].</summary>
    /// <exception cref="InvalidInputException">Not a number or fraction, or out of range.</exception>
    public static double Parse(string text) => Parse(text, "weeksPerMonth");

    /// <summary>Parses as <see cref="Parse(string)"/>, naming <paramref name="field"/> (the CLI's <c>weeks-per-month</c>)
    /// and the text as typed in any message.</summary>
    /// <exception cref="InvalidInputException">Not a number or fraction, or out of range.</exception>
    public static double Parse(string text, string field)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/', StringSplitOptions.TrimEntries);
        double value;
        if (parts.Length == 1 && TryNumber(parts[0], out var single)) value = single;
        else if (parts.Length == 2 && TryNumber(parts[0], out var numerator) && TryNumber(parts[1], out var denominator) && denominator != 0)
            value = numerator / denominator;
        else throw new InvalidInputException(field, $"{field} must be a number or a fraction such as 30/7 or 52/12; was '{text}'.");
        return value is >= 1 and <= 6 ? value : throw new InvalidInputException(field, $"{field} must be in [1, 6]; was {text}.");
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
