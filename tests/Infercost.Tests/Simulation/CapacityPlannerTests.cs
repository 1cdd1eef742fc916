using Infercost.Costing;
using Infercost.Serving;
using Infercost.Simulation;
using Xunit;

namespace Infercost.Tests.Simulation;

public sealed class CapacityPlannerTests
{
    // Llama 3.1 8B on one-H100 replicas, 1000-token prompts and 200-token answers at 40 req/s peak: several replicas.
    private static readonly PlanInputs Inputs = new(
        Fixtures.Llama8B, Fixtures.H100, new ServingConfig { TotalDevices = 1 }, SchedulerConfig.Default,
        new FixedLength(1000), new FixedLength(200), 40, Slo.Default, new RentalCost(),
        Day: RateCurve.Diurnal(40), TrialSeconds: 30, MaxDevicesPerReplica: 1);

    private static readonly Lazy<CapacityPlan> Plan = new(() => CapacityPlanner.Plan(Inputs));

    [Fact]
    public void Plan_Answer_MeetsTheSloAtThePeak()
    {
        var plan = Plan.Value;

        Assert.True(plan.Replicas >= 2, $"expected a multi-replica fleet; got {plan.Replicas}");
        Assert.Equal(plan.Replicas * plan.DevicesPerReplica, plan.Devices);
        Assert.True(plan.AtPeak.MeetsSloAtP90);
        Assert.True(plan.AtPeak.TimeToFirstToken.P90 <= Slo.Default.TimeToFirstToken);
        Assert.True(plan.AtPeak.TimePerOutputToken.P90 <= Slo.Default.TimePerOutputToken);
    }

    [Fact]
    public void Plan_Answer_IsMinimal_OneReplicaFewerMissesTheSloBySimulation()
    {
        // Given the planner's fleet
        var plan = Plan.Value;
        var setup = new ServingSetup(Inputs.Model, Inputs.Accelerator, plan.Parallelism, Inputs.Config with { Parallelism = plan.Parallelism });

        // When the same peak stream is simulated here on one replica fewer
        var fewer = ServingSimulator.Run(setup, plan.Replicas - 1, CapacityPlanner.TrialStream(Inputs, Inputs.PeakRate),
            new SimulationOptions(Inputs.Scheduler, Inputs.Slo, Inputs.Basis));

        // Then it misses the SLO, as the plan's own record of that fleet says
        Assert.False(fewer.MeetsSloAtP90);
        Assert.NotNull(plan.OneFewer);
        Assert.False(plan.OneFewer.MeetsSloAtP90);
        Assert.Equal(fewer.TimeToFirstToken.P90, plan.OneFewer.TimeToFirstToken.P90);
    }

    [Fact]
    public void Plan_Autoscaling_NeverUsesMoreThanTheFixedFleet()
    {
        var plan = Plan.Value;

        Assert.All(plan.Autoscaled, s => Assert.InRange(s.Replicas, 1, plan.Replicas));
        Assert.True(plan.Autoscaling.DeviceHours < plan.FixedFleet.DeviceHours);
        Assert.True(plan.Autoscaling.BlendedPerMillion < plan.FixedFleet.BlendedPerMillion);
        // Fixed fleet: every GPU-hour of the day at $2 (the fixture's price)
        Assert.Equal(plan.Devices * 24 * 2.0, plan.FixedFleet.Cost.Value, 6);
        Assert.NotNull(plan.StaticBlendedPerMillion);
    }

    [Fact]
    public void Plan_ImpossibleSlo_ThrowsWithEachSizesReason()
    {
        var e = Assert.Throws<InvalidInputException>(() => CapacityPlanner.Plan(Inputs with
        {
            Slo = new Slo(Infercost.Quantities.Seconds.FromMilliseconds(1), Infercost.Quantities.Seconds.FromMilliseconds(50)),
        }));

        Assert.Equal("slo", e.Field);
        Assert.Contains("to its first token", e.Message, StringComparison.Ordinal);
    }
}
