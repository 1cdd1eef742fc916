using Infercost.Serialization;
using Infercost.Simulation;
using Xunit;

namespace Infercost.Tests.Simulation;

public sealed class AutoscaleTests
{
    private static readonly SimulationOptions Options = SimulationFixtures.Options();

    private static SimulationResult Run(int replicas, IEnumerable<SimRequest> requests, AutoscaleSpec? autoscale) =>
        ServingSimulator.Run(SimulationFixtures.Llama8BOnH100, replicas, requests, Options with { Autoscale = autoscale },
            cancellation: TestContext.Current.CancellationToken);

    // Poisson arrivals at `low` req/s for `lowSeconds`, then `high` req/s for `highSeconds`: 1,000 prompt, 200 output tokens.
    private static IEnumerable<SimRequest> Step(double low, double lowSeconds, double high, double highSeconds, long seed = 5)
    {
        var random = new Pcg32(seed);
        var t = 0.0;
        long id = 0;
        while (true)
        {
            t += random.NextExponential() / (t < lowSeconds ? low : high);
            if (t > lowSeconds + highSeconds) yield break;
            yield return new SimRequest(id++, t, 1000, 0, 200);
        }
    }

    [Fact]
    public void MinimumIsTheFleet_IsTheRunWithoutAutoscaling()
    {
        // Given an autoscaler that may never go below the fleet's size
        var plain = Run(3, SimulationFixtures.Poisson(15, 1000, 200, 3000), null);
        var pinned = Run(3, SimulationFixtures.Poisson(15, 1000, 200, 3000), new AutoscaleSpec(3, 8, 60));

        // Then it never scales, and the run is the plain one, paid the same
        Assert.Equal(0, pinned.Autoscale!.ScaleUps + pinned.Autoscale.ScaleDowns);
        Assert.Equal(plain.Steps, pinned.Steps);
        Assert.Equal(plain.WallTime, pinned.WallTime);
        Assert.Equal(InfercostJson.Serialize(new[] { plain.TimeToFirstToken, plain.EndToEnd }), InfercostJson.Serialize(new[] { pinned.TimeToFirstToken, pinned.EndToEnd }));
        Assert.Equal(plain.Cost!.Value.Value, pinned.Cost!.Value.Value, 9);
        Assert.Equal(3 * plain.WallTime.Value, pinned.Autoscale.ProvisionedReplicaSeconds, 6);
    }

    [Fact]
    public void LoadStep_ScalesUpAfterTheColdStart_AndPaysOnlyForWhatWasProvisioned()
    {
        // Given 8 replicas that may scale down to 1, a 90 s cold start, and load that jumps from 2 to 40 req/s after 10 minutes
        var requests = Step(2, 600, 40, 900).ToList();
        var plain = Run(8, requests, null);
        var scaled = Run(8, requests, new AutoscaleSpec(1, 32, 90));

        // Then it scaled up, every request completed once, it paid for fewer replica-seconds than the whole fleet
        // (cold starts included), and the tail paid for the wait: requests queued while replicas started
        var a = scaled.Autoscale!;
        Assert.True(a.ScaleUps > 0 && a.PeakReplicas > 1, $"{a.ScaleUps} ups, peak {a.PeakReplicas}");
        Assert.Equal(requests.Count, scaled.Completed);
        Assert.Equal(requests.Count * 200.0, scaled.OutputTokens.Value);
        Assert.True(a.ProvisionedReplicaSeconds < a.FleetReplicaSeconds, $"{a.ProvisionedReplicaSeconds} of {a.FleetReplicaSeconds}");
        Assert.True(a.ColdStartReplicaSeconds <= a.ScaleUps * 90 + 1e-6 && a.ColdStartReplicaSeconds > 0);
        Assert.True(scaled.Cost!.Value.Value < plain.Cost!.Value.Value);
        Assert.Equal(scaled.ClusterPerHour!.Value.Value / 8 * a.ProvisionedReplicaSeconds / 3600, scaled.Cost.Value.Value, 9);
        Assert.True(scaled.TimeToFirstToken.P99 > plain.TimeToFirstToken.P99);
        Assert.InRange(a.MeanReplicas, 1, a.PeakReplicas);
    }

    [Fact]
    public void ScaleToZero_FirstRequestWaitsForAColdStart()
    {
        // Given a fleet that starts at zero replicas, a 45 s cold start, and three requests a minute apart at first
        SimRequest[] requests = [new(0, 1, 500, 0, 50), new(1, 61, 500, 0, 50), new(2, 121, 500, 0, 50)];
        var run = Run(2, requests, new AutoscaleSpec(0, 4, 45, IntervalSeconds: 30, ScaleDownDelaySeconds: 600));

        // Then the first request waited for the replica the activator asked for on its arrival; the later ones found it up
        Assert.Equal(3, run.Completed);
        Assert.True(run.TimeToFirstToken.Max.Value >= 45, $"max TTFT {run.TimeToFirstToken.Max}");
        Assert.True(run.TimeToFirstToken.P50.Value < 1, $"P50 TTFT {run.TimeToFirstToken.P50}");
        Assert.Equal(1, run.Autoscale!.ScaleUps);
        Assert.Equal(45, run.Autoscale.ColdStartReplicaSeconds, 9);
    }

    [Fact]
    public void LoadFalls_ReplicasDrainAndAreReleased()
    {
        // Given load that falls from 40 to 1 req/s, 6 replicas all up at first and a 2-minute scale-down delay
        var requests = Step(40, 600, 1, 1800).ToList();
        var run = Run(6, requests, new AutoscaleSpec(1, 32, 60, ScaleDownDelaySeconds: 120));

        // Then replicas were scaled down and paid for less than the whole fleet, with nothing lost
        Assert.True(run.Autoscale!.ScaleDowns > 0);
        Assert.Equal(requests.Count, run.Completed);
        Assert.True(run.Autoscale.ProvisionedReplicaSeconds < run.Autoscale.FleetReplicaSeconds);
    }

    [Fact]
    public void MinimumAboveTheFleet_NamesTheField()
    {
        var e = Assert.Throws<InvalidInputException>(() => Run(2, SimulationFixtures.Poisson(1, 100, 10, 10), new AutoscaleSpec(3, 8, 60)));
        Assert.Equal("autoscaleMin", e.Field);
        Assert.Contains("[0, 2]", e.Message, StringComparison.Ordinal);
    }
}
