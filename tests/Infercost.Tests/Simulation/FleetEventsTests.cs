using CsCheck;
using Infercost.Costing;
using Infercost.Serialization;
using Infercost.Serving;
using Infercost.Simulation;
using Xunit;

namespace Infercost.Tests.Simulation;

// Heterogeneous pools with replica failures, autoscaling and a closed loop (ServingSimulator.RunFleet,
// RunFleetClosedLoop): each reduces to the run without pools where it should, every request ends exactly once (in the
// fleet and in the pool it was routed to), and each pool's figures add up to the fleet's.
public sealed class FleetEventsTests
{
    private static ServingSetup On(Hardware.Accelerator accelerator) =>
        new(Fixtures.Llama8B, accelerator, Parallelism.Single, new ServingConfig { TotalDevices = 1 });

    // The fixture A100 has no catalog rental price: the runs price every device at $2/GPU-h.
    private static SimulationOptions Priced(RouterPolicy router = RouterPolicy.LeastTokens) =>
        SimulationFixtures.Options() with { Basis = new RentalCost(Quantities.DollarsPerHour.FromDollarsPerHour(2)), Router = router };

    private static FleetPool[] Mixed(int a100, int h100) => [new FleetPool("1", On(Fixtures.A100_80), a100), new FleetPool("2", On(Fixtures.H100), h100)];

    private static RequestGenerator Stream(double rate, long count, long seed = 3) =>
        SimulationFixtures.Poisson(rate, 0, 0, count, seed) with
        {
            Input = new LognormalLength(800, 1.0, 16_000),
            Output = new LognormalLength(200, 0.9, 4000),
        };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    // Every arrival ends once, completed or rejected, in the fleet and in the pool that took it; the pools' counts,
    // tokens and steps sum to the fleet's.
    private static void AssertConserved(FleetResult result, long arrivals)
    {
        var f = result.Fleet;
        Assert.Equal(arrivals, f.Arrived);
        Assert.Equal(f.Arrived, f.Completed + f.Rejected);
        Assert.Equal(f.Arrived, result.Pools.Sum(p => p.Result.Arrived));
        Assert.Equal(f.Completed, result.Pools.Sum(p => p.Result.Completed));
        foreach (var p in result.Pools) Assert.Equal(p.Result.Arrived, p.Result.Completed + p.Result.Rejected);
        Assert.Equal(f.OutputTokens.Value, result.Pools.Sum(p => p.Result.OutputTokens.Value), 6);
        Assert.Equal(f.Steps, result.Pools.Sum(p => p.Result.Steps));
        Assert.Equal(1, result.Pools.Sum(p => p.RoutedShare), 12);
    }

    [Fact]
    public void Failures_FarBeyondTheRun_AreTheFleetWithoutFailures()
    {
        // Given an A100 pool and an H100 pool, and an MTBF of a thousand years
        var stream = Stream(20, 1500);
        var plain = ServingSimulator.RunFleet(Mixed(2, 2), stream, Priced(), cancellation: Token);
        var rare = ServingSimulator.RunFleet(Mixed(2, 2), stream, Priced() with { Failures = new FailureSpec(1e9, 300) }, cancellation: Token);

        // Then no replica fails, and the fleet and every pool run as without failures (the replicas drain in clock
        // order instead of one after the other, so sums of latencies may differ in their last bits)
        Assert.Equal(0, rare.Fleet.Failures!.Failures);
        AssertSameRun(plain.Fleet, rare.Fleet);
        for (var p = 0; p < 2; p++) AssertSameRun(plain.Pools[p].Result, rare.Pools[p].Result);
    }

