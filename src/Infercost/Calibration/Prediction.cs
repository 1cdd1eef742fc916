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

    /// <summary>ln(predicted ÷ measured), the residual the calibration minimises.</summary>
    public double? LogError => PredictedOutputTokensPerSecond is { } p ? Math.Log(p / Row.MeasuredOutputTokensPerSecond) : null;
}
