using Infercost.Calibration;
using Infercost.Quantities;
using Infercost.Serving;
using Xunit;

namespace Infercost.Tests.Calibration;

public class OnlineFitTests
{
    private static readonly double[] MeasuredTtfts = [0.010, 0.020, 0.060, 0.200];

    [Fact]
    public void BelowSaturation_LeavesOutTheBurstsAndTheRowsWhoseQueueGrows()
    {
        // Given the 72 online rows
        // When the saturated ones are set aside (all at once, or mean TTFT over 5x the setup's at 2 req/s)
        var below = OnlineFit.BelowSaturation(CalibrationData.Online);

        // Then 56 remain: the 12 bursts go, and the four 70B 467-token rows at 32 req/s whose TTFT is above a second
        Assert.Equal(56, below.Count);
        Assert.All(below, r => Assert.NotNull(r.OfferedRequestsPerSecond));
        var saturated = CalibrationData.Online.Where(r => r.OfferedRequestsPerSecond is not null).Except(below).Select(r => r.Id).Order(StringComparer.Ordinal);
        Assert.Equal(["856", "862", "892", "898"], saturated);
    }

    [Fact]
    public void BestShift_OfShiftedValues_IsTheShift()
    {
        // Given simulated TTFTs that are the measured ones less 4.5 ms
        var pairs = MeasuredTtfts.Select(m => (m - 0.0045, m)).ToList();

        // When the request path latency is solved, Then it is 4.5 ms
        Assert.Equal(0.0045, OnlineFit.BestShift(pairs), 9);

        // And a simulation already too slow gets no negative shift
        Assert.Equal(0, OnlineFit.BestShift([(0.030, 0.020)]));
    }

    [Fact]
    public void Fit_SyntheticRows_RecoversTheRuntimeTheyWereMadeWith()
    {
        // Given six rows (8B on one H100 and 70B at TP4, 467 in / 256 out, at 2, 8 and 16 req/s) whose TTFT, ITL and
        // throughput are replaced by the simulator's with a chosen runtime: 1.2 ms per step, 25 µs per collective, 6 ms
        // of request path
        var truth = OnlineFit.WithRuntime(ServingSoftware.TensorRtLlm014, Seconds.FromMilliseconds(1.2), Seconds.FromMicroseconds(25),
            Seconds.FromMilliseconds(6), "synthetic");
        var chosen = CalibrationData.Online.Where(r => r.Id is "852" or "854" or "855" or "870" or "872" or "873").ToList();
        var synthetic = OnlineValidator.Predict(chosen, CalibrationData.Catalog, EfficiencyFactors.Default, truth)
            .Select(p => p.Row with { MeanTtftSeconds = p.MeanTtftSeconds!.Value, MeanItlSeconds = p.MeanItlSeconds!.Value, MeasuredOutputTokensPerSecond = p.OutputTokensPerSecond!.Value })
            .ToList();

        // When the runtime is fitted to them from the fixed start (0.5 ms, 30 µs)
        var fit = OnlineFit.Fit(synthetic, CalibrationData.Catalog, EfficiencyFactors.Default, ServingSoftware.TensorRtLlm014, "test");

        // Then the three values come back
        Assert.Equal(6, fit.FittedRows);
        Assert.InRange(fit.Runtime.HostStepTime.Milliseconds, 1.15, 1.25);
        Assert.InRange(fit.Runtime.CollectiveLatency.Value * 1e6, 24, 26);
        Assert.InRange(fit.Runtime.RequestLatency.Milliseconds, 5.8, 6.2);
        Assert.True(fit.Objective < 1e-4, $"objective {fit.Objective}");
    }

