namespace Infercost.Calibration;

/// <summary>A way a prediction can lie outside what the calibration data covered. Each has its own band widening,
/// fitted from a leave-one-group-out split of the calibration data (<see cref="ExtrapolationBands"/>).</summary>
public enum CoverageDimension
{
    /// <summary>An accelerator generation no calibration row ran on (Blackwell, CDNA); widened by leave-one-generation-out.</summary>
    GpuGeneration,
    /// <summary>A weight, expert or KV precision no row used (FP4, INT4, INT8); widened by leave-one-precision-out.</summary>
    Precision,
    /// <summary>A model family, or a model structure, no row had: a new family, fine-grained MoE experts, MLA, sliding
    /// windows honoured, sparse or recurrent attention; widened by leave-one-family-out.</summary>
    ModelFamily,
    /// <summary>A serving engine or version other than the one calibrated; widened by the held-out engine version.</summary>
    Engine,
    /// <summary>A decode batch outside the range the calibration runs had; widened by leave-one-batch-regime-out.</summary>
    BatchRegime,
    /// <summary>A layout the data never had (pipeline, expert or attention-data parallelism, tensor parallelism beyond
    /// 8); widened by leave-one-tensor-degree-out.</summary>
    Layout,
}

/// <summary>One way a prediction extrapolates beyond the calibration data.</summary>
/// <param name="Dimension">Which band widening applies.</param>
/// <param name="Label">What is outside coverage, as the text output prints it ("FP4 weights", "Blackwell", "vLLM").</param>
public sealed record Extrapolation(CoverageDimension Dimension, string Label)
{
    /// <summary>The one text line the CLI prints: <c>extrapolating: FP4 weights, Blackwell, vLLM</c>; null when there is nothing to say.</summary>
    public static string? Line(IReadOnlyCollection<Extrapolation> extrapolations)
    {
        ArgumentNullException.ThrowIfNull(extrapolations);
        return extrapolations.Count == 0 ? null : "extrapolating: " + string.Join(", ", extrapolations.Select(e => e.Label));
    }
}
