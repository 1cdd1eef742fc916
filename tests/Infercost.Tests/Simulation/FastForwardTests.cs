using Infercost.Serialization;
using Infercost.Serving;
using Infercost.Simulation;
using Infercost.Simulation.Traces;
using Infercost.Tests.Simulation.Traces;
using Xunit;

namespace Infercost.Tests.Simulation;

// The decode fast-forward (Replica.FastForwardDecodes) runs runs of pure-decode steps from running totals. It must give
// the run that stepping one step at a time gives, bit for bit: every metric, percentile, series point and cost. Each
// case below runs both ways and compares the whole serialized result.
public sealed class FastForwardTests
{
    private static readonly SimulationOptions Options = SimulationFixtures.Options();

    private static void SameBothWays(Func<SimulationOptions, object> run)
    {
        var stepped = InfercostJson.Serialize(run(Options with { StepByStep = true }));
        var forwarded = InfercostJson.Serialize(run(Options));
        Assert.Equal(stepped, forwarded);
    }

    private static RequestGenerator Mixed(double rate, long count, long seed) =>
        SimulationFixtures.Poisson(rate, 800, 200, count, seed) with
        {
            Input = new LognormalLength(600, 1.0, 8000),
            Output = new LognormalLength(150, 0.8, 2000),
        };

    [Theory]
    [InlineData(2.0, 1)]
    [InlineData(8.0, 2)]
    [InlineData(40.0, 4)]
    public void OpenLoop_PoissonMixedLengths_IdenticalResult(double rate, int replicas) =>
        SameBothWays(o => ServingSimulator.Run(SimulationFixtures.Llama8BOnH100, replicas, Mixed(rate, 1500, 42), o,
            cancellation: TestContext.Current.CancellationToken));

    [Fact]
    public void OpenLoop_Sessions_IdenticalResult() =>
        SameBothWays(o => ServingSimulator.Run(SimulationFixtures.Llama8BOnH100, 2,
            Mixed(8, 1500, 7) with { Sessions = new SessionSpec(3, 20, 0.7) }, o, cancellation: TestContext.Current.CancellationToken));

    [Fact]
    public void ClosedLoop_KvExhaustedWithPreemptions_IdenticalResult()
    {
        var tight = SimulationFixtures.Setup(reserve: 0.79);
        SameBothWays(o =>
        {
            var r = ServingSimulator.RunClosedLoop(tight, 32, new FixedLength(300), new FixedLength(300), 400, 3, o,
                cancellation: TestContext.Current.CancellationToken);
            Assert.True(r.Preemptions > 0, "the case must exercise preemption");
            return r;
        });
    }

    [Fact]
    public void Failures_IdenticalResult() =>
        SameBothWays(o => ServingSimulator.Run(SimulationFixtures.Llama8BOnH100, 4, Mixed(25, 3000, 9),
            o with { Failures = new FailureSpec(300, 60, Seed: 3) }, cancellation: TestContext.Current.CancellationToken));

    [Fact]
    public void Autoscaling_IdenticalResult() =>
        SameBothWays(o => ServingSimulator.Run(SimulationFixtures.Llama8BOnH100, 4, Mixed(12, 3000, 11),
            o with { Autoscale = new AutoscaleSpec(1, 8, 90) }, cancellation: TestContext.Current.CancellationToken));

    [Fact]
    public void Disaggregated_IdenticalResult() =>
        SameBothWays(o => ServingSimulator.RunDisaggregated(
            new DisaggregatedFleet(SimulationFixtures.Llama8BOnH100, 1, SimulationFixtures.Llama8BOnH100, 2), Mixed(6, 1200, 5), o));

    [Fact]
    public void MooncakeTraceWithPrefixCache_IdenticalResult()
    {
        var records = TraceFiles.Load(TraceFiles.Mooncake).Take(3000).ToList();
        SameBothWays(o => ServingSimulator.Run(SimulationFixtures.Llama8BOnH100, 4, TraceReplay.Whole.Requests(records),
            o with { PrefixCache = PrefixCacheSpec.OfKvPool }, cancellation: TestContext.Current.CancellationToken));
    }

