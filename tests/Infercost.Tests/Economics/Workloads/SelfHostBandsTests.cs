using Infercost.Calibration;
using Infercost.Requests;
using Xunit;

namespace Infercost.Tests.Economics.Workloads;

// workload --self-host: the self-hosted cost's P10–P90 from the engine's calibrated throughput band (c ÷ r at each end;
// docs/economics.md#workloads). An API-priced workload has none.
public class SelfHostBandsTests
{
    [Fact]
    public void SelfHostedCost_AtTheBandsEnds_IsTheCostDividedByEachRatio()
    {
        var report = new WorkloadRequest
        {
            Profile = "chat", SelfHost = true, ServeModel = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 8, GpuPrice = 2,
        }.Answer(Infercost.Catalog.Catalog.Embedded);
        var cost = report.Pricings[^1].Cost;
        var b = report.SelfHostBands!;

        // The band is the one of the engine's estimate (vLLM, the default engine, extrapolates).
        Assert.Equal(CalibratedEfficiency.Bands.For([new Extrapolation(CoverageDimension.Engine, "vLLM")]), b.Speed);
        Assert.Equal(cost.PerDay.Value / b.Speed.High, b.PerDay.P10, 1e-9);
        Assert.Equal(cost.PerDay.Value / b.Speed.Low, b.PerDay.P90, 1e-9);
        Assert.Equal(cost.PerMonth.Value / b.Speed.Low, b.PerMonth.P90, 1e-9);
        Assert.Equal(cost.BlendedPerMillion.Value, b.BlendedPerMillion.Value);
        Assert.True(b.BlendedPerMillion.P10 < cost.BlendedPerMillion.Value && cost.BlendedPerMillion.Value < b.BlendedPerMillion.P90);
    }

    [Fact]
    public void ApiPricedWorkload_HasNoBand()
    {
        var report = new WorkloadRequest { Profile = "chat", Model = "claude-sonnet-4.5" }.Answer(Infercost.Catalog.Catalog.Embedded);

        Assert.Null(report.SelfHostBands);
    }
}
