using Infercost.Calibration;
using Infercost.Requests;
using Xunit;

namespace Infercost.Tests.Requests;

// sweep's P10–P90 per batch: each row carries the bands cost prints at that batch, the batch regime of that batch in
// its extrapolations (docs/validation.md#bands).
public sealed class SweepBandsTests
{
    [Fact]
    public void EachRow_HasTheBandsCostGivesAtItsBatch()
    {
        var sweep = new SweepRequest { Model = "llama-3.1-8b", Gpu = "nvidia-h100-sxm", Gpus = 1, Batches = [1, 64], GpuPrice = new NumberRange(2, 3) };
        var report = sweep.Answer(Infercost.Catalog.Catalog.Embedded);

        foreach (var row in report.Rows)
        {
            var cost = new CostRequest { Model = "llama-3.1-8b", Gpu = "nvidia-h100-sxm", Gpus = 1, Batch = row.Batch, GpuPrice = new NumberRange(2, 3) }
                .Answer(Infercost.Catalog.Catalog.Embedded);
            Assert.Equal(cost.Bands, row.Bands);
            Assert.Equal(cost.Serving.Extrapolating, row.Extrapolating);
            Assert.Equal(cost.Cost.OutputPerMillion, row.OutputPerMillion);
        }

        // Batch 1 is outside the calibrated decode batches, 64 inside: the first band is the wider.
        Assert.Contains(report.Rows[0].Extrapolating, e => e.Dimension == CoverageDimension.BatchRegime);
        Assert.DoesNotContain(report.Rows[1].Extrapolating, e => e.Dimension == CoverageDimension.BatchRegime);
        Assert.True(report.Rows[0].Bands!.ThroughputRatio.Low < report.Rows[1].Bands!.ThroughputRatio.Low);
        // The price range widens the price band beyond the throughput band alone.
        var b = report.Rows[1].Bands!;
        Assert.True(b.OutputPerMillion.P90 > b.OutputPerMillion.Value / b.ThroughputRatio.Low * 1.01);
    }

    [Fact]
    public void ARowThatDoesNotFit_HasNoBands()
    {
        var report = new SweepRequest { Model = "llama-3.1-8b", Gpu = "nvidia-h100-sxm", Gpus = 1, Batches = [1_000_000] }.Answer(Infercost.Catalog.Catalog.Embedded);

        Assert.False(report.Rows[0].Fits);
        Assert.Null(report.Rows[0].Bands);
        Assert.Empty(report.Rows[0].Extrapolating);
    }
}
