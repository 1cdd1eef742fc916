namespace Infercost.Requests;

// A request field's accepted range is declared once, next to the field, as one of these; the request's Validate()
// checks it and the CLI option built for the same field checks the same object at parse time, so a range cannot
// differ between the shells. Messages have the house shape: "gpus must be in [1, 1000000]; was 0."

/// <summary>A whole-number request field and its accepted range [<see cref="Low"/>, <see cref="High"/>].</summary>
/// <param name="Name">The camelCase field name (the CLI flag is its kebab-case, <see cref="RequestFields.FlagOf"/>).</param>
/// <param name="Low">Smallest accepted value.</param>
/// <param name="High">Largest accepted value.</param>
public sealed record WholeField(string Name, int Low, int High)
{
    /// <summary>Returns <paramref name="value"/> if it is in range.</summary>
    /// <exception cref="InvalidInputException">Out of range; names the field, the range and the value.</exception>
    public int Check(int value) => Guard.InRange(value, Low, High, Name);

    /// <summary>Returns <paramref name="value"/> if it is null or in range.</summary>
    public int? Check(int? value) => value is { } v ? Check(v) : null;

    /// <summary>Returns <paramref name="value"/> if it is given and in range.</summary>
    /// <exception cref="InvalidInputException">Missing, or out of range.</exception>
    public int Required(int? value) => value is { } v ? Check(v) : throw new InvalidInputException(Name, $"{Name} is required.");
}

/// <summary>A finite-number request field and its accepted range; <see cref="Exclusive"/> makes the low end exclusive
/// (<c>must be in (0, 1000]</c>). Every field has a finite upper end: no figure a user types runs to 300 digits.</summary>
/// <param name="Name">The camelCase field name.</param>
/// <param name="Low">Smallest accepted value (exclusive when <see cref="Exclusive"/>).</param>
/// <param name="High">Largest accepted value; finite.</param>
/// <param name="Exclusive">True for "must be &gt; Low".</param>
public sealed record NumberField(string Name, double Low, double High, bool Exclusive = false)
{
    /// <summary>A field that must be &gt; 0 and at most <paramref name="high"/>.</summary>
    public static NumberField Positive(string name, double high) => new(name, 0, high, Exclusive: true);

    /// <summary>Returns <paramref name="value"/> if it is finite and in range.</summary>
    /// <exception cref="InvalidInputException">NaN, infinite or out of range; names the field, the range and the value.</exception>
    public double Check(double value) => Exclusive
        ? double.IsFinite(value) && value > Low && value <= High
            ? value
            : throw new InvalidInputException(Name, $"{Name} must be in ({Guard.Format(Low)}, {Guard.Format(High)}]; was {Guard.Format(value)}.")
        : Guard.InRange(value, Low, High, Name);

    /// <summary>Returns <paramref name="value"/> if it is null or in range.</summary>
    public double? Check(double? value) => value is { } v ? Check(v) : null;

    /// <summary>Checks both ends of <paramref name="range"/> and that it runs from low to high.</summary>
    public NumberRange? Check(NumberRange? range)
    {
        if (range is not { } r) return null;
        Check(r.Low);
        Check(r.High);
        return r.Low <= r.High
            ? r
            : throw new InvalidInputException(Name, $"{Name} range must run from low to high; was '{r}'.");
    }
}
