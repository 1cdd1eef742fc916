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
    /// <summary>Rows the engine could not predict, with their reasons.</summary>
    public IReadOnlyList<Prediction> Unpredicted => Rows.Where(r => r.PredictedOutputTokensPerSecond is null).ToList();
}
