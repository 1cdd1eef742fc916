using Infercost.Calibration;

namespace Infercost.Tests.Calibration;

// The calibration file ships with the repository (data/calibration) and is copied next to the test assembly.
internal static class CalibrationData
{
    private static readonly Lazy<IReadOnlyList<Measurement>> LazyRows = new(() =>
        MeasurementCsv.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Calibration", "Data", "throughput-calibration.csv")),
            "throughput-calibration.csv"));

    private static readonly Lazy<IReadOnlyList<OnlineMeasurement>> LazyOnline = new(() =>
        OnlineServingCsv.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Calibration", "Data", "online-serving.csv")),
            "online-serving.csv"));

    public static IReadOnlyList<Measurement> Rows => LazyRows.Value;

    /// <summary>The 72 online-serving rows (TensorRT-LLM 0.14, H100/H200, offered rates and all at once).</summary>
    public static IReadOnlyList<OnlineMeasurement> Online => LazyOnline.Value;

    /// <summary>The online rows sent all at once, as throughput measurements of another engine version.</summary>
    public static IReadOnlyList<Measurement> OnlineAllAtOnce => Online.Where(r => r.OfferedRequestsPerSecond is null).Select(r => r.AsThroughput()).ToList();

    public static Infercost.Catalog.Catalog Catalog => Infercost.Catalog.Catalog.Embedded;
}
