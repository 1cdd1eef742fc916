using Infercost.Calibration;
using Infercost.Serving;
using Xunit;

namespace Infercost.Tests.Calibration;

public class OnlineServingTests
{
    [Fact]
    public void File_Has72Rows_AtSixLoadsEach()
    {
        Assert.Equal(72, CalibrationData.Online.Count);
        Assert.Equal(12, CalibrationData.Online.Count(r => r.OfferedRequestsPerSecond is null));
        Assert.All(CalibrationData.Online, r => Assert.Equal(500, r.Requests));
    }

    [Fact]
    public void Simulator_AtEachOfferedRate_IsWithinTheDocumentedError()
    {
        // Given the 72 online-serving rows (TensorRT-LLM 0.14, H100/H200, 2 to 32 requests/s and all at once)
        // When each is simulated at its offered rate with the calibrated factors (nothing fitted to these rows)
        var predictions = OnlineValidator.Predict(CalibrationData.Online, CalibrationData.Catalog, EfficiencyFactors.Default, ServingSoftware.TensorRtLlm014);

        // Then every row is simulated, and the errors are what docs/validation.md#online-serving reports (2026-12-02):
        // throughput median 2.1%, mean TTFT median 18.0% (too short by 19% on average), mean ITL median 22.2%
        Assert.All(predictions, p => Assert.Null(p.Reason));
        var throughput = OnlineValidator.Summary(predictions, p => p.ThroughputError);
        var ttft = OnlineValidator.Summary(predictions, p => p.TtftError);
        var itl = OnlineValidator.Summary(predictions, p => p.ItlError);
        Assert.InRange(throughput.Median, 0, 3);
        Assert.InRange(ttft.Median, 10, 25);
        Assert.InRange(ttft.MeanSigned, -25, -10);
        Assert.InRange(itl.Median, 15, 28);
    }
}
