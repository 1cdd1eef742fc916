namespace Infercost.Calibration;

/// <summary>Predicted vs measured for every row, with error summaries overall and by model, accelerator and source.</summary>
/// <param name="Rows">Every row, predicted or not.</param>
/// <param name="Overall">Summary over all rows.</param>
/// <param name="ByModel">One summary per model.</param>
/// <param name="ByAccelerator">One summary per accelerator.</param>
/// <param name="BySource">One summary per source.</param>
public sealed record ValidationReport(
    IReadOnlyList<Prediction> Rows,
    ErrorSummary Overall,
    IReadOnlyList<ErrorSummary> ByModel,
    IReadOnlyList<ErrorSummary> ByAccelerator,
    IReadOnlyList<ErrorSummary> BySource)
{
    /// <summary>Share of predicted rows whose measurement lies inside the prediction's own P10–P90 band, percent; null
    /// when no row was predicted. 80% is what an honest band promises.</summary>
    public double? BandCoveragePct
    {
        get
        {
            var judged = Rows.Where(r => r.InsideBand is not null).ToList();
            return judged.Count == 0 ? null : 100.0 * judged.Count(r => r.InsideBand == true) / judged.Count;
        }
    }

    /// <summary>Rows the engine could not predict, with their reasons.</summary>
    public IReadOnlyList<Prediction> Unpredicted => Rows.Where(r => r.PredictedOutputTokensPerSecond is null).ToList();
}
