using Infercost.Quantities;

namespace Infercost.Serving;

/// <summary>The time of one forward step on one device, kernel class by kernel class.</summary>
/// <remarks>Linear layers (GEMMs over every token) and attention (each sequence against its own cache) are separate
/// kernels that run one after the other, so each gets its own roofline and the times add:
/// step = max(linear FLOPs / (peak × matmul MFU), weight bytes / (bandwidth × MBU))
///      + max(attention FLOPs / (peak × attention MFU), KV bytes / (bandwidth × MBU))
///      + element-wise traffic / bandwidth + communication + overhead.
/// A single max over the totals (the plain roofline) would let KV reads hide behind weight reads, which they cannot.
/// See docs/methodology.md#step-time.</remarks>
/// <param name="LinearCompute">Linear-layer FLOPs / (peak × matmul MFU).</param>
/// <param name="LinearMemory">Weight bytes read / (bandwidth × MBU).</param>
/// <param name="AttentionCompute">Attention FLOPs / (peak × attention MFU).</param>
/// <param name="AttentionMemory">KV bytes read / (bandwidth × MBU).</param>
/// <param name="Elementwise">Activation traffic / bandwidth.</param>
/// <param name="Communication">Collectives.</param>
/// <param name="Overhead">Fixed per-step overhead.</param>
public sealed record StepCost(
    Seconds LinearCompute,
    Seconds LinearMemory,
    Seconds AttentionCompute,
    Seconds AttentionMemory,
    Seconds Elementwise,
    Seconds Communication,
    Seconds Overhead)
{
    /// <summary>The linear layers' time: the larger of their compute and memory terms.</summary>
    public Seconds Linear => Seconds.Max(LinearCompute, LinearMemory);

    /// <summary>Attention's time: the larger of its compute and memory terms.</summary>
    public Seconds Attention => Seconds.Max(AttentionCompute, AttentionMemory);

    /// <summary>Linear + attention + element-wise + communication + overhead.</summary>
    public Seconds Total => Linear + Attention + Elementwise + Communication + Overhead;

    /// <summary>Compute terms added up.</summary>
    public Seconds ComputeTime => LinearCompute + AttentionCompute;

    /// <summary>Memory terms added up.</summary>
    public Seconds MemoryTime => LinearMemory + AttentionMemory;

    /// <summary>Which resource dominates the step: compute when the compute terms exceed the memory terms.</summary>
    public Bound Bound => ComputeTime >= MemoryTime ? Bound.Compute : Bound.Memory;

    /// <summary>Costs a step on one device of <paramref name="setup"/>.</summary>
    public static StepCost Of(ServingSetup setup, Flops linearFlops, Bytes weightBytes, Flops attentionFlops, Bytes kvBytes,
        double tokensInStep, Seconds communication)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var eff = setup.Efficiency;
        var bandwidth = setup.Accelerator.MemoryBandwidth * eff.Mbu;
        return new StepCost(
            linearFlops / (setup.Peak * eff.MatmulMfu),
            weightBytes / bandwidth,
            attentionFlops / (setup.Peak * eff.AttentionMfu),
            kvBytes / bandwidth,
            setup.ActivationTime(tokensInStep),
            communication,
            eff.StepOverhead);
    }
}
