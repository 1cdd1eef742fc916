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
    public void SlowEnd_AloneCheckRunsAtTheBandSpeed()
    {
        // The TPOT target of SlowEndThatNoFleetMeets_SaysWhy: one sequence meets it at the modelled speed but not at the
        // slow end's, so the slow end fails on the one-request check (run at that speed) and says so.
        var report = Answer(Plan with { SloTpot = "8ms" });

        Assert.StartsWith("no layout of up to 1 nvidia-h100-sxm per replica meets the SLO", report.Bands!.Slow.Failure, StringComparison.Ordinal);
        Assert.Contains("one sequence alone takes", report.Bands.Slow.Failure, StringComparison.Ordinal);
    }

    private static readonly PlanRequest Split = Plan with { Disaggregated = true, Rate = 60, TrialTime = "20s" };

    private static DisaggregatedPlanReport AnswerSplit(PlanRequest request) =>
        (DisaggregatedPlanReport)request.Answer(Infercost.Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken);

    [Fact]
    public void Disaggregated_BothPoolsReplanned_SlowEndNeedsAtLeastTheModelledPools_FastEndAtMost()
    {
        var report = AnswerSplit(Split);
        var (plan, b) = (report.Disaggregated, report.Bands!);

        // The band is the calibrated one for what either pool extrapolates (vLLM, the default engine, is one).
        Assert.Equal(CalibratedEfficiency.Bands.For(report.Extrapolating), b.Speed);
        Assert.Contains(report.Extrapolating, e => e.Dimension == CoverageDimension.Engine);
        Assert.Equal(report.Extrapolating.Count, report.Extrapolating.Distinct().Count());
        Assert.Equal(b.Speed.Low, b.Slow.SpeedRatio);
        Assert.Equal(b.Speed.High, b.Fast.SpeedRatio);
        Assert.True(b.Slow.Devices >= plan.Devices && plan.Devices >= b.Fast.Devices, $"{b.Slow.Devices} / {plan.Devices} / {b.Fast.Devices}");
        Assert.True(b.Slow.Devices > plan.Devices, $"{b.Slow.Devices} / {plan.Devices}");
        Assert.True(b.Slow.PrefillReplicas >= plan.PrefillReplicas && b.Slow.DecodeReplicas >= plan.DecodeReplicas);
        // The ends keep the pools' replica sizes: devices are replicas × the modelled plan's devices per replica.
        var (perPrefill, perDecode) = (plan.PrefillDevices / plan.PrefillReplicas, plan.DecodeDevices / plan.DecodeReplicas);
        Assert.Equal(b.Slow.PrefillReplicas * perPrefill + b.Slow.DecodeReplicas * perDecode, b.Slow.Devices);
        Assert.Equal(b.Fast.PrefillReplicas * perPrefill + b.Fast.DecodeReplicas * perDecode, b.Fast.Devices);
        // A day fixed at the peak costs in proportion to the devices.
        Assert.Equal(plan.FixedFleet.Cost.Value * b.Slow.Devices!.Value / plan.Devices, b.Slow.FixedFleetPerDay!.Value.Value, 1e-6);

        // Without bands the split plan is the same and carries none.
        var plain = AnswerSplit(Split with { Bands = false });
        Assert.Null(plain.Bands);
        Assert.Equal(plan.Devices, plain.Disaggregated.Devices);
        Assert.Equal(plan.PrefillReplicas, plain.Disaggregated.PrefillReplicas);
        Assert.Equal(report.Extrapolating, plain.Extrapolating);
    }

    [Fact]
    public void Disaggregated_SlowEndThatNoPoolsMeet_SaysWhy()
    {
        // The same TPOT target: one decode step of one sequence meets it at the modelled speed, not at the slow end's.
        var report = AnswerSplit(Split with { SloTpot = "8ms" });

        Assert.Null(report.Bands!.Slow.Devices);
        Assert.Contains("one sequence alone takes", report.Bands.Slow.Failure, StringComparison.Ordinal);
        Assert.NotNull(report.Bands.Fast.Devices);
    }
}
