using System.Globalization;

namespace Infercost.Simulation;

/// <summary>Parses durations typed on a command line: <c>2s</c>, <c>50ms</c>, <c>300us</c>, <c>5m</c>, <c>1h</c>, or a
/// bare number of seconds.</summary>
public static class DurationText
{
    /// <summary>The duration in seconds, checked to lie in [<paramref name="low"/>, <paramref name="high"/>] seconds.</summary>
    /// <exception cref="InvalidInputException">Not a number with a known unit, or out of range; names <paramref name="field"/>.</exception>
    public static double ParseSeconds(string text, string field, double low, double high)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim().ToLowerInvariant();
        (string Suffix, double Factor)[] units = [("ms", 1e-3), ("us", 1e-6), ("µs", 1e-6), ("s", 1), ("m", 60), ("h", 3600)];
        var factor = 1.0;
        foreach (var (suffix, f) in units)
        {
            if (!t.EndsWith(suffix, StringComparison.Ordinal)) continue;
            t = t[..^suffix.Length];
            factor = f;
            break;
        }

        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new InvalidInputException(field, $"{field} must be a duration such as 2s, 50ms or 1.5 (seconds); was '{text}'.");
        }

        // The range is in seconds; the value is shown as typed (5m, not 300; 1e400s, not infinity).
        var seconds = value * factor;
        return double.IsFinite(seconds) && seconds >= low && seconds <= high
            ? seconds
            : throw new InvalidInputException(field, $"{field} must be in [{Guard.Format(low)}, {Guard.Format(high)}] seconds; was {text}.");
    }
}