    private static void AssertSameRun(SimulationResult expected, SimulationResult actual)
    {
        Assert.Equal((expected.Arrived, expected.Completed, expected.Rejected, expected.Steps, expected.Preemptions), (actual.Arrived, actual.Completed, actual.Rejected, actual.Steps, actual.Preemptions));
        Assert.Equal(expected.WallTime, actual.WallTime);
        foreach (var (a, b) in new[] { (expected.TimeToFirstToken, actual.TimeToFirstToken), (expected.TimePerOutputToken, actual.TimePerOutputToken), (expected.EndToEnd, actual.EndToEnd) })
        {
            Assert.Equal((a.Count, a.P50, a.P90, a.P99, a.Max), (b.Count, b.P50, b.P90, b.P99, b.Max));
            Assert.Equal(a.Mean.Value, b.Mean.Value, 1e-12);
        }

        Assert.Equal(expected.OutputTokens.Value, actual.OutputTokens.Value, 6);
        Assert.Equal(expected.Cost!.Value.Value, actual.Cost!.Value.Value, 9);
    }

    [Fact]
    public void Failures_HitEveryPool_AndInterruptedRequestsAreRecomputedInTheirOwnPool()
    {
        // Given two pools of two replicas each failing every minute on average, down for 20 s
        var options = Priced() with { Failures = new FailureSpec(60, 20, Seed: 7) };
        var plain = ServingSimulator.RunFleet(Mixed(2, 2), Stream(12, 3000), Priced(), cancellation: Token);

        // When 3,000 requests run
        var result = ServingSimulator.RunFleet(Mixed(2, 2), Stream(12, 3000), options, cancellation: Token);

        // Then both pools lost replicas, the pools' failure counts are the fleet's, every request completed once in the
        // pool it was routed to (so each pool delivered what it took) with all its tokens, and the recomputation cost prompt work
        var f = result.Fleet.Failures!;
        Assert.All(result.Pools, p => Assert.True(p.Result.Failures!.Failures > 0, $"pool {p.Name} never failed: {InfercostJson.Serialize(result.Pools.Select(q => q.Result.Failures))} over {result.Fleet.WallTime}"));
        Assert.Equal(f.Failures, result.Pools.Sum(p => p.Result.Failures!.Failures));
        Assert.Equal(f.Recoveries, result.Pools.Sum(p => p.Result.Failures!.Recoveries));
        Assert.Equal(f.InterruptedRequests, result.Pools.Sum(p => p.Result.Failures!.InterruptedRequests));
        Assert.Equal(f.DownReplicaSeconds, result.Pools.Sum(p => p.Result.Failures!.DownReplicaSeconds), 6);
        Assert.True(f.InterruptedRequests > 0);
        Assert.All(result.Pools, p => Assert.True(p.Result.Failures!.FleetDownSeconds >= f.FleetDownSeconds - 1e-9));
        AssertConserved(result, 3000);
        Assert.Equal(0, result.Fleet.Rejected);
        Assert.Equal(plain.Fleet.OutputTokens.Value, result.Fleet.OutputTokens.Value, 6);
        Assert.True(result.Fleet.PrefillTokensComputed.Value > plain.Fleet.PrefillTokensComputed.Value);
    }

    [Fact]
    public void Failures_EveryRequestEndsOnce_InAnyMixUnderAnyRouter()
    {
        Gen.Select(Gen.Int[1, 3], Gen.Int[1, 3], Gen.Double[4, 30], Gen.Int[0, 5], Gen.Double[60, 900]).Sample((slow, fast, rate, policy, mtbf) =>
        {
            // Given any mix, load and router, and replicas failing every one to fifteen minutes for 30 s
            var options = Priced((RouterPolicy)policy) with { Failures = new FailureSpec(mtbf, 30, Seed: slow + fast) };

            // When 400 requests run
            var result = ServingSimulator.RunFleet(Mixed(slow, fast), Stream(rate, 400), options, cancellation: Token);

            // Then every request ends once, in the pool it was routed to
            AssertConserved(result, 400);
        }, iter: 10, threads: 1);
    }

