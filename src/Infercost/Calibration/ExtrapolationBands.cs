namespace Infercost.Calibration;

/// <summary>The band widening for one extrapolation dimension, with where it was fitted.</summary>
/// <param name="LogSd">δ: the extra spread of ln(measured ÷ predicted) when a prediction extrapolates along this
/// dimension: √(max(0, RMS²(held-out residuals) − σ₀²)).</param>
/// <param name="HeldOutRows">Rows whose held-out residuals the width was fitted on.</param>
/// <param name="Source">The split it came from ("leave one GPU generation out of throughput-calibration.csv").</param>
public sealed record BandWidth(double LogSd, int HeldOutRows, string Source)
{
    /// <summary>The held-out error of the split, when it was just fitted (null on the stored widths).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ValidationReport? HeldOut { get; init; }

    /// <summary>The held-out error of each group of the split (Hopper predicted by the fit without Hopper, and so on),
    /// when it was just fitted; empty on the stored widths.</summary>
    public IReadOnlyList<ErrorSummary> ByGroup { get; init; } = [];
}

/// <summary>P10–P90 bands that widen with every dimension a prediction extrapolates along.</summary>
/// <remarks>ln(measured ÷ predicted) is taken as normal: within coverage with mean μ₀ and spread σ₀ (the in-sample
/// residuals of the calibration fit); each dimension d the prediction extrapolates along adds its fitted variance δ_d²
/// once, however many labels fall in it. P10/P90 = exp(μ₀ ∓ 1.2816 · √(σ₀² + Σ δ_d²)). δ_d comes from a
/// leave-one-group-out split along d (fit without a group, predict it): the held-out residuals' mean square, less the
/// in-sample σ₀², is what not having seen the group costs. No width is chosen by hand; see docs/validation.md#bands.</remarks>
/// <param name="BaseLogMean">μ₀: mean in-sample ln(measured ÷ predicted).</param>
/// <param name="BaseLogSd">σ₀: in-sample RMS of ln(measured ÷ predicted) about μ₀.</param>
/// <param name="Widths">δ per dimension.</param>
/// <param name="Source">The data and date of the fit.</param>
public sealed record ExtrapolationBands(double BaseLogMean, double BaseLogSd, IReadOnlyDictionary<CoverageDimension, BandWidth> Widths, string Source)
{
    /// <summary>z of the 90th percentile of a standard normal.</summary>
    public const double Z90 = 1.2815515655446004;

    /// <summary>The band for a prediction with <paramref name="extrapolations"/>.</summary>
    public PredictionBand For(IReadOnlyCollection<Extrapolation> extrapolations)
    {
        ArgumentNullException.ThrowIfNull(extrapolations);
        var variance = BaseLogSd * BaseLogSd;
        var dims = extrapolations.Select(e => e.Dimension).Distinct().ToList();
        foreach (var d in dims)
        {
            if (Widths.TryGetValue(d, out var w)) variance += w.LogSd * w.LogSd;
        }

        var half = Z90 * Math.Sqrt(variance);
        var basis = dims.Count == 0
            ? "P10-P90 of measured/predicted output tokens/s within calibration coverage (in-sample residuals)"
            : "P10-P90 of measured/predicted output tokens/s, widened for extrapolating in " + string.Join(", ", dims.Select(Name)) + " (leave-one-group-out residuals)";
        return new PredictionBand(Math.Exp(BaseLogMean - half), Math.Exp(BaseLogMean + half), basis);
    }

    /// <summary>The lower-case name of a dimension as reports print it.</summary>
    public static string Name(CoverageDimension d) => d switch
    {
        CoverageDimension.GpuGeneration => "GPU generation",
        CoverageDimension.Precision => "precision",
        CoverageDimension.ModelFamily => "model family",
        CoverageDimension.Engine => "engine",
        CoverageDimension.BatchRegime => "batch regime",
        _ => "layout",
    };
}
