using Infercost.Calibration;
using Infercost.Serving;
using Xunit;

namespace Infercost.Tests.Calibration;

public class CalibrationTests
{
    [Fact]
    public void StoredFactors_AreWhatTheDataGives()
    {
        // Given the calibration data and the engine as it is now
        // When the factors are refitted from the uncalibrated starting point
        var fit = Calibrator.Fit(CalibrationData.Rows, CalibrationData.Catalog, CalibratedEfficiency.Software);

        // Then the stored factors (rounded to three significant figures) match the refit: a change to the engine's physics
        // that moves the optimum fails here until CalibratedEfficiency is refitted and its docs updated.
        var stored = CalibratedEfficiency.Factors;
        Assert.Equal(fit.Fitted.MatmulMfu, stored.MatmulMfu, 0.02);
        Assert.Equal(fit.Fitted.AttentionMfu, stored.AttentionMfu, 0.05);
        Assert.Equal(fit.Fitted.Mbu, stored.Mbu, 0.02);
        Assert.Equal(fit.Fitted.StepOverhead.Milliseconds, stored.StepOverhead.Milliseconds, 0.3);
        Assert.Equal(fit.Fitted.CollectiveLatency.Microseconds, stored.CollectiveLatency.Microseconds, 8.0);
        Assert.Equal(fit.Fitted.LinkEfficiency, stored.LinkEfficiency, 0.03);
        Assert.Equal(fit.Fitted.ActivationPasses, stored.ActivationPasses, 0.5);
        Assert.Equal(fit.Fitted.RooflineSoftness, stored.RooflineSoftness);
    }

    [Fact]
    public void DefaultFactors_PredictTheCalibrationRuns_WithinTheDocumentedError()
    {
        // Given the default (calibrated) factors
        // When every calibration row is predicted
        var report = Validator.Validate(CalibrationData.Rows, CalibrationData.Catalog, EfficiencyFactors.Default, CalibratedEfficiency.Software);

        // Then every row is predicted and the in-sample error is as docs/validation.md states (5.3% median, 12.0% P90,
        // third fit of 2026-12-08)
        Assert.Equal(338, report.Overall.PredictedRows);
        Assert.Empty(report.Unpredicted);
        Assert.InRange(report.Overall.MedianAbsPctError!.Value, 0, 6.0);
        Assert.InRange(report.Overall.P90AbsPctError!.Value, 0, 12.5);
        Assert.InRange(report.Overall.MeanSignedPctError!.Value, -3, 3);
    }

    [Fact]
    public void UncalibratedFactors_AreMeasurablyWorse()
    {
        // The fit must earn its keep: the uncalibrated defaults miss by more.
        var before = Validator.Validate(CalibrationData.Rows, CalibrationData.Catalog, EfficiencyFactors.Uncalibrated, CalibratedEfficiency.Software);
        var after = Validator.Validate(CalibrationData.Rows, CalibrationData.Catalog, EfficiencyFactors.Default, CalibratedEfficiency.Software);
        Assert.True(before.Overall.MedianAbsPctError!.Value > after.Overall.MedianAbsPctError!.Value + 2,
            $"uncalibrated {before.Overall.MedianAbsPctError!.Value:F1}% vs calibrated {after.Overall.MedianAbsPctError!.Value:F1}%");
    }

    [Fact]
    public void LeaveOneGpuOut_TransfersToUnseenGpus()
    {
        // Given fits made without each GPU in turn
        var report = Calibrator.LeaveOneGroupOut(CalibrationData.Rows, r => r.AcceleratorId, CalibrationData.Catalog, CalibratedEfficiency.Software);

        // Then the held-out error is as docs/validation.md reports (third fit of 2026-12-08): median 5.8% (target <= 10%), P90 13.7%
        // (both targets, 10% and 20%, met: see docs/validation.md#the-error)
        Assert.Equal(338, report.Overall.PredictedRows);
        Assert.InRange(report.Overall.MedianAbsPctError!.Value, 0, 6.4);
        Assert.InRange(report.Overall.P90AbsPctError!.Value, 0, 15.0);

        // And the shipped uncertainty band is the P10-P90 of measured/predicted over these held-out predictions
        var ratios = report.Rows.Select(p => p.Row.MeasuredOutputTokensPerSecond / p.PredictedOutputTokensPerSecond!.Value).ToList();
        Assert.Equal(ErrorSummary.Percentile(ratios, 0.1), CalibratedEfficiency.ThroughputRatio.Low, 0.01);
        Assert.Equal(ErrorSummary.Percentile(ratios, 0.9), CalibratedEfficiency.ThroughputRatio.High, 0.01);
    }

    [Fact]
    public void Predict_UnknownModel_IsListedWithItsReason()
    {
        var row = CalibrationData.Rows[0] with { ModelId = "no-such-model" };
        var report = Validator.Validate([row, CalibrationData.Rows[1]], CalibrationData.Catalog, EfficiencyFactors.Default, CalibratedEfficiency.Software);
        Assert.Equal(2, report.Overall.Rows);
        Assert.Equal(1, report.Overall.PredictedRows);
        var missed = Assert.Single(report.Unpredicted);
        Assert.Equal("unknown model 'no-such-model'", missed.Reason);
    }

    [Fact]
    public void Predict_ModelThatDoesNotFit_IsListedNotSkipped()
    {
        var row = CalibrationData.Rows.First(r => r.ModelId == "llama-3.1-70b") with
        {
            Gpus = 1, TensorParallel = 1, WeightPrecision = Precision.Bf16, KvPrecision = Precision.Bf16,
        };
        var p = Predictor.Predict(row, CalibrationData.Catalog, EfficiencyFactors.Default, CalibratedEfficiency.Software);
        Assert.Null(p.PredictedOutputTokensPerSecond);
        Assert.Contains("does not fit", p.Reason);
    }

    [Fact]
    public void Percentile_InterpolatesBetweenOrderStatistics()
    {
        Assert.Equal(2.5, ErrorSummary.Percentile([1, 2, 3, 4], 0.5));
        Assert.Equal(3.7, ErrorSummary.Percentile([1, 2, 3, 4], 0.9), 12);
        Assert.Equal(7, ErrorSummary.Percentile([7], 0.9));
    }

    [Fact]
    public void NelderMead_FindsTheRosenbrockMinimum()
    {
        static double Rosenbrock(double[] x) => Math.Pow(1 - x[0], 2) + 100 * Math.Pow(x[1] - x[0] * x[0], 2);
        var (point, value, _) = NelderMead.Minimise(Rosenbrock, [-1.2, 1.0], step: 0.5, maxIterations: 5000, tolerance: 1e-14);
        Assert.Equal(1.0, point[0], 3);
        Assert.Equal(1.0, point[1], 3);
        Assert.True(value < 1e-8);
    }
}
