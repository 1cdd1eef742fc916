using Infercost.Models;
using Infercost.Quantities;
using Infercost.Serving;
using Infercost.Simulation;

namespace Infercost.Search;

// Why these bounds, in this order (each is cheap next to one simulation):
//  * Memory: a replica that cannot hold the weights and the shortest request's KV cache serves nothing; the simulator
//    would refuse it too, so this never removes a feasible candidate.
//  * Latency: a request's TTFT is at least its own prefill alone on an idle replica, and its TPOT at least one
//    single-sequence decode step (sharing a step never makes it shorter); both grow with length, so the P90 over any
//    sample is at least the shortest request's. With a prefix cache the prefill can be skipped, so only TPOT is used.
//    A 1% margin covers the latency histogram's 0.58% quantile error.
//  * Throughput: one replica completes at most μ requests per second, from the steady-state step model with as many
//    sequences in flight as the KV cache can physically hold (shortest prompts) under the batch cap, and the prompt work
//    reduced by the share of prompt blocks a cache could possibly hit. The mean step prices the average batch, which
//    the convexity of max(compute, memory) makes optimistic; a further 25% margin (the simulator is within 3% of it
//    where steps are alike, 9% where they alternate) keeps it an upper bound. Then any fleet that keeps up has at least
//    ⌈rate ÷ μ⌉ replicas. Simulated answers below the bound are counted as violations and reported, not hidden.
//    Speculating, the step is a verify pass of k + 1 tokens per sequence plus drafting that keeps 1 + Σ Π a_j tokens
//    on average (SpeculativeDecoding.MixedThroughput); the latency floor divides a lone verify step by k + 1, the most
//    a step can emit.
//  * Bound: that fleet's cost, GPUs or energy, a lower bound on the candidate's, against the k-th best found so far.

/// <summary>The analytic screen a candidate passes before it is simulated: memory fit, a latency floor, and a lower
/// bound on its fleet from an upper bound on one replica's throughput.</summary>
public static class CandidateBounds
{
    /// <summary>Safety margin on the analytic throughput bound (see the note above the class).</summary>
    public const double ThroughputSlack = 0.25;

    /// <summary>Margin on the latency floor: the simulator's P90 is read from a histogram within 0.58%.</summary>
    public const double LatencyMargin = 1.01;

    /// <summary>Screens <paramref name="c"/>.</summary>
    public static CandidateScreen Screen(SearchCandidate c, SearchWorkload workload, SearchSettings settings, bool latencyFloor)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(settings);
        var accelerator = c.Device.Accelerator;
        if (settings.Rank == SearchRank.Energy && accelerator.Tdp is null)
        {
            return CandidateScreen.Pruned(SearchStage.Invalid, $"{accelerator.Id} has no rated power in the catalog to rank energy by");
        }

        // A chosen MoE kernel applies to the MoE models of the space; a dense model has no routed experts to run.
        var engine = settings.Config.Engine.MoeKernelChosen && !c.Model.IsMoe
            ? settings.Config.Engine with { MoeKernelChosen = false }
            : settings.Config.Engine;
        var config = settings.Config with
        {
            Engine = engine,
            TotalDevices = c.DevicesPerReplica,
            Parallelism = c.Parallelism,
            WeightPrecision = c.Weights,
            KvPrecision = c.Kv,
            MaxBatch = c.MaxBatch,
            PrefillChunkTokens = c.TokenBudget,
            InputTokens = Math.Max(1, (int)Math.Round(workload.Input.Mean)),
            OutputTokens = Math.Max(1, (int)Math.Round(workload.Output.Mean)),
            Batch = null,
            Speculation = c.Speculation,
        };
        ServingSetup setup;
        try
        {
            c.Speculation?.CheckAgainst(c.Model);
            setup = new ServingSetup(c.Model, accelerator, c.Parallelism, config);
        }
        catch (InvalidInputException e)
        {
            return CandidateScreen.Pruned(SearchStage.Invalid, e.Message.TrimEnd('.'));
        }

