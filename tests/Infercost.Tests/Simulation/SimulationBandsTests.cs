using Infercost.Calibration;
using Infercost.Requests;
using Infercost.Serialization;
using Xunit;

namespace Infercost.Tests.Simulation;

// simulate's P10–P90 (SimulateRequest.Bands): the run re-simulated with every step at the engine speeds of the calibrated
// band's ends (ServingConfig.SpeedFactor). docs/validation.md#bands.
public class SimulationBandsTests
{
    private static SimulateRequest ClosedLoop(bool bands, string engine = "vllm") => new()
    {
        Model = "llama-3.1-8b", Gpu = "nvidia-h100-sxm", Gpus = 1, Input = 800, Output = 200, Concurrency = 16, Requests = 64,
        Engine = engine, Bands = bands,
    };

    [Fact]
    public void ClosedLoop_BandEnds_AreTheCentralRunWithTimeStretched()
    {
        // Given a closed loop without think time (every event is the end of a step)
        var report = ClosedLoop(bands: true).Answer(Infercost.Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken);
        var b = report.Bands!;
        var (low, high) = (b.Speed.Low, b.Speed.High);

        // Then each end is the central run with time divided by the speed ratio: times × 1/r, rates × r
        void Times(Banded x, double tolerance)
        {
            Assert.Equal(x.Value / high, x.P10, x.Value * tolerance);
            Assert.Equal(x.Value / low, x.P90, x.Value * tolerance);
        }

        Times(b.WallTime, 1e-9);
        Times(b.TtftMean, 1e-9);
        Times(b.TpotMean, 1e-9);
        Times(b.EndToEndMean, 1e-9);
        // Percentiles come from the run's log-bucketed histogram (LogHistogram), so a stretched value may land one bucket over.
        Times(b.TtftP90, 0.03);
        Assert.Equal(b.OutputThroughput.Value * low, b.OutputThroughput.P10, b.OutputThroughput.Value * 1e-9);
        Assert.Equal(b.OutputThroughput.Value * high, b.OutputThroughput.P90, b.OutputThroughput.Value * 1e-9);
        // A slower engine costs more per token in the same proportion (the fleet is paid for the whole run).
        Assert.Equal(b.OutputPerMillion!.Value / low, b.OutputPerMillion.P90, b.OutputPerMillion.Value * 1e-9);
    }

    [Fact]
    public void Band_IsTheCalibratedBandForWhatTheRunExtrapolates()
    {
        var report = ClosedLoop(bands: true).Answer(Infercost.Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken);

        // vLLM is an engine no calibration row measured: the band is widened for the engine dimension, as `cost` prints.
        var expected = CalibratedEfficiency.Bands.For(report.Extrapolating);
        Assert.Contains(report.Extrapolating, e => e.Dimension == CoverageDimension.Engine);
        Assert.Equal(expected, report.Bands!.Speed);
        Assert.True(expected.Low < 0.75 && expected.High > 1.4, $"{expected.Low} .. {expected.High}");
    }

    [Fact]
    public void CentralRun_IsUnchangedByAskingForBands()
    {
        var plain = ClosedLoop(bands: false).Answer(Infercost.Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken);
        var banded = ClosedLoop(bands: true).Answer(Infercost.Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken);

        Assert.Null(plain.Bands);
        Assert.Equal(InfercostJson.Serialize(plain.Result), InfercostJson.Serialize(banded.Result));
    }

    [Fact]
    public void OpenLoop_NearSaturation_SlowEndQueuesFarMoreThanLinear()
    {
        // Given arrivals at 20 req/s, which one H100 serves with a short queue at the modelled speed
        var request = new SimulateRequest
        {
            Model = "llama-3.1-8b", Gpu = "nvidia-h100-sxm", Gpus = 1, Input = 1000, Output = 200, Rate = 20, Requests = 3000, Bands = true,
        };
        var b = request.Answer(Infercost.Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken).Bands!;

        // Then at the band's slow end the queue grows through the run: the P90 TTFT is far beyond the central one
        // stretched by 1/r, which a multiplied band would print; at the fast end it cannot fall below zero queueing.
        Assert.True(b.TtftP90.P90 > 10 * b.TtftP90.Value / b.Speed.Low, $"{b.TtftP90}");
        Assert.True(b.TtftP90.P10 < b.TtftP90.Value);
        Assert.True(b.GoodFraction.P10 < b.GoodFraction.Value);
        // Below saturation the throughput is the offered load, whatever the speed; the slow end falls behind it.
        Assert.True(b.OutputThroughput.P90 < b.OutputThroughput.Value * 1.01, $"{b.OutputThroughput}");
    }

