using Infercost.Serving;
using Infercost.Simulation;

namespace Infercost.Search;

/// <summary>What the search ranks candidates by.</summary>
public enum SearchRank
{
    /// <summary>Dollars per million tokens (prompt + output) of the fleet that meets the SLO at the required rate.</summary>
    Cost,

    /// <summary>GPUs in that fleet (ties by cost).</summary>
    Gpus,

    /// <summary>Kilowatt-hours per million tokens at the devices' rated power × PUE.</summary>
    Energy,
}

/// <summary>The second axis of the Pareto front (the first is the rank).</summary>
public enum SearchFront
{
    /// <summary>P90 time to first token at the chosen fleet.</summary>
    Ttft,

    /// <summary>P90 time per output token at the chosen fleet.</summary>
    Tpot,

    /// <summary>GPUs in the fleet.</summary>
    Gpus,
}

/// <summary>Where a candidate left the search.</summary>
public enum SearchStage
{
    /// <summary>Not a valid configuration (the layout does not divide the model, no peak at the precision, no power figure).</summary>
    Invalid,

    /// <summary>The weights, or the shortest request's KV cache, do not fit one replica.</summary>
    Memory,

    /// <summary>One shortest request alone, on an idle replica, already misses a latency target.</summary>
    Latency,

    /// <summary>The saturated-throughput bound says the required rate needs more GPUs than allowed.</summary>
    Throughput,

    /// <summary>Its lower bound on the rank cannot beat the current best-k.</summary>
    Bound,

    /// <summary>Simulated (feasible or not).</summary>
    Simulated,
}

/// <summary>How the search judges and ranks, and its bounds on work.</summary>
/// <param name="Slo">P90 targets.</param>
/// <param name="Config">Engine profile, memory reserve and efficiency factors (precisions, layout and scheduler are the candidate's).</param>
/// <param name="BlockTokens">Tokens per KV block.</param>
/// <param name="Rank">What to rank by.</param>
/// <param name="Front">The Pareto front's second axis.</param>
/// <param name="Top">How many best candidates to keep (k).</param>
/// <param name="Wave">Candidates simulated between two pruning decisions: the unit of parallel work. Results do not depend
/// on the number of threads; the top-k does not depend on the wave either.</param>
/// <param name="Prune">False simulates every candidate that fits in memory (brute force).</param>
/// <param name="MaxGpus">Most GPUs a fleet may have.</param>
/// <param name="TrialSeconds">Least simulated arrival time per generated trial.</param>
/// <param name="TrialRequests">Most requests per generated trial.</param>
/// <param name="Seed">Seeds every trial (common random numbers across candidates).</param>
/// <param name="Pue">Facility power usage effectiveness, for energy.</param>
public sealed record SearchSettings(
    Slo Slo,
    ServingConfig Config,
    int BlockTokens = 16,
    SearchRank Rank = SearchRank.Cost,
    SearchFront Front = SearchFront.Tpot,
    int Top = 10,
    int Wave = 8,
    bool Prune = true,
    int MaxGpus = 100_000,
    double TrialSeconds = 60,
    long TrialRequests = 20_000,
    long Seed = 1,
    double Pue = 1.3)
{
    /// <summary>Checks each field's range.</summary>
    public SearchSettings Validated()
    {
        ArgumentNullException.ThrowIfNull(Slo);
        ArgumentNullException.ThrowIfNull(Config);
        Slo.Validated();
        Guard.InRange(BlockTokens, 1, 4096, "blockSize");
        Guard.InRange(Top, 1, 1000, "top");
        Guard.InRange(Wave, 1, 1024, "wave");
        Guard.InRange(MaxGpus, 1, 10_000_000, "maxGpus");
        Guard.InRange(TrialSeconds, 1, 86_400, "trialTime");
        if (TrialRequests < 1000 || TrialRequests > CapacityPlanner.MaxTrialRequests)
        {
            throw new InvalidInputException("trialRequests", $"trialRequests must be in [1000, {CapacityPlanner.MaxTrialRequests}]; was {TrialRequests}.");
        }

        Guard.InRange(Pue, 1, 5, "pue");
        if (!Enum.IsDefined(Rank)) throw new InvalidInputException("rank", $"rank must be cost, gpus or energy; was {Rank}.");
        if (!Enum.IsDefined(Front)) throw new InvalidInputException("front", $"front must be ttft, tpot or gpus; was {Front}.");
        return this;
    }
}

/// <summary>The workload every candidate is judged on.</summary>
/// <param name="Rate">Required requests per second (a trace's mean rate).</param>
/// <param name="Input">Prompt lengths.</param>
/// <param name="Output">Output lengths.</param>
/// <param name="Arrival">Gaps of generated trials.</param>
/// <param name="Cv">Coefficient of variation of gamma gaps.</param>
/// <param name="Trace">A recorded stream to replay instead of generated trials (time order, from 0); null for generated.</param>
/// <param name="PrefixCache">Each replica's prefix cache on trace replay; null for none.</param>
/// <param name="ReusedShare">Share of the trace's prompt blocks seen before (the most any prefix cache can hit): the
/// throughput bound credits it; 0 without block ids.</param>
public sealed record SearchWorkload(double Rate, LengthDistribution Input, LengthDistribution Output, ArrivalKind Arrival = ArrivalKind.Poisson,
    double Cv = 1, IReadOnlyList<SimRequest>? Trace = null, PrefixCacheSpec? PrefixCache = null, double ReusedShare = 0)
{
    /// <summary>Prompt + output tokens per request on average: every candidate serves the same tokens per hour.</summary>
    public double TokensPerRequest => Input.Mean + Output.Mean;

    /// <summary>Checks each field's range.</summary>
    public SearchWorkload Validated()
    {
        ArgumentNullException.ThrowIfNull(Input);
        ArgumentNullException.ThrowIfNull(Output);
        Guard.InRange(Rate, 1e-6, 1e6, "rate");
        Guard.InRange(Cv, 0.05, 20, "cv");
        Guard.InRange(ReusedShare, 0, 1, "reusedShare");
        if (Trace is { Count: < 2 }) throw new InvalidInputException("trace", $"trace must hold at least two requests; had {Trace.Count}.");
        return this;
    }
}
