namespace Infercost.Cli.Inputs;

/// <summary>A value given as a single number (Low = High) or as a range LOW..HIGH.</summary>
internal readonly record struct NumberRange(double Low, double High)
{
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
}

/// <summary>Which end of every input range to take.</summary>
internal enum Corner
{
    /// <summary>The midpoint of each range.</summary>
    Mid,
    /// <summary>The low end.</summary>
    Low,
    /// <summary>The high end.</summary>
    High,
}
