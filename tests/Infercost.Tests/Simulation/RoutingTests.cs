using Infercost.Serialization;
using Infercost.Simulation;
using Infercost.Simulation.Traces;
using Infercost.Tests.Simulation.Traces;
using Xunit;

namespace Infercost.Tests.Simulation;

public sealed class RoutingTests
{
    private static RequestGenerator Bursty(long count, long seed = 7) =>
        SimulationFixtures.Poisson(60, 0, 0, count, seed) with
        {
            Arrivals = new ArrivalProcess(RateCurve.Constant(60), ArrivalKind.Gamma, 3),
            Input = new LognormalLength(800, 1.0, 16_000),
            Output = new LognormalLength(200, 0.9, 4000),
        };

    // The simulator before routers could be chosen: every replica advanced to each arrival, then a scan for the fewest
    // outstanding requests (lowest index on ties). The indexed pool must reproduce it step for step.
    private static MetricsCollector ScanEveryReplica(int replicas, IEnumerable<SimRequest> requests)
    {
        var setup = SimulationFixtures.Llama8BOnH100;
        var options = SimulationFixtures.Options();
        var blocks = ServingSimulator.KvBlocksPerReplica(setup, options.Scheduler);
        var metrics = new MetricsCollector(options.Slo, new TimeSeries(240, replicas, 1));
        var fleet = Enumerable.Range(0, replicas).Select(_ => new Replica(setup, options.Scheduler, blocks, metrics)).ToArray();
        foreach (var r in requests)
        {
            metrics.Arrived++;
            var target = fleet[0];
            foreach (var replica in fleet)
            {
                replica.AdvanceTo(r.ArrivalTime);
                if (replica.Outstanding < target.Outstanding) target = replica;
            }

            if (!target.CanEverFit(r)) metrics.Rejected++;
            else target.Enqueue(r);
        }

        foreach (var replica in fleet) replica.Drain();
        return metrics;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(16)]
    public void LeastRequests_IndexedPool_ReproducesTheScanOfEveryReplica(int replicas)
    {
        // Given a bursty stream of mixed lengths, enough to queue and preempt on a few replicas
        var stream = Bursty(3000);

        // When it runs through the simulator and through a scan of every replica on every arrival
        var result = ServingSimulator.Run(SimulationFixtures.Llama8BOnH100, replicas, stream, SimulationFixtures.Options(), cancellation: TestContext.Current.CancellationToken);
        var reference = ScanEveryReplica(replicas, stream);

        // Then every count and every latency percentile is the same
        Assert.Equal(reference.Steps, result.Steps);
        Assert.Equal(reference.Completed, result.Completed);
        Assert.Equal(reference.Preemptions, result.Preemptions);
        Assert.Equal(reference.Good, result.GoodRequests);
        Same(LatencySummary.Of(reference.Ttft), result.TimeToFirstToken);
        Same(LatencySummary.Of(reference.Tpot), result.TimePerOutputToken);
        Same(LatencySummary.Of(reference.EndToEnd), result.EndToEnd);
        Assert.Equal(reference.BusyTime, result.BusyFraction * replicas * result.WallTime.Value, 1e-9 * reference.BusyTime);
    }

    // Percentiles come from histogram buckets and are exact; the mean is a sum, taken in another order.
    private static void Same(LatencySummary expected, LatencySummary actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal((expected.P50, expected.P90, expected.P99, expected.Max), (actual.P50, actual.P90, actual.P99, actual.Max));
        Assert.Equal(expected.Mean.Value, actual.Mean.Value, 1e-12 * Math.Max(1, expected.Mean.Value));
    }

