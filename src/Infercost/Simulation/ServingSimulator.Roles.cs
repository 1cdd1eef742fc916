using Infercost.Serving;

namespace Infercost.Simulation;

// Disaggregated prefill and decode over pools: RunDisaggregated is this code with one prefill pool and one decode pool
// and no pool figures, so the two share one arrival loop and one handover queue. Arrivals go to the prefill pools (the
// router's policy over every prefill replica, weighed by prefill rate when the pools differ, KV-aware as a fleet of
// combined pools is); a finished prompt goes to the decode pools (weighed by decode rate, KV-aware), whose replica pulls
// its KV cache from the pool that computed it at the price Communication.KvTransfer gives for that pair of setups.
public static partial class ServingSimulator
{
    // What a run with roles left: the counts, the replicas of each side (pool by pool) and of each pool, and the end.
    private sealed record RoleRun(MetricsCollector Metrics, Replica[] Prefill, Replica[] Decode, Replica[][] ByPool, int[] Blocks,
        double[] Rates, double[] PrefillRates, MetricsCollector[]? PoolMetrics, double End);

    /// <summary>Whether the pools have roles; throws unless they come as all combined, or at least one prefill and one
    /// decode pool with none combined (field <c>pool</c>, the pool named).</summary>
    private static bool CheckRoles(IReadOnlyList<FleetPool> pools)
    {
        if (pools.All(p => p.Role == ReplicaRole.Combined)) return false;
        if (pools.FirstOrDefault(p => p.Role == ReplicaRole.Combined) is { } combined)
        {
            throw new InvalidInputException("pool", $"pool {combined.Name} is combined beside pools with roles; give every pool role=prefill or role=decode (pool 1's with role), or none a role.");
        }

        foreach (var (role, other) in new[] { (ReplicaRole.Prefill, "decode"), (ReplicaRole.Decode, "prefill") })
        {
            if (pools.All(p => p.Role == role))
            {
                throw new InvalidInputException("pool", $"pool: every pool has role={role.ToString().ToLowerInvariant()}; a fleet with roles needs at least one {other} pool too.");
            }
        }

        return true;
    }

    /// <summary>Policy of the decode side of a fleet with roles: the run's, except the affinity routers, which follow a
    /// cache the decode replicas do not keep (they have no prefix cache), so the handover goes to the least loaded.</summary>
    private static RouterPolicy DecodePolicy(RouterPolicy policy) =>
        policy is RouterPolicy.Session or RouterPolicy.Prefix ? RouterPolicy.LeastRequests : policy;

