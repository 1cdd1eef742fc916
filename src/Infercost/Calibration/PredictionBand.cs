namespace Infercost.Calibration;

/// <summary>A multiplicative P10–P90 band on a prediction: the truth lies between <see cref="Low"/> × and
/// <see cref="High"/> × the prediction 80% of the time, on the evidence named in <see cref="Basis"/>.</summary>
/// <param name="Low">10th percentile of actual ÷ predicted.</param>
/// <param name="High">90th percentile of actual ÷ predicted.</param>
/// <param name="Basis">Where the percentiles come from.</param>
public sealed record PredictionBand(double Low, double High, string Basis)
{
    /// <summary>The band of a quantity inversely proportional to the predicted one (price per token against throughput).</summary>
    public PredictionBand Inverse() => new(1 / High, 1 / Low, Basis + " (inverted)");
}

/// <summary>A value with its P10–P90 range.</summary>
/// <param name="Value">The central estimate.</param>
/// <param name="P10">The low end.</param>
/// <param name="P90">The high end.</param>
public sealed record Banded(double Value, double P10, double P90)
{
    /// <summary><paramref name="value"/> scaled by <paramref name="band"/>.</summary>
    public static Banded Of(double value, PredictionBand band)
    {
        ArgumentNullException.ThrowIfNull(band);
        return new Banded(value, value * band.Low, value * band.High);
    }
}
