namespace Infercost.Cli.Inputs;

// A number option's accepted range is a value, not a closure, so that the option keeps it: the parser checks it, and
// the generated CLI tests (every option of every command) read it to pick a value just outside it. Messages have the
// house shape and print the value as the user typed it ("was 1e400.", not "was infinity.").

/// <summary>The range a number option accepts: [<see cref="Low"/>, <see cref="High"/>], or (<see cref="Low"/>,
/// <see cref="High"/>] when <see cref="LowExclusive"/>.</summary>
/// <param name="Low">Smallest accepted value (excluded when <paramref name="LowExclusive"/>).</param>
/// <param name="High">Largest accepted value; always finite.</param>
/// <param name="LowExclusive">True for "must be &gt; Low".</param>
/// <param name="Whole">True for a whole-number option: its ends print in full (<c>[1, 1000000]</c>), as the core's
/// whole-number messages do.</param>
internal sealed record Accepts(double Low, double High, bool LowExclusive = false, bool Whole = false)
{
    /// <summary>Whether <paramref name="value"/> is finite and in range.</summary>
    public bool Contains(double value) =>
        double.IsFinite(value) && (LowExclusive ? value > Low : value >= Low) && value <= High;

    /// <summary>The range as the core's messages print it (<see cref="Guard.Format"/>): <c>[0, 10000]</c>, <c>(0, 1E+06]</c>.</summary>
    public override string ToString() => $"{(LowExclusive ? "(" : "[")}{End(Low)}, {End(High)}]";

    private string End(double value) =>
        Whole ? value.ToString("0", System.Globalization.CultureInfo.InvariantCulture) : Guard.Format(value);

    /// <summary>Null when <paramref name="value"/> is accepted, else the one-line message naming <paramref name="name"/>,
    /// the range and <paramref name="typed"/> (the text the user gave).</summary>
    public string? Problem(double value, string name, string typed) =>
        Contains(value) ? null : $"{name} must be in {this}; was {typed}.";
}
