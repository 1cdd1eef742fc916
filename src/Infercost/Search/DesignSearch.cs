using Infercost.Costing;
using Infercost.Serving;
using Infercost.Simulation;

namespace Infercost.Search;

// Branch and bound in waves, so the answer does not depend on the number of threads:
//  1. Every candidate is screened analytically (CandidateBounds): invalid, memory, latency floor, throughput bound.
//  2. The survivors are sorted by their lower bound on the rank (then by index). Waves of `Wave` candidates are taken in
//     that order; a candidate is pruned instead when it cannot enter the best k found so far (its bound above the k-th
//     best's rank, or equal with a higher cost bound, or equal in both and later in the order). A wave's candidates are
//     simulated in parallel, each on its own (CapacityPlanner.SizeFleet / DisaggregatedPlanner with the candidate's
//     layout), and their outcomes are placed by index; the best-k is updated only between waves. What is simulated, and
//     every outcome, is therefore the same on one core or sixteen.
//  3. Pruning is exact for the top-k in the order (rank, cost, index) when the bounds hold: a candidate's true rank is at
//     least its bound and its true cost at least its cost bound, so one that belongs in the final top-k is never behind
//     the k-th best at any wave and is simulated. The Pareto front is taken over that top-k, so it is exact too.
//  4. Outcomes already finished (a state file) are taken instead of simulated; the same waves follow, so a resumed
//     search ends where an uninterrupted one would.

