using Infercost.Serving;

namespace Infercost.Calibration;

/// <summary>Runs the engine over measurements and reports its error.</summary>
public static class Validator
{
    /// <summary>Predicts every row and summarises the errors.</summary>
    public static ValidationReport Validate(IReadOnlyList<Measurement> rows, Catalog.Catalog catalog, EfficiencyFactors efficiency, ServingSoftware software) =>
        Validate((IEnumerable<Measurement>)rows, catalog, efficiency, software);

    /// <summary>Predicts each row of <paramref name="rows"/> as it is read (a streamed file: rows are not collected
    /// first) and summarises the errors. The report keeps one prediction per row, which the table and JSON list.</summary>
    public static ValidationReport Validate(IEnumerable<Measurement> rows, Catalog.Catalog catalog, EfficiencyFactors efficiency, ServingSoftware software)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var predictions = rows.Select(r => Predictor.Predict(r, catalog, efficiency, software)).ToList();
        return Summarise(predictions);
    }

    /// <summary>Summarises predictions already made.</summary>
    public static ValidationReport Summarise(IReadOnlyList<Prediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        static List<ErrorSummary> By(IEnumerable<Prediction> ps, Func<Measurement, string> key) =>
            ps.GroupBy(p => key(p.Row), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
              .Select(g => ErrorSummary.Of(g.Key, g.ToList())).ToList();
        return new ValidationReport(predictions, ErrorSummary.Of("all", predictions),
            By(predictions, r => r.ModelId), By(predictions, r => r.AcceleratorId), By(predictions, r => r.Source));
    }
}
