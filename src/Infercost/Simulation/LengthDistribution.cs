using System.Globalization;

namespace Infercost.Simulation;

/// <summary>A distribution of token counts (prompt or output lengths), sampled as whole numbers ≥ 1.</summary>
public abstract record LengthDistribution
{
    /// <summary>Draws one length.</summary>
    public abstract int Sample(Pcg32 random);

    /// <summary>The distribution's mean (before rounding and clamping, for the lognormal).</summary>
    public abstract double Mean { get; }

    /// <summary>The largest length it can draw.</summary>
    public abstract int Max { get; }

    /// <summary>The smallest length it can draw (1 unless the distribution says more).</summary>
    public virtual int Min => 1;

    /// <summary>Parses <c>N</c> (fixed) or <c>lognormal:MEDIAN:SIGMA[:MAX]</c>.</summary>
    /// <exception cref="InvalidInputException">Another form, or values out of range; the message names <paramref name="field"/>.</exception>
    public static LengthDistribution Parse(string text, string field)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split(':', StringSplitOptions.TrimEntries);
        if (parts.Length == 1 && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            return new FixedLength(Guard.InRange(n, 1, 10_000_000, field));
        }

        if (parts.Length is 3 or 4 && parts[0].Equals("lognormal", StringComparison.OrdinalIgnoreCase)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var median)
            && double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var sigma))
        {
            var max = 1_000_000;
            if (parts.Length == 4 && !int.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out max))
            {
                throw new InvalidInputException(field, $"{field} must be N or lognormal:MEDIAN:SIGMA[:MAX]; was '{text}'.");
            }

            return new LognormalLength(Guard.InRange(median, 1, 10_000_000, field + " median"), Guard.InRange(sigma, 0, 5, field + " sigma"),
                Guard.InRange(max, 1, 10_000_000, field + " max"));
        }

        throw new InvalidInputException(field, $"{field} must be N or lognormal:MEDIAN:SIGMA[:MAX]; was '{text}'.");
    }
}

/// <summary>Always <paramref name="Tokens"/> tokens.</summary>
public sealed record FixedLength(int Tokens) : LengthDistribution
{
    /// <inheritdoc />
    public override int Sample(Pcg32 random) => Tokens;

    /// <inheritdoc />
    public override double Mean => Tokens;

    /// <inheritdoc />
    public override int Max => Tokens;

    /// <inheritdoc />
    public override int Min => Tokens;
}

/// <summary>Lognormal lengths: median × e^(σ·Z), rounded, clamped to [1, <paramref name="MaxTokens"/>]. Published
/// chat traces (ShareGPT, LMSYS-Chat) have roughly lognormal prompt and output lengths with σ between 0.8 and 1.5.</summary>
public sealed record LognormalLength(double Median, double Sigma, int MaxTokens = 1_000_000) : LengthDistribution
{
    /// <inheritdoc />
    public override int Sample(Pcg32 random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var x = Math.Round(Median * Math.Exp(Sigma * random.NextNormal()));
        return (int)Math.Clamp(x, 1, MaxTokens);
    }

    /// <inheritdoc />
    public override double Mean => Math.Min(MaxTokens, Median * Math.Exp(Sigma * Sigma / 2));

    /// <inheritdoc />
    public override int Max => MaxTokens;
}

/// <summary>Lengths drawn from a histogram: each value with probability proportional to its weight.</summary>
public sealed record EmpiricalLength : LengthDistribution
{
    private readonly int[] _values;
    private readonly double[] _cumulative;

    /// <summary>A histogram of (tokens, weight) pairs; weights need not sum to 1.</summary>
    public EmpiricalLength(IReadOnlyList<(int Tokens, double Weight)> bins)
    {
        ArgumentNullException.ThrowIfNull(bins);
        if (bins.Count == 0) throw new InvalidInputException("histogram", "histogram must have at least one bin; was empty.");
        _values = new int[bins.Count];
        _cumulative = new double[bins.Count];
        var total = 0.0;
        for (var i = 0; i < bins.Count; i++)
        {
            _values[i] = Guard.InRange(bins[i].Tokens, 1, 10_000_000, $"histogram[{i}].tokens");
            total += Guard.InRange(bins[i].Weight, 0, 1e15, $"histogram[{i}].weight");
            _cumulative[i] = total;
        }

        if (total <= 0) throw new InvalidInputException("histogram", "histogram weights must sum to > 0; was 0.");
        for (var i = 0; i < _cumulative.Length; i++) _cumulative[i] /= total;
        Mean = Enumerable.Range(0, _values.Length).Sum(i => _values[i] * (_cumulative[i] - (i == 0 ? 0 : _cumulative[i - 1])));
    }

    /// <summary>Parses <c>tokens,weight</c> lines (a non-numeric first line is a header; <c>#</c> starts a comment).</summary>
    /// <exception cref="InvalidInputException">A malformed line; the message names the source and line.</exception>
    public static EmpiricalLength ParseCsv(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bins = new List<(int, double)>();
        var lines = text.Split('\n');
        var first = true;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var isFirst = first;
            first = false;
            var parts = line.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var tokens)
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var weight))
            {
                // A bin of 1.5 or 1e3 tokens is a number but not a whole token count: say so, with its line.
                if (parts.Length == 2 && !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
                    && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                    && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    throw new InvalidInputException("histogram", $"{sourceName} line {i + 1}: tokens must be a whole number in [1, 10000000]; was '{parts[0]}'.");
                }

                if (isFirst) continue;
                throw new InvalidInputException("histogram", $"{sourceName} line {i + 1}: expected 'tokens,weight' with numbers; was '{line}'.");
            }

            Guard.InRange(tokens, 1, 10_000_000, $"{sourceName} line {i + 1} tokens");
            Guard.InRange(weight, 0, 1e15, $"{sourceName} line {i + 1} weight");
            bins.Add((tokens, weight));
        }

        return new EmpiricalLength(bins);
    }

    /// <inheritdoc />
    public override int Sample(Pcg32 random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var u = random.NextDouble();
        var i = Array.BinarySearch(_cumulative, u);
        if (i < 0) i = ~i;
        return _values[Math.Min(i, _values.Length - 1)];
    }

    /// <inheritdoc />
    public override double Mean { get; }

    /// <inheritdoc />
    public override int Max => _values.Max();

    /// <inheritdoc />
    public override int Min => _values.Min();
}