/// <summary>Searches a design space for the configurations that meet the SLO at the required rate most cheaply (or
/// with the fewest GPUs, or the least energy). Pure: the shell reads and writes any state.</summary>
public static class DesignSearch
{
    /// <summary>Runs the search, simulating each wave's candidates on this machine's threads.</summary>
    /// <param name="space">The candidates.</param>
    /// <param name="workload">The rate and lengths, or a trace.</param>
    /// <param name="settings">SLO, rank, pruning and work bounds.</param>
    /// <param name="finished">Outcomes of simulated candidates from an earlier run of the same search, by index.</param>
    /// <param name="onFinished">Called with each newly simulated outcome, from the thread that simulated it.</param>
    /// <param name="maxParallelism">Most threads (null: one per core). Does not change the answer.</param>
    /// <param name="progress">Receives the fraction of the current upper bound on simulations done.</param>
    /// <param name="cancellation">Checked between candidates and, inside each candidate's capacity planner, before every trial.</param>
    /// <exception cref="InvalidInputException">A field out of range, or a space with no or too many candidates.</exception>
    public static SearchResult Run(SearchSpace space, SearchWorkload workload, SearchSettings settings,
        IReadOnlyDictionary<int, CandidateOutcome>? finished = null, Action<CandidateOutcome>? onFinished = null,
        int? maxParallelism = null, IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        if (maxParallelism is { } p) Guard.InRange(p, 1, 4096, "threads");
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxParallelism ?? Environment.ProcessorCount, CancellationToken = cancellation };
        var task = RunCore(space, workload, settings, finished, onFinished, options, null, progress, cancellation);
        // The local evaluator never awaits: the task has completed (or faulted) by now.
        return task.GetAwaiter().GetResult();
    }

    /// <summary>Runs the search with each wave's candidates simulated by <paramref name="evaluate"/> (another
    /// process, a cluster), which must report for every index of the wave the outcome of <see cref="Evaluate"/> on the
    /// same space, workload and settings. The pruning, the waves and the answer are those of <see cref="Run"/>.</summary>
    /// <param name="space">The candidates.</param>
    /// <param name="workload">The rate and lengths, or a trace.</param>
    /// <param name="settings">SLO, rank, pruning and work bounds.</param>
    /// <param name="evaluate">Simulates a wave's candidates; may report an index more than once (the first is kept).</param>
    /// <param name="finished">Outcomes of simulated candidates from an earlier run of the same search, by index.</param>
    /// <param name="onFinished">Called once with each newly simulated outcome as it is reported.</param>
    /// <param name="progress">Receives the fraction of the current upper bound on simulations done.</param>
    /// <param name="cancellation">Checked between waves and passed to the evaluator.</param>
    /// <exception cref="InvalidInputException">A field out of range, or a space with no or too many candidates.</exception>
    /// <exception cref="InvalidOperationException">The evaluator returned without reporting every index of a wave.</exception>
    public static Task<SearchResult> RunAsync(SearchSpace space, SearchWorkload workload, SearchSettings settings, SearchEvaluator evaluate,
        IReadOnlyDictionary<int, CandidateOutcome>? finished = null, Action<CandidateOutcome>? onFinished = null,
        IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        return RunCore(space, workload, settings, finished, onFinished, null, evaluate, progress, cancellation);
    }

    /// <summary>Simulates candidate <paramref name="candidate"/> of a search: screens it as <see cref="Run"/> does and
    /// sizes its fleet. The one function behind every simulated outcome, here or on a cluster's silos.</summary>
    /// <param name="candidate">A candidate of the space.</param>
    /// <param name="workload">The rate and lengths, or a trace.</param>
    /// <param name="settings">SLO, rank, pruning and work bounds.</param>
    /// <param name="cancellation">Checked before every trial of the capacity planner.</param>
    /// <exception cref="ArgumentException">The candidate does not fit in memory (the search never simulates it).</exception>
    public static CandidateOutcome Evaluate(SearchCandidate candidate, SearchWorkload workload, SearchSettings settings, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(settings);
        var screen = CandidateBounds.Screen(candidate, workload, settings, settings.Prune);
        if (screen.Setup is null) throw new ArgumentException($"candidate {candidate.Index} ({candidate}) is not simulated: {screen.Reason}", nameof(candidate));
        return Simulate(candidate, screen, workload, settings, cancellation);
    }

    private static async Task<SearchResult> RunCore(SearchSpace space, SearchWorkload workload, SearchSettings settings,
        IReadOnlyDictionary<int, CandidateOutcome>? finished, Action<CandidateOutcome>? onFinished, ParallelOptions? local, SearchEvaluator? remote,
        IProgress<double>? progress, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(settings);
        workload.Validated();
        settings.Validated();
        var candidates = space.Candidates();
        var outcomes = new CandidateOutcome?[candidates.Count];
        var screens = new CandidateScreen[candidates.Count];
        var options = local ?? new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellation };
        For(candidates.Count, options, i => screens[i] = CandidateBounds.Screen(candidates[i], workload, settings, settings.Prune));

        var pending = new List<int>();
        for (var i = 0; i < candidates.Count; i++)
        {
            var s = screens[i];
            if (s.PrunedAt is { } stage && (settings.Prune || stage is SearchStage.Invalid or SearchStage.Memory))
            {
                outcomes[i] = Outcome(candidates[i], stage, s.Reason, s.LowerBoundGpus);
            }
            else
            {
                pending.Add(i);
            }
        }

        pending.Sort((a, b) => screens[a].LowerBound != screens[b].LowerBound ? screens[a].LowerBound.CompareTo(screens[b].LowerBound) : a.CompareTo(b));
        var best = new List<CandidateOutcome>();
        int reused = 0, simulated = 0, violations = 0;
        var next = 0;
        while (next < pending.Count)
        {
            cancellation.ThrowIfCancellationRequested();
            var wave = new List<int>(settings.Wave);
            var kth = settings.Prune && best.Count >= settings.Top ? best[settings.Top - 1] : null;
            for (; next < pending.Count && wave.Count < settings.Wave; next++)
            {
                var i = pending[next];
                if (kth is null || !CannotBeat(screens[i], i, kth, settings.Rank))
                {
                    wave.Add(i);
                    continue;
                }

                outcomes[i] = Outcome(candidates[i], SearchStage.Bound,
                    $"its lower bound ({Bound(settings, screens[i].LowerBound)}) cannot beat the {Kth(settings.Top)} found ({Bound(settings, kth.Metric(settings.Rank)!.Value)})", screens[i].LowerBoundGpus);
            }

            if (wave.Count == 0) break;
            var fresh = new bool[wave.Count];
            var toSimulate = new List<int>(wave.Count);
            foreach (var i in wave)
            {
                if (finished is not null && finished.TryGetValue(i, out var done) && done.Stage == SearchStage.Simulated && done.Index == i) outcomes[i] = done;
                else toSimulate.Add(i);
            }

            foreach (var (i, w) in wave.Select((i, w) => (i, w))) fresh[w] = outcomes[i] is null;
            if (remote is null)
            {
                For(toSimulate.Count, options, t =>
                {
                    var i = toSimulate[t];
                    var o = Simulate(candidates[i], screens[i], workload, settings, cancellation);
                    outcomes[i] = o;
                    onFinished?.Invoke(o);
                });
            }
            else if (toSimulate.Count > 0)
            {
                var expected = toSimulate.ToHashSet();
                await remote(toSimulate, o =>
                {
                    // The first report of a wave's index is kept; a repeat (a unit retried after its silo was given up)
                    // or an index outside the wave is dropped, so nothing is counted twice.
                    ArgumentNullException.ThrowIfNull(o);
                    if (!expected.Contains(o.Index) || Interlocked.CompareExchange(ref outcomes[o.Index], o, null) is not null) return;
                    onFinished?.Invoke(o);
                }, cancellation).ConfigureAwait(false);
                var missing = toSimulate.Where(i => outcomes[i] is null).ToList();
                if (missing.Count > 0) throw new InvalidOperationException($"the evaluator returned without the outcomes of candidates {string.Join(", ", missing)}.");
            }

            foreach (var (i, w) in wave.Select((i, w) => (i, w)))
            {
                var o = outcomes[i]!;
                if (fresh[w]) simulated++;
                else reused++;
                if (o.Feasible && o.Gpus < o.LowerBoundGpus) violations++;
                if (o.Feasible) best.Add(o);
            }

            best.Sort((a, b) => Compare(a, b, settings.Rank));
            if (best.Count > settings.Top) best.RemoveRange(settings.Top, best.Count - settings.Top);
            progress?.Report((double)next / pending.Count);
        }

        progress?.Report(1);
        return SearchResult.Of(candidates.Count, outcomes!, settings, reused, simulated, violations);
    }

    // A candidate cannot enter the top-k when its bound is worse than the k-th best, or equal to it while its cost bound
    // is higher, or both equal and it comes later in the order: its true rank is at least its bound and its true cost at
    // least its cost bound (GPUs × price, with GPUs at least the bound's), and the order breaks ties by cost, then index.
    private static bool CannotBeat(CandidateScreen screen, int index, CandidateOutcome kth, SearchRank rank)
    {
        var threshold = kth.Metric(rank)!.Value;
        if (screen.LowerBound != threshold) return screen.LowerBound > threshold;
        var cost = kth.PerMillionTokens!.Value.Value;
        return screen.LowerBoundCost != cost ? screen.LowerBoundCost > cost : index > kth.Index;
    }

    /// <summary>Orders feasible outcomes by the rank, then by cost, then by index (a total order).</summary>
    public static int Compare(CandidateOutcome a, CandidateOutcome b, SearchRank rank)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var byRank = a.Metric(rank)!.Value.CompareTo(b.Metric(rank)!.Value);
        if (byRank != 0) return byRank;
        var byCost = (a.PerMillionTokens?.Value ?? 0).CompareTo(b.PerMillionTokens?.Value ?? 0);
        return byCost != 0 ? byCost : a.Index.CompareTo(b.Index);
    }

    private static CandidateOutcome Simulate(SearchCandidate c, CandidateScreen screen, SearchWorkload workload, SearchSettings settings, CancellationToken cancellation)
    {
        var setup = screen.Setup!;
        var inputs = new PlanInputs(c.Model, c.Device.Accelerator, setup.Config, screen.Scheduler!, workload.Input, workload.Output, workload.Rate, settings.Slo,
            new RentalCost(c.Device.Price), Arrival: workload.Arrival, CoefficientOfVariation: workload.Cv, Seed: settings.Seed, TrialSeconds: settings.TrialSeconds,
            MaxDevicesPerReplica: Math.Min(1024, c.DevicesPerReplica), MaxReplicas: Math.Max(1, settings.MaxGpus / c.DevicesPerReplica),
            MaxTrialRequests: settings.TrialRequests, Trace: workload.Trace, PrefixCache: workload.PrefixCache);
        if (!c.Disaggregated)
        {
            var sized = CapacityPlanner.SizeFleet(inputs, setup, cancellation: cancellation);
            if (sized.Replicas is not { } n) return Outcome(c, SearchStage.Simulated, sized.Reason, screen.LowerBoundGpus) with { Trials = sized.Trials };
            var result = sized.Pass!.Result;
            return Feasible(c, screen, workload, settings, n, null, null, n * c.DevicesPerReplica, result.TimeToFirstToken.P90, result.TimePerOutputToken.P90, sized.Trials)
                with { Extrapolating = [.. Calibration.CalibrationCoverage.Shipped.AssessRun(setup, result.OutputTokens.Value, result.Steps)] };
        }

        try
        {
            var plan = DisaggregatedPlanner.Plan(inputs, setup, setup, null, cancellation);
            var fleet = plan.AtPeak.Fleet;
            return Feasible(c, screen, workload, settings, plan.PrefillReplicas + plan.DecodeReplicas, plan.PrefillReplicas, plan.DecodeReplicas, plan.Devices,
                fleet.TimeToFirstToken.P90, fleet.TimePerOutputToken.P90, plan.Trials)
                with { Extrapolating = [.. Calibration.CalibrationCoverage.Shipped.AssessRun(setup, fleet.OutputTokens.Value, plan.AtPeak.Decode.Steps)] };
        }
        catch (Exception e) when (e is InvalidInputException or ModelDoesNotFitException)
        {
            return Outcome(c, SearchStage.Simulated, CandidateBounds.FirstSentence(e.Message), screen.LowerBoundGpus);
        }
    }

    private static CandidateOutcome Feasible(SearchCandidate c, CandidateScreen screen, SearchWorkload workload, SearchSettings settings, int replicas,
        int? prefill, int? decode, int gpus, Quantities.Seconds ttft, Quantities.Seconds tpot, int trials)
    {
        var fleet = c.Device.Price * gpus;
        return Outcome(c, SearchStage.Simulated, null, screen.LowerBoundGpus) with
        {
            Feasible = true,
            Replicas = replicas,
            PrefillReplicas = prefill,
            DecodeReplicas = decode,
            Gpus = gpus,
            FleetPerHour = fleet,
            PerMillionTokens = CandidateBounds.PerMillionTokens(workload, fleet),
            KwhPerMillionTokens = CandidateBounds.KwhPerMillionTokens(settings, workload, c.Device, gpus),
            P90Ttft = ttft,
            P90Tpot = tpot,
            Trials = trials,
        };
    }

    private static CandidateOutcome Outcome(SearchCandidate c, SearchStage stage, string? reason, int lowerBoundGpus) =>
        new(c.Index, c.ToString(), c.Model.Id, c.Device.Accelerator.Id, c.WeightsServed.Name(), c.Kv.Name(), c.Parallelism.ToString(), c.DevicesPerReplica,
            c.MaxBatch, c.TokenBudget, c.Disaggregated, stage, reason, lowerBoundGpus)
        {
            Speculation = c.SpeculationText,
            TokensPerStep = c.Speculation?.ExpectedTokensPerStep ?? 1,
        };

    private static string Bound(SearchSettings settings, double value) => settings.Rank switch
    {
        SearchRank.Cost => "$" + Guard.Format(Math.Round(value, 4)) + "/MTok",
        SearchRank.Gpus => Guard.Format(value) + " GPUs",
        _ => Guard.Format(Math.Round(value, 4)) + " kWh/MTok",
    };

    private static string Kth(int k) => k == 1 ? "best" :
        k + (k % 10 == 1 && k % 100 != 11 ? "st" : k % 10 == 2 && k % 100 != 12 ? "nd" : k % 10 == 3 && k % 100 != 13 ? "rd" : "th") + " best";

    // Parallel.For wraps what a body throws; a bad input fails alike everywhere, so rethrow the first as a loop would.
    private static void For(int count, ParallelOptions options, Action<int> body)
    {
        try
        {
            Parallel.For(0, count, options, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }
}
