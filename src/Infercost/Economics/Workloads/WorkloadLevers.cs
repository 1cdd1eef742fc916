namespace Infercost.Economics.Workloads;

/// <summary>The three savings levers studied on a workload.</summary>
/// <param name="CacheHitRate">Fraction of cacheable prompt tokens served from the provider's prompt cache, in [0, 1];
/// null uses the workload's own assumption. 0 means caching is not used at all (no cache writes either).</param>
/// <param name="Compaction">Fraction of the accumulated conversation history removed by context compaction, in [0, 1):
/// each turn re-sends (1 − compaction) of the history it would otherwise re-send.</param>
/// <param name="OutputReduction">Fraction of output and reasoning tokens saved by a more token-efficient model or prompt,
/// in [0, 1) (0.65 = "65% fewer output tokens").</param>
public sealed record WorkloadLevers(double? CacheHitRate = null, double Compaction = 0, double OutputReduction = 0)
{
    /// <summary>No levers: the workload's own cache assumption, no compaction, no output reduction.</summary>
    public static WorkloadLevers None { get; } = new();

    /// <summary>Checks every field's range.</summary>
    public WorkloadLevers Validated()
    {
        if (CacheHitRate is { } h) Guard.InRange(h, 0, 1, "cacheHit");
        Guard.InRange(Compaction, 0, 0.99, "compaction");
        Guard.InRange(OutputReduction, 0, 0.99, "outputReduction");
        return this;
    }
}
