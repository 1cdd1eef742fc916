using Infercost.Calibration;

namespace Infercost.Tests.Calibration;

// The calibration file ships with the repository (data/calibration) and is copied next to the test assembly.
internal static class CalibrationData
{
    private static readonly Lazy<IReadOnlyList<Measurement>> LazyRows = new(() =>
        MeasurementCsv.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Calibration", "Data", "throughput-calibration.csv")),
            "throughput-calibration.csv"));

    public static IReadOnlyList<Measurement> Rows => LazyRows.Value;

    public static Infercost.Catalog.Catalog Catalog => Infercost.Catalog.Catalog.Embedded;
}
