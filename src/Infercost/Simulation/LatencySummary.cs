using Infercost.Quantities;

namespace Infercost.Simulation;

/// <summary>A latency distribution reduced to what SLOs are written against.</summary>
/// <param name="Count">Samples.</param>
/// <param name="Mean">Exact mean.</param>
/// <param name="P50">Median (within <see cref="LogHistogram.RelativeError"/>).</param>
/// <param name="P90">90th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="Max">Exact maximum.</param>
public sealed record LatencySummary(long Count, Seconds Mean, Seconds P50, Seconds P90, Seconds P99, Seconds Max)
{
    internal static LatencySummary Of(LogHistogram h) => new(h.Count,
        Seconds.FromSeconds(h.Mean), Seconds.FromSeconds(h.Quantile(0.5)), Seconds.FromSeconds(h.Quantile(0.9)),
        Seconds.FromSeconds(h.Quantile(0.99)), Seconds.FromSeconds(h.Max));
}
