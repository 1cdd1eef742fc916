using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Simulation;

/// <summary>Discrete-event simulation of a fleet of identical replicas serving a request stream: continuous batching
/// with chunked prefill, paged KV cache, admission control and preemption, each step timed by
/// <see cref="BatchStepModel"/>. See docs/simulation.md.</summary>
public static partial class ServingSimulator
{
    /// <summary>KV-cache blocks one replica holds: the memory plan's KV space per device ÷ the bytes one block of
    /// <see cref="SchedulerConfig.BlockTokens"/> tokens takes per device (<see cref="ServingSetup.KvPerDevice"/>, which
    /// divides by attention-DP, pipeline and KV-shard degrees, so the count is for the whole replica).</summary>
    /// <exception cref="ModelDoesNotFitException">The weights, or not even one block, fit.</exception>
    public static int KvBlocksPerReplica(ServingSetup setup, SchedulerConfig scheduler)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(scheduler);
        var plan = MemoryPlanner.Plan(setup, scheduler.BlockTokens);
        MemoryPlanner.EnsureFits(setup, plan, 1);
        var perBlock = setup.KvPerDevice(1, scheduler.BlockTokens);
        return (int)Math.Min(int.MaxValue / 2, Math.Floor(plan.KvAvailable / perBlock));
    }

    /// <summary>Most replicas one simulation steps (each is stepped separately).</summary>
    public const int MaxReplicas = 100_000;

    /// <summary>Runs <paramref name="requests"/> (in arrival order) through <paramref name="replicas"/> replicas of
    /// <paramref name="setup"/>; each arrival goes to the replica <see cref="SimulationOptions.Router"/> picks (by
    /// default the one with the fewest outstanding requests).</summary>
    /// <param name="setup">Model, device, layout, precisions and efficiency of one replica.</param>
    /// <param name="replicas">Replicas in the fleet.</param>
    /// <param name="requests">The stream; a <see cref="RequestGenerator"/> also supplies the horizon and the expected count.</param>
    /// <param name="options">Scheduler, SLO and cost basis.</param>
    /// <param name="progress">Receives the fraction of expected arrivals processed, from 0 to 1.</param>
    /// <param name="cancellation">Checked at every arrival: a cancelled run stops with <see cref="OperationCanceledException"/>.</param>
    public static SimulationResult Run(ServingSetup setup, int replicas, IEnumerable<SimRequest> requests, SimulationOptions options,
        IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(options);
        options.Validated();
        Guard.InRange(replicas, 1, MaxReplicas, "replicas");
        var stream = requests as RequestGenerator;
        stream?.Validated();
        return Simulate([new FleetPool("1", setup, replicas)], requests, stream, options, null, progress, cancellation).Fleet;
    }

    // Failures and recoveries are events between arrivals: before an arrival, every event due by its time is applied in
    // time order (the pool is advanced to the event, so a failure takes effect at the end of the step in progress). The
    // fleet fails at rate up ÷ MTBF (exponential gaps, redrawn after each event: the process is memoryless), the replica
    // that fails is drawn uniformly from those up, whatever its pool, and it returns to its pool after the repair time.
    // What a failed replica held is routed again, in order, to the replicas up of the same pool (the router never picks
    // a down one; with one pool, to any replica up); with every replica of that pool down, it waits in the fleet's queue
    // for the pool's first recovery, as an arrival that finds every replica down waits for the first. After the last
    // arrival the events go on until every request has finished.
    /// <summary>Most replica failures one run simulates: beyond it the fleet fails faster than it finishes its work.</summary>
    public const long MaxFailures = 1_000_000;

    // One pool's failure counts (the fleet's are kept beside them, summed in the same order as with one pool).
    private sealed class PoolFailures
    {
        public long Failed, Recovered, Interrupted;
        public double Down, AllDown, AllDownSince = double.NaN;
        public int Up;
    }

    private static FleetResult RunWithFailures(FleetRun run, IEnumerable<SimRequest> requests, RequestGenerator? stream, SimulationOptions options,
        FailureSpec spec, IProgress<double>? progress, CancellationToken cancellation)
    {
        var (pool, fleet) = (run.Router, run.Replicas);
        var random = new Pcg32(unchecked(spec.Seed * 0x2545F4914F6CDD1DL + 0x1F));
        var recoveries = new PriorityQueue<int, (double Time, int Replica)>();
        var downSince = new double[fleet.Length];
        var pools = run.Pools.Select(p => new PoolFailures { Up = p.Replicas }).ToArray();
        long failed = 0, recovered = 0, interrupted = 0;
        double down = 0, allDown = 0, allDownSince = double.NaN;
        double NextFailure(double now) => pool.UpCount == 0 ? double.PositiveInfinity : now - Math.Log(1 - random.NextDouble()) * spec.MeanTimeBetweenFailures / pool.UpCount;
        var nextFailure = NextFailure(0);

        double NextEvent() => Math.Min(nextFailure, recoveries.TryPeek(out _, out var due) ? due.Time : double.PositiveInfinity);

        // The event due at `at`: the earliest repair, else a failure of a replica up.
        void Apply(double at)
        {
            var repair = recoveries.TryPeek(out _, out var due) ? due.Time : double.PositiveInfinity;
            if (repair <= nextFailure)
            {
                var i = recoveries.Dequeue();
                var own = pools[run.PoolOf[i]];
                pool.Recover(i, at);
                recovered++;
                own.Recovered++;
                own.Up++;
                down += at - downSince[i];
                own.Down += at - downSince[i];
                if (!double.IsNaN(allDownSince)) (allDown, allDownSince) = (allDown + at - allDownSince, double.NaN);
                if (!double.IsNaN(own.AllDownSince)) (own.AllDown, own.AllDownSince) = (own.AllDown + at - own.AllDownSince, double.NaN);
                run.PlaceWaiting(at);
            }
            else
            {
                var pick = (int)(random.NextUInt() % (uint)pool.UpCount);
                var i = 0;
                for (; ; i++)
                {
                    if (pool.IsDown(i)) continue;
                    if (pick-- == 0) break;
                }

                if (failed >= MaxFailures)
                {
                    throw new InvalidInputException("mtbf", $"mtbf: replicas failed {MaxFailures:N0} times before the requests finished; with a mean of {Guard.Format(spec.MeanTimeBetweenFailures)} s between failures they fail faster than the work completes. Raise it.");
                }

                var p = run.PoolOf[i];
                var own = pools[p];
                var lost = pool.Fail(i, at);
                failed++;
                interrupted += lost.Count;
                own.Failed++;
                own.Interrupted += lost.Count;
                if (--own.Up == 0) own.AllDownSince = at;
                downSince[i] = at;
                recoveries.Enqueue(i, (at + spec.RepairSeconds, i));
                if (pool.UpCount == 0) allDownSince = at;
                foreach (var s in lost) run.Place(s, p, at);
            }

            nextFailure = NextFailure(at);
        }

        RunArrivals(run, requests, stream, NextEvent, Apply, onWait: null, progress, cancellation);
        var end = run.End(stream);
        foreach (var (i, _) in recoveries.UnorderedItems)
        {
            down += Math.Max(0, end - downSince[i]);
            pools[run.PoolOf[i]].Down += Math.Max(0, end - downSince[i]);
        }

        if (!double.IsNaN(allDownSince)) allDown += Math.Max(0, end - allDownSince);
        foreach (var own in pools.Where(o => !double.IsNaN(o.AllDownSince))) own.AllDown += Math.Max(0, end - own.AllDownSince);
        var result = run.Results(options, end);
        return new FleetResult(result.Fleet with { Failures = new FailureUsage(failed, recovered, interrupted, down, allDown) },
            [.. result.Pools.Select((r, p) => r with { Result = r.Result with { Failures = new FailureUsage(pools[p].Failed, pools[p].Recovered, pools[p].Interrupted, pools[p].Down, pools[p].AllDown) } })]);
    }

    /// <summary>The arrival loop of every open-loop run. Before each arrival the run's own events (failures and repairs,
    /// cold starts and autoscaler ticks; none when <paramref name="nextEvent"/> is null) due by then are applied in time
    /// order; the arrival then goes to the replica the router picks (<see cref="FleetRun.Route"/>), or waits in the
    /// fleet's queue when none is routable (and <paramref name="onWait"/> is told). After the last arrival the replicas
    /// run up to each event, and the event is applied only if work is left by then, so an event after the last
    /// completion cannot stretch the run (or its cost) to its time. <c>nextEvent</c> gives the time of the run's next
    /// event in seconds (+∞ when none); <c>apply</c> applies the event due at a time, once the pool has been advanced to it.</summary>
    private static void RunArrivals(FleetRun run, IEnumerable<SimRequest> requests, RequestGenerator? stream, Func<double>? nextEvent,
        Action<double>? apply, Action<SimRequest>? onWait, IProgress<double>? progress, CancellationToken cancellation)
    {
        var (pool, fleet, metrics) = (run.Router, run.Replicas, run.Metrics);
        var expected = stream?.ExpectedRequests ?? 0;
        var reportEvery = Math.Max(1, (long)(expected / 200));
        // With events and one pool a request that fits no replica is rejected before the router is asked (it may find no
        // replica up); without events, or with several pools (whose replicas fit different requests), the router picks
        // and the replica picked rejects what it cannot fit. The order is kept as each run had it: a pick moves the
        // router's own state (round-robin's turn, p2c's draws).
        var fitFirst = nextEvent is not null && run.OnePool;

        // Applies the next event if it is due by `until`; false when none is.
        bool Event(double until)
        {
            var at = nextEvent!();
            if (!(at <= until) || double.IsPositiveInfinity(at)) return false;
            pool.AdvanceTo(at);
            apply!(at);
            return true;
        }

        var previous = double.NegativeInfinity;
        foreach (var r in requests)
        {
            cancellation.ThrowIfCancellationRequested();
            if (!(r.ArrivalTime >= previous)) throw new InvalidInputException("requests", $"requests must arrive in time order; request {r.Id} at {Guard.Format(r.ArrivalTime)} s came after {Guard.Format(previous)} s.");
            previous = r.ArrivalTime;
            metrics.Arrived++;
            if (nextEvent is not null)
            {
                while (Event(r.ArrivalTime))
                {
                }
            }

            pool.AdvanceTo(r.ArrivalTime);
            if (fitFirst && !fleet[0].CanEverFit(r))
            {
                run.Reject(0);
            }
            else
            {
                var target = run.Pick(r);
                if (target >= 0)
                {
                    run.Route(target, r);
                }
                else
                {
                    run.Wait(r, fitFirst);
                    onWait?.Invoke(r);
                }
            }

            if (progress is not null && expected > 0 && metrics.Arrived % reportEvery == 0) progress.Report(Math.Min(1, metrics.Arrived / expected));
        }

        while (nextEvent is not null)
        {
            cancellation.ThrowIfCancellationRequested();
            var at = nextEvent();
            pool.RunUntil(at);
            if ((!pool.Busy && run.Waiting.Count == 0) || double.IsPositiveInfinity(at)) break;
            Event(at);
        }

        pool.Drain();
        progress?.Report(1);
    }

    // Autoscaling: the autoscaler's decisions (every interval) and replicas becoming ready (a cold start after each ask)
    // are events between arrivals, applied in time order before each arrival, as failures are. A replica is in one of
    // four states: released (not paid for), starting (paid for, not routable), up (routable) or draining (paid for, not
    // routable, finishing its work). The router only sees the replicas up; arrivals that find none wait in the fleet's
    // queue for the first one ready. The cost fields count provisioned replica-seconds, not the whole fleet's. A fleet of
    // several pools has one autoscaler: it wants D replicas in all and gives each pool its proportional part of D, the
    // first D of a fixed interleaving of the pools (ScalingOrder), so every pool runs the same share of its replicas.
    private enum ScaleState { Released, Starting, Up, Draining }

    // One pool's autoscaling counts (the fleet's are kept beside them).
    private sealed class PoolScale
    {
        public long Ups, Downs;
        public int Provisioned, Peak;
        public double Paid, Starting;
    }

    private static FleetResult RunWithAutoscaling(FleetRun run, IEnumerable<SimRequest> requests, RequestGenerator? stream, SimulationOptions options,
        AutoscaleSpec spec, IProgress<double>? progress, CancellationToken cancellation)
    {
        var (pool, fleet) = (run.Router, run.Replicas);
        if (spec.MinReplicas > fleet.Length)
        {
            throw new InvalidInputException("autoscaleMin", $"autoscaleMin must be in [0, {fleet.Length}] (the replicas of the fleet); was {spec.MinReplicas}.");
        }

        var order = ScalingOrder(run.Pools);
        var state = new ScaleState[fleet.Length];
        var since = new double[fleet.Length];
        var ready = new PriorityQueue<int, (double Time, int Replica)>();
        var pools = run.Pools.Select(_ => new PoolScale()).ToArray();
        var up = new int[pools.Length];
        var coming = new int[pools.Length];
        long ups = 0, downs = 0;
        int provisioned = 0, peak = 0;
        double paid = 0, starting = 0, lastUp = double.NegativeInfinity, nextTick = spec.IntervalSeconds;
        var least = Apportion(order, spec.MinReplicas, pools.Length);
        for (var p = 0; p < pools.Length; p++)
        {
            pools[p].Provisioned = pools[p].Peak = least[p];
            for (var i = run.Start[p]; i < run.Start[p + 1]; i++)
            {
                if (i - run.Start[p] < least[p])
                {
                    state[i] = ScaleState.Up;
                }
                else
                {
                    state[i] = ScaleState.Released;
                    pool.SetRoutable(i, false, 0);
                }
            }
        }

        provisioned = peak = spec.MinReplicas;

        void Release(int i, double at)
        {
            var own = pools[run.PoolOf[i]];
            state[i] = ScaleState.Released;
            paid += at - since[i];
            own.Paid += at - since[i];
            provisioned--;
            own.Provisioned--;
        }

        // Asks for n more replicas of pool p at `at`: draining ones come back at once (still warm), released ones cold-start.
        void ScaleUp(int p, int n, double at)
        {
            var own = pools[p];
            for (var i = run.Start[p]; i < run.Start[p + 1] && n > 0; i++)
            {
                if (state[i] != ScaleState.Draining) continue;
                state[i] = ScaleState.Up;
                pool.SetRoutable(i, true, at);
                n--;
                ups++;
                own.Ups++;
            }

            for (var i = run.Start[p]; i < run.Start[p + 1] && n > 0; i++)
            {
                if (state[i] != ScaleState.Released) continue;
                state[i] = ScaleState.Starting;
                since[i] = at;
                ready.Enqueue(i, (at + spec.ColdStartSeconds, i));
                provisioned++;
                own.Provisioned++;
                n--;
                ups++;
                own.Ups++;
            }

            peak = Math.Max(peak, provisioned);
            own.Peak = Math.Max(own.Peak, own.Provisioned);
            lastUp = at;
        }

        void Tick(double at)
        {
            long outstanding = run.Waiting.Count;
            Array.Clear(up);
            Array.Clear(coming);
            for (var i = 0; i < fleet.Length; i++)
            {
                switch (state[i])
                {
                    case ScaleState.Up:
                        up[run.PoolOf[i]]++;
                        outstanding += fleet[i].Outstanding;
                        break;
                    case ScaleState.Starting:
                        coming[run.PoolOf[i]]++;
                        break;
                    case ScaleState.Draining when !fleet[i].HasWork:
                        Release(i, at);
                        break;
                }
            }

            var desired = (int)Math.Clamp(Math.Ceiling(outstanding / spec.TargetPerReplica), spec.MinReplicas, fleet.Length);
            var wanted = Apportion(order, desired, pools.Length);
            var scaledUp = false;
            for (var p = 0; p < pools.Length; p++)
            {
                if (wanted[p] <= up[p] + coming[p]) continue;
                ScaleUp(p, wanted[p] - up[p] - coming[p], at);
                scaledUp = true;
            }

            if (scaledUp || at - lastUp < spec.ScaleDownDelaySeconds) return;
            for (var p = 0; p < pools.Length; p++)
            {
                if (wanted[p] >= up[p]) continue;
                // The least loaded replicas up leave first (they drain soonest).
                foreach (var i in Enumerable.Range(run.Start[p], run.Start[p + 1] - run.Start[p]).Where(i => state[i] == ScaleState.Up)
                    .OrderBy(i => fleet[i].Outstanding).ThenBy(i => i).Take(up[p] - wanted[p]).ToList())
                {
                    state[i] = ScaleState.Draining;
                    pool.SetRoutable(i, false, at);
                    downs++;
                    pools[p].Downs++;
                }
            }
        }

        double NextEvent() => Math.Min(nextTick, ready.TryPeek(out _, out var due) ? due.Time : double.PositiveInfinity);

        // The event due at `at`: the earliest replica to finish its cold start, else the autoscaler's tick.
        void Apply(double at)
        {
            var readyAt = ready.TryPeek(out _, out var due) ? due.Time : double.PositiveInfinity;
            if (readyAt <= nextTick)
            {
                var i = ready.Dequeue();
                state[i] = ScaleState.Up;
                starting += at - since[i];
                pools[run.PoolOf[i]].Starting += at - since[i];
                pool.SetRoutable(i, true, at);
                run.PlaceWaiting(at);
            }
            else
            {
                Tick(at);
                nextTick += spec.IntervalSeconds;
            }
        }

        // An arrival that finds no replica up waits; with nothing starting the activator asks for one now: a draining
        // replica (the first, still warm), else one of the first pool of the scaling order.
        void OnWait(SimRequest r)
        {
            if (ready.Count != 0) return;
            var draining = Array.IndexOf(state, ScaleState.Draining);
            ScaleUp(draining >= 0 ? run.PoolOf[draining] : order[0], 1, r.ArrivalTime);
        }

        RunArrivals(run, requests, stream, NextEvent, Apply, OnWait, progress, cancellation);
        var end = run.End(stream);
        for (var i = 0; i < fleet.Length; i++)
        {
            if (state[i] == ScaleState.Released) continue;
            var own = pools[run.PoolOf[i]];
            paid += Math.Max(0, end - since[i]);
            own.Paid += Math.Max(0, end - since[i]);
            if (state[i] != ScaleState.Starting) continue;
            starting += Math.Max(0, end - since[i]);
            own.Starting += Math.Max(0, end - since[i]);
        }

        var result = run.Results(options, end);
        var poolResults = new List<PoolResult>(pools.Length);
        Dollars? fleetCost = run.OnePool ? null : Dollars.Zero;
        for (var p = 0; p < pools.Length; p++)
        {
            var own = pools[p];
            var replicas = run.Pools[p].Replicas;
            var usage = new AutoscaleUsage(own.Ups, own.Downs, own.Peak, own.Paid / Math.Max(end, 1e-12), own.Paid, own.Starting, replicas * end);
            var cost = PaidFor(result.Pools.Count > 0 ? result.Pools[p].Result.Cost : null, own.Paid, replicas, end);
            if (!run.OnePool) fleetCost = fleetCost is { } sum && cost is { } c ? sum + c : null;
            if (result.Pools.Count == 0) continue;
            poolResults.Add(result.Pools[p] with { Result = Provisioned(result.Pools[p].Result, usage, run.PoolMetrics![p], own.Paid, cost) });
        }

        var fleetUsage = new AutoscaleUsage(ups, downs, peak, paid / Math.Max(end, 1e-12), paid, starting, fleet.Length * end);
        // One pool: the fleet's cost scaled by its provisioned share, as before pools existed; several: the pools' sum.
        return new FleetResult(Provisioned(result.Fleet, fleetUsage, run.Metrics, paid, run.OnePool ? PaidFor(result.Fleet.Cost, paid, fleet.Length, end) : fleetCost), poolResults);
    }

    // A cost over the whole wall time for `replicas` replicas, scaled to the replica-seconds provisioned.
    private static Dollars? PaidFor(Dollars? whole, double paid, int replicas, double end) =>
        whole is { } cost ? cost * (paid / Math.Max(replicas * end, 1e-12)) : null;

    // A result whose busy fraction and cost count the provisioned replica-seconds.
    private static SimulationResult Provisioned(SimulationResult result, AutoscaleUsage usage, MetricsCollector m, double paid, Dollars? cost)
    {
        if (result.Cost is null || cost is not { } paidCost) return result with { Autoscale = usage, BusyFraction = m.BusyTime / Math.Max(paid, 1e-12) };
        return result with
        {
            Autoscale = usage,
            BusyFraction = m.BusyTime / Math.Max(paid, 1e-12),
            Cost = paidCost,
            OutputPerMillion = m.OutputTokens > 0 ? paidCost / Tokens.FromTokens(m.OutputTokens) : null,
            BlendedPerMillion = m.OutputTokens + m.PromptTokens > 0 ? paidCost / Tokens.FromTokens(m.OutputTokens + m.PromptTokens) : null,
        };
    }

    /// <summary>The pool of each replica an autoscaler asks for, in order: the k-th (k = 1..R over a fleet of R replicas)
    /// goes to the pool furthest below its share k·R_p/R (ties to the earlier pool), so the first D of the order give
    /// each pool its proportional part of D, and D + 1 never takes a replica away from a pool.</summary>
    private static int[] ScalingOrder(IReadOnlyList<FleetPool> pools)
    {
        long total = pools.Sum(p => p.Replicas);
        var order = new int[total];
        var given = new long[pools.Count];
        for (long k = 1; k <= total; k++)
        {
            var best = -1;
            var bestDeficit = long.MinValue;
            for (var p = 0; p < pools.Count; p++)
            {
                if (given[p] == pools[p].Replicas) continue;
                var deficit = k * pools[p].Replicas - given[p] * total; // (k·R_p/R − given) × R, in integers
                if (deficit > bestDeficit) (best, bestDeficit) = (p, deficit);
            }

            order[k - 1] = best;
            given[best]++;
        }

        return order;
    }

    // Replicas of each pool among the first n of the scaling order.
    private static int[] Apportion(int[] order, int n, int pools)
    {
        var counts = new int[pools];
        for (var k = 0; k < n; k++) counts[order[k]]++;
        return counts;
    }

    /// <summary>Closed loop: <paramref name="concurrency"/> users on one replica, each sending its next request the
    /// moment the previous one completes (a fixed-concurrency benchmark), until <paramref name="requests"/> have been sent.</summary>
    /// <remarks><paramref name="cancellation"/> is checked at every step: a cancelled run stops with <see cref="OperationCanceledException"/>.</remarks>
    public static SimulationResult RunClosedLoop(ServingSetup setup, int concurrency, LengthDistribution input, LengthDistribution output,
        long requests, long seed, SimulationOptions options, IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        options.Validated();
        Guard.InRange(concurrency, 1, 1_000_000, "concurrency");
        if (requests < 1 || requests > 1_000_000_000) throw new InvalidInputException("requests", $"requests must be in [1, 1000000000]; was {requests}.");
        var (metrics, fleet) = Build(setup, 1, options, 1, seed);
        var replica = fleet[0];
        var random = new Pcg32(seed);
        long issued = 0, seen = 0;
        var reportEvery = Math.Max(1, requests / 200);

        void Issue(double at)
        {
            var r = new SimRequest(issued++, at, input.Sample(random), 0, output.Sample(random));
            metrics.Arrived++;
            if (replica.CanEverFit(r)) replica.Enqueue(r);
            else metrics.Rejected++;
            if (progress is not null && issued % reportEvery == 0) progress.Report((double)issued / requests);
        }

        while (issued < Math.Min(concurrency, requests)) Issue(0);
        while (replica.HasWork)
        {
            cancellation.ThrowIfCancellationRequested();
            replica.Step();
            for (; seen < replica.CompletedCount; seen++)
            {
                if (issued < requests) Issue(replica.Clock);
            }
        }

        progress?.Report(1);
        return Result(setup, fleet, metrics, options, replica.Clock);
    }

    /// <summary>Runs <paramref name="requests"/> (in arrival order) through a fleet split into a prefill pool and a
    /// decode pool. Each arrival goes to the prefill replica the router picks (by default the one with the fewest
    /// outstanding requests); when its prompt is done, it goes to the decode replica the router picks, which admits it when the blocks for the
    /// prompt are free and then pulls its KV cache over the network (<see cref="Communication.KvTransfer"/>).</summary>
    /// <param name="fleet">Both pools.</param>
    /// <param name="requests">The stream; a <see cref="RequestGenerator"/> also supplies the horizon and the expected count.</param>
    /// <param name="options">Scheduler (both pools), SLO and cost basis.</param>
    /// <param name="progress">Receives the fraction of expected arrivals processed, from 0 to 1.</param>
    public static DisaggregatedResult RunDisaggregated(DisaggregatedFleet fleet, IEnumerable<SimRequest> requests, SimulationOptions options,
        IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(options);
        options.Validated();
        fleet.Validated();
        var stream = requests as RequestGenerator;
        stream?.Validated();
        var run = RunRoles([new FleetPool("prefill", fleet.Prefill, fleet.PrefillReplicas, Role: ReplicaRole.Prefill),
            new FleetPool("decode", fleet.Decode, fleet.DecodeReplicas, Role: ReplicaRole.Decode)], requests, stream, options, null, options.Router, progress, default);
        var (metrics, prefill, decode, end) = (run.Metrics, run.Prefill, run.Decode, run.End);
        var decodeBlocks = run.Blocks[1];
        var wall = Math.Max(end, 1e-12);
        var prefillUsage = Pool(fleet.Prefill, prefill, options, wall);
        var decodeUsage = Pool(fleet.Decode, decode, options, wall);
        var result = Result(fleet.Layout, prefill.Length + decode.Length, fleet.Decode.DevicesPerReplica, fleet.Devices, decodeBlocks,
            prefillUsage.PerHour + decodeUsage.PerHour, metrics, options, end);
        return new DisaggregatedResult(result, prefillUsage, decodeUsage, LatencySummary.Of(metrics.Handoff));
    }

    private static PoolUsage Pool(ServingSetup setup, Replica[] pool, SimulationOptions options, double wall) => new(
        setup.Layout, pool.Length, setup.DevicesPerReplica, pool.Length * setup.DevicesPerReplica, pool[0].TotalBlocks,
        pool.Sum(x => x.Steps), pool.Sum(x => x.BusyTime) / (pool.Length * wall),
        options.Basis?.PerDevice(setup.Accelerator).Times(pool.Length * setup.DevicesPerReplica).Total);

    private static double InitialWidth(RequestGenerator? stream) =>
        stream?.Horizon is { } h ? h / 240 : stream?.MaxRequests is { } n ? Math.Max(1e-3, n / stream.Arrivals.Rate.Peak / 240) : 1;

    private static (MetricsCollector, Replica[]) Build(ServingSetup setup, int replicas, SimulationOptions options, double initialWidth, long seed)
    {
        var blocks = KvBlocksPerReplica(setup, options.Scheduler);
        var metrics = NewMetrics(options, replicas, initialWidth, setup);
        var fleet = new Replica[replicas];
        for (var i = 0; i < replicas; i++) fleet[i] = new Replica(setup, options.Scheduler, blocks, metrics, prefixCache: options.PrefixCache, seed: unchecked(seed + i), stepByStep: options.StepByStep);
        return (metrics, fleet);
    }

    // The engine's request path (TensorRT-LLM 0.14's Triton front end; zero for the other profiles) adds to what a client sees.
    private static MetricsCollector NewMetrics(SimulationOptions options, int replicas, double initialWidth, ServingSetup setup)
    {
        var points = options.SeriesPoints + (options.SeriesPoints & 1);
        return new MetricsCollector(options.Slo, new TimeSeries(points, replicas, Math.Max(1e-6, initialWidth)), options.WarmUpSeconds,
            setup.Config.Engine.Runtime?.RequestLatency.Value ?? 0);
    }

    private static SimulationResult Result(ServingSetup setup, Replica[] fleet, MetricsCollector m, SimulationOptions options, double end) =>
        Result(setup.Layout, fleet.Length, setup.DevicesPerReplica, fleet.Length * setup.DevicesPerReplica, fleet[0].TotalBlocks,
            options.Basis?.PerDevice(setup.Accelerator).Times(fleet.Length * setup.DevicesPerReplica).Total, m, options, end)
        with { PrefixCache = Usage(options.PrefixCache, fleet, m) };

    private static PrefixCacheUsage? Usage(PrefixCacheSpec? spec, Replica[] fleet, MetricsCollector m) => spec is null ? null : new PrefixCacheUsage(
        fleet[0].PrefixCapacityBlocks,
        spec.BlockTokens, spec.Eviction, m.PrefixBlocksLookedUp, m.PrefixBlocksHit, fleet.Sum(r => r.PrefixEvictions))
    {
        Offload = OffloadUsage(spec, fleet),
    };

    private static KvTierUsage[]? OffloadUsage(PrefixCacheSpec spec, Replica[] fleet)
    {
        if (spec.Offload is not { Count: > 0 } tiers) return null;
        var usage = new KvTierUsage[tiers.Count];
        for (var t = 0; t < tiers.Count; t++)
        {
            long hit = 0, evicted = 0;
            double bytes = 0, seconds = 0;
            foreach (var r in fleet)
            {
                if (r.OffloadBlocksHit is not { } hits) continue;
                hit += hits[t];
                evicted += r.OffloadEvictions(t);
                bytes += hits[t] * r.OffloadBytesPerBlock;
                seconds += hits[t] * r.OffloadSecondsPerBlock![t];
            }

            usage[t] = new KvTierUsage(fleet[0].OffloadCapacityBlocks?[t] ?? 0, tiers[t].Bandwidth.Value / 1e9, hit, bytes, seconds, evicted);
        }

        return usage;
    }

    private static SimulationResult Result(string layout, int replicas, int devicesPerReplica, int devices, int blocksPerReplica,
        DollarsPerHour? fleetPerHour, MetricsCollector m, SimulationOptions options, double end)
    {
        var wall = Math.Max(end, 1e-12);
        var series = m.Series.Points(wall);
        var meanKv = series.Count == 0 ? 0 : series.Sum(p => p.KvUse * Math.Min(p.Width, Math.Max(0, wall - p.Start))) / wall;

        DollarsPerHour? perHour = null;
        Dollars? cost = null;
        DollarsPerMillionTokens? outputPrice = null, blendedPrice = null;
        if (fleetPerHour is { } fleetCost)
        {
            perHour = fleetCost;
            cost = perHour.Value * Seconds.FromSeconds(wall);
            if (m.OutputTokens > 0) outputPrice = cost.Value / Tokens.FromTokens(m.OutputTokens);
            if (m.OutputTokens + m.PromptTokens > 0) blendedPrice = cost.Value / Tokens.FromTokens(m.OutputTokens + m.PromptTokens);
        }

        return new SimulationResult(
            layout, replicas, devicesPerReplica, devices, blocksPerReplica, options.Scheduler.BlockTokens,
            m.Arrived, m.Completed, m.Rejected, m.Preemptions, m.PreemptedRequests, m.Steps, Seconds.FromSeconds(wall),
            LatencySummary.Of(m.Ttft), LatencySummary.Of(m.Tpot), LatencySummary.Of(m.EndToEnd), LatencySummary.Of(m.QueueWait),
            options.Slo, m.Good, GoodFraction(m, options), m.Good / wall, m.Completed / wall,
            TokensPerSecond.FromTokensPerSecond(m.OutputTokens / wall), TokensPerSecond.FromTokensPerSecond(m.PromptTokens / wall),
            m.BusyTime / (replicas * wall), meanKv,
            Tokens.FromTokens(m.PromptTokens), Tokens.FromTokens(m.CachedTokens), Tokens.FromTokens(m.PrefillTokensComputed),
            Tokens.FromTokens(m.OutputTokens), perHour, cost, outputPrice, blendedPrice, series) { Router = RouterPolicies.Name(options.Router) };
    }

    // With a warm-up, good is counted over the measured requests only (completed after it, plus every rejection).
    private static double GoodFraction(MetricsCollector m, SimulationOptions options)
    {
        var measured = options.WarmUpSeconds > 0 ? m.Ttft.Count + m.Rejected : m.Arrived;
        return measured == 0 ? 0 : (double)m.Good / measured;
    }
}
