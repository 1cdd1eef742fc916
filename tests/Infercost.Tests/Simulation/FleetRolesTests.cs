using CsCheck;
using Infercost.Costing;
using Infercost.Serialization;
using Infercost.Serving;
using Infercost.Simulation;
using Xunit;

namespace Infercost.Tests.Simulation;

// Prefill and decode roles inside the pools of a heterogeneous fleet (docs/simulation.md#heterogeneous-fleets): one
// prefill pool and one decode pool are the disaggregated fleet, figure for figure; every request completes exactly once,
// in the pool that finished it; a by-hand request pays its prefill on the prefill pool's GPU and the transfer between
// the two setups; pools with roles must come as at least one prefill and one decode pool, none combined.
public sealed class FleetRolesTests
{
    private static ServingSetup On(Hardware.Accelerator accelerator, int tp = 1) =>
        new(Fixtures.Llama8B, accelerator, new Parallelism(tp), new ServingConfig { TotalDevices = tp });

    private static SimulationOptions Priced(RouterPolicy router = RouterPolicy.LeastRequests) =>
        SimulationFixtures.Options() with { Basis = new RentalCost(Quantities.DollarsPerHour.FromDollarsPerHour(2)), Router = router };

    private static RequestGenerator Mixed(double rate, long count, long seed = 3) =>
        SimulationFixtures.Poisson(rate, 0, 0, count, seed) with
        {
            Input = new LognormalLength(800, 1.0, 16_000),
            Output = new LognormalLength(100, 1.2, 2000),
        };

    [Theory]
    [InlineData(RouterPolicy.LeastRequests, 2, 3)]
    [InlineData(RouterPolicy.RoundRobin, 1, 2)]
    [InlineData(RouterPolicy.PowerOfTwo, 3, 2)]
    public void OnePrefillAndOneDecodePool_AreTheDisaggregatedFleet(RouterPolicy router, int prefill, int decode)
    {
        // Given a prefill pool of H100s and a decode pool of A100s (TP2), and a loaded stream
        var (p, d) = (On(Fixtures.H100), On(Fixtures.A100_80, 2));
        var options = Priced(router);
        var stream = Mixed(25, 1500);

        // When they run as a disaggregated fleet, and as a fleet of two pools with roles
        var split = ServingSimulator.RunDisaggregated(new DisaggregatedFleet(p, prefill, d, decode), stream, options);
        var pools = ServingSimulator.RunFleet([new FleetPool("1", p, prefill, Role: ReplicaRole.Prefill), new FleetPool("2", d, decode, Role: ReplicaRole.Decode)],
            stream, options, cancellation: TestContext.Current.CancellationToken);

        // Then every count, latency and the handover are the same, and the cost is both pools'
        var (a, b) = (split.Fleet, pools.Fleet);
        Assert.True(a.TimeToFirstToken.P99.Value > 2 * a.TimeToFirstToken.P50.Value || a.QueueWait.Max.Value > 0, "the stream should load the fleet");
        Assert.Equal(InfercostJson.Serialize(a with { Layout = "", ClusterPerHour = null, Cost = null, OutputPerMillion = null, BlendedPerMillion = null }),
            InfercostJson.Serialize(b with { Layout = "", ClusterPerHour = null, Cost = null, OutputPerMillion = null, BlendedPerMillion = null }));
        Assert.Equal(InfercostJson.Serialize(split.Handoff), InfercostJson.Serialize(pools.Handoff));
        Assert.Equal(a.ClusterPerHour!.Value.Value, b.ClusterPerHour!.Value.Value, 9);
        Assert.Equal(split.Prefill.Steps, pools.Pools[0].Result.Steps);
        Assert.Equal(split.Decode.Steps, pools.Pools[1].Result.Steps);
    }

    [Fact]
    public void OneRequest_PaysThePrefillPoolsStep_AndTheTransferBetweenTheTwoSetups()
    {
        // Given an idle fleet: a prefill pool of one A100 80GB (TP1), a decode pool of one H100 TP2
        var (p, d) = (On(Fixtures.A100_80), On(Fixtures.H100, 2));
        const int prompt = 3000, output = 20;

        // When one request runs through it
        var result = ServingSimulator.RunFleet([new FleetPool("a100", p, 1, Role: ReplicaRole.Prefill), new FleetPool("h100", d, 1, Role: ReplicaRole.Decode)],
            [new SimRequest(0, 1.0, prompt, 0, output)], Priced(), 1000, cancellation: TestContext.Current.CancellationToken);

        // Then TTFT = the A100's prefill step of the prompt + the KV transfer from the A100 replica to the H100 TP2 one
        var chunk = new BatchComposition();
        chunk.AddPrefillChunk(prompt, 0, double.PositiveInfinity);
        var prefill = BatchStepModel.Cost(p, chunk).Total.Value;
        var transfer = Communication.KvTransfer(p, d, prompt).Value;
        Assert.Equal(transfer, result.Handoff!.Max.Value, transfer * 1e-9);
        Assert.Equal(prefill + transfer, result.Fleet.TimeToFirstToken.Max.Value, (prefill + transfer) * 1e-6);
        // and the request is completed once, by the decode pool, after it was routed to the prefill pool
        Assert.Equal((1, 0, 0, 1), (result.Pools[0].Result.Arrived, result.Pools[0].Result.Completed, result.Pools[1].Result.Arrived - 1, result.Pools[1].Result.Completed));
        Assert.Equal([ReplicaRole.Prefill, ReplicaRole.Decode], result.Pools.Select(x => x.Role));
        Assert.NotNull(result.Pools[0].PrefillRate);
        Assert.Null(result.Pools[1].PrefillRate);
    }

