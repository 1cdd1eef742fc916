using Infercost.Calibration;

namespace Infercost.Cli.Rendering;

/// <summary>The <c>extrapolating</c> line of a table whose rows differ only in their batch (sweep's batches, frontier's
/// users): what every row extrapolates once, then the rows whose decode batch lies outside the calibrated regime.</summary>
internal static class BandLines
{
    /// <summary>One line, or null when no row extrapolates. <paramref name="rows"/> pairs each row's label (its batch or
    /// users, as printed) with its extrapolations; <paramref name="what"/> names the label (<c>batch</c>, <c>users</c>).</summary>
    public static string? Extrapolating(IEnumerable<(string Label, IReadOnlyList<Extrapolation> Extrapolating)> rows, string what)
    {
        var list = rows.ToList();
        var shared = list.SelectMany(r => r.Extrapolating).Where(e => e.Dimension != CoverageDimension.BatchRegime).Distinct().ToList();
        var outside = list.Where(r => r.Extrapolating.Any(e => e.Dimension == CoverageDimension.BatchRegime)).Select(r => r.Label).ToList();
        if (shared.Count == 0 && outside.Count == 0) return null;
        var regime = outside.Count == 0 ? null
            : $"decode batch outside the calibrated {Guard.Format(CalibrationCoverage.Shipped.MinDecodeBatch)}–{Guard.Format(CalibrationCoverage.Shipped.MaxDecodeBatch)} at {what} {string.Join(", ", outside)}";
        return "extrapolating: " + string.Join(", ", shared.Select(e => e.Label).Append(regime).OfType<string>()) +
            "; each row's P10–P90 is widened for what it extrapolates.";
    }
}
