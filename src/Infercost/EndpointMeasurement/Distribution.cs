namespace Infercost.EndpointMeasurement;

/// <summary>Summary of measured samples, in seconds: exact nearest-rank percentiles (every sample is kept).</summary>
/// <param name="Count">Samples.</param>
/// <param name="Mean">Arithmetic mean (0 without samples).</param>
/// <param name="P50">Median.</param>
/// <param name="P90">90th percentile.</param>
/// <param name="P95">95th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="Max">Largest sample.</param>
public sealed record Distribution(long Count, double Mean, double P50, double P90, double P95, double P99, double Max)
{
    /// <summary>No samples.</summary>
    public static Distribution Empty { get; } = new(0, 0, 0, 0, 0, 0, 0);

    /// <summary>Summarises <paramref name="samples"/> (nearest rank: the ⌈q·n⌉-th smallest).</summary>
    public static Distribution Of(IEnumerable<double> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var sorted = samples.Where(double.IsFinite).ToArray();
        if (sorted.Length == 0) return Empty;
        Array.Sort(sorted);
        double Rank(double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Distribution(sorted.Length, sorted.Average(), Rank(0.5), Rank(0.9), Rank(0.95), Rank(0.99), sorted[^1]);
    }
}