    [Theory]
    [InlineData(RouterPolicy.RoundRobin)]
    [InlineData(RouterPolicy.LeastTokens)]
    [InlineData(RouterPolicy.PowerOfTwo)]
    [InlineData(RouterPolicy.Session)]
    [InlineData(RouterPolicy.Prefix)]
    public void EveryPolicy_ServesEveryRequest_AndIsReproducible(RouterPolicy policy)
    {
        // Given a multi-turn stream on eight replicas
        var stream = Bursty(2000) with { Sessions = new SessionSpec(3, 20, 0.7) };
        var options = SimulationFixtures.Options() with { Router = policy };

        // When it runs twice with the same seeds
        var a = ServingSimulator.Run(SimulationFixtures.Llama8BOnH100, 8, stream, options, cancellation: TestContext.Current.CancellationToken);
        var b = ServingSimulator.Run(SimulationFixtures.Llama8BOnH100, 8, stream, options, cancellation: TestContext.Current.CancellationToken);

        // Then every request completes, the run is reproduced exactly, and the report names the router
        Assert.Equal(2000, a.Completed);
        Assert.Equal(InfercostJson.Serialize(a), InfercostJson.Serialize(b));
        Assert.Equal(RouterPolicies.Name(policy), a.Router);
    }

    [Fact]
    public void RoundRobin_UnderBurstyMixedLengths_QueuesLongerThanLeastTokens()
    {
        // Given bursts of prompts and answers whose lengths vary by an order of magnitude, on four busy replicas
        var stream = Bursty(4000) with { Arrivals = new ArrivalProcess(RateCurve.Constant(40), ArrivalKind.Gamma, 3) };
        var options = SimulationFixtures.Options();

        // When routed blind (in turn) and by load (outstanding tokens)
        var blind = ServingSimulator.Run(SimulationFixtures.Llama8BOnH100, 4, stream, options with { Router = RouterPolicy.RoundRobin }, cancellation: TestContext.Current.CancellationToken);
        var balanced = ServingSimulator.Run(SimulationFixtures.Llama8BOnH100, 4, stream, options with { Router = RouterPolicy.LeastTokens }, cancellation: TestContext.Current.CancellationToken);

        // Then the load-aware router waits less in the queue at the tail
        Assert.True(balanced.QueueWait.P99 < blind.QueueWait.P99, $"least-tokens P99 queue {balanced.QueueWait.P99} vs round-robin {blind.QueueWait.P99}");
    }

    [Fact]
    public void PrefixAffinity_OnTheMooncakeTrace_HitsThePrefixCacheMoreThanLoadBalancing()
    {
        // Given the Mooncake conversation trace's first 3,000 requests on eight replicas, each caching prefixes in its KV pool
        var requests = new TraceReplay(MaxRequests: 3000).Requests(TraceFiles.Load(TraceFiles.Mooncake)).ToList();
        var options = SimulationFixtures.Options() with { PrefixCache = PrefixCacheSpec.OfKvPool };

        // When routed by load alone and by the first prefix block
        var spread = ServingSimulator.Run(SimulationFixtures.Llama8BOnH100, 8, requests, options with { Router = RouterPolicy.LeastRequests }, cancellation: TestContext.Current.CancellationToken);
        var affine = ServingSimulator.Run(SimulationFixtures.Llama8BOnH100, 8, requests, options with { Router = RouterPolicy.Prefix }, cancellation: TestContext.Current.CancellationToken);

        // Then keeping a prefix on the replicas that hold it finds more of it cached
        Assert.True(affine.PrefixCache!.HitRate > spread.PrefixCache!.HitRate + 0.02,
            $"prefix affinity hit {affine.PrefixCache.HitRate:P1}, least-requests {spread.PrefixCache.HitRate:P1}");
    }

    private static (ReplicaPool Pool, Replica[] Fleet) Pool(int replicas, RouterPolicy policy)
    {
        var setup = SimulationFixtures.Llama8BOnH100;
        var options = SimulationFixtures.Options();
        var metrics = new MetricsCollector(options.Slo, new TimeSeries(240, replicas, 1));
        var fleet = Enumerable.Range(0, replicas).Select(_ => new Replica(setup, options.Scheduler, 100_000, metrics)).ToArray();
        return (new ReplicaPool(fleet, policy, 1), fleet);
    }