        // maxBatch is per attention-DP rank (each rank schedules its own batch); the simulated replica holds them all.
        var scheduler = new SchedulerConfig(c.TokenBudget, (int)Math.Min(1_000_000, (long)c.MaxBatch * c.Parallelism.AttentionData), settings.BlockTokens);
        int blocks;
        try
        {
            blocks = ServingSimulator.KvBlocksPerReplica(setup, scheduler);
            RequestFit.EnsureShortestFits(setup, workload.Input, workload.Output);
        }
        catch (ModelDoesNotFitException e)
        {
            return CandidateScreen.Pruned(SearchStage.Memory, FirstSentence(e.Message));
        }

        var window = KvCache.LayerSplit(setup.Model).Window;
        var shortest = Math.Max(1, workload.Input.Min);
        if (latencyFloor && LatencyFloor(setup, c.Disaggregated, scheduler, shortest, window, workload.PrefixCache is not null, settings.Slo) is { } slow)
        {
            return CandidateScreen.Pruned(SearchStage.Latency, slow);
        }

        var meanIn = Math.Max(1, workload.Input.Mean);
        var meanOut = Math.Max(1, workload.Output.Mean);
        var computedIn = Math.Max(1, meanIn * (1 - workload.ReusedShare));
        var resident = (int)Math.Clamp(Math.Floor(blocks / Math.Ceiling((shortest + 1.0) / settings.BlockTokens)), 1, scheduler.MaxRunningSequences);
        int replicasBound;
        if (!c.Disaggregated)
        {
            var (inTokens, outTokens) = ((int)Math.Round(computedIn), Math.Max(1, (int)Math.Round(meanOut)));
            var output = c.Speculation is null
                ? MixedStepModel.Step(setup, inTokens, outTokens, resident, c.TokenBudget).OutputTokensPerSecond
                : Speculation.SpeculativeDecoding.MixedThroughput(setup, inTokens, outTokens, resident, c.TokenBudget);
            var perReplica = output.Value / meanOut * (1 + ThroughputSlack);
            replicasBound = Replicas(workload.Rate / perReplica);
        }
        else
        {
            var prefill = new BatchComposition();
            prefill.AddPrefillShare(c.TokenBudget, Math.Max(1, (int)Math.Round(computedIn)), window);
            var prefillTokensPerSecond = c.TokenBudget / BatchStepModel.Cost(setup, prefill).Total.Value * (1 + ThroughputSlack);
            var decodeContext = meanIn + meanOut / 2;
            var decode = (c.Speculation is { } spec
                ? Speculation.SpeculativeDecoding.Step(setup, Math.Min(resident, Speculation.SpeculativeDecoding.MaxBatch), decodeContext, spec).TokensPerSecond
                : DecodeModel.Step(setup, resident, decodeContext).TokensPerSecond).Value * (1 + ThroughputSlack);
            replicasBound = Replicas(workload.Rate * computedIn / prefillTokensPerSecond) + Replicas(workload.Rate * meanOut / decode);
        }

        var gpus = (long)replicasBound * c.DevicesPerReplica;
        if (gpus > settings.MaxGpus)
        {
            return CandidateScreen.Pruned(SearchStage.Throughput,
                $"the required {Guard.Format(workload.Rate)} req/s needs at least {gpus:N0} GPUs by the saturated-throughput bound; the limit is {settings.MaxGpus:N0}", (int)Math.Min(int.MaxValue, gpus));
        }

