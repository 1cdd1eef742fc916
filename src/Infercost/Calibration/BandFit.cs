using Infercost.Kernels;

namespace Infercost.Calibration;

/// <summary>Fits <see cref="ExtrapolationBands"/> from the calibration data: the in-sample spread, and one
/// leave-one-group-out split per dimension the data can hold out.</summary>
public static class BandFit
{
    /// <summary>The decode-batch regime of a predicted row, for leave-one-regime-out: up to 64 sequences per step,
    /// 65–512, above 512.</summary>
    public static string BatchRegime(double decodeBatch) => decodeBatch <= 64 ? "batch ≤ 64" : decodeBatch <= 512 ? "batch 65–512" : "batch > 512";

    /// <summary>Fits the bands. <paramref name="engineHeldOut"/> are rows of another engine version, predicted by the
    /// factors fitted on all of <paramref name="rows"/> (their residuals give the engine width); without them the
    /// engine dimension has no width of its own.</summary>
    public static ExtrapolationBands Fit(IReadOnlyList<Measurement> rows, Catalog.Catalog catalog, ServingSoftware software,
        IReadOnlyList<Measurement>? engineHeldOut = null, string engineHeldOutSource = "")
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(catalog);
        var fit = Calibrator.Fit(rows, catalog, software);
        var inSample = Residuals(fit.InSample.Rows);
        var mean = inSample.Average();
        var sd = Math.Sqrt(inSample.Sum(r => (r - mean) * (r - mean)) / inSample.Count);
        var regimes = fit.InSample.Rows.Where(p => p.Step is not null).ToDictionary(p => p.Row.Id, p => BatchRegime(p.Step!.DecodeTokens), StringComparer.Ordinal);

        var widths = new Dictionary<CoverageDimension, BandWidth>();
        void Split(CoverageDimension d, Func<Measurement, string> group, string what)
        {
            var held = Calibrator.LeaveOneGroupOut(rows, group, catalog, software);
            var residuals = Residuals(held.Rows);
            // Each group's own held-out error: the rows of that group, predicted by the fit made without them.
            var byGroup = held.Rows.GroupBy(p => group(p.Row), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => ErrorSummary.Of(g.Key, g.ToList())).ToList();
            widths[d] = Width(residuals, sd, $"leave one {what} out of the calibration data ({residuals.Count} held-out rows)") with { HeldOut = held, ByGroup = byGroup };
        }

        Split(CoverageDimension.GpuGeneration, r => Architectures.Of(catalog.GetAccelerator(r.AcceleratorId)).Name(), "GPU generation");
        Split(CoverageDimension.Precision, r => CalibrationCoverage.Class(r.WeightPrecision).Name(), "weight precision");
        Split(CoverageDimension.ModelFamily, r => CalibrationCoverage.Family(r.ModelId), "model family");
        Split(CoverageDimension.BatchRegime, r => regimes.TryGetValue(r.Id, out var g) ? g : "unpredicted", "batch regime (≤ 64, 65–512, > 512 sequences per step)");
        Split(CoverageDimension.Layout, r => "TP" + r.TensorParallel, "tensor-parallel degree");
        if (engineHeldOut is { Count: > 0 })
        {
            var predictions = engineHeldOut.Select(r => Predictor.Predict(r, catalog, fit.Fitted, software)).ToList();
            var residuals = Residuals(predictions);
            widths[CoverageDimension.Engine] = Width(residuals, sd, engineHeldOutSource + $" ({residuals.Count} held-out rows)") with { HeldOut = Validator.Summarise(predictions) };
        }

        return new ExtrapolationBands(mean, sd, widths, $"fitted on {rows.Count} calibration rows");
    }

    private static BandWidth Width(List<double> residuals, double baseSd, string source)
    {
        var meanSquare = residuals.Count == 0 ? 0 : residuals.Average(r => r * r);
        return new BandWidth(Math.Sqrt(Math.Max(0, meanSquare - baseSd * baseSd)), residuals.Count, source);
    }

    private static List<double> Residuals(IReadOnlyList<Prediction> predictions) =>
        predictions.Where(p => p.LogError is not null).Select(p => -p.LogError!.Value).ToList();
}