    private static RoleRun RunRoles(IReadOnlyList<FleetPool> pools, IEnumerable<SimRequest> requests, RequestGenerator? stream, SimulationOptions options,
        double? context, RouterPolicy decodePolicy, IProgress<double>? progress, CancellationToken cancellation)
    {
        var expected = stream?.ExpectedRequests ?? 0;
        var reportEvery = Math.Max(1, (long)(expected / 200));
        var withPools = context is not null;
        var metrics = NewMetrics(options, pools.Sum(p => p.Replicas), InitialWidth(stream), pools[0].Setup);
        var poolMetrics = withPools ? new MetricsCollector[pools.Count] : null;
        var blocks = new int[pools.Count];
        var rates = new double[pools.Count];
        var prefillRates = new double[pools.Count];
        var byPool = new Replica[pools.Count][];

        // Finished prompts wait here, in time order, until every prefill replica has passed their time: no later step
        // can then hand over anything earlier, so the decode pools see handovers in the order they happened. Equal times
        // are ordered by the arrival during which they were made, then by prefill replica, then as made.
        var handoffs = new PriorityQueue<Sequence, (double Time, long Arrival, int Replica, long Order)>();
        long order = 0;
        var transfer = new Dictionary<(int From, int To, int Tokens), double>();
        double Transfer(int from, int to, int tokens)
        {
            if (!transfer.TryGetValue((from, to, tokens), out var seconds))
            {
                seconds = Communication.KvTransfer(pools[from].Setup, pools[to].Setup, tokens).Value;
                if (transfer.Count < 100_000) transfer[(from, to, tokens)] = seconds;
            }

            return seconds;
        }

        var prefill = new List<Replica>();
        var decode = new List<Replica>();
        var prefillStart = new List<int> { 0 };
        var decodeStart = new List<int> { 0 };
        var prefillPoolOf = new List<int>();
        var decodePoolOf = new List<int>();
        for (var p = 0; p < pools.Count; p++)
        {
            var (pool, index) = (pools[p], p);
            var scheduler = pool.Scheduler ?? options.Scheduler;
            blocks[p] = withPools ? PoolBlocks(pool, scheduler) : KvBlocksPerReplica(pool.Setup, scheduler);
            if (context is { } c) rates[p] = FleetRouting.DecodeRate(pool.Setup, scheduler, blocks[p], c).Value;
            if (withPools && pool.Role == ReplicaRole.Prefill) prefillRates[p] = FleetRouting.PrefillRate(pool.Setup, scheduler).Value;
            if (poolMetrics is not null) poolMetrics[p] = NewMetrics(options, pool.Replicas, InitialWidth(stream), pool.Setup);
            byPool[p] = new Replica[pool.Replicas];
            for (var i = 0; i < pool.Replicas; i++)
            {
                if (pool.Role == ReplicaRole.Prefill)
                {
                    var replica = prefill.Count;
                    byPool[p][i] = new Replica(pool.Setup, scheduler, blocks[p], metrics, ReplicaRole.Prefill, handoff: (s, t) =>
                    {
                        s.SourcePool = index;
                        handoffs.Enqueue(s, (t, metrics.Arrived, replica, order++));
                    }, prefixCache: options.PrefixCache, pool: poolMetrics?[p]);
                    prefill.Add(byPool[p][i]);
                    prefillPoolOf.Add(p);
                }
                else
                {
                    byPool[p][i] = new Replica(pool.Setup, scheduler, blocks[p], metrics, ReplicaRole.Decode, transferSeconds: s => Transfer(s.SourcePool, index, s.Request.PromptTokens),
                        seed: unchecked(options.RouterSeed + decode.Count), stepByStep: options.StepByStep, pool: poolMetrics?[p]);
                    decode.Add(byPool[p][i]);
                    decodePoolOf.Add(p);
                }
            }

            (pool.Role == ReplicaRole.Prefill ? prefillStart : decodeStart).Add(pool.Role == ReplicaRole.Prefill ? prefill.Count : decode.Count);
        }

        var prefillPools = Enumerable.Range(0, pools.Count).Where(p => pools[p].Role == ReplicaRole.Prefill).ToList();
        var decodePools = Enumerable.Range(0, pools.Count).Where(p => pools[p].Role == ReplicaRole.Decode).ToList();
        Replica[] prefillReplicas = [.. prefill], decodeReplicas = [.. decode];
        int[] pStart = [.. prefillStart], dStart = [.. decodeStart];
        var prefillAware = withPools && FitRouter.Needed(prefillReplicas, pStart);
        var decodeAware = withPools && FitRouter.Needed(decodeReplicas, dStart);
        var prefillRouter = new ReplicaPool(prefillReplicas, options.Router, options.RouterSeed, restricted: prefillAware,
            weights: withPools ? FleetRouting.Weights([.. prefillPools.Select(p => prefillRates[p])], [.. prefillPools.Select(p => pools[p].Replicas)]) : null);
        var decodeRouter = new ReplicaPool(decodeReplicas, decodePolicy, unchecked(options.RouterSeed + 1), restricted: decodeAware,
            weights: withPools ? FleetRouting.Weights([.. decodePools.Select(p => rates[p])], [.. decodePools.Select(p => pools[p].Replicas)]) : null);
        var prefillFit = new FitRouter(prefillRouter, prefillReplicas, pStart, prefillAware);
        var decodeFit = new FitRouter(decodeRouter, decodeReplicas, dStart, decodeAware);

        void Deliver(double until)
        {
            while (handoffs.TryPeek(out _, out var key) && key.Time <= until)
            {
                var s = handoffs.Dequeue();
                decodeRouter.AdvanceTo(key.Time);
                var target = decodeFit.Pick(s.Request);
                if (poolMetrics is not null) poolMetrics[decodePoolOf[target]].Arrived++;
                decodeRouter.EnqueueHandoff(target, s, key.Time);
            }
        }

        var previous = double.NegativeInfinity;
        foreach (var r in requests)
        {
            cancellation.ThrowIfCancellationRequested();
            if (!(r.ArrivalTime >= previous)) throw new InvalidInputException("requests", $"requests must arrive in time order; request {r.Id} at {Guard.Format(r.ArrivalTime)} s came after {Guard.Format(previous)} s.");
            previous = r.ArrivalTime;
            metrics.Arrived++;
            prefillRouter.AdvanceTo(r.ArrivalTime);
            var target = prefillFit.Pick(r);
            Deliver(r.ArrivalTime);
            var own = poolMetrics?[prefillPoolOf[target]];
            if (own is not null) own.Arrived++;
            if (!prefillReplicas[target].CanEverFit(r) || (r.OutputTokens > 1 && !decodeFit.AnyFits(r)))
            {
                metrics.Rejected++;
                if (own is not null) own.Rejected++;
            }
            else
            {
                prefillRouter.Enqueue(target, r);
            }

            if (progress is not null && expected > 0 && metrics.Arrived % reportEvery == 0) progress.Report(Math.Min(1, metrics.Arrived / expected));
        }

        prefillRouter.Drain();
        Deliver(double.PositiveInfinity);
        decodeRouter.Drain();
        progress?.Report(1);
        var end = Math.Max(Math.Max(prefillReplicas.Max(x => x.Clock), decodeReplicas.Max(x => x.Clock)), stream?.Horizon ?? 0);
        return new RoleRun(metrics, prefillReplicas, decodeReplicas, byPool, blocks, rates, prefillRates, poolMetrics, end);
    }