        return new CandidateScreen(null, null, setup, scheduler, (int)gpus, Metric(settings, workload, c.Device, (int)gpus),
            PerMillionTokens(workload, c.Device.Price * gpus).Value);
    }

    /// <summary>The rank of a fleet of <paramref name="gpus"/> devices serving <paramref name="workload"/> (lower is better).</summary>
    public static double Metric(SearchSettings settings, SearchWorkload workload, SearchDevice device, int gpus)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(device);
        return settings.Rank switch
        {
            SearchRank.Cost => PerMillionTokens(workload, device.Price * gpus).Value,
            SearchRank.Gpus => gpus,
            _ => KwhPerMillionTokens(settings, workload, device, gpus) ?? double.PositiveInfinity,
        };
    }

    /// <summary>Fleet $/h ÷ million tokens served per hour at the required rate.</summary>
    public static DollarsPerMillionTokens PerMillionTokens(SearchWorkload workload, DollarsPerHour fleet)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return DollarsPerMillionTokens.FromDollarsPerMillionTokens(fleet.Value / MillionTokensPerHour(workload));
    }

    /// <summary>GPUs × rated power × PUE (kW) ÷ million tokens per hour: kWh per million tokens; null without a power figure.</summary>
    public static double? KwhPerMillionTokens(SearchSettings settings, SearchWorkload workload, SearchDevice device, int gpus)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(device);
        return device.Accelerator.Tdp is { } w ? w.Kilowatts * gpus * settings.Pue / MillionTokensPerHour(workload) : null;
    }

    private static double MillionTokensPerHour(SearchWorkload workload) => workload.Rate * 3600 * workload.TokensPerRequest / 1e6;

    private static int Replicas(double needed) => (int)Math.Clamp(Math.Ceiling(needed - 1e-9), 1, int.MaxValue / 1024);

    private static string? LatencyFloor(ServingSetup setup, bool disaggregated, SchedulerConfig scheduler, int prompt, double window, bool prefixCache, Slo slo)
    {
        if (!prefixCache)
        {
            var ttft = disaggregated ? Communication.KvTransfer(setup, setup, prompt).Value : 0;
            for (var done = 0; done < prompt; done += scheduler.MaxBatchedTokens)
            {
                var chunk = new BatchComposition();
                chunk.AddPrefillChunk(Math.Min(scheduler.MaxBatchedTokens, prompt - done), done, window);
                ttft += BatchStepModel.Cost(setup, chunk).Total.Value;
            }

            if (ttft > slo.TimeToFirstToken.Value * LatencyMargin)
            {
                return $"the shortest prompt ({prompt} tokens) alone takes {Seconds.FromSeconds(ttft)} to its first token; the target is {slo.TimeToFirstToken}";
            }
        }

        var tpot = Speculation.SpeculativeDecoding.FastestTimePerToken(setup, prompt + 1).Value;
        return tpot > slo.TimePerOutputToken.Value * LatencyMargin
            ? $"one sequence alone takes {Seconds.FromSeconds(tpot)} per output token; the target is {slo.TimePerOutputToken}"
            : null;
    }

    // "m does not fit on 1 × g (TP1): weights need ... reserve. Use more GPUs ..." → "weights need ... reserve".
    internal static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        var sentence = (end < 0 ? message : message[..end]).TrimEnd('.');
        var colon = sentence.IndexOf("): ", StringComparison.Ordinal);
        return colon < 0 ? sentence : sentence[(colon + 3)..];
    }
}

/// <summary>A candidate after the analytic screen.</summary>
/// <param name="PrunedAt">The stage that removed it; null when it goes on to be simulated.</param>
/// <param name="Reason">Why it was removed.</param>
/// <param name="Setup">One replica, resolved; null when pruned.</param>
/// <param name="Scheduler">Its scheduler; null when pruned.</param>
/// <param name="LowerBoundGpus">The analytic lower bound on its fleet's GPUs.</param>
/// <param name="LowerBound">That fleet's rank: a lower bound on the candidate's.</param>
/// <param name="LowerBoundCost">That fleet's $/MTok: a lower bound on the candidate's cost (the rank's tie-break).</param>
public sealed record CandidateScreen(SearchStage? PrunedAt, string? Reason, ServingSetup? Setup, SchedulerConfig? Scheduler, int LowerBoundGpus, double LowerBound,
    double LowerBoundCost = double.PositiveInfinity)
{
    /// <summary>Removed at <paramref name="stage"/>.</summary>
    public static CandidateScreen Pruned(SearchStage stage, string reason, int lowerBoundGpus = 0) => new(stage, reason, null, null, lowerBoundGpus, double.PositiveInfinity);
}
