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
    public const string FittedOn = "2026-12-08";

    /// <summary>Serving-engine settings the fit assumed.</summary>
    public static ServingSoftware Software => ServingSoftware.TensorRtLlm;

    /// <summary>How far real throughput falls from predictions made with these factors: the 10th and 90th percentiles of
    /// measured ÷ predicted output tokens/s over the leave-one-GPU-out predictions of the calibration data (each row
    /// predicted by factors fitted without its GPU). Throughput bands multiply a prediction by these; price bands divide.</summary>
    public static PredictionBand ThroughputRatio { get; } = new(0.907, 1.13,
        "P10-P90 of measured/predicted output tokens/s, leave-one-GPU-out over the calibration data");

    /// <summary>Band widening per extrapolation dimension, fitted by <see cref="BandFit.Fit"/> on the calibration data
    /// (a test refits it and fails on drift): σ₀ from the in-sample residuals, each δ from a leave-one-group-out split.
    /// The engine width comes from data/calibration/online-serving.csv's all-at-once rows (TensorRT-LLM 0.14, an engine
    /// version the fit never saw) predicted by the factors fitted on all of throughput-calibration.csv.</summary>
    public static ExtrapolationBands Bands { get; } = new(
        BaseLogMean: 0.0018,
        BaseLogSd: 0.0788,
        Widths: new Dictionary<CoverageDimension, BandWidth>
        {
            [CoverageDimension.GpuGeneration] = new(0.0648, 338, "leave one GPU generation out (ampere, ada, hopper) of throughput-calibration.csv"),
            [CoverageDimension.Precision] = new(0.1001, 338, "leave one weight precision out (fp16, fp8) of throughput-calibration.csv"),
            [CoverageDimension.ModelFamily] = new(0.0452, 338, "leave one model family out (llama, mistral, mixtral) of throughput-calibration.csv"),
            [CoverageDimension.Engine] = new(0.3496, 12, "leave the engine version out: online-serving.csv all-at-once rows (TensorRT-LLM 0.14) predicted by the fit on throughput-calibration.csv (TensorRT-LLM 0.17)"),
            [CoverageDimension.BatchRegime] = new(0.0563, 338, "leave one batch regime out (≤ 64, 65–512, > 512 sequences per step) of throughput-calibration.csv"),
            [CoverageDimension.Layout] = new(0.0900, 338, "leave one tensor-parallel degree out (TP1, 2, 4, 8) of throughput-calibration.csv"),
        },
        Source: Data + "; online-serving.csv for the engine width; fitted " + FittedOn);

    /// <summary>The fitted factors.</summary>
    /// <remarks>On top of the kernel curves (<see cref="Kernels.KernelCurves.Fitted"/>): the matmul, attention, bandwidth
    /// and link figures are fractions of what the kernel benchmarks give for each shape. GEMMs and weight streaming reach
    /// the benchmark (both fit to 1.00, the bound), prefill attention 0.62 of FlashAttention-3's curve (a weakly identified
    /// factor: it trades against the collective latency along a shallow valley). Mixtral's expert
    /// layers run TensorRT-LLM's CUTLASS MoE module (TRTLLM-Gen kernels are Blackwell-only), at its fixed cost and time
    /// per expert from the kernel benchmarks, with the busiest expert's rows (the module's routing imbalance) in the
    /// step's compute. The per-step host overhead fits to zero: every kernel's fixed latency carries it.
    /// The collective latency of 46 µs is TensorRT-LLM 0.17's, well above the 2–8 µs tuned-stack floor: it absorbs
    /// tensor-parallel synchronisation stalls. Roofline softness 0.5 (p = 2) is structural (docs/validation.md); the other
    /// seven are fitted.</remarks>
    public static EfficiencyFactors Factors { get; } = new(
        MatmulMfu: 1.00,
        AttentionMfu: 0.618,
        Mbu: 1.00,
        StepOverhead: Seconds.Zero,
        CollectiveLatency: Seconds.FromMicroseconds(46.1),
        LinkEfficiency: 0.617,
        ActivationPasses: 9.50,
        RooflineSoftness: 0.5)
    {
        Kernels = Infercost.Kernels.KernelCurves.Fitted,
    };
}
