using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Calibration;

/// <summary>Efficiency factors fitted to measured throughput, with the data and date they came from.</summary>
/// <remarks>Refit with <c>infercost calibrate --data data/calibration/throughput-calibration.csv</c>; a test refits and
/// fails if these stored values drift from what the data gives. See docs/validation.md.</remarks>
public static class CalibratedEfficiency
{
    /// <summary>The data the factors were fitted to.</summary>
    public const string Data = "data/calibration/throughput-calibration.csv: 338 max-throughput runs, NVIDIA TensorRT-LLM 0.17 " +
        "performance overview (docs/source/performance/perf-overview.md @ 258c7540), A100 SXM 80GB, H100 SXM, H200 SXM, L40S; " +
        "Llama 3.1 8B/70B/405B, Mistral 7B, Mixtral 8x7B/8x22B";

    /// <summary>When the fit was made.</summary>
    public const string FittedOn = "2026-11-23";

    /// <summary>Serving-engine settings the fit assumed.</summary>
    public static ServingSoftware Software => ServingSoftware.TensorRtLlm;

    /// <summary>How far real throughput falls from predictions made with these factors: the 10th and 90th percentiles of
    /// measured ÷ predicted output tokens/s over the leave-one-GPU-out predictions of the calibration data (each row
    /// predicted by factors fitted without its GPU). Throughput bands multiply a prediction by these; price bands divide.</summary>
    public static PredictionBand ThroughputRatio { get; } = new(0.85, 1.15,
        "P10-P90 of measured/predicted output tokens/s, leave-one-GPU-out over the calibration data");

    /// <summary>The fitted factors.</summary>
    /// <remarks>Roofline softness 0.5 (p = 2) is structural, chosen on this data (docs/validation.md); the other seven are fitted.
    /// Attention efficiency is relative to the compute-precision peak: 0.19 of the FP8 peak is 0.38 of the 16-bit peak
    /// that causal flash attention runs at.</remarks>
    public static EfficiencyFactors Factors { get; } = new(
        MatmulMfu: 0.653,
        AttentionMfu: 0.190,
        Mbu: 0.902,
        StepOverhead: Seconds.FromMilliseconds(4.59),
        CollectiveLatency: Seconds.FromMicroseconds(79.0),
        LinkEfficiency: 0.585,
        ActivationPasses: 10.6,
        RooflineSoftness: 0.5);
}
