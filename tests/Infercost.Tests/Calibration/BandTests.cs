using System.Globalization;
using Infercost.Calibration;
using Infercost.Serving;
using Xunit;

namespace Infercost.Tests.Calibration;

public class BandTests
{
    private const string EngineSource = "leave the engine version out: online-serving.csv all-at-once rows (TensorRT-LLM 0.14) predicted by the fit on throughput-calibration.csv (TensorRT-LLM 0.17)";

    [Fact]
    public void StoredBandWidths_AreWhatTheLeaveOneGroupOutResidualsGive()
    {
        // Given the calibration data, and the online-serving rows of another engine version
        // When the bands are refitted (in-sample spread, one leave-one-group-out split per dimension)
        var fit = BandFit.Fit(CalibrationData.Rows, CalibrationData.Catalog, CalibratedEfficiency.Software, CalibrationData.OnlineAllAtOnce, EngineSource);

        // Then the stored widths match the refit (a physics change that moves them fails here until they are refitted)
        var stored = CalibratedEfficiency.Bands;
        var report = string.Join("; ", fit.Widths.OrderBy(w => w.Key).Select(w =>
            $"{w.Key}={w.Value.LogSd.ToString("F4", CultureInfo.InvariantCulture)} ({w.Value.HeldOutRows})"))
            + $"; base mean {fit.BaseLogMean.ToString("F4", CultureInfo.InvariantCulture)} sd {fit.BaseLogSd.ToString("F4", CultureInfo.InvariantCulture)}";
        Assert.True(Math.Abs(fit.BaseLogMean - stored.BaseLogMean) < 0.005, report);
        Assert.True(Math.Abs(fit.BaseLogSd - stored.BaseLogSd) < 0.005, report);
        Assert.Equal(fit.Widths.Keys.Order(), stored.Widths.Keys.Order());
        foreach (var (dimension, width) in fit.Widths)
        {
            Assert.True(Math.Abs(width.LogSd - stored.Widths[dimension].LogSd) < 0.01, $"{dimension}: {report}");
            Assert.Equal(width.HeldOutRows, stored.Widths[dimension].HeldOutRows);
        }

        // And each leave-one-group-out split reports every group's own held-out error (docs/validation.md): the
        // generation split has one line per generation, and its lines account for every calibration row.
        var generations = fit.Widths[CoverageDimension.GpuGeneration].ByGroup;
        Assert.Equal(["ada", "ampere", "hopper"], generations.Select(g => g.Group));
        Assert.Equal(CalibrationData.Rows.Count, generations.Sum(g => g.Rows));
        Assert.All(generations, g => Assert.NotNull(g.MedianAbsPctError));
        Assert.Equal(["llama", "mistral", "mixtral"], fit.Widths[CoverageDimension.ModelFamily].ByGroup.Select(g => g.Group));
    }

    [Fact]
    public void ShippedCoverage_IsWhatTheCalibrationRowsCover()
    {
        var report = Validator.Validate(CalibrationData.Rows, CalibrationData.Catalog, EfficiencyFactors.Default, CalibratedEfficiency.Software);
        var coverage = CalibrationCoverage.Of(report.Rows, CalibrationData.Catalog, CalibratedEfficiency.Software);
        var shipped = CalibrationCoverage.Shipped;
        Assert.Equal(shipped.Generations, coverage.Generations);
        Assert.Equal(shipped.Precisions, coverage.Precisions);
        Assert.Equal(shipped.Families, coverage.Families);
        Assert.Equal(shipped.MinExpertWidth, coverage.MinExpertWidth);
        Assert.Equal(shipped.MaxExperts, coverage.MaxExperts);
        Assert.Equal(shipped.Engine, coverage.Engine);
        Assert.True(shipped.MinDecodeBatch == coverage.MinDecodeBatch && shipped.MaxDecodeBatch == coverage.MaxDecodeBatch,
            $"decode batch {coverage.MinDecodeBatch}..{coverage.MaxDecodeBatch}");
        Assert.Equal(shipped.MaxTensorParallel, coverage.MaxTensorParallel);
    }

    [Fact]
    public void BandCoverage_IsComputedFromTheRows_NotAConstant()
    {
        // Given calibration rows predicted with their bands
        var rows = CalibrationData.Rows.Take(40).ToList();
        var report = Validator.Validate(rows, CalibrationData.Catalog, EfficiencyFactors.Default, CalibratedEfficiency.Software);
        var coverage = report.BandCoveragePct!.Value;
        Assert.InRange(coverage, 50, 100);

        // When every measurement is moved to twice its predicted value (outside any in-coverage band)
        var moved = report.Rows.Select(p => p.Row with { MeasuredOutputTokensPerSecond = 2 * p.PredictedOutputTokensPerSecond!.Value }).ToList();
        var outside = Validator.Validate(moved, CalibrationData.Catalog, EfficiencyFactors.Default, CalibratedEfficiency.Software);

        // Then no row is inside its band; and measurements set to the predictions are all inside
        Assert.Equal(0, outside.BandCoveragePct);
        var exact = report.Rows.Select(p => p.Row with { MeasuredOutputTokensPerSecond = p.PredictedOutputTokensPerSecond!.Value }).ToList();
        Assert.Equal(100, Validator.Validate(exact, CalibrationData.Catalog, EfficiencyFactors.Default, CalibratedEfficiency.Software).BandCoveragePct);
        Assert.All(report.Rows, p => Assert.True(p.P10 < p.PredictedOutputTokensPerSecond && p.PredictedOutputTokensPerSecond < p.P90));
    }

    [Fact]
    public void Extrapolation_Fp4OnBlackwellUnderVllm_IsListed_AndWidensTheBand()
    {
        // Given Qwen3-30B-A3B with FP4 weights on a B200, served by vLLM
        var request = new Infercost.Requests.CostRequest { Model = "qwen3-30b-a3b", Gpu = "nvidia-b200", Gpus = 1, Weights = Precision.Fp4, Engine = "vllm" };
        var report = request.Answer(CalibrationData.Catalog);

        // Then the estimate says where it extrapolates, in the text line and the list
        var labels = report.Serving.Extrapolating.Select(e => e.Label).ToList();
        Assert.Contains("Blackwell", labels);
        Assert.Contains("FP4 weights", labels);
        Assert.Contains("vLLM", labels);
        Assert.Contains(labels, l => l.StartsWith("fine-grained MoE", StringComparison.Ordinal));
        Assert.StartsWith("extrapolating: Blackwell, FP4 weights", report.Serving.Notes[0], StringComparison.Ordinal);

        // And its band is wider than one inside coverage (Llama 3.1 8B fp8 on an H100 under TensorRT-LLM 0.17)
        var inside = new Infercost.Requests.CostRequest { Model = "llama-3.1-8b", Gpu = "nvidia-h100-sxm", Gpus = 1, Weights = Precision.Fp8, Kv = Precision.Fp8, Engine = "trtllm" }
            .Answer(CalibrationData.Catalog);
        Assert.Empty(inside.Serving.Extrapolating);
        var wide = report.Serving.ThroughputBand;
        var narrow = inside.Serving.ThroughputBand;
        Assert.True(wide.High / wide.Low > 1.5 * (narrow.High / narrow.Low), $"{wide.Low}..{wide.High} vs {narrow.Low}..{narrow.High}");
        Assert.Equal(CalibratedEfficiency.Bands.For([]), narrow);
    }
}
