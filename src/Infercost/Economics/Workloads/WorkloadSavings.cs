using Infercost.Quantities;

namespace Infercost.Economics.Workloads;

/// <summary>What each lever saves per day, each alone against the baseline (no caching, no compaction, no output
/// reduction), and all together. A negative saving means the lever costs more than it saves (cache writes at a low hit rate).</summary>
/// <param name="Baseline">The workload with no levers.</param>
/// <param name="WithLevers">The workload with every lever applied.</param>
/// <param name="Caching">Baseline − baseline with caching only.</param>
/// <param name="Compaction">Baseline − baseline with compaction only.</param>
/// <param name="OutputReduction">Baseline − baseline with output reduction only.</param>
/// <param name="Total">Baseline − with all levers (less than the sum: the levers overlap).</param>
public sealed record WorkloadSavings(
    WorkloadCost Baseline,
    WorkloadCost WithLevers,
    Dollars Caching,
    Dollars Compaction,
    Dollars OutputReduction,
    Dollars Total);