    // A large fleet at the single-replica load: an arrival every few hundred microseconds against steps of
    // milliseconds, so each fast-forward call runs about one step (the scan kept between calls) and each admission step
    // decodes the batch as one group (Replica.DecodesAsGroup). Block sizes: 16 (residues by mask, held in the replica),
    // 12 (not a power of two: by remainder), 32 (residues on the heap).
    [Theory]
    [InlineData(16)]
    [InlineData(12)]
    [InlineData(32)]
    public void OpenLoop_ManyReplicasOneStepPerArrival_IdenticalResult(int blockTokens) =>
        SameBothWays(o => ServingSimulator.Run(SimulationFixtures.Llama8BOnH100, 48, Mixed(1000, 4000, 13),
            o with { Scheduler = o.Scheduler with { BlockTokens = blockTokens } }, cancellation: TestContext.Current.CancellationToken));

    [Fact]
    public void FleetOfTwoPools_IdenticalResult()
    {
        // Each replica also writes its pool's counts (the grouped steps' tokens included); unpriced (the fixture A100
        // has no rental price).
        ServingSetup On(Hardware.Accelerator accelerator) => new(Fixtures.Llama8B, accelerator, Parallelism.Single, new ServingConfig { TotalDevices = 1 });
        FleetPool[] pools = [new FleetPool("1", On(Fixtures.A100_80), 16), new FleetPool("2", On(Fixtures.H100), 16)];
        SameBothWays(o => ServingSimulator.RunFleet(pools, Mixed(600, 3000, 21), o with { Router = RouterPolicy.LeastTokens, Basis = null },
            cancellation: TestContext.Current.CancellationToken));
    }

    [Fact]
    public void AdmissionIntoADecodingBatch_RunsAsOneGroup_SameCountsAsStepByStep()
    {
        // Given two replicas, one stepping one step at a time, each decoding eight long outputs while requests keep
        // arriving (each is admitted into the decoding batch)
        (MetricsCollector, Replica) Build(bool stepByStep)
        {
            var metrics = new MetricsCollector(Slo.Default, new TimeSeries(240, 1, 1.0));
            return (metrics, new Replica(SimulationFixtures.Llama8BOnH100, SchedulerConfig.Default, 10_000, metrics, stepByStep: stepByStep));
        }

        var (grouped, fast) = Build(false);
        var (stepped, slow) = Build(true);
        foreach (var replica in new[] { fast, slow })
        {
            for (var i = 0; i < 8; i++) replica.Enqueue(new SimRequest(i, 0, 500, 0, 1000));
            for (var i = 8; i < 40; i++)
            {
                var at = 0.05 * i;
                replica.AdvanceTo(at);
                replica.Enqueue(new SimRequest(i, at, 300 + i, 0, 200 + 7 * i));
            }

            // When they drain
            replica.Drain();
        }

        // Then admissions ran as grouped steps, and every count and latency is the step-by-step one, bit for bit
        Assert.True(grouped.GroupedSteps >= 20, $"{grouped.GroupedSteps} grouped steps");
        Assert.Equal(0, stepped.GroupedSteps);
        Assert.Equal(40, grouped.Completed);
        Assert.Equal((stepped.Steps, stepped.BusyTime, stepped.OutputTokens, stepped.Preemptions), (grouped.Steps, grouped.BusyTime, grouped.OutputTokens, grouped.Preemptions));
        Assert.Equal(slow.Clock, fast.Clock);
        foreach (var (a, b) in new[] { (stepped.Ttft, grouped.Ttft), (stepped.Tpot, grouped.Tpot), (stepped.EndToEnd, grouped.EndToEnd) })
        {
            Assert.Equal((a.Count, a.Sum, a.Min, a.Max, a.Quantile(0.99)), (b.Count, b.Sum, b.Min, b.Max, b.Quantile(0.99)));
        }
    }

    [Fact]
    public void SteadyDecode_IsFastForwarded()
    {
        // Given one replica decoding eight long outputs with nothing else to do
        var metrics = new MetricsCollector(Slo.Default, new TimeSeries(240, 1, 1.0));
        var replica = new Replica(SimulationFixtures.Llama8BOnH100, SchedulerConfig.Default, 10_000, metrics);
        for (var i = 0; i < 8; i++) replica.Enqueue(new SimRequest(i, 0, 500, 0, 1000));

        // When it drains
        replica.Drain();

        // Then nearly every step was taken in bulk, and the counts are those of one token per decode
        Assert.True(metrics.FastForwardedSteps > 0.9 * metrics.Steps, $"{metrics.FastForwardedSteps} of {metrics.Steps} steps fast-forwarded");
        Assert.Equal(8 * 1000.0, metrics.OutputTokens);
        Assert.Equal(8, metrics.Completed);
    }
}
