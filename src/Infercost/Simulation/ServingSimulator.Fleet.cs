using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Simulation;

// A fleet of several pools is one fleet to the router and the clock: its replicas are numbered pool by pool, one
// ReplicaPool holds them all (one priority queue of busy replicas, one tournament tree over their loads, so an arrival
// costs O(log R) whatever the mix), and every replica writes the fleet's counts as a run of one pool does, in the same
// order. Each replica also writes its pool's own counts beside them, so pools get their own latency percentiles and
// cost without changing a bit of the fleet's figures. Run is this code with one pool (FleetRun without pool counts), so
// a fleet whose pools are all the same setup gives exactly Run's result (tested byte for byte).
public static partial class ServingSimulator
{
    /// <summary>Runs <paramref name="requests"/> (in arrival order) through a fleet of several pools behind one router.
    /// Each arrival goes to the replica <see cref="SimulationOptions.Router"/> picks over every pool's replicas; the
    /// load-aware policies compare each replica's load ÷ its pool's decode rate (<see cref="FleetRouting.DecodeRate"/>),
    /// so a faster replica takes a larger share. Routing is KV-aware: a request is offered only to the pools whose replica
    /// holds its whole context in at most <see cref="FleetRouting.MaxKvShare"/> of its cache, else to those that hold it
    /// at all (<see cref="FleetRouting.Fit"/>); a request no pool can hold is rejected where the router sends it. With <see cref="SimulationOptions.Failures"/> replicas of every pool fail, and what one held is recomputed
    /// in its own pool; with <see cref="SimulationOptions.Autoscale"/> one autoscaler scales every pool by the same share
    /// (see docs/simulation.md#heterogeneous-fleets).</summary>
    /// <param name="pools">The pools, each with its own setup (GPU, precisions, layout), replica count, scheduler and cost basis.</param>
    /// <param name="requests">The stream; a <see cref="RequestGenerator"/> also supplies the horizon, the expected count
    /// and (without <paramref name="contextTokens"/>) the mean context the routing weights are taken at.</param>
    /// <param name="options">Scheduler (for pools without their own), SLO, cost basis and router.</param>
    /// <param name="contextTokens">Mean tokens a decoding request holds (mean prompt + half the mean output), for the
    /// routing weights; null takes it from a <see cref="RequestGenerator"/>'s length distributions.</param>
    /// <param name="progress">Receives the fraction of expected arrivals processed, from 0 to 1.</param>
    /// <param name="cancellation">Checked at every arrival.</param>
    /// <exception cref="InvalidInputException">A pool's model does not fit (field <c>pool</c>, the pool named), or too many replicas.</exception>
    public static FleetResult RunFleet(IReadOnlyList<FleetPool> pools, IEnumerable<SimRequest> requests, SimulationOptions options,
        double? contextTokens = null, IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(options);
        options.Validated();
        CheckPools(pools);
        var stream = requests as RequestGenerator;
        stream?.Validated();
        var context = contextTokens ?? (stream is { } g ? g.Input.Mean + g.Output.Mean / 2
            : throw new ArgumentException("give contextTokens for a stream that is not a RequestGenerator", nameof(contextTokens)));
        return Simulate(pools, requests, stream, options, context, progress, cancellation);
    }

