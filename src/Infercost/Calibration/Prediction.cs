using Infercost.Serving;

namespace Infercost.Calibration;

/// <summary>The engine's prediction for one measured run.</summary>
/// <param name="Row">The measurement.</param>
/// <param name="PredictedOutputTokensPerSecond">Predicted output tokens per second for the instance; null when the row cannot be predicted.</param>
/// <param name="Reason">Why the row cannot be predicted (unknown model or accelerator, does not fit...); null when predicted.</param>
/// <param name="Step">The steady-state step behind the prediction.</param>
public sealed record Prediction(Measurement Row, double? PredictedOutputTokensPerSecond, string? Reason, MixedStep? Step)
{
    /// <summary>Predicted ÷ measured − 1 (positive: the engine overestimates).</summary>
    public double? SignedError => PredictedOutputTokensPerSecond is { } p ? p / Row.MeasuredOutputTokensPerSecond - 1 : null;

    /// <summary>Where the prediction lies outside the calibration data's coverage (empty when inside).</summary>
    public IReadOnlyList<Extrapolation> Extrapolating { get; init; } = [];

    /// <summary>The P10–P90 band of measured ÷ predicted for this prediction, widened for <see cref="Extrapolating"/>.</summary>
    public PredictionBand? Band { get; init; }

    /// <summary>P10 of the predicted output tokens/s (prediction × band low); null when not predicted.</summary>
    public double? P10 => PredictedOutputTokensPerSecond is { } p && Band is { } b ? p * b.Low : null;

    /// <summary>P90 of the predicted output tokens/s.</summary>
    public double? P90 => PredictedOutputTokensPerSecond is { } p && Band is { } b ? p * b.High : null;

    /// <summary>Whether the measurement lies inside [P10, P90]; null when not predicted.</summary>
    public bool? InsideBand => P10 is { } low && P90 is { } high ? Row.MeasuredOutputTokensPerSecond >= low && Row.MeasuredOutputTokensPerSecond <= high : null;

    /// <summary>ln(predicted ÷ measured), the residual the calibration minimises.</summary>
    public double? LogError => PredictedOutputTokensPerSecond is { } p ? Math.Log(p / Row.MeasuredOutputTokensPerSecond) : null;
}
