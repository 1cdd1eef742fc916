using Infercost.Calibration;
using Infercost.Requests;
using Xunit;

namespace Infercost.Tests.Simulation;

// plan --bands (PlanRequest.Bands): the planner run again with every simulated step at the calibrated band's slow and
// fast engine speeds (ServingConfig.SpeedFactor). docs/validation.md#plan-bands.
public class PlanBandsTests
{
    private static readonly PlanRequest Plan = new()
    {
        Model = "llama-3.1-8b", Gpu = "nvidia-h100-sxm", Rate = 30, Input = 1000, Output = 200, MaxGpusPerReplica = 1, TrialTime = "30s", Bands = true,
    };

    private static PlanReport Answer(PlanRequest request) =>
        (PlanReport)request.Answer(Infercost.Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken);

    [Fact]
    public void SlowEnd_NeedsAtLeastTheModelledFleet_FastEndAtMost()
    {
        var report = Answer(Plan);
        var (plan, b) = (report.Plan, report.Bands!);

        // The band is the calibrated one for what the chosen fleet extrapolates (vLLM, the default engine, is one).
        Assert.Equal(CalibratedEfficiency.Bands.For(report.Extrapolating), b.Speed);
        Assert.Contains(report.Extrapolating, e => e.Dimension == CoverageDimension.Engine);
        Assert.Equal(b.Speed.Low, b.Slow.SpeedRatio);
        Assert.True(b.Slow.Devices >= plan.Devices && plan.Devices >= b.Fast.Devices, $"{b.Slow.Devices} / {plan.Devices} / {b.Fast.Devices}");
        // A third slower engine at the same load needs strictly more of this fleet; the day's cost follows the devices.
        Assert.True(b.Slow.Devices > plan.Devices);
        Assert.Equal(plan.FixedFleet.Cost.Value * b.Slow.Devices!.Value / plan.Devices, b.Slow.FixedFleetPerDay!.Value.Value, 1e-6);
    }

    [Fact]
    public void WithoutBands_NoBands_SamePlan()
    {
        var plain = Answer(Plan with { Bands = false });
        var banded = Answer(Plan);

        Assert.Null(plain.Bands);
        Assert.Equal(plain.Plan.Devices, banded.Plan.Devices);
        Assert.Equal(plain.Plan.Layout, banded.Plan.Layout);
    }

    [Fact]
    public void SlowEndThatNoFleetMeets_SaysWhy()
    {
        // A TPOT target just above one sequence's step at the modelled speed: more replicas cannot shorten a step, so at
        // the slow end no fleet meets it.
        var report = Answer(Plan with { SloTpot = "8ms" });

        Assert.Null(report.Bands!.Slow.Devices);
        Assert.False(string.IsNullOrEmpty(report.Bands.Slow.Failure));
        Assert.NotNull(report.Bands.Fast.Devices);
    }

    [Fact]
    public void Bands_WithDisaggregated_IsRefusedNamingBands()
    {
        var e = Assert.Throws<InvalidInputException>((Plan with { Disaggregated = true }).Validate);

        Assert.Equal("bands", e.Field);
    }
}
