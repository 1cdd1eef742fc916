using Infercost.Quantities;

namespace Infercost.Serving;

/// <summary>The few efficiency parameters that turn rooflines into predictions. Every other number in the engine is
/// a published hardware or model figure; these are the only ones calibration fits (docs/validation.md).</summary>
/// <param name="MatmulMfu">Fraction of dense peak FLOP/s that the linear layers' matrix multiplies achieve, over every
/// token of a step (prompt and decode tokens share one GEMM).</param>
/// <param name="AttentionMfu">Fraction of dense peak FLOP/s that attention's score and value products achieve when
/// they are compute-bound (long prompts).</param>
/// <param name="Mbu">Fraction of peak memory bandwidth achieved when streaming weights and KV cache (model bandwidth utilisation).</param>
/// <param name="StepOverhead">Fixed time per step: kernel launches, scheduling, sampling.</param>
/// <param name="CollectiveLatency">Fixed latency of one collective (all-reduce, all-to-all) on top of its bandwidth time.</param>
/// <param name="LinkEfficiency">Fraction of the link's peak bandwidth that collectives achieve.</param>
/// <param name="ActivationPasses">Element-wise work (norms, residual adds, activation functions, quantisation, GEMM
/// inputs and outputs) as memory traffic: passes over a token's activations per layer, each pass reading or writing
/// (hidden + active MLP width) elements of 2 bytes, at full memory bandwidth.</param>
/// <param name="RooflineSoftness">How far a kernel near the roofline's ridge falls short of max(compute, memory): each
/// kernel class takes (compute^p + memory^p)^(1/p) with p = 1 / softness. 0 is the hard roofline (max); 0.5 (p = 2) the
/// calibrated value; 1 would add the two terms.</param>
public sealed record EfficiencyFactors(
    double MatmulMfu,
    double AttentionMfu,
    double Mbu,
    Seconds StepOverhead,
    Seconds CollectiveLatency,
    double LinkEfficiency,
    double ActivationPasses,
    double RooflineSoftness = 0)
{
    /// <summary>The kernel-level time model the step is costed with; null costs every GEMM, attention and collective with
    /// the flat fractions above (the pure roofline of <see cref="Ideal"/>, or a user's own single MFU/MBU).</summary>
    /// <remarks>With a kernel model, <see cref="MatmulMfu"/>, <see cref="AttentionMfu"/>, <see cref="Mbu"/> and
    /// <see cref="LinkEfficiency"/> are no longer fractions of peak but of what the kernel curves give for the shape: the
    /// share of microbenchmark efficiency a serving engine's fused, mixed-batch kernels reach (1 = the benchmark).
    /// See docs/methodology.md#kernels.</remarks>
    [System.Text.Json.Serialization.JsonIgnore]
    public Kernels.KernelModel? Kernels { get; init; }

    /// <summary>Before calibration: the kernel curves as benchmarked (every serving fraction at 0.9 of them), 1 ms per
    /// step, the tuned-stack collective latency (4.1 µs, kernel-benchmarks.csv), no element-wise term; the roofline knee at
    /// softness 0.5, the structural choice calibration keeps. <see cref="Default"/> replaces these with fitted values.</summary>
    public static EfficiencyFactors Uncalibrated { get; } = new(
        MatmulMfu: 0.9,
        AttentionMfu: 0.9,
        Mbu: 0.9,
        StepOverhead: Seconds.FromMilliseconds(1),
        CollectiveLatency: Seconds.FromMicroseconds(4.1),
        LinkEfficiency: 0.9,
        ActivationPasses: 0,
        RooflineSoftness: 0.5)
    {
        Kernels = Infercost.Kernels.KernelCurves.Fitted,
    };

    /// <summary>The factors in force by default: fitted to the calibration data (see <see cref="Calibration.CalibratedEfficiency"/>).</summary>
    public static EfficiencyFactors Default => Calibration.CalibratedEfficiency.Factors;

    /// <summary>Every factor at 100%, no overheads, no element-wise term and a hard max: the pure roofline.</summary>
    public static EfficiencyFactors Ideal { get; } = new(1, 1, 1, Seconds.Zero, Seconds.Zero, 1, 0, 0);

    /// <summary>Checks each factor's range.</summary>
    public EfficiencyFactors Validated()
    {
        Guard.InRange(MatmulMfu, 1e-3, 1, "matmulMfu");
        Guard.InRange(AttentionMfu, 1e-3, 1, "attentionMfu");
        Guard.InRange(Mbu, 1e-3, 1, "mbu");
        Guard.InRange(StepOverhead.Value, 0, 1, "stepOverheadSeconds");
        Guard.InRange(CollectiveLatency.Value, 0, 0.01, "collectiveLatencySeconds");
        Guard.InRange(LinkEfficiency, 1e-3, 1, "linkEfficiency");
        Guard.InRange(ActivationPasses, 0, 1000, "activationPasses");
        Guard.InRange(RooflineSoftness, 0, 1, "rooflineSoftness");
        return this;
    }
}
