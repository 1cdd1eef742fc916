using Infercost.Calibration;
using Infercost.Requests;
using Infercost.Simulation;
using Xunit;

namespace Infercost.Tests.Simulation;

// frontier's P10–P90 (FrontierBand): a closed loop without think time run at r times the modelled engine speed is the
// central run with time stretched by 1/r, so the band's ends are computed from the central point. Checked here against
// the frontier re-simulated at the band's two speeds. docs/validation.md#bands.
public sealed class FrontierBandsTests
{
    private static readonly FrontierRequest Request = new()
    {
        Model = "llama-3.1-8b", Gpu = "nvidia-h100-sxm", Gpus = 1, Input = 1000, Output = 200, Concurrency = [1, 16, 128], GpuPrice = NumberRange.Of(2.5),
    };

    [Fact]
    public void Ends_AreTheFrontierResimulatedAtTheBandsSpeeds()
    {
        var s = Request.Prepare(Request.Resolve(Infercost.Catalog.Catalog.Embedded));
        var report = Request.Answer(s, cancellation: TestContext.Current.CancellationToken);
        var bin = 2 * LogHistogram.RelativeError;

        for (var i = 0; i < report.Frontier.Points.Count; i++)
        {
            var (point, band) = (report.Frontier.Points[i], report.Bands[i]);
            Assert.Equal(point.Concurrency, band.Concurrency);
            Assert.Equal(CalibratedEfficiency.Bands.For(band.Extrapolating), band.Speed);
            foreach (var (ratio, atLow) in new[] { (band.Speed.Low, true), (band.Speed.High, false) })
            {
                var at = Request.Answer(SimulateRequest.AtSpeed(s, ratio), cancellation: TestContext.Current.CancellationToken).Frontier.Points[i];
                // Rates scale by r, times and prices by 1/r: the slow end is P10 of the rates and P90 of the times.
                Assert.Equal(at.OutputPerGpu.Value, atLow ? band.OutputPerGpu.P10 : band.OutputPerGpu.P90, 1e-9 * at.OutputPerGpu.Value);
                Assert.Equal(at.PerUser.Value, atLow ? band.PerUser.P10 : band.PerUser.P90, 1e-9 * at.PerUser.Value);
                Assert.Equal(at.OutputPerMillion!.Value.Value, atLow ? band.OutputPerMillion!.P90 : band.OutputPerMillion!.P10, 1e-9 * at.OutputPerMillion.Value.Value);
                // Percentiles agree to the latency histogram's resolution.
                var ttft = atLow ? band.TimeToFirstTokenP50.P90 : band.TimeToFirstTokenP50.P10;
                Assert.True(Math.Abs(at.TimeToFirstTokenP50.Value / ttft - 1) <= bin, $"TTFT P50 re-simulated {at.TimeToFirstTokenP50.Value}, band end {ttft}");
                var tpot = atLow ? band.TimePerOutputTokenP90.P90 : band.TimePerOutputTokenP90.P10;
                Assert.True(Math.Abs(at.TimePerOutputTokenP90.Value / tpot - 1) <= bin, $"TPOT P90 re-simulated {at.TimePerOutputTokenP90.Value}, band end {tpot}");
            }
        }
    }

    [Fact]
    public void EachPoint_ExtrapolatesInItsOwnBatchRegime()
    {
        var report = Request.Answer(Infercost.Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken);

        // One user decodes one sequence a step, outside the calibrated 9–2,048: its band is wider than 128 users'.
        Assert.Contains(report.Bands[0].Extrapolating, e => e.Dimension == CoverageDimension.BatchRegime);
        Assert.DoesNotContain(report.Bands[2].Extrapolating, e => e.Dimension == CoverageDimension.BatchRegime);
        Assert.True(report.Bands[0].Speed.Low < report.Bands[2].Speed.Low && report.Bands[0].Speed.High > report.Bands[2].Speed.High);
        Assert.All(report.Frontier.Points, p => Assert.True(p.MeanDecodeBatch > 0 && p.MeanDecodeBatch <= p.Concurrency));
    }
}
