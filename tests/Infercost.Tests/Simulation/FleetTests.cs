using CsCheck;
using Infercost.Costing;
using Infercost.Serialization;
using Infercost.Serving;
using Infercost.Simulation;
using Xunit;

namespace Infercost.Tests.Simulation;

// Heterogeneous pools behind one router (ServingSimulator.RunFleet): a fleet of one kind split into pools is the run
// of one kind, bit for bit; a faster pool takes more of the traffic; every request ends in exactly one pool.
public sealed class FleetTests
{
    private static ServingSetup On(Hardware.Accelerator accelerator) =>
        new(Fixtures.Llama8B, accelerator, Parallelism.Single, new ServingConfig { TotalDevices = 1 });

    // The fixture A100 has no catalog rental price: the runs price every device at $2/GPU-h.
    private static SimulationOptions Priced(RouterPolicy router) =>
        SimulationFixtures.Options() with { Basis = new RentalCost(Quantities.DollarsPerHour.FromDollarsPerHour(2)), Router = router };

    private static RequestGenerator Mixed(double rate, long count, long seed = 3) =>
        SimulationFixtures.Poisson(rate, 0, 0, count, seed) with
        {
            Input = new LognormalLength(800, 1.0, 16_000),
            Output = new LognormalLength(200, 0.9, 4000),
        };

    [Theory]
    [InlineData(RouterPolicy.LeastRequests)]
    [InlineData(RouterPolicy.LeastTokens)]
    [InlineData(RouterPolicy.RoundRobin)]
    [InlineData(RouterPolicy.PowerOfTwo)]
    [InlineData(RouterPolicy.Session)]
    public void EqualPools_AreTheRunOfOneKind_ByteForByte(RouterPolicy router)
    {
        // Given one setup, and a stream heavy enough to queue on five replicas (sessions for the affinity router)
        var setup = SimulationFixtures.Llama8BOnH100;
        var options = SimulationFixtures.Options() with { Router = router };
        var stream = Mixed(120, 3000) with { Sessions = router == RouterPolicy.Session ? new SessionSpec(3, 5, 0.8) : null };

        // When five replicas run as one pool, and as pools of 2 and 3 of the same setup
        var single = ServingSimulator.Run(setup, 5, stream, options, cancellation: TestContext.Current.CancellationToken);
        var fleet = ServingSimulator.RunFleet([new FleetPool("1", setup, 2), new FleetPool("2", setup, 3)], stream, options,
            cancellation: TestContext.Current.CancellationToken);

        // Then the fleet's document is the run's, byte for byte, and the pools split its counts
        Assert.True(single.QueueWait.Max.Value > 0.05, "the stream should queue");
        Assert.Equal(InfercostJson.Serialize(single), InfercostJson.Serialize(fleet.Fleet));
        Assert.Equal(single.Completed, fleet.Pools.Sum(p => p.Result.Completed));
    }

    [Fact]
    public void LeastTokens_FasterPool_TakesTheLargerShare()
    {
        // Given as many H100 replicas as A100 80GB replicas, the H100 with more bandwidth and compute
        var h100 = On(Fixtures.H100);
        var a100 = On(Fixtures.A100_80);
        var options = Priced(RouterPolicy.LeastTokens);
        var pools = new[] { new FleetPool("a100", a100, 3), new FleetPool("h100", h100, 3) };

        // When a loaded stream runs through the fleet
        var result = ServingSimulator.RunFleet(pools, Mixed(30, 4000), options, cancellation: TestContext.Current.CancellationToken);

        // Then the H100 pool decodes faster by the model, and takes more of the traffic than the A100 pool
        var (slow, fast) = (result.Pools[0], result.Pools[1]);
        Assert.True(fast.DecodeRate.Value > slow.DecodeRate.Value, $"H100 {fast.DecodeRate} vs A100 {slow.DecodeRate}");
        Assert.True(fast.RoutedShare > slow.RoutedShare + 0.02, $"H100 {fast.RoutedShare:P1} vs A100 {slow.RoutedShare:P1}");
        Assert.True(fast.Result.OutputTokens.Value > slow.Result.OutputTokens.Value);
    }

    [Fact]
    public void Weights_SendLessWorkToTheSlowerReplica_ThanRawLoads()
    {
        // Given a fleet of one fast and one slow replica under least-tokens
        var options = Priced(RouterPolicy.LeastTokens);
        var pools = new[] { new FleetPool("a100", On(Fixtures.A100_80), 1), new FleetPool("h100", On(Fixtures.H100), 1) };
        var stream = Mixed(12, 3000);

        // When it runs with the decode-rate weights, and through a router that compares raw outstanding tokens
        var weighted = ServingSimulator.RunFleet(pools, stream, options, cancellation: TestContext.Current.CancellationToken);
        var unweighted = RawLoads(pools, stream, options);

        // Then weighting moves traffic from the A100 to the H100 (raw loads already favour the replica that drains faster)
        Assert.True(weighted.Pools[0].RoutedShare < unweighted, $"weighted A100 share {weighted.Pools[0].RoutedShare:P1} vs raw {unweighted:P1}");
    }

