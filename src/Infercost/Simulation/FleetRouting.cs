using Infercost.Models;
using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Simulation;

// Why a weight, and why this one. A least-loaded router over replicas of unequal speed that compares raw loads sends
// a slow replica as much work as a fast one whenever their queues are equal, and the slow one's queue then drains
// later: its requests wait longer for no reason. The load balancers that serve unequal backends divide the load by a
// weight that stands for the backend's service rate: the Linux Virtual Server's weighted least-connection scheduler
// (ip_vs_wlc: the server with the least connections ÷ weight) and Envoy's least_request with host weights (active
// requests ÷ weight). Outstanding tokens ÷ decode rate is then the seconds of work a replica holds, the quantity a
// "least work left" router (join the shortest expected delay) minimises. The weight is what the step-time model says
// one replica decodes per second at the batch it would run under load, not a number fitted per GPU.

/// <summary>The routing weight of a replica in a fleet of unequal replicas (see <see cref="DecodeRate"/>).</summary>
public static class FleetRouting
{
    /// <summary>One replica's decode rate, in tokens per second: a step of n decodes of context c each emits n tokens
    /// in t = <see cref="BatchStepModel.Cost"/>(n decodes, contexts summing to n·c), so the rate is n ÷ t, with
    /// n = min(the scheduler's max running sequences, ⌊KV tokens the replica holds ÷ c⌋, at least 1): the batch the
    /// replica runs under load. The least-loaded policies of a fleet of unequal replicas compare load ÷ this rate
    /// (weighted least-connection: the Linux Virtual Server's ip_vs_wlc, Envoy's weighted least_request), so
    /// least-tokens compares the seconds of decoding each replica holds. See docs/simulation.md#heterogeneous-fleets.</summary>
    /// <param name="setup">One replica.</param>
    /// <param name="scheduler">Its scheduler (the batch cap, the block size).</param>
    /// <param name="kvBlocks">KV blocks one replica holds (<see cref="ServingSimulator.KvBlocksPerReplica"/>).</param>
    /// <param name="contextTokens">Mean tokens a decoding request holds, c: the mean prompt plus half the mean output.</param>
    public static TokensPerSecond DecodeRate(ServingSetup setup, SchedulerConfig scheduler, int kvBlocks, double contextTokens)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(scheduler);
        Guard.InRange(contextTokens, 1, 1e9, "contextTokens");
        var kvTokens = (double)kvBlocks * scheduler.BlockTokens;
        var n = Math.Max(1, Math.Min(scheduler.MaxRunningSequences, Math.Floor(kvTokens / contextTokens)));
        var (_, _, window) = KvCache.LayerSplit(setup.Model);
        var step = BatchStepModel.Cost(setup, BatchComposition.OfDecodes(n, n * contextTokens, n * Math.Min(contextTokens, window))).Total;
        return TokensPerSecond.FromTokensPerSecond(n / step.Value);
    }

    /// <summary>One prefill replica's prompt rate, in tokens per second: a loaded prefill replica fills every step with
    /// the scheduler's token budget B (<see cref="SchedulerConfig.MaxBatchedTokens"/>, chunked prefill), so the rate is
    /// B ÷ t, t = <see cref="BatchStepModel.Cost"/>(one prompt chunk of B tokens on an empty cache). Prefill is
    /// compute-bound where decode is bandwidth-bound, so the prefill pools of a fleet with roles are weighed by this
    /// rate, not by <see cref="DecodeRate"/>.</summary>
    /// <param name="setup">One replica.</param>
    /// <param name="scheduler">Its scheduler (the token budget).</param>
    public static TokensPerSecond PrefillRate(ServingSetup setup, SchedulerConfig scheduler)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(scheduler);
        var (_, _, window) = KvCache.LayerSplit(setup.Model);
        var batch = new BatchComposition();
        batch.AddPrefillChunk(scheduler.MaxBatchedTokens, 0, window);
        return TokensPerSecond.FromTokensPerSecond(scheduler.MaxBatchedTokens / BatchStepModel.Cost(setup, batch).Total.Value);
    }

    /// <summary>Most of one replica's KV cache a request's whole context may take for the replica's pool to be preferred
    /// by KV-aware routing: ½, so that such a replica holds at least two of the longest requests it is sent at once, and
    /// one of them never has the cache to itself while every other sequence waits or is preempted behind it. A stated
    /// choice of the routing rule (docs/simulation.md#heterogeneous-fleets), not a fitted figure.</summary>
    public const double MaxKvShare = 0.5;

    /// <summary>How well <paramref name="replica"/> (any replica of its pool: they are equal) holds the whole context of
    /// <paramref name="r"/>: its blocks for prompt + output (a prefill replica: the prompt) against the replica's blocks
    /// B. <see cref="KvFit.None"/> past B, <see cref="KvFit.Tight"/> past <see cref="MaxKvShare"/> × B.</summary>
    internal static KvFit Fit(Replica replica, in SimRequest r)
    {
        if (!replica.CanEverFit(r)) return KvFit.None;
        var blocks = replica.BlocksFor(replica.Role == ReplicaRole.Prefill ? r.PromptTokens : (double)r.PromptTokens + r.OutputTokens);
        return blocks <= MaxKvShare * replica.TotalBlocks ? KvFit.Comfortable : KvFit.Tight;
    }

    /// <summary>Per replica, its pool's rate ÷ the fastest pool's (in (0, 1]); null when every pool's rate is the same,
    /// so a fleet of equal replicas routes on raw loads, exactly as a fleet of one kind.</summary>
    internal static double[]? Weights(IReadOnlyList<double> rates, IReadOnlyList<int> replicas)
    {
        if (rates.All(r => r == rates[0])) return null;
        var fastest = rates.Max();
        var weights = new double[replicas.Sum()];
        var at = 0;
        for (var p = 0; p < rates.Count; p++)
        {
            for (var i = 0; i < replicas[p]; i++) weights[at++] = rates[p] / fastest;
        }

        return weights;
    }
}
