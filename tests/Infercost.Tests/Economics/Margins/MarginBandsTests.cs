using Infercost.Calibration;
using Infercost.Economics.Margins;
using Infercost.Requests;
using Xunit;

namespace Infercost.Tests.Economics.Margins;

// margin over the engine's cluster: its margins at the ends of the engine's calibrated throughput band (the true cost ÷
// the band's ratios); none over a given cost (docs/economics.md#margins).
public class MarginBandsTests
{
    private static readonly Infercost.Catalog.Catalog Catalog = Infercost.Catalog.Catalog.Embedded;

    [Fact]
    public void EngineCost_MarginsAtTheBandsEnds_AreTheMarginsOfTheCostDividedByEachRatio()
    {
        var report = new MarginRequest { PriceModel = "claude-sonnet-4.5", Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 8, GpuPrice = 2, Profile = "chat" }
            .Answer(Catalog);
        var b = report.Bands!;

        // The band is the engine estimate's, for what it extrapolates (vLLM, the default engine).
        Assert.Contains(report.Extrapolating, e => e.Dimension == CoverageDimension.Engine);
        Assert.Equal(CalibratedEfficiency.Bands.For(report.Extrapolating), b.Speed);
        // Each end is the margin computed afresh with the cost rates ÷ the ratio: an engine as slow as P10 costs more.
        var slow = MarginCalculator.Compute(report.Price, report.Cost.Scaled(1 / b.Speed.Low), report.CostUtilisation, Infercost.Economics.Workloads.WorkloadProfiles.Chat);
        var fast = MarginCalculator.Compute(report.Price, report.Cost.Scaled(1 / b.Speed.High), report.CostUtilisation, Infercost.Economics.Workloads.WorkloadProfiles.Chat);
        Assert.Equal(slow.InputMargin, b.Input.P10, 1e-12);
        Assert.Equal(fast.OutputMargin, b.Output.P90, 1e-12);
        Assert.Equal(slow.BlendedMargin!.Value, b.Blended!.P10, 1e-12);
        Assert.Equal(report.OutputMargin, b.Output.Value);
        Assert.True(b.Output.P10 < report.OutputMargin && report.OutputMargin < b.Output.P90);
    }

    [Fact]
    public void GivenCost_HasNoBand()
    {
        var report = new MarginRequest { PriceModel = "claude-sonnet-4.5", CostIn = 0.01, CostOut = 3 }.Answer(Catalog);

        Assert.Null(report.Bands);
        Assert.Empty(report.Extrapolating);
    }
}