    [Fact]
    public void Calibrate_OnlineFile_GivesTheShippedRuntime_AndHoldsUpLeavingOneGpuOut()
    {
        // Given the 72 online rows (TensorRT-LLM 0.14, H100 and H200)
        // When the runtime is fitted to the 56 below saturation, and once per GPU without that GPU's rows
        var result = OnlineFit.Calibrate(CalibrationData.Online, CalibrationData.Catalog, EfficiencyFactors.Default, ServingSoftware.TensorRtLlm014, "test");

        // Then the fit is what CalibratedOnlineRuntime stores (to its printed precision; the command
        // `infercost calibrate-online --data data/calibration/online-serving.csv` prints the same)
        Assert.Equal(56, result.All.FittedRows);
        Assert.Equal(CalibratedOnlineRuntime.HostStepTimeMs, result.All.Runtime.HostStepTime.Milliseconds, 0.005);
        Assert.Equal(CalibratedOnlineRuntime.CollectiveLatencyUs, result.All.Runtime.CollectiveLatency.Value * 1e6, 0.05);
        Assert.Equal(CalibratedOnlineRuntime.RequestLatencyMs, result.All.Runtime.RequestLatency.Milliseconds, 0.005);

        // And the errors are docs/validation.md#online-serving's (2026-12-08), in sample over the 56 rows ...
        var inSample = result.All.BelowSaturation;
        AssertSummary(inSample, p => p.TtftError, 7.17, 14.00);
        AssertSummary(inSample, p => p.ItlError, 8.35, 19.94);
        AssertSummary(inSample, p => p.ThroughputError, 1.73, 15.84);

        // ... and out of sample: each GPU's 28 rows below saturation predicted by the fit on the other GPU's rows
        Assert.Equal(["nvidia-h100-sxm", "nvidia-h200-sxm"], result.LeaveOneGpuOut.Select(s => s.HeldOut));
        var h100 = HeldOutBelowSaturation(result, "nvidia-h100-sxm");
        var h200 = HeldOutBelowSaturation(result, "nvidia-h200-sxm");
        Assert.Equal(28, h100.Count);
        AssertSummary(h100, p => p.TtftError, 7.64, 12.98);
        AssertSummary(h100, p => p.ItlError, 8.47, 18.31);
        AssertSummary(h100, p => p.ThroughputError, 1.89, 15.45);
        AssertSummary(h200, p => p.TtftError, 7.13, 15.84);
        AssertSummary(h200, p => p.ItlError, 7.45, 22.68);
        AssertSummary(h200, p => p.ThroughputError, 1.69, 12.52);

        // And with the request path latency held at zero the log-error objective is more than twice as large: the
        // third parameter is earned (the 8B rows' TTFT is ~6 ms longer than a prefill step plus host time; no per-step
        // cost closes it without making their ITL too long)
        Assert.True(result.WithoutRequestLatency.Objective > 2 * result.All.Objective,
            $"two-parameter objective {result.WithoutRequestLatency.Objective}, three-parameter {result.All.Objective}");

        // And no GPU's fit moves the physical values far: the runtime is the engine's, not the GPU's
        Assert.All(result.LeaveOneGpuOut, s =>
        {
            Assert.InRange(s.Fit.Runtime.HostStepTime.Milliseconds, 1.4, 2.0);
            Assert.InRange(s.Fit.Runtime.CollectiveLatency.Value * 1e6, 30, 36);
            Assert.InRange(s.Fit.Runtime.RequestLatency.Milliseconds, 4.5, 5.3);
        });
    }

    [Fact]
    public void Fit_OnlyBursts_IsRefusedWithTheReason()
    {
        var bursts = CalibrationData.Online.Where(r => r.OfferedRequestsPerSecond is null).ToList();

        var e = Assert.Throws<InvalidInputException>(() =>
            OnlineFit.Fit(bursts, CalibrationData.Catalog, EfficiencyFactors.Default, ServingSoftware.TensorRtLlm014, "test"));

        Assert.Equal("data", e.Field);
        Assert.StartsWith("no row is below saturation", e.Message, StringComparison.Ordinal);
    }

    private static List<OnlinePrediction> HeldOutBelowSaturation(OnlineCalibration result, string gpu) =>
        result.LeaveOneGpuOut.Single(s => s.HeldOut == gpu).Predictions.Where(p => OnlineFit.IsBelowSaturation(p.Row, CalibrationData.Online)).ToList();

    private static void AssertSummary(IReadOnlyList<OnlinePrediction> predictions, Func<OnlinePrediction, double?> error, double median, double p90)
    {
        var s = OnlineValidator.Summary(predictions, error);
        Assert.InRange(s.Median, median - 0.05, median + 0.05);
        Assert.InRange(s.P90, p90 - 0.05, p90 + 0.05);
    }
}