    [Theory]
    [InlineData(RouterPolicy.LeastRequests, 1)]
    [InlineData(RouterPolicy.LeastTokens, 5)]
    [InlineData(RouterPolicy.LeastTokens, 37)]
    public void LeastPolicies_PickTheLowestLoadLowestIndex_AsAScanWould(RouterPolicy policy, int replicas)
    {
        // Given a pool whose replicas receive requests of random sizes at one instant (no step runs)
        var (pool, fleet) = Pool(replicas, policy);
        var random = new Pcg32(3);
        for (var n = 0; n < 500; n++)
        {
            var r = new SimRequest(n, 0, 1 + (int)(random.NextUInt() % 3000), 0, 1 + (int)(random.NextUInt() % 500));
            var pick = pool.Pick(r);

            // Then each pick is the first replica with the least load
            var expected = 0;
            for (var i = 1; i < fleet.Length; i++)
            {
                var load = policy == RouterPolicy.LeastRequests ? fleet[i].Outstanding : fleet[i].OutstandingTokens;
                var best = policy == RouterPolicy.LeastRequests ? fleet[expected].Outstanding : fleet[expected].OutstandingTokens;
                if (load < best) expected = i;
            }

            Assert.Equal(expected, pick);
            pool.Enqueue(pick, r);
        }
    }

    [Fact]
    public void SessionAffinity_KeepsASessionOnItsReplicas_UntilTheyArePastTheBoundedLoad()
    {
        // Given 16 idle replicas and 40 sessions sending one small turn each, then one more turn each
        var (pool, _) = Pool(16, RouterPolicy.Session);
        var first = new int[40];
        for (var s = 0; s < 40; s++)
        {
            var r = new SimRequest(s, 0, 10, 0, 10, Session: s);
            first[s] = pool.Pick(r);
            pool.Enqueue(first[s], r);
        }

        // Then a later turn of a session goes where its first turn went in most cases (the two hashed replicas, the
        // bounded load spilling the rest), and turns of different sessions spread over many replicas
        var same = 0;
        for (var s = 0; s < 40; s++)
        {
            var r = new SimRequest(40 + s, 0, 10, 0, 10, Session: s);
            var pick = pool.Pick(r);
            if (pick == first[s]) same++;
            pool.Enqueue(pick, r);
        }

        Assert.True(same >= 20, $"{same} of 40 second turns on their first turn's replica");
        Assert.True(first.Distinct().Count() >= 10, $"first turns on {first.Distinct().Count()} replicas");
    }

    [Fact]
    public void Sessions_CarryTheirSessionId_AndSingleTurnsTheirOwn()
    {
        var single = SimulationFixtures.Poisson(10, 100, 10, 50).ToList();
        Assert.Equal(single.Select(r => r.Id), single.Select(r => r.Session));

        var turns = (SimulationFixtures.Poisson(10, 100, 10, 400) with { Sessions = new SessionSpec(4, 5, 0.5) }).ToList();
        var sessions = turns.GroupBy(r => r.Session).ToList();
        Assert.All(turns, r => Assert.True(r.Session >= 0));
        Assert.Contains(sessions, g => g.Count() > 1);
        // a follow-up turn's prompt holds the conversation so far, so it is longer than the session's first prompt
        Assert.All(sessions.Where(g => g.Count() > 1), g => Assert.True(g.Last().PromptTokens > g.First().PromptTokens));
    }

    [Fact]
    public void Parse_UnknownRouter_NamesTheFieldAndTheChoices()
    {
        var e = Assert.Throws<InvalidInputException>(() => RouterPolicies.Parse("fastest"));
        Assert.Equal("router", e.Field);
        Assert.Equal("router must be least-requests, round-robin, least-tokens, p2c, session or prefix; was 'fastest'.", e.Message);
        Assert.Equal(RouterPolicy.PowerOfTwo, RouterPolicies.Parse("Power-Of-Two"));
    }
}