    /// <summary>Closed loop over a fleet of several pools: <paramref name="concurrency"/> users in all, each sending its
    /// next request the moment the previous one completes, until <paramref name="requests"/> have been sent. Every
    /// request is routed as an arrival is, by <see cref="SimulationOptions.Router"/> over every pool's replicas (weighted
    /// by decode rate); a request that cannot fit where it is routed is rejected there, and its user sends no more (as in
    /// <see cref="RunClosedLoop"/>). One pool of one replica gives <see cref="RunClosedLoop"/>'s run (with
    /// <see cref="SimulationOptions.RouterSeed"/> = <paramref name="seed"/>).</summary>
    /// <param name="pools">The pools.</param>
    /// <param name="concurrency">Users, in all.</param>
    /// <param name="input">Prompt lengths.</param>
    /// <param name="output">Output lengths.</param>
    /// <param name="requests">Requests to send in all.</param>
    /// <param name="seed">Seed of the lengths drawn.</param>
    /// <param name="options">Scheduler, SLO, cost basis and router.</param>
    /// <param name="progress">Receives the fraction of requests sent.</param>
    /// <param name="cancellation">Checked at every step.</param>
    public static FleetResult RunFleetClosedLoop(IReadOnlyList<FleetPool> pools, int concurrency, LengthDistribution input, LengthDistribution output,
        long requests, long seed, SimulationOptions options, IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        options.Validated();
        CheckPools(pools);
        Guard.InRange(concurrency, 1, 1_000_000, "concurrency");
        if (requests < 1 || requests > 1_000_000_000) throw new InvalidInputException("requests", $"requests must be in [1, 1000000000]; was {requests}.");
        if (CheckRoles(pools))
        {
            throw new InvalidInputException("pool", "pool: prefill and decode roles are simulated with arrivals, not a closed loop (concurrency) yet; drop one.");
        }

        if (options.Failures is not null || options.Autoscale is not null)
        {
            throw new InvalidInputException("concurrency", "concurrency: a closed loop is simulated without replica failures (mtbf) and autoscaling (autoscaleMin); drop them.");
        }

        var run = new FleetRun(pools, options, 1, input.Mean + output.Mean / 2);
        var (router, fleet, metrics) = (run.Router, run.Replicas, run.Metrics);
        var random = new Pcg32(seed);
        var pending = new PriorityQueue<double, double>(); // completions whose user has not sent its next request yet
        long issued = 0;
        var reportEvery = Math.Max(1, requests / 200);

        void Issue(double at)
        {
            var r = new SimRequest(issued++, at, input.Sample(random), 0, output.Sample(random));
            metrics.Arrived++;
            router.AdvanceTo(at);
            run.Route(run.Pick(r), r);
            if (progress is not null && issued % reportEvery == 0) progress.Report((double)issued / requests);
        }

        // A completion at t sends the next request at t. The replica stepped is the busy one with the earliest clock,
        // up to the next request to send and the next busy replica's clock: every later request is sent at a completion
        // no earlier than that, so no replica runs a step that a request sent before it should have joined.
        while (issued < Math.Min(concurrency, requests)) Issue(0);
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            var next = pending.TryPeek(out var due, out _) ? due : double.PositiveInfinity;
            if (router.TryPeekClock(out var clock) && clock < next)
            {
                var i = router.StepEarliest(next, out var completed);
                for (var k = 0; k < completed && issued + pending.Count < requests; k++) pending.Enqueue(fleet[i].Clock, fleet[i].Clock);
            }
            else if (pending.Count > 0)
            {
                Issue(pending.Dequeue());
            }
            else
            {
                break;
            }
        }

