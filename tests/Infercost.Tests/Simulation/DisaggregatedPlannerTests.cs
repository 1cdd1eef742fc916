using Infercost.Costing;
using Infercost.Quantities;
using Infercost.Serving;
using Infercost.Simulation;
using Xunit;

namespace Infercost.Tests.Simulation;

public sealed class DisaggregatedPlannerTests
{
    // Llama 3.1 8B on one-H100 replicas, 2000-token prompts and 400-token answers at 40 req/s, TPOT ≤ 20 ms: more
    // than one replica in each pool (1000-token prompts need one prefill replica since prefill attention is costed by
    // the kernel model's FlashAttention-3 curve).
    private static readonly PlanInputs Inputs = new(
        Fixtures.Llama8B, Fixtures.H100, new ServingConfig { TotalDevices = 1 }, SchedulerConfig.Default,
        new FixedLength(2000), new FixedLength(400), 40, new Slo(Seconds.FromSeconds(2), Seconds.FromMilliseconds(20)), new RentalCost(),
        TrialSeconds: 30, MaxDevicesPerReplica: 1);

    private static readonly Lazy<DisaggregatedPlan> Plan = new(() => DisaggregatedPlanner.Plan(Inputs, 1, 1, cancellation: TestContext.Current.CancellationToken));

    private static DisaggregatedResult Simulate(int prefill, int decode)
    {
        var setup = new ServingSetup(Inputs.Model, Inputs.Accelerator, Parallelism.Single, Inputs.Config);
        return ServingSimulator.RunDisaggregated(new DisaggregatedFleet(setup, prefill, setup, decode),
            CapacityPlanner.TrialStream(Inputs, Inputs.PeakRate), new SimulationOptions(Inputs.Scheduler, Inputs.Slo, Inputs.Basis));
    }

    [Fact]
    public void Plan_Answer_MeetsTheSloAtThePeak()
    {
        var plan = Plan.Value;

        Assert.True(plan.PrefillReplicas >= 2 && plan.DecodeReplicas >= 2, $"got {plan.PrefillReplicas} + {plan.DecodeReplicas}");
        Assert.Equal(plan.PrefillReplicas + plan.DecodeReplicas, plan.Devices);
        Assert.True(plan.AtPeak.Fleet.MeetsSloAtP90);
        Assert.Equal(plan.Devices * 24 * 2.0, plan.FixedFleet.Cost.Value, 6);
    }

    [Fact]
    public void Plan_Answer_IsMinimalInEachPool_OneFewerMissesBySimulation()
    {
        // Given the planner's pools
        var plan = Plan.Value;

        // When the same peak stream is simulated here on the pair, and with one replica fewer in each pool
        var pair = Simulate(plan.PrefillReplicas, plan.DecodeReplicas);
        var fewerDecode = Simulate(plan.PrefillReplicas, plan.DecodeReplicas - 1);

        // Then the pair meets the SLO and each one-fewer fleet misses it, as the plan's own records say
        Assert.True(pair.Fleet.MeetsSloAtP90);
        Assert.Equal(plan.AtPeak.Fleet.TimeToFirstToken.P90, pair.Fleet.TimeToFirstToken.P90);
        Assert.False(fewerDecode.Fleet.MeetsSloAtP90);
        Assert.NotNull(plan.OneDecodeFewer);
        Assert.False(plan.OneDecodeFewer.Fleet.MeetsSloAtP90);
        if (plan.PrefillReplicas > 1)
        {
            var fewerPrefill = Simulate(plan.PrefillReplicas - 1, plan.DecodeReplicas);
            Assert.False(fewerPrefill.Fleet.MeetsSloAtP90);
            Assert.NotNull(plan.OnePrefillFewer);
            Assert.False(plan.OnePrefillFewer.Fleet.MeetsSloAtP90);
        }
        else
        {
            Assert.Null(plan.OnePrefillFewer);
        }
    }

    [Fact]
    public void Plan_IsDeterministic()
    {
        var again = DisaggregatedPlanner.Plan(Inputs, 1, 1, cancellation: TestContext.Current.CancellationToken);

        Assert.Equal(Infercost.Serialization.InfercostJson.Serialize(Plan.Value), Infercost.Serialization.InfercostJson.Serialize(again));
    }

    [Fact]
    public void Plan_ImpossibleSlo_Throws()
    {
        var e = Assert.Throws<InvalidInputException>(() => DisaggregatedPlanner.Plan(Inputs with
        {
            Slo = new Slo(Seconds.FromMilliseconds(1), Seconds.FromMilliseconds(50)),
        }, 1, 1, cancellation: TestContext.Current.CancellationToken));

        Assert.Equal("slo", e.Field);
        Assert.Contains("to its first token", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1, "prefillDevicesPerReplica", "prefillDevicesPerReplica must be in [1, 1024]; was 0.")]
    [InlineData(1, 0, "decodeDevicesPerReplica", "decodeDevicesPerReplica must be in [1, 1024]; was 0.")]
    public void Plan_BadReplicaSize_ThrowsNamingTheField(int prefill, int decode, string field, string message)
    {
        var e = Assert.Throws<InvalidInputException>(() => DisaggregatedPlanner.Plan(Inputs, prefill, decode, cancellation: TestContext.Current.CancellationToken));

        Assert.Equal(field, e.Field);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