    [Fact]
    public void Autoscaling_MinimumIsTheFleet_IsTheFleetWithoutAutoscaling()
    {
        // Given an autoscaler that may never go below the fleet's five replicas
        var stream = Stream(20, 1500);
        var plain = ServingSimulator.RunFleet(Mixed(2, 3), stream, Priced(), cancellation: Token);
        var pinned = ServingSimulator.RunFleet(Mixed(2, 3), stream, Priced() with { Autoscale = new AutoscaleSpec(5, 8, 60) }, cancellation: Token);

        // Then it never scales, and every pool runs and pays as without autoscaling
        Assert.Equal(0, pinned.Fleet.Autoscale!.ScaleUps + pinned.Fleet.Autoscale.ScaleDowns);
        Assert.Equal(plain.Fleet.Steps, pinned.Fleet.Steps);
        Assert.Equal(plain.Fleet.Cost!.Value.Value, pinned.Fleet.Cost!.Value.Value, 9);
        for (var p = 0; p < 2; p++)
        {
            var (a, b) = (plain.Pools[p].Result, pinned.Pools[p].Result);
            // The same latencies, to 12 significant figures (the autoscaler's path adds the same times in another order,
            // which can move the last bit of a mean)
            Assert.Equal(To12Figures(InfercostJson.Serialize(new[] { a.TimeToFirstToken, a.EndToEnd })),
                To12Figures(InfercostJson.Serialize(new[] { b.TimeToFirstToken, b.EndToEnd })));
            Assert.Equal(a.Cost!.Value.Value, b.Cost!.Value.Value, 9);
            Assert.Equal(a.BusyFraction, b.BusyFraction, 12);
            Assert.Equal(pinned.Pools[p].Result.Replicas * pinned.Fleet.WallTime.Value, b.Autoscale!.ProvisionedReplicaSeconds, 6);
        }
    }