        progress?.Report(1);
        return run.Results(options, run.End(null));
    }

    private static void CheckPools(IReadOnlyList<FleetPool> pools)
    {
        ArgumentNullException.ThrowIfNull(pools);
        if (pools.Count == 0) throw new ArgumentException("a fleet needs at least one pool", nameof(pools));
        var total = 0L;
        foreach (var p in pools)
        {
            ArgumentNullException.ThrowIfNull(p);
            Guard.InRange(p.Replicas, 1, MaxReplicas, "replicas");
            total += p.Replicas;
        }

        if (total > MaxReplicas)
        {
            throw new InvalidInputException("pool", $"pool: the pools hold {total} replicas in all; a simulation runs at most {MaxReplicas}.");
        }
    }

    // Every open-loop run: one pool without pool figures (Run, context null) or pools with theirs (RunFleet).
    private static FleetResult Simulate(IReadOnlyList<FleetPool> pools, IEnumerable<SimRequest> requests, RequestGenerator? stream,
        SimulationOptions options, double? context, IProgress<double>? progress, CancellationToken cancellation)
    {
        if (CheckRoles(pools)) return SimulateRoles(pools, requests, stream, options, context!.Value, progress, cancellation);
        var run = new FleetRun(pools, options, InitialWidth(stream), context);
        if (options.Failures is { } failures) return RunWithFailures(run, requests, stream, options, failures, progress, cancellation);
        if (options.Autoscale is { } autoscale) return RunWithAutoscaling(run, requests, stream, options, autoscale, progress, cancellation);
        RunArrivals(run, requests, stream, null, null, null, progress, cancellation);
        return run.Results(options, run.End(stream));
    }

    // A fleet as one run holds it: the replicas of every pool numbered pool by pool behind one router, the fleet's
    // counters, each pool's beside them (unless the run reports no pools: Run), and the fleet's queue of requests that
    // found no replica to take them. Each waiting entry names the pool it must go to (a request interrupted by a failure
    // is recomputed in its own pool), or -1 for an arrival not yet routed.
    private sealed class FleetRun
    {
        public FleetRun(IReadOnlyList<FleetPool> pools, SimulationOptions options, double width, double? context)
        {
            Pools = pools;
            var total = pools.Sum(p => p.Replicas);
            Metrics = NewMetrics(options, total, width, pools[0].Setup);
            Replicas = new Replica[total];
            PoolOf = new int[total];
            Start = new int[pools.Count + 1];
            Blocks = new int[pools.Count];
            Rates = new double[pools.Count];
            PoolMetrics = context is null ? null : new MetricsCollector[pools.Count];
            var at = 0;
            for (var p = 0; p < pools.Count; p++)
            {
                var pool = pools[p];
                var scheduler = pool.Scheduler ?? options.Scheduler;
                // Run's own setup keeps its own error; a pool's names the pool.
                Blocks[p] = context is null ? KvBlocksPerReplica(pool.Setup, scheduler) : PoolBlocks(pool, scheduler);
                if (context is { } c) Rates[p] = FleetRouting.DecodeRate(pool.Setup, scheduler, Blocks[p], c).Value;
                if (PoolMetrics is not null) PoolMetrics[p] = NewMetrics(options, pool.Replicas, width, pool.Setup);
                Start[p] = at;
                for (var i = 0; i < pool.Replicas; i++, at++)
                {
                    PoolOf[at] = p;
                    Replicas[at] = new Replica(pool.Setup, scheduler, Blocks[p], Metrics, prefixCache: options.PrefixCache, seed: unchecked(options.RouterSeed + at),
                        stepByStep: options.StepByStep, pool: PoolMetrics?[p]);
                }
            }

            Start[pools.Count] = at;
            var kvAware = PoolMetrics is not null && FitRouter.Needed(Replicas, Start);
            Router = new ReplicaPool(Replicas, options.Router, options.RouterSeed, failures: options.Failures is not null || options.Autoscale is not null,
                weights: context is null ? null : FleetRouting.Weights(Rates, [.. pools.Select(p => p.Replicas)]), restricted: kvAware);
            _fit = new FitRouter(Router, Replicas, Start, kvAware);
        }

        private readonly FitRouter _fit;

        public IReadOnlyList<FleetPool> Pools { get; }
        public Replica[] Replicas { get; }
        public int[] PoolOf { get; }

        /// <summary>First replica of each pool; the last entry is the fleet's size.</summary>
        public int[] Start { get; }
        public int[] Blocks { get; }
        public double[] Rates { get; }
        public MetricsCollector Metrics { get; }
        public MetricsCollector[]? PoolMetrics { get; }
        public ReplicaPool Router { get; }
        public Queue<(Sequence Sequence, int Pool)> Waiting { get; } = new();
        public bool OnePool => Pools.Count == 1;

        /// <summary>The replica for an arrival, or -1 when none is up: KV-aware across pools (<see cref="FitRouter"/>).</summary>
        public int Pick(in SimRequest r) => _fit.Pick(r);

        /// <summary>An arrival routed to replica <paramref name="target"/>: counted in its pool, rejected there when it
        /// can never fit, else queued.</summary>
        public void Route(int target, in SimRequest r)
        {
            var own = PoolMetrics?[PoolOf[target]];
            if (own is not null) own.Arrived++;
            if (Replicas[target].CanEverFit(r))
            {
                Router.Enqueue(target, r);
                return;
            }

            Metrics.Rejected++;
            if (own is not null) own.Rejected++;
        }

        /// <summary>An arrival rejected in pool <paramref name="pool"/> before routing (it fits none of its replicas).</summary>
        public void Reject(int pool)
        {
            Metrics.Rejected++;
            if (PoolMetrics?[pool] is { } own)
            {
                own.Arrived++;
                own.Rejected++;
            }
        }

        /// <summary>An arrival that found no replica to take it waits; <paramref name="inFirstPool"/>: already counted
        /// as routed to the only pool (the run checked it fits there).</summary>
        public void Wait(in SimRequest r, bool inFirstPool)
        {
            if (inFirstPool && PoolMetrics?[0] is { } own) own.Arrived++;
            Waiting.Enqueue((new Sequence(r), inFirstPool ? 0 : -1));
        }

        /// <summary>Places a sequence that waited or was interrupted at <paramref name="time"/>: in pool
        /// <paramref name="pool"/> (any pool for an arrival not yet routed, -1, which is then routed and counted as
        /// <see cref="Route"/> does); it waits again when no replica there is up.</summary>
        public void Place(Sequence s, int pool, double time)
        {
            var target = pool < 0 || OnePool ? Pick(s.Request) : Router.PickIn(s.Request, Start[pool], Start[pool + 1]);
            if (target < 0)
            {
                Waiting.Enqueue((s, pool));
                return;
            }

            if (pool < 0)
            {
                var own = PoolMetrics?[PoolOf[target]];
                if (own is not null) own.Arrived++;
                if (!Replicas[target].CanEverFit(s.Request))
                {
                    Metrics.Rejected++;
                    if (own is not null) own.Rejected++;
                    return;
                }
            }

            Router.EnqueueRestarted(target, s, time);
        }

        /// <summary>Places, in order, every sequence that was waiting (those that still find no replica wait again).</summary>
        public void PlaceWaiting(double time)
        {
            var backlog = Waiting.Count;
            for (var k = 0; k < backlog; k++)
            {
                var (s, pool) = Waiting.Dequeue();
                Place(s, pool, time);
            }
        }

        /// <summary>The run's end: the last replica's clock, or the stream's horizon if later.</summary>
        public double End(RequestGenerator? stream)
        {
            var end = stream?.Horizon ?? 0;
            foreach (var r in Replicas) end = Math.Max(r.Clock, end);
            return end;
        }

        /// <summary>The fleet's result and each pool's (none without pool counts).</summary>
        public FleetResult Results(SimulationOptions options, double end)
        {
            var results = new List<PoolResult>(PoolMetrics is null ? 0 : Pools.Count);
            for (var p = 0; PoolMetrics is not null && p < Pools.Count; p++)
            {
                var pool = Pools[p];
                var replicas = Replicas[Start[p]..Start[p + 1]];
                var m = PoolMetrics[p];
                // Busy time and steps are the replicas' own sums (the fleet's are summed as the steps ran).
                foreach (var replica in replicas)
                {
                    m.BusyTime += replica.BusyTime;
                    m.Steps += replica.Steps;
                }

                var result = Result(pool.Setup.Layout, pool.Replicas, pool.Setup.DevicesPerReplica, pool.Devices, Blocks[p],
                    (pool.Basis ?? options.Basis)?.PerDevice(pool.Setup.Accelerator).Times(pool.Devices).Total, m, options, end)
                    with { PrefixCache = Usage(options.PrefixCache, replicas, m) };
                results.Add(new PoolResult(pool.Name, pool.Setup.Accelerator.Id, TokensPerSecond.FromTokensPerSecond(Rates[p]),
                    Metrics.Arrived == 0 ? 0 : (double)m.Arrived / Metrics.Arrived, result));
            }

            var layouts = Pools.Select(p => p.Setup.Layout).Distinct().ToList();
            var layout = layouts.Count == 1 ? layouts[0] : string.Join(" + ", Pools.Select(p => p.Layout));
            var fleet = Result(layout, Replicas.Length, Pools[0].Setup.DevicesPerReplica, Pools.Sum(p => p.Devices), Blocks[0],
                FleetPerHour(Pools, options), Metrics, options, end) with { PrefixCache = Usage(options.PrefixCache, Replicas, Metrics) };
            return new FleetResult(fleet, results);
        }
    }

    // KV-aware routing over the pools behind one router, pool p holding its replicas [start[p], start[p + 1]): only the
    // pools that hold the request best (FleetRouting.Fit, judged on one replica of each: they are equal) are offered to
    // the router's policy (its pick when it lands in one, else their least loaded replica); the whole fleet when every
    // pool holds it alike, when none can hold it at all (it is then rejected where it lands, as before), or when every
    // replica of those pools is down. O(pools) to classify, O(log R) per pool offered.
    private sealed class FitRouter(ReplicaPool router, Replica[] replicas, int[] start, bool enabled)
    {
        private readonly bool[] _allowed = new bool[start.Length - 1];
        private readonly KvFit[] _fits = new KvFit[start.Length - 1];

        /// <summary>Whether the pools hold different contexts (KV tokens per replica): pools of one size route as one.</summary>
        public static bool Needed(Replica[] replicas, int[] start) =>
            start.Length > 2 && Enumerable.Range(0, start.Length - 1).Select(p => (long)replicas[start[p]].TotalBlocks * replicas[start[p]].BlockTokens).Distinct().Count() > 1;

        /// <summary>Whether some pool's replica can hold <paramref name="r"/> at all.</summary>
        public bool AnyFits(in SimRequest r)
        {
            for (var p = 0; p < _fits.Length; p++)
            {
                if (replicas[start[p]].CanEverFit(r)) return true;
            }

            return false;
        }

        public int Pick(in SimRequest r)
        {
            if (!enabled) return router.Pick(r);
            var best = KvFit.None;
            for (var p = 0; p < _fits.Length; p++)
            {
                _fits[p] = FleetRouting.Fit(replicas[start[p]], r);
                if (_fits[p] > best) best = _fits[p];
            }

            var offered = 0;
            for (var p = 0; p < _fits.Length; p++)
            {
                _allowed[p] = _fits[p] == best;
                if (_allowed[p]) offered++;
            }

            if (best == KvFit.None || offered == _fits.Length) return router.Pick(r);
            var target = router.PickAmong(r, start, _allowed);
            return target >= 0 ? target : router.Pick(r);
        }
    }

    private static int PoolBlocks(FleetPool pool, SchedulerConfig scheduler)
    {
        try
        {
            return KvBlocksPerReplica(pool.Setup, scheduler);
        }
        catch (ModelDoesNotFitException e)
        {
            throw new InvalidInputException("pool", $"pool {pool.Name} ({pool.Setup.Layout}): {e.Message}");
        }
    }

    // The fleet's hourly cost: each pool's devices at its own basis' price, devices of one accelerator on one basis
    // counted together (so a fleet whose pools are one setup costs exactly what Run's fleet does); null when a pool has
    // no basis.
    private static DollarsPerHour? FleetPerHour(IReadOnlyList<FleetPool> pools, SimulationOptions options)
    {
        if (pools.Any(p => (p.Basis ?? options.Basis) is null)) return null;
        DollarsPerHour? sum = null;
        foreach (var group in pools.GroupBy(p => (p.Setup.Accelerator.Id, Basis: p.Basis ?? options.Basis)))
        {
            var first = group.First();
            var cost = group.Key.Basis!.PerDevice(first.Setup.Accelerator).Times(group.Sum(p => p.Devices)).Total;
            sum = sum is { } s ? s + cost : cost;
        }

        return sum;
    }
}