    [Fact]
    public void WithPools_EveryPoolRunsAtTheBandSpeed()
    {
        // Two pools of one kind behind one router, closed loop: the whole fleet slows, so time stretches exactly.
        var request = ClosedLoop(bands: true) with { Pool = ["gpu=nvidia-h100-sxm,gpus=1"], Concurrency = 8 };
        var b = request.Answer(Infercost.Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken).Bands!;

        Assert.Equal(b.WallTime.Value / b.Speed.Low, b.WallTime.P90, b.WallTime.Value * 1e-9);
    }

    [Fact]
    public void WithRuns_TheBandAlsoHoldsTheSeedsSpread()
    {
        // Given 300 requests at 3 req/s onto one H100: far below saturation, so the throughput is the offered load at any
        // engine speed and a single seed's band is nearly a point
        var one = new SimulateRequest { Model = "llama-3.1-8b", Gpu = "nvidia-h100-sxm", Gpus = 1, Input = 500, Output = 100, Rate = 3, Requests = 300, Bands = true };
        var single = one.Answer(Infercost.Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken).Bands!;
        var seeded = (one with { Runs = 8 }).Answer(Infercost.Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken);
        var b = seeded.Bands!;

        // Then with eight seeds the throughput band holds the draw of arrivals (run 0's value in it), several times wider
        Assert.Equal(seeded.Result.OutputThroughput.Value, b.OutputThroughput.Value);
        Assert.InRange(b.OutputThroughput.Value, b.OutputThroughput.P10, b.OutputThroughput.P90);
        var width = (b.OutputThroughput.P90 - b.OutputThroughput.P10) / b.OutputThroughput.Value;
        var singleWidth = (single.OutputThroughput.P90 - single.OutputThroughput.P10) / single.OutputThroughput.Value;
        Assert.True(width > 3 * singleWidth, $"with seeds {width:P2}, one seed {singleWidth:P2}");
        // and the latency bands still reach the slow end: at least the single seed's model band
        Assert.True(b.TtftP90.P90 >= single.TtftP90.P90 * 0.9, $"{b.TtftP90} vs {single.TtftP90}");
        Assert.Contains("seed-runs", b.Method, StringComparison.Ordinal);
    }

    [Fact]
    public void WithRuns_TheBudgetCountsThreeTimesTheRuns()
    {
        // 8 runs × 100,000 requests × 1,000 output tokens = 0.8 billion: the runs fit the 2-billion budget, three times them do not.
        var request = new SimulateRequest { Model = "llama-3.1-8b", Gpu = "nvidia-h100-sxm", Gpus = 8, Rate = 50, Requests = 100_000, Runs = 8, Bands = true };

        var e = Assert.Throws<InvalidInputException>(() => request.Answer(Infercost.Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken));

        Assert.Equal("bands", e.Field);
        Assert.Contains("three times 8 runs", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bands_TripleTheWork_AndTheBudgetSaysSo()
    {
        // 2.5 M requests × 400 output tokens = 1.0 billion tokens: one run fits the 2-billion budget, three do not.
        var request = new SimulateRequest
        {
            Model = "llama-3.1-8b", Gpu = "nvidia-h100-sxm", Gpus = 8, Rate = 100, Requests = 2_500_000, Output = 400, Bands = true,
        };

        var e = Assert.Throws<InvalidInputException>(() => request.Answer(Infercost.Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken));

        Assert.Equal("bands", e.Field);
        Assert.Contains("three runs", e.Message, StringComparison.Ordinal);
    }
}
