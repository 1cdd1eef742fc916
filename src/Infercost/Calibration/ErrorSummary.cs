namespace Infercost.Calibration;

/// <summary>Error statistics over a group of predicted rows.</summary>
/// <param name="Group">What the rows share ("all", a model id, an accelerator id, a source).</param>
/// <param name="Rows">Rows in the group.</param>
/// <param name="PredictedRows">Rows the engine could predict.</param>
/// <param name="MedianAbsPctError">Median of |predicted/measured − 1| × 100; null when no row was predicted (as are the next two).</param>
/// <param name="P90AbsPctError">90th percentile of the same (linear interpolation between order statistics).</param>
/// <param name="MeanSignedPctError">Mean of (predicted/measured − 1) × 100: positive means the engine overestimates.</param>
public sealed record ErrorSummary(string Group, int Rows, int PredictedRows, double? MedianAbsPctError, double? P90AbsPctError, double? MeanSignedPctError)
{
    /// <summary>Summarises <paramref name="predictions"/> under the label <paramref name="group"/>.</summary>
    public static ErrorSummary Of(string group, IReadOnlyCollection<Prediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var errors = new GroupErrors();
        foreach (var p in predictions) errors.Add(p.SignedError);
        return errors.Summary(group);
    }

    /// <summary>The <paramref name="q"/> quantile with linear interpolation between order statistics (type 7).</summary>
    public static double Percentile(IEnumerable<double> values, double q)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0) return double.NaN;
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}
