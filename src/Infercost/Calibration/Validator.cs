using Infercost.Serving;

namespace Infercost.Calibration;

/// <summary>Runs the engine over measurements and reports its error.</summary>
public static class Validator
{
    /// <summary>Predicts every row and summarises the errors.</summary>
    public static ValidationReport Validate(IReadOnlyList<Measurement> rows, Catalog.Catalog catalog, EfficiencyFactors efficiency, ServingSoftware software) =>
        Validate((IEnumerable<Measurement>)rows, catalog, efficiency, software);

    /// <summary>Predicts each row of <paramref name="rows"/> as it is read (a streamed file: rows are not collected
    /// first) and summarises the errors. The report keeps one prediction per row; <see cref="Validate(IEnumerable{Measurement}, Catalog.Catalog, EfficiencyFactors, ServingSoftware, Action{Prediction})"/>
    /// keeps none.</summary>
    public static ValidationReport Validate(IEnumerable<Measurement> rows, Catalog.Catalog catalog, EfficiencyFactors efficiency, ServingSoftware software)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var predictions = rows.Select(r => Predictor.Predict(r, catalog, efficiency, software)).ToList();
        return Summarise(predictions);
    }

    /// <summary>Predicts each row of <paramref name="rows"/> as it is read, hands the prediction to
    /// <paramref name="onRow"/> before the next row is read, and keeps of it only what the summaries need (its error and
    /// band flag), so a file of any length is validated without holding its predictions.</summary>
    /// <returns>The summaries, and how many rows were read (predicted or not).</returns>
    public static (ValidationSummary Summary, int Rows) Validate(IEnumerable<Measurement> rows, Catalog.Catalog catalog, EfficiencyFactors efficiency,
        ServingSoftware software, Action<Prediction> onRow)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(onRow);
        var summaries = new ValidationAccumulator();
        foreach (var row in rows)
        {
            var prediction = Predictor.Predict(row, catalog, efficiency, software);
            summaries.Add(prediction);
            onRow(prediction);
        }

        return (summaries.Summary(), summaries.Rows);
    }

    /// <summary>Summarises predictions already made.</summary>
    public static ValidationReport Summarise(IReadOnlyList<Prediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var summaries = new ValidationAccumulator();
        foreach (var p in predictions) summaries.Add(p);
        var s = summaries.Summary();
        return new ValidationReport(predictions, s.Overall, s.ByModel, s.ByAccelerator, s.BySource);
    }
}
