using System.Globalization;
using Infercost.Quantities;

namespace Infercost.Economics.Subscriptions;

/// <summary>One lognormal component of a usage mixture: a share of subscribers whose daily output is
/// lognormal with the given median and log-space spread.</summary>
/// <param name="Weight">Relative weight of the component (&gt; 0; weights are normalised across the mixture).</param>
/// <param name="MedianOutputPerDay">Median output tokens per day: e^μ of the lognormal.</param>
/// <param name="Sigma">Standard deviation of ln(output per day), in [0, 5]; 0 makes every subscriber the median.</param>
public sealed record LognormalComponent(double Weight, Tokens MedianOutputPerDay, double Sigma)
{
    /// <summary>Relative weight (&gt; 0).</summary>
    public double Weight { get; } = Guard.Positive(Weight, "weight");

    /// <summary>Median output tokens per day (&gt; 0).</summary>
    public Tokens MedianOutputPerDay { get; } = Tokens.FromTokens(Guard.Positive(MedianOutputPerDay.Value, "medianOutputPerDay"));

    /// <summary>Log-space standard deviation, in [0, 5].</summary>
    public double Sigma { get; } = Guard.InRange(Sigma, 0, 5, "sigma");

    /// <summary>Parses <c>weight:median:sigma</c>, for example <c>0.9:20000:1.0</c>.</summary>
    /// <exception cref="InvalidInputException">Not three numbers, or a number out of range.</exception>
    public static LognormalComponent Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':', StringSplitOptions.TrimEntries);
        var numbers = new double[parts.Length];
        var ok = parts.Length == 3;
        for (var i = 0; ok && i < parts.Length; i++)
            ok = double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) && double.IsFinite(numbers[i]);
        return ok
            ? new LognormalComponent(numbers[0], Tokens.FromTokens(numbers[1]), numbers[2])
            : throw new InvalidInputException("mixture", $"mixture component must be weight:median-output-per-day:sigma, for example 0.9:20000:1.0; was '{text}'.");
    }
}

/// <summary>How much subscribers use a plan: daily output tokens from a mixture of lognormals, and input tokens in a
/// fixed ratio to output.</summary>
/// <remarks>The parameters are assumptions, not measurements: no provider publishes its usage distribution. A
/// lognormal is the usual shape for per-user activity (a long right tail); a mixture lets a casual majority and a
/// heavy-user minority have their own medians. See docs/economics.md#subscription-population.</remarks>
/// <param name="Components">Mixture components (at least one).</param>
/// <param name="InputPerOutput">Input tokens per output token, in [0, 10,000] (Alderson's heavy Claude Code user: 10M/100k = 100).</param>
public sealed record UsageDistribution(IReadOnlyList<LognormalComponent> Components, double InputPerOutput)
{
    /// <summary>Mixture components.</summary>
    public IReadOnlyList<LognormalComponent> Components { get; } = Components is { Count: > 0 }
        ? Components
        : throw new InvalidInputException("mixture", "mixture must have at least one component; was empty.");

    /// <summary>Input tokens per output token.</summary>
    public double InputPerOutput { get; } = Guard.InRange(InputPerOutput, 0, 10_000, "inputPerOutput");

    /// <summary>A single lognormal.</summary>
    public static UsageDistribution Lognormal(Tokens medianOutputPerDay, double sigma, double inputPerOutput) =>
        new([new LognormalComponent(1, medianOutputPerDay, sigma)], inputPerOutput);

    /// <summary>Draws one subscriber's output tokens per day.</summary>
    internal double SampleOutputPerDay(Random random, double totalWeight)
    {
        var pick = random.NextDouble() * totalWeight;
        var component = Components[^1];
        foreach (var c in Components)
        {
            if (pick < c.Weight) { component = c; break; }
            pick -= c.Weight;
        }

        return component.MedianOutputPerDay.Value * Math.Exp(component.Sigma * StandardNormal(random));
    }

    // Box-Muller; one normal per pair of uniforms keeps the stream simple and still deterministic for a seed.
    private static double StandardNormal(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