    // The A100's share of arrivals when the router compares raw outstanding tokens (the fleet without weights).
    private static double RawLoads(FleetPool[] pools, RequestGenerator stream, SimulationOptions options)
    {
        var metrics = new MetricsCollector(options.Slo, new TimeSeries(240, 2, 1));
        var replicas = pools.Select(p => new Replica(p.Setup, options.Scheduler, ServingSimulator.KvBlocksPerReplica(p.Setup, options.Scheduler), metrics)).ToArray();
        var router = new ReplicaPool(replicas, RouterPolicy.LeastTokens, options.RouterSeed);
        long toSlow = 0, all = 0;
        foreach (var r in stream)
        {
            router.AdvanceTo(r.ArrivalTime);
            var target = router.Pick(r);
            all++;
            if (target == 0) toSlow++;
            if (replicas[target].CanEverFit(r)) router.Enqueue(target, r);
        }

        router.Drain();
        return (double)toSlow / all;
    }

    [Fact]
    public void PoolWhoseModelDoesNotFit_IsRefused_NamingThePool()
    {
        // Given a pool of Llama 3.1 70B on single A100 40GB replicas (140 GB of weights on 40 GB)
        var fits = SimulationFixtures.Llama8BOnH100;
        var tooSmall = new ServingSetup(Fixtures.Llama70B, Fixtures.A100_40, Parallelism.Single, new ServingConfig { TotalDevices = 1 });

        // When the fleet is run
        var e = Assert.Throws<InvalidInputException>(() => ServingSimulator.RunFleet(
            [new FleetPool("1", fits, 1), new FleetPool("2", tooSmall, 2)], SimulationFixtures.Poisson(1, 100, 10, 10), SimulationFixtures.Options(),
            cancellation: TestContext.Current.CancellationToken));

        // Then it is refused under the field pool, naming pool 2 and its layout
        Assert.Equal("pool", e.Field);
        Assert.StartsWith("pool 2 (1 × nvidia-a100-sxm-40gb (TP1)):", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EachPool_IsPricedWithItsOwnGpu_AndTheFleetCostsTheirSum()
    {
        // Given an H100 pool at $4/GPU-h and an A100 pool at the run's $2/GPU-h
        var options = SimulationFixtures.Options() with { Basis = new RentalCost(Quantities.DollarsPerHour.FromDollarsPerHour(2)) };
        var pools = new[] { new FleetPool("1", On(Fixtures.A100_80), 2), new FleetPool("2", On(Fixtures.H100), 1, Basis: new RentalCost(Quantities.DollarsPerHour.FromDollarsPerHour(4))) };

        // When it runs
        var result = ServingSimulator.RunFleet(pools, Mixed(5, 500), options, cancellation: TestContext.Current.CancellationToken);

        // Then each pool's $/h is its devices at its price, and the fleet's is their sum
        Assert.Equal(4, result.Pools[0].Result.ClusterPerHour!.Value.Value, 9);
        Assert.Equal(4, result.Pools[1].Result.ClusterPerHour!.Value.Value, 9);
        Assert.Equal(8, result.Fleet.ClusterPerHour!.Value.Value, 9);
        Assert.Equal(3, result.Fleet.TotalDevices);
    }

    [Fact]
    public void EveryRequest_FinishesInExactlyOnePool()
    {
        Gen.Select(Gen.Int[1, 3], Gen.Int[1, 3], Gen.Double[2, 40], Gen.Int[0, 5]).Sample((slow, fast, rate, policy) =>
        {
            // Given any mix of A100 and H100 replicas, any load and any router
            var options = Priced((RouterPolicy)policy);
            var pools = new[] { new FleetPool("1", On(Fixtures.A100_80), slow), new FleetPool("2", On(Fixtures.H100), fast) };

            // When 400 requests run through the fleet
            var result = ServingSimulator.RunFleet(pools, Mixed(rate, 400), options, cancellation: TestContext.Current.CancellationToken);

            // Then each arrival is routed to one pool, and each pool completes or rejects what it was sent
            var f = result.Fleet;
            Assert.Equal(400, f.Arrived);
            Assert.Equal(f.Arrived, result.Pools.Sum(p => p.Result.Arrived));
            Assert.Equal(f.Completed, result.Pools.Sum(p => p.Result.Completed));
            Assert.Equal(f.Rejected, result.Pools.Sum(p => p.Result.Rejected));
            Assert.Equal(f.Arrived, f.Completed + f.Rejected);
            foreach (var p in result.Pools) Assert.Equal(p.Result.Arrived, p.Result.Completed + p.Result.Rejected);
            Assert.Equal(f.OutputTokens.Value, result.Pools.Sum(p => p.Result.OutputTokens.Value), 6);
            Assert.Equal(f.Steps, result.Pools.Sum(p => p.Result.Steps));
            Assert.Equal(1, result.Pools.Sum(p => p.RoutedShare), 12);
        }, iter: 12, threads: 1);
    }
}
