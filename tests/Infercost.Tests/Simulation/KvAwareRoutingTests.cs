using Infercost.Serving;
using Infercost.Simulation;
using Xunit;

namespace Infercost.Tests.Simulation;

// KV-aware routing across pools (docs/simulation.md#heterogeneous-fleets): a request goes only to the pools whose
// replica holds its whole context in at most half its cache, else to those that hold it at all; a fleet of a small-KV
// pool and a large-KV pool then serves long contexts on the large one, without rejections or preemptions.
public sealed class KvAwareRoutingTests
{
    private static readonly Infercost.Catalog.Catalog Embedded = Infercost.Catalog.Catalog.Embedded;

    // Llama 3.1 70B in bf16 on four GPUs: 4 × L40S (48 GB) leave about 97k tokens of cache, 4 × H100 (80 GB) about 450k.
    private static ServingSetup Tp4(string gpu) => Fixtures.Setup(Embedded.GetModel("llama-3.1-70b"), Embedded.GetAccelerator(gpu), new Parallelism(Tensor: 4));

    // Every third request is long: alternately 60,000 prompt tokens (more than half an L40S replica's cache, a fraction
    // of an H100's) and 110,000 (more than an L40S replica holds at all); the rest are 1,000 + 200.
    private static List<SimRequest> Stream(int count, double gap)
    {
        var requests = new List<SimRequest>(count);
        for (var i = 0; i < count; i++)
        {
            var prompt = i % 3 != 2 ? 1000 : i % 6 == 2 ? 60_000 : 110_000;
            requests.Add(new SimRequest(i, i * gap, prompt, 0, i % 3 != 2 ? 200 : 300));
        }

        return requests;
    }

    [Theory]
    [InlineData(RouterPolicy.LeastRequests)]
    [InlineData(RouterPolicy.LeastTokens)]
    [InlineData(RouterPolicy.RoundRobin)]
    [InlineData(RouterPolicy.PowerOfTwo)]
    public void LongContexts_LandOnTheLargeKvPool_ShortOnesUseBoth(RouterPolicy router)
    {
        // Given a pool of 4 × L40S replicas and one of 2 × H100 replicas (TP4 each), and a stream with long contexts
        var (small, large) = (Tp4("nvidia-l40s"), Tp4("nvidia-h100-sxm"));
        var options = SimulationFixtures.Options() with { Router = router };
        var requests = Stream(150, 0.5);
        var l40sBlocks = ServingSimulator.KvBlocksPerReplica(small, options.Scheduler);
        var h100Blocks = ServingSimulator.KvBlocksPerReplica(large, options.Scheduler);
        Assert.InRange(60_300 / 16.0, l40sBlocks / 2.0, l40sBlocks); // the 60k requests are tight on an L40S replica
        Assert.True(110_300 / 16.0 > l40sBlocks, $"the 110k requests should not fit an L40S replica ({l40sBlocks} blocks)");
        Assert.True(110_300 / 16.0 < h100Blocks / 2.0, $"and fit an H100 replica comfortably ({h100Blocks} blocks)");

        // When the fleet serves it (the context: mean prompt + half the mean output)
        var context = requests.Average(r => r.PromptTokens + r.OutputTokens / 2.0);
        var result = ServingSimulator.RunFleet([new FleetPool("l40s", small, 4), new FleetPool("h100", large, 2)], requests, options, context,
            cancellation: TestContext.Current.CancellationToken);

        // Then nothing is rejected or preempted, every long request ran on the H100 pool, and short ones ran on both
        var (l40s, h100) = (result.Pools[0].Result, result.Pools[1].Result);
        Assert.Equal(0, result.Fleet.Rejected);
        Assert.Equal(0, result.Fleet.Preemptions);
        Assert.Equal(requests.Count, result.Fleet.Completed);
        Assert.True(l40s.Completed > 0, "short requests should use the L40S pool");
        Assert.Equal(1000.0 * l40s.Completed, l40s.PromptTokens.Value); // only 1,000-token prompts there
        var longs = requests.Count(r => r.PromptTokens > 1000);
        // (least-tokens sees the long contexts' tokens on the H100 replicas, so it may send every short one elsewhere)
        Assert.True(router == RouterPolicy.LeastTokens ? h100.Completed >= longs : h100.Completed > longs,
            $"the H100 pool should take every long request ({longs}) and some short ones; took {h100.Completed}");
        Assert.Equal(requests.Where(r => r.PromptTokens > 1000).Sum(r => (double)r.PromptTokens) + 1000.0 * (h100.Completed - longs), h100.PromptTokens.Value);
    }

    [Fact]
    public void TheSmallPoolAlone_RejectsWhatTheFleetServes()
    {
        // Given the same stream on the L40S pool alone
        var options = SimulationFixtures.Options();
        var requests = Stream(60, 0.5);

        // When it runs
        var alone = ServingSimulator.Run(Tp4("nvidia-l40s"), 4, requests, options, cancellation: TestContext.Current.CancellationToken);

        // Then the 110k contexts are rejected there: the fleet's zero rejections above come from the routing
        Assert.Equal(requests.Count(r => r.PromptTokens == 110_000), alone.Rejected);
    }

    [Fact]
    public void ARequestNoPoolHolds_IsRejectedOnce()
    {
        // Given an L40S pool and an H100 pool, and one request of 500,000 tokens (more than either replica holds)
        var options = SimulationFixtures.Options();
        var requests = new List<SimRequest> { new(0, 0, 1000, 0, 100), new(1, 0.1, 500_000, 0, 100), new(2, 0.2, 1000, 0, 100) };

        // When the fleet runs it
        var result = ServingSimulator.RunFleet([new FleetPool("l40s", Tp4("nvidia-l40s"), 1), new FleetPool("h100", Tp4("nvidia-h100-sxm"), 1)],
            requests, options, 1000, cancellation: TestContext.Current.CancellationToken);

        // Then it is rejected (in the pool the router sent it to), and the others are served
        Assert.Equal(1, result.Fleet.Rejected);
        Assert.Equal(2, result.Fleet.Completed);
        Assert.Equal(1, result.Pools.Sum(p => p.Result.Rejected));
    }
}
