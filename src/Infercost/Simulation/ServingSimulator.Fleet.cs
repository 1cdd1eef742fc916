using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Simulation;

// A fleet of several pools is one fleet to the router and the clock: its replicas are numbered pool by pool, one
// ReplicaPool holds them all (one priority queue of busy replicas, one tournament tree over their loads, so an arrival
// costs O(log R) whatever the mix), and every replica writes the fleet's counts as a run of one pool does, in the same
// order. Each replica also writes its pool's own counts beside them, so pools get their own latency percentiles and
// cost without changing a bit of the fleet's figures: a fleet whose pools are all the same setup gives exactly Run's
// result (tested byte for byte).
public static partial class ServingSimulator
{
    /// <summary>Runs <paramref name="requests"/> (in arrival order) through a fleet of several pools behind one router.
    /// Each arrival goes to the replica <see cref="SimulationOptions.Router"/> picks over every pool's replicas; the
    /// load-aware policies compare each replica's load ÷ its pool's decode rate (<see cref="FleetRouting.DecodeRate"/>),
    /// so a faster replica takes a larger share. A request that cannot fit in the replica it is routed to is rejected
    /// there. Replica failures and autoscaling are not simulated for such a fleet.</summary>
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
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(options);
        options.Validated();
        if (pools.Count == 0) throw new ArgumentException("a fleet needs at least one pool", nameof(pools));
        if (options.Failures is not null || options.Autoscale is not null)
        {
            throw new InvalidInputException("pool", "pool: a fleet of several pools is simulated without replica failures (mtbf) and autoscaling (autoscaleMin); drop them or the pools.");
        }

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

        var stream = requests as RequestGenerator;
        stream?.Validated();
        var context = contextTokens ?? (stream is { } g ? g.Input.Mean + g.Output.Mean / 2
            : throw new ArgumentException("give contextTokens for a stream that is not a RequestGenerator", nameof(contextTokens)));
        var expected = stream?.ExpectedRequests ?? 0;
        var width = InitialWidth(stream);
        var metrics = NewMetrics(options, (int)total, width);
        var fleet = new Replica[total];
        var poolOf = new int[total];
        var poolMetrics = new MetricsCollector[pools.Count];
        var blocks = new int[pools.Count];
        var rates = new double[pools.Count];
        var at = 0;
        for (var p = 0; p < pools.Count; p++)
        {
            var pool = pools[p];
            var scheduler = pool.Scheduler ?? options.Scheduler;
            blocks[p] = PoolBlocks(pool, scheduler);
            rates[p] = FleetRouting.DecodeRate(pool.Setup, scheduler, blocks[p], context).Value;
            poolMetrics[p] = NewMetrics(options, pool.Replicas, width);
            for (var i = 0; i < pool.Replicas; i++, at++)
            {
                poolOf[at] = p;
                fleet[at] = new Replica(pool.Setup, scheduler, blocks[p], metrics, prefixCache: options.PrefixCache, seed: unchecked(options.RouterSeed + at),
                    stepByStep: options.StepByStep, pool: poolMetrics[p]);
            }
        }

        var router = new ReplicaPool(fleet, options.Router, options.RouterSeed, weights: FleetRouting.Weights(rates, [.. pools.Select(p => p.Replicas)]));
        var reportEvery = Math.Max(1, (long)(expected / 200));
        var previous = double.NegativeInfinity;
        foreach (var r in requests)
        {
            cancellation.ThrowIfCancellationRequested();
            if (!(r.ArrivalTime >= previous)) throw new InvalidInputException("requests", $"requests must arrive in time order; request {r.Id} at {Guard.Format(r.ArrivalTime)} s came after {Guard.Format(previous)} s.");
            previous = r.ArrivalTime;
            metrics.Arrived++;
            router.AdvanceTo(r.ArrivalTime);
            var target = router.Pick(r);
            var own = poolMetrics[poolOf[target]];
            own.Arrived++;
            if (!fleet[target].CanEverFit(r))
            {
                metrics.Rejected++;
                own.Rejected++;
            }
            else
            {
                router.Enqueue(target, r);
            }

            if (progress is not null && expected > 0 && metrics.Arrived % reportEvery == 0) progress.Report(Math.Min(1, metrics.Arrived / expected));
        }

        router.Drain();
        progress?.Report(1);
        var end = Math.Max(fleet.Max(x => x.Clock), stream?.Horizon ?? 0);

        var results = new List<PoolResult>(pools.Count);
        at = 0;
        for (var p = 0; p < pools.Count; p++)
        {
            var pool = pools[p];
            var replicas = fleet[at..(at + pool.Replicas)];
            at += pool.Replicas;
            var m = poolMetrics[p];
            // Busy time and steps are the replicas' own sums (the fleet's are summed as the steps ran).
            foreach (var replica in replicas)
            {
                m.BusyTime += replica.BusyTime;
                m.Steps += replica.Steps;
            }

            var result = Result(pool.Setup.Layout, pool.Replicas, pool.Setup.DevicesPerReplica, pool.Devices, blocks[p],
                (pool.Basis ?? options.Basis)?.PerDevice(pool.Setup.Accelerator).Times(pool.Devices).Total, m, options, end)
                with { PrefixCache = Usage(options.PrefixCache, replicas, m) };
            results.Add(new PoolResult(pool.Name, pool.Setup.Accelerator.Id, TokensPerSecond.FromTokensPerSecond(rates[p]),
                metrics.Arrived == 0 ? 0 : (double)m.Arrived / metrics.Arrived, result));
        }

        var layouts = pools.Select(p => p.Setup.Layout).Distinct().ToList();
        var layout = layouts.Count == 1 ? layouts[0] : string.Join(" + ", pools.Select(p => p.Layout));
        var fleetResult = Result(layout, (int)total, pools[0].Setup.DevicesPerReplica, pools.Sum(p => p.Devices), blocks[0],
            FleetPerHour(pools, options), metrics, options, end) with { PrefixCache = Usage(options.PrefixCache, fleet, metrics) };
        return new FleetResult(fleetResult, results);
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