    // A fleet of pools with roles, as RunFleet reports it: the fleet as one (layout naming every pool and its role; its
    // devices per replica and KV blocks per replica are the first decode pool's, as the disaggregated fleet's are the
    // decode pool's), each pool's figures and the handover latency.
    private static FleetResult SimulateRoles(IReadOnlyList<FleetPool> pools, IEnumerable<SimRequest> requests, RequestGenerator? stream,
        SimulationOptions options, double context, IProgress<double>? progress, CancellationToken cancellation)
    {
        if (options.Failures is not null || options.Autoscale is not null)
        {
            throw new InvalidInputException("pool", "pool: prefill and decode roles are simulated without replica failures (mtbf) and autoscaling (autoscaleMin) yet; drop one.");
        }

        var run = RunRoles(pools, requests, stream, options, context, DecodePolicy(options.Router), progress, cancellation);
        var results = new List<PoolResult>(pools.Count);
        for (var p = 0; p < pools.Count; p++)
        {
            var pool = pools[p];
            var m = run.PoolMetrics![p];
            foreach (var replica in run.ByPool[p])
            {
                m.BusyTime += replica.BusyTime;
                m.Steps += replica.Steps;
            }

            var result = Result(pool.Setup.Layout, pool.Replicas, pool.Setup.DevicesPerReplica, pool.Devices, run.Blocks[p],
                (pool.Basis ?? options.Basis)?.PerDevice(pool.Setup.Accelerator).Times(pool.Devices).Total, m, options, run.End)
                with { PrefixCache = pool.Role == ReplicaRole.Prefill ? Usage(options.PrefixCache, run.ByPool[p], m) : null };
            results.Add(new PoolResult(pool.Name, pool.Setup.Accelerator.Id, Rate(run.Rates[p]),
                run.Metrics.Arrived == 0 ? 0 : (double)m.Arrived / run.Metrics.Arrived, result)
            {
                Role = pool.Role,
                PrefillRate = pool.Role == ReplicaRole.Prefill ? Rate(run.PrefillRates[p]) : null,
            });
        }

        var firstDecode = pools.Select((pool, p) => (pool, p)).First(x => x.pool.Role == ReplicaRole.Decode);
        var layout = string.Join(" + ", pools.Select(p => $"{p.Layout} {p.Role.ToString().ToLowerInvariant()}"));
        var fleet = Result(layout, pools.Sum(p => p.Replicas), firstDecode.pool.Setup.DevicesPerReplica, pools.Sum(p => p.Devices), run.Blocks[firstDecode.p],
            FleetPerHour(pools, options), run.Metrics, options, run.End) with { PrefixCache = Usage(options.PrefixCache, run.Prefill, run.Metrics) };
        return new FleetResult(fleet, results) { Handoff = LatencySummary.Of(run.Metrics.Handoff) };
    }

    private static Quantities.TokensPerSecond Rate(double tokensPerSecond) => Quantities.TokensPerSecond.FromTokensPerSecond(tokensPerSecond);
}
