using Infercost.Quantities;

namespace Infercost.Serving;

/// <summary>The few efficiency parameters that turn rooflines into predictions. Every other number in the engine is
/// a published hardware or model figure; these are the only ones a calibration may fit.</summary>
/// <param name="PrefillMfu">Fraction of dense peak FLOP/s that prefill matmuls achieve (model FLOPs utilisation).</param>
/// <param name="DecodeMfu">Fraction of dense peak FLOP/s that decode achieves when it is compute-bound.</param>
/// <param name="DecodeMbu">Fraction of peak memory bandwidth that decode achieves when it is memory-bound (model bandwidth utilisation).</param>
/// <param name="StepOverhead">Fixed time per decode step and per prefill pass: kernel launches, scheduling, sampling.</param>
/// <param name="CollectiveLatency">Fixed latency of one collective (all-reduce, all-to-all) on top of its bandwidth time.</param>
/// <param name="LinkEfficiency">Fraction of the link's peak bandwidth that collectives achieve.</param>
public sealed record EfficiencyFactors(
    double PrefillMfu,
    double DecodeMfu,
    double DecodeMbu,
    Seconds StepOverhead,
    Seconds CollectiveLatency,
    double LinkEfficiency)
{
    /// <summary>Uncalibrated defaults, from published serving measurements rather than fits (docs/methodology.md#efficiency):
    /// prefill MFU 0.5 and decode MBU 0.8 are typical of vLLM/TensorRT-LLM on Hopper; 1 ms per step of scheduling and
    /// launch overhead; 10 µs per collective (NCCL small-message latency on NVLink); 70% of link peak.</summary>
    public static EfficiencyFactors Default { get; } = new(
        PrefillMfu: 0.5,
        DecodeMfu: 0.5,
        DecodeMbu: 0.8,
        StepOverhead: Seconds.FromMilliseconds(1),
        CollectiveLatency: Seconds.FromMicroseconds(10),
        LinkEfficiency: 0.7);

    /// <summary>Every factor at 100% and no overheads: the pure roofline.</summary>
    public static EfficiencyFactors Ideal { get; } = new(1, 1, 1, Seconds.Zero, Seconds.Zero, 1);

    /// <summary>Checks each factor's range.</summary>
    public EfficiencyFactors Validated()
    {
        Guard.InRange(PrefillMfu, 1e-3, 1, "prefillMfu");
        Guard.InRange(DecodeMfu, 1e-3, 1, "decodeMfu");
        Guard.InRange(DecodeMbu, 1e-3, 1, "decodeMbu");
        Guard.InRange(StepOverhead.Value, 0, 1, "stepOverheadSeconds");
        Guard.InRange(CollectiveLatency.Value, 0, 0.01, "collectiveLatencySeconds");
        Guard.InRange(LinkEfficiency, 1e-3, 1, "linkEfficiency");
        return this;
    }
}
