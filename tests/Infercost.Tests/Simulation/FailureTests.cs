using Infercost.Requests;
using Infercost.Serialization;
using Infercost.Simulation;
using Xunit;

namespace Infercost.Tests.Simulation;

public sealed class FailureTests
{
    private static readonly SimulationOptions Options = SimulationFixtures.Options();

    private static SimulationResult Run(int replicas, double rate, long count, FailureSpec? failures, RouterPolicy router = RouterPolicy.LeastRequests) =>
        ServingSimulator.Run(SimulationFixtures.Llama8BOnH100, replicas, SimulationFixtures.Poisson(rate, 1000, 200, count),
            Options with { Failures = failures, Router = router }, cancellation: TestContext.Current.CancellationToken);

    [Fact]
    public void NoFailureWithinTheRun_IsTheRunWithoutFailures()
    {
        // Given a mean time between failures far beyond the run
        var plain = Run(3, 15, 3000, null);
        var never = Run(3, 15, 3000, new FailureSpec(1e9, 60));

        // Then nothing failed and the run is the plain one: the same steps, requests, wall time and latency percentiles
        // (sums taken in another order, the busy time and the series, agree to the last bits)
        Assert.Equal(0, never.Failures!.Failures);
        Assert.Equal(plain.Steps, never.Steps);
        Assert.Equal(plain.Completed, never.Completed);
        Assert.Equal(plain.Preemptions, never.Preemptions);
        Assert.Equal(plain.WallTime, never.WallTime);
        Assert.Equal(InfercostJson.Serialize(Percentiles(plain)), InfercostJson.Serialize(Percentiles(never)));
        Assert.Equal(plain.BusyFraction, never.BusyFraction, 12);
    }

    private static Quantities.Seconds[][] Percentiles(SimulationResult r) => new[] { r.TimeToFirstToken, r.TimePerOutputToken, r.EndToEnd }
        .Select(l => new[] { l.P50, l.P90, l.P99, l.Max }).ToArray();

    [Theory]
    [InlineData(RouterPolicy.LeastRequests)]
    [InlineData(RouterPolicy.RoundRobin)]
    [InlineData(RouterPolicy.PowerOfTwo)]
    public void Failures_EveryRequestCompletesOnce_WithAllItsTokens_AndTheLostWorkIsRecomputed(RouterPolicy router)
    {
        // Given four replicas that fail every 5 minutes on average and take a minute to come back
        var plain = Run(4, 25, 8000, null, router);
        var failing = Run(4, 25, 8000, new FailureSpec(300, 60, Seed: 3), router);

        // Then every request finished once with all its output, the interrupted ones recomputed their prompts,
        // and the tail got worse
        var f = failing.Failures!;
        Assert.True(f.Failures > 0 && f.InterruptedRequests > 0, $"{f.Failures} failures, {f.InterruptedRequests} interrupted");
        Assert.Equal(failing.Arrived, failing.Completed);
        Assert.Equal(8000 * 200.0, failing.OutputTokens.Value);
        Assert.True(failing.PrefillTokensComputed.Value > plain.PrefillTokensComputed.Value);
        Assert.True(failing.EndToEnd.P99 > plain.EndToEnd.P99);
        Assert.True(f.DownReplicaSeconds > 0 && f.DownReplicaSeconds <= f.Failures * 60 + 1e-6);
    }

    [Fact]
    public void OnlyReplicaDown_ArrivalsWaitForItsRecovery()
    {
        // Given one replica that fails about every 2 minutes and stays down 30 s
        var r = Run(1, 2, 600, new FailureSpec(120, 30, Seed: 5));

        // Then the fleet was down as long as the replica, requests waited through it, and all completed
        var f = r.Failures!;
        Assert.True(f.Failures > 0);
        Assert.Equal(f.DownReplicaSeconds, f.FleetDownSeconds, 6);
        Assert.True(r.TimeToFirstToken.Max.Value > 15, $"longest TTFT {r.TimeToFirstToken.Max}");
        Assert.Equal(r.Arrived, r.Completed);
    }

    [Fact]
    public void Failures_AreDeterministic_ForASeed()
    {
        var a = Run(3, 20, 3000, new FailureSpec(200, 40, Seed: 7));
        var b = Run(3, 20, 3000, new FailureSpec(200, 40, Seed: 7));
        var c = Run(3, 20, 3000, new FailureSpec(200, 40, Seed: 8));

        Assert.Equal(InfercostJson.Serialize(a), InfercostJson.Serialize(b));
        Assert.NotEqual(InfercostJson.Serialize(a), InfercostJson.Serialize(c));
    }

    [Theory]
    [InlineData(null, "1m", "repairTime")]
    [InlineData("0s", null, "mtbf")]
    [InlineData("1h", "-1s", "repairTime")]
    public void Request_BadFailureFields_NameTheField(string? mtbf, string? repair, string field)
    {
        var request = new SimulateRequest { Model = "llama-3.1-8b", Gpu = "nvidia-h100-sxm", Gpus = 2, Rate = 5, Mtbf = mtbf, RepairTime = repair };

        var e = Assert.Throws<InvalidInputException>(request.Validate);

        Assert.Equal(field, e.Field);
    }
}
