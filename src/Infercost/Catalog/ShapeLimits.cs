using System.Globalization;

namespace Infercost.Catalog;

/// <summary>Accepted ranges for model-shape and catalog fields, shared by the catalog loader and the
/// Hugging Face config reader so both reject the same values with the same bounds.</summary>
internal static class ShapeLimits
{
    public const int MaxLayers = 1000;
    public const int MaxHiddenSize = 1_000_000;
    public const int MaxHeads = 16_384;
    public const int MaxHeadDim = 65_536;
    public const int MaxIntermediateSize = 10_000_000;
    public const int MaxVocabSize = 10_000_000;
    public const int MaxExperts = 65_536;
    public const int MaxSharedExperts = 1024;
    public const int MaxContextTokens = 1_000_000_000;
    public const int MaxLoraRank = 1_000_000;
    public const int MaxScaleUpDomain = 1_000_000;

    /// <summary>Largest plausible figures, to catch unit mistakes (TB typed as GB and so on).</summary>
    public const double MaxMemoryGB = 1e7;
    public const double MaxBandwidthTBps = 1e7;
    public const double MaxTflops = 1e9;
    public const double MaxWatts = 1e7;
    public const double MaxLinkGBps = 1e9;
    public const double MaxUsd = 1e12;
    public const double MaxBillions = 1e6;

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-MM", "yyyy"];

    /// <summary>True for an ISO 8601 date, year-month or year (<c>2026-08-21</c>, <c>2026-08</c>, <c>2026</c>).</summary>
    public static bool IsIsoDate(string text) =>
        DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
}