    private static string To12Figures(string json) => System.Text.RegularExpressions.Regex.Replace(json, @"-?\d+\.\d+(?:[eE][-+]?\d+)?",
        m => double.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture).ToString("G12", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Autoscaling_ScalesEveryPoolInProportion_AndPaysEachPoolForWhatItProvisioned()
    {
        // Given 2 A100 and 6 H100 replicas that may scale to zero, and a burst that needs the whole fleet, then quiet
        var options = Priced() with { Autoscale = new AutoscaleSpec(0, 4, 30, IntervalSeconds: 10, ScaleDownDelaySeconds: 60) };
        var burst = Stream(60, 4000).Select(r => r).ToList();
        var tail = new SimRequest(burst.Count, burst[^1].ArrivalTime + 1800, 500, 0, 50);

        // When it runs
        var result = ServingSimulator.RunFleet(Mixed(2, 6), [.. burst, tail], options, 600, cancellation: Token);

        // Then at peak every pool ran all its replicas (the same share, 100%), each pool was paid for less than the
        // whole run, the fleet's paid replica-seconds are the pools' sum, and so is its cost
        var (slow, fast) = (result.Pools[0].Result.Autoscale!, result.Pools[1].Result.Autoscale!);
        Assert.Equal(2, slow.PeakReplicas);
        Assert.Equal(6, fast.PeakReplicas);
        Assert.Equal(8, result.Fleet.Autoscale!.PeakReplicas);
        Assert.True(slow.ProvisionedReplicaSeconds < slow.FleetReplicaSeconds && fast.ProvisionedReplicaSeconds < fast.FleetReplicaSeconds);
        Assert.Equal(result.Fleet.Autoscale.ProvisionedReplicaSeconds, slow.ProvisionedReplicaSeconds + fast.ProvisionedReplicaSeconds, 6);
        Assert.Equal(result.Fleet.Cost!.Value.Value, result.Pools.Sum(p => p.Result.Cost!.Value.Value), 9);
        Assert.Equal(2.0 / 3600 * slow.ProvisionedReplicaSeconds, result.Pools[0].Result.Cost!.Value.Value, 9); // $2/GPU-h, 1 GPU a replica
        AssertConserved(result, burst.Count + 1);
        Assert.Equal(0, result.Fleet.Rejected);
    }

    [Fact]
    public void Autoscaling_EveryRequestEndsOnce_InAnyMix()
    {
        Gen.Select(Gen.Int[1, 3], Gen.Int[1, 4], Gen.Double[2, 40], Gen.Int[0, 3]).Sample((slow, fast, rate, least) =>
        {
            // Given any mix and load, and an autoscaler from `least` replicas (zero: scale to zero, the activator on)
            var min = Math.Min(least, slow + fast);
            var options = Priced() with { Autoscale = new AutoscaleSpec(min, 4, 20, IntervalSeconds: 5, ScaleDownDelaySeconds: 30) };

            // When 400 requests run
            var result = ServingSimulator.RunFleet(Mixed(slow, fast), Stream(rate, 400), options, cancellation: Token);

            // Then every request ends once, in the pool it was routed to, and no pool ran more than its replicas
            AssertConserved(result, 400);
            Assert.All(result.Pools, p => Assert.InRange(p.Result.Autoscale!.PeakReplicas, 0, p.Result.Replicas));
        }, iter: 10, threads: 1);
    }

    [Fact]
    public void ClosedLoop_OnePoolOfOneReplica_IsRunClosedLoop_ByteForByte()
    {
        // Given 48 users on one H100 replica
        var options = Priced() with { RouterSeed = 11 };
        var input = new LognormalLength(800, 1.0, 16_000);
        var output = new LognormalLength(200, 0.9, 4000);

        // When they run as RunClosedLoop does, and as a fleet of one pool of one replica
        var single = ServingSimulator.RunClosedLoop(On(Fixtures.H100), 48, input, output, 1500, 11, options, cancellation: Token);
        var fleet = ServingSimulator.RunFleetClosedLoop([new FleetPool("1", On(Fixtures.H100), 1)], 48, input, output, 1500, 11, options, cancellation: Token);

        // Then the documents are the same
        Assert.Equal(InfercostJson.Serialize(single), InfercostJson.Serialize(fleet.Fleet));
    }

    [Fact]
    public void ClosedLoop_UsersSpreadOverThePools_AndEveryRequestEndsOnce()
    {
        Gen.Select(Gen.Int[1, 3], Gen.Int[1, 3], Gen.Int[1, 200], Gen.Int[0, 5]).Sample((slow, fast, users, policy) =>
        {
            // Given any mix, any number of users and any router
            var options = Priced((RouterPolicy)policy);

            // When they send 500 requests in all
            var result = ServingSimulator.RunFleetClosedLoop(Mixed(slow, fast), users, new LognormalLength(800, 1.0, 16_000), new LognormalLength(200, 0.9, 4000),
                500, 5, options, cancellation: Token);

            // Then 500 were sent, each ended once in the pool it was routed to
            AssertConserved(result, 500);
        }, iter: 10, threads: 1);
    }

    [Fact]
    public void ClosedLoop_FasterPool_TakesTheLargerShare()
    {
        // Given 3 A100 and 3 H100 replicas under least-tokens, and 96 users
        var result = ServingSimulator.RunFleetClosedLoop(Mixed(3, 3), 96, new FixedLength(800), new FixedLength(200), 3000, 5, Priced(), cancellation: Token);

        // Then the H100 pool took more of the requests and delivered more tokens
        Assert.True(result.Pools[1].RoutedShare > result.Pools[0].RoutedShare + 0.02, $"H100 {result.Pools[1].RoutedShare:P1} vs A100 {result.Pools[0].RoutedShare:P1}");
        Assert.True(result.Pools[1].Result.OutputTokens.Value > result.Pools[0].Result.OutputTokens.Value);
        AssertConserved(result, 3000);
    }
}
