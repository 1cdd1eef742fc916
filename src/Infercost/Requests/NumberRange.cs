using System.Globalization;

namespace Infercost.Requests;

/// <summary>A value given as a single number (Low = High) or as a range LOW..HIGH (the CLI's <c>--gpu-price 1.5..3.5</c>,
/// the JSON <c>"gpuPrice": "1.5..3.5"</c> or <c>2.5</c>).</summary>
/// <param name="Low">Low end.</param>
/// <param name="High">High end.</param>
public readonly record struct NumberRange(double Low, double High)
{
    /// <summary>A single value.</summary>
    public static NumberRange Of(double value) => new(value, value);

    /// <summary>The midpoint, used for the central estimate.</summary>
    public double Mid => (Low + High) / 2;

    /// <summary>True when a range (not a single number) was given.</summary>
    public bool IsRange => High > Low;

    /// <summary>The end chosen by <paramref name="corner"/>: low, middle or high.</summary>
    public double At(Corner corner) => corner switch
    {
        Corner.Low => Low,
        Corner.High => High,
        _ => Mid,
    };

    /// <summary>Parses <c>N</c> or <c>LOW..HIGH</c> (invariant culture). Range checks are the field's (<see cref="NumberField.Check(NumberRange?)"/>).</summary>
    /// <exception cref="InvalidInputException">Not a number or range; names <paramref name="field"/> and the text.</exception>
    public static NumberRange Parse(string text, string field)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split("..");
        var values = new double[parts.Length];
        if (parts.Length > 2) throw NotARange(text, field);
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])) throw NotARange(text, field);
        }

        return new NumberRange(values[0], values[^1]);
    }

    /// <summary><c>N</c> for a single value, else <c>LOW..HIGH</c>.</summary>
    public override string ToString() => IsRange || Low > High ? $"{Guard.Format(Low)}..{Guard.Format(High)}" : Guard.Format(Low);

    private static InvalidInputException NotARange(string text, string field) =>
        new(field, $"{field} must be a number or a range LOW..HIGH; was '{text}'.");
}

/// <summary>Which end of every input range to take.</summary>
public enum Corner
{
    /// <summary>The midpoint of each range.</summary>
    Mid,
    /// <summary>The low end.</summary>
    Low,
    /// <summary>The high end.</summary>
    High,
}
