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

    private static readonly Lazy<CapacityPlan> Plan = new(() => CapacityPlanner.Plan(Inputs, cancellation: TestContext.Current.CancellationToken));

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

        // When the planner's trial is run here on one replica fewer
        var fewer = CapacityPlanner.Trial(Inputs, setup, plan.Saturation, plan.Replicas - 1, Inputs.PeakRate, cancellation: TestContext.Current.CancellationToken);

        // Then it misses the SLO, as the plan's own record of that fleet says
        Assert.False(fewer.Passes);
        Assert.NotNull(plan.OneFewer);
        Assert.False(plan.OneFewer.MeetsSloAtP90 && plan.OneFewerTrial!.Unsteady is null);
        Assert.Equal(fewer.Result.TimeToFirstToken.P90, plan.OneFewer.TimeToFirstToken.P90);
    }

    [Fact]
    public void Plan_Answer_HoldsWhenTheWholeFleetIsSimulatedForLonger()
    {
        // Given the planner's fleet at 40 req/s
        var plan = Plan.Value;
        var setup = new ServingSetup(Inputs.Model, Inputs.Accelerator, plan.Parallelism, Inputs.Config with { Parallelism = plan.Parallelism });

        // When simulate runs every replica of it (shortest-queue routing) on a stream of 10 minutes, warm-up included
        var stream = new RequestGenerator(ArrivalProcess.Poisson(Inputs.PeakRate), Inputs.Input, Inputs.Output, 7, null, 600);
        var run = ServingSimulator.Run(setup, plan.Replicas, stream, new SimulationOptions(Inputs.Scheduler, Inputs.Slo, Inputs.Basis), cancellation: TestContext.Current.CancellationToken);

        // Then it meets the SLO, as the plan says
        Assert.True(run.MeetsSloAtP90, $"P90 TTFT {run.TimeToFirstToken.P90}, P90 TPOT {run.TimePerOutputToken.P90} on {plan.Replicas} replicas");
    }

    [Fact]
    public void Plan_ReportsProgressWithinEachReplicaSize_NotOnlyAfterIt()
    {
        // Given a rate that needs more than a hundred replicas (a search of many trials), and two replica sizes
        var inputs = Inputs with { Input = new FixedLength(200), Output = new FixedLength(50), PeakRate = 1500, Day = null, MaxDevicesPerReplica = 2 };
        var reports = new List<double>();

        // When it is planned
        CapacityPlanner.Plan(inputs, new Recorder(reports), TestContext.Current.CancellationToken);

        // Then the first size's search reports as its trials run (a long plan at a high rate shows it is moving), the
        // share never goes back, and it ends at 1
        Assert.Contains(reports, v => v > 0 && v < 0.8 / 2);
        Assert.True(reports.Count(v => v < 0.8 / 2) >= 2, string.Join(", ", reports));
        Assert.Equal(reports.OrderBy(v => v), reports);
        Assert.Equal(1, reports[^1]);
    }

    private sealed class Recorder(List<double> reports) : IProgress<double>
    {
        public void Report(double value) => reports.Add(value);
    }

    [Fact]
    public void Plan_ManyReplicas_WholeFleetMeetsTheSlo_AndOneFewerIsJudgedOnItsShare()
    {
        // Given short requests at a rate that needs more replicas than one trial simulates (8)
        var inputs = Inputs with { Input = new FixedLength(200), Output = new FixedLength(50), PeakRate = 1500, Day = null };
        var plan = CapacityPlanner.Plan(inputs, cancellation: TestContext.Current.CancellationToken);
        Assert.True(plan.Replicas > CapacityPlanner.MaxPoolReplicas, $"expected a fleet larger than one trial group; got {plan.Replicas}");
        Assert.Equal(CapacityPlanner.MaxPoolReplicas, plan.PeakTrial.SimulatedReplicas);

        // When the whole fleet is simulated with shortest-queue routing for two minutes
        var setup = new ServingSetup(inputs.Model, inputs.Accelerator, plan.Parallelism, inputs.Config with { Parallelism = plan.Parallelism });
        var stream = new RequestGenerator(ArrivalProcess.Poisson(inputs.PeakRate), inputs.Input, inputs.Output, 7, null, 120);
        var run = ServingSimulator.Run(setup, plan.Replicas, stream, new SimulationOptions(inputs.Scheduler, inputs.Slo, inputs.Basis), cancellation: TestContext.Current.CancellationToken);

        // Then it meets the SLO: the group of eight at its share is the harder test
        Assert.True(run.MeetsSloAtP90, $"P90 TTFT {run.TimeToFirstToken.P90}, P90 TPOT {run.TimePerOutputToken.P90} on {plan.Replicas} replicas");
    }

    [Theory]
    [InlineData(10_000)]
    [InlineData(1_000_000)]
    public void Plan_AnyRate_SimulatedReplicasKeepUpWithTheirArrivals(double rate)
    {
        // Given a rate far beyond what one trial of a fixed request count can show in steady state
        var inputs = Inputs with { Input = new FixedLength(200), Output = new FixedLength(50), PeakRate = rate, Day = null };

        // When the fleet is planned
        var plan = CapacityPlanner.Plan(inputs, cancellation: TestContext.Current.CancellationToken);

        // Then the simulated replicas completed their share of the rate (no backlog left to drain at the end), the
        // fleet is at least the saturated-throughput bound, and the fleet scales with the rate
        var share = rate * plan.AtPeak.Replicas / plan.Replicas;
        Assert.True(plan.AtPeak.RequestsPerSecond >= 0.95 * share, $"completed {plan.AtPeak.RequestsPerSecond} req/s of {share} arriving");
        Assert.True(plan.Replicas * plan.Saturation.RequestsPerSecond >= 0.9 * rate);
        Assert.Null(plan.PeakTrial.Unsteady);
        Assert.True(plan.PeakTrial.BacklogSecondHalf <= 1.2 * plan.PeakTrial.BacklogFirstHalf + 1);
    }

    [Fact]
    public void Trial_OverloadedFleet_IsNotSteady()
    {
        // Given one replica fed three times what it completes when saturated
        var setup = new ServingSetup(Inputs.Model, Inputs.Accelerator, Parallelism.Single, Inputs.Config);
        var saturation = CapacityPlanner.Saturate(Inputs, setup, cancellation: TestContext.Current.CancellationToken);

        // When the planner's trial runs it
        var trial = CapacityPlanner.Trial(Inputs, setup, saturation, 1, 3 * saturation.RequestsPerSecond, cancellation: TestContext.Current.CancellationToken);

        // Then the backlog is seen to grow and the trial fails
        Assert.False(trial.Passes);
        Assert.True(trial.BacklogSecondHalf > trial.BacklogFirstHalf);
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
        }, cancellation: TestContext.Current.CancellationToken));

        Assert.Equal("slo", e.Field);
        Assert.Contains("to its first token", e.Message, StringComparison.Ordinal);
    }
}