    [Fact]
    public void EveryRequest_CompletesExactlyOnce_AcrossPools()
    {
        Gen.Select(Gen.Int[1, 3], Gen.Int[1, 3], Gen.Int[1, 3], Gen.Double[2, 30], Gen.Int[0, 5]).Sample((prefillA, prefillB, decode, rate, policy) =>
        {
            // Given two prefill pools (A100, H100) and two decode pools (H100, A100 TP2), any load and any router
            var pools = new[]
            {
                new FleetPool("1", On(Fixtures.A100_80), prefillA, Role: ReplicaRole.Prefill),
                new FleetPool("2", On(Fixtures.H100), decode, Role: ReplicaRole.Decode),
                new FleetPool("3", On(Fixtures.H100), prefillB, Role: ReplicaRole.Prefill),
                new FleetPool("4", On(Fixtures.A100_80, 2), 1, Role: ReplicaRole.Decode),
            };
            var stream = Mixed(rate, 300, seed: (long)(rate * 1000));

            // When the stream runs through them
            var result = ServingSimulator.RunFleet(pools, stream, Priced((RouterPolicy)policy), cancellation: TestContext.Current.CancellationToken);

            // Then each arrival went to one prefill pool, each handover to one decode pool, and each request completed once
            var f = result.Fleet;
            var (prefills, decodes) = (new[] { result.Pools[0], result.Pools[2] }, new[] { result.Pools[1], result.Pools[3] });
            Assert.Equal(300, f.Arrived);
            Assert.Equal(f.Arrived, prefills.Sum(p => p.Result.Arrived));
            Assert.Equal(f.Arrived, f.Completed + f.Rejected);
            Assert.Equal(f.Completed, result.Pools.Sum(p => p.Result.Completed));
            Assert.Equal(f.Rejected, prefills.Sum(p => p.Result.Rejected));
            Assert.Equal(0, decodes.Sum(p => p.Result.Rejected));
            var oneToken = prefills.Sum(p => p.Result.Completed); // a one-token answer ends on its prefill replica
            Assert.Equal(f.Completed - oneToken, decodes.Sum(p => p.Result.Arrived));
            Assert.Equal(decodes.Sum(p => p.Result.Arrived), decodes.Sum(p => p.Result.Completed));
            Assert.Equal(f.Completed - oneToken, f.Completed - oneToken == 0 ? 0 : result.Handoff!.Count);
            Assert.Equal(f.OutputTokens.Value, result.Pools.Sum(p => p.Result.OutputTokens.Value), 6);
            Assert.Equal(f.Steps, result.Pools.Sum(p => p.Result.Steps));
            Assert.Equal(1, prefills.Sum(p => p.RoutedShare), 12);
        }, iter: 10, threads: 1);
    }

    [Fact]
    public void FasterDecodePool_TakesMoreHandovers()
    {
        // Given one prefill pool and two decode pools of two replicas each, H100 and A100 80GB
        var pools = new[]
        {
            new FleetPool("prefill", On(Fixtures.H100), 2, Role: ReplicaRole.Prefill),
            new FleetPool("a100", On(Fixtures.A100_80), 2, Role: ReplicaRole.Decode),
            new FleetPool("h100", On(Fixtures.H100), 2, Role: ReplicaRole.Decode),
        };

        // When a loaded stream runs with least-tokens
        var result = ServingSimulator.RunFleet(pools, Mixed(30, 3000), Priced(RouterPolicy.LeastTokens), cancellation: TestContext.Current.CancellationToken);

        // Then the H100 decode pool decodes faster by the model and is handed more of the prompts
        var (slow, fast) = (result.Pools[1], result.Pools[2]);
        Assert.True(fast.DecodeRate.Value > slow.DecodeRate.Value);
        Assert.True(fast.RoutedShare > slow.RoutedShare + 0.02, $"H100 {fast.RoutedShare:P1} vs A100 {slow.RoutedShare:P1}");
        Assert.Equal(result.Fleet.Completed - result.Pools[0].Result.Completed, slow.Result.Completed + fast.Result.Completed);
    }

    [Theory]
    [InlineData(ReplicaRole.Combined, ReplicaRole.Decode, "pool 1 is combined beside pools with roles")]
    [InlineData(ReplicaRole.Prefill, ReplicaRole.Prefill, "a fleet with roles needs at least one decode pool too")]
    [InlineData(ReplicaRole.Decode, ReplicaRole.Decode, "a fleet with roles needs at least one prefill pool too")]
    public void Roles_MustComeAsPrefillAndDecode_NoneCombined(ReplicaRole first, ReplicaRole second, string message)
    {
        var pools = new[] { new FleetPool("1", On(Fixtures.H100), 1, Role: first), new FleetPool("2", On(Fixtures.H100), 1, Role: second) };
        var e = Assert.Throws<InvalidInputException>(() => ServingSimulator.RunFleet(pools, Mixed(5, 10), Priced(), cancellation: TestContext.Current.CancellationToken));
        Assert.Equal("pool", e.Field);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Roles_WithFailures_AreRefusedNamingPool()
    {
        var pools = new[] { new FleetPool("1", On(Fixtures.H100), 1, Role: ReplicaRole.Prefill), new FleetPool("2", On(Fixtures.H100), 1, Role: ReplicaRole.Decode) };
        var e = Assert.Throws<InvalidInputException>(() => ServingSimulator.RunFleet(pools, Mixed(5, 10), Priced() with { Failures = new FailureSpec(3600, 60, 1) }, cancellation: TestContext.Current.CancellationToken));
        Assert.Equal("pool", e.Field);
    }
}
