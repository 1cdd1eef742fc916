using Infercost.Quantities;

namespace Infercost.Serving;

/// <summary>The time of one forward step on one device, kernel class by kernel class.</summary>
/// <remarks>Linear layers (GEMMs over every token) and attention (each sequence against its own cache) are separate
/// kernels that run one after the other, so each gets its own roofline and the times add:
/// step = knee(linear FLOPs / (peak × matmul MFU), weight bytes / (bandwidth × MBU))
///      + knee(attention FLOPs / (peak × attention MFU), KV bytes / (bandwidth × MBU))
///      + element-wise traffic / bandwidth + communication + overhead.
/// where knee(c, m) = (c^p + m^p)^(1/p), p = 1 / roofline softness (a hard max at softness 0). A single max over the
/// totals (the plain roofline) would let KV reads hide behind weight reads, which they cannot.
/// See docs/methodology.md#step-time.</remarks>
/// <param name="LinearCompute">Linear-layer FLOPs / (peak × matmul MFU).</param>
/// <param name="LinearMemory">Weight bytes read / (bandwidth × MBU).</param>
/// <param name="AttentionCompute">Attention FLOPs / (peak × attention MFU).</param>
/// <param name="AttentionMemory">KV bytes read / (bandwidth × MBU).</param>
/// <param name="Elementwise">Activation traffic / bandwidth.</param>
/// <param name="Communication">Collectives.</param>
/// <param name="Overhead">Fixed per-step overhead: the engine's runtime overhead plus, with a kernel model, every
/// kernel's fixed latency.</param>
public readonly record struct StepCost(
    Seconds LinearCompute,
    Seconds LinearMemory,
    Seconds AttentionCompute,
    Seconds AttentionMemory,
    Seconds Elementwise,
    Seconds Communication,
    Seconds Overhead)
{
    /// <summary>How soft the roofline's knee is (see <see cref="EfficiencyFactors.RooflineSoftness"/>); 0 is a hard max.</summary>
    public double Softness { get; init; }

    /// <summary>The linear layers' time: their compute and memory terms combined at the roofline knee.</summary>
    public Seconds Linear => Knee(LinearCompute, LinearMemory, Softness);

    /// <summary>Attention's time: its compute and memory terms combined at the roofline knee.</summary>
    public Seconds Attention => Knee(AttentionCompute, AttentionMemory, Softness);

    /// <summary>(compute^p + memory^p)^(1/p) with p = 1 / softness; max(compute, memory) when softness is 0.</summary>
    /// <remarks>A kernel whose compute and memory times are close reaches neither roofline: overlap of loads and math is
    /// imperfect near the ridge point. With p = 2 a kernel exactly at the ridge takes √2 × either term.</remarks>
    public static Seconds Knee(Seconds compute, Seconds memory, double softness)
    {
        if (softness <= 0) return Seconds.Max(compute, memory);
        var p = 1 / softness;
        var high = Seconds.Max(compute, memory).Value;
        if (high <= 0) return Seconds.Zero;
        // Scaled by the larger term so the powers cannot overflow or underflow.
        var low = Seconds.Min(compute, memory).Value / high;
        // p = 2 (the calibrated knee) is a square root; other exponents take the general power.
        return Seconds.FromSeconds(high * (p == 2 ? Math.Sqrt(1 + low * low) : Math.Pow(1 + Math.Pow(low, p), 1 / p)));
    }

    /// <summary>Linear + attention + element-wise + communication + overhead.</summary>
    public Seconds Total => Sum(Linear, Attention, Elementwise, Communication, Overhead);

    /// <summary>Compute terms added up.</summary>
    public Seconds ComputeTime => LinearCompute + AttentionCompute;

    /// <summary>Memory terms added up.</summary>
    public Seconds MemoryTime => LinearMemory + AttentionMemory;

    /// <summary>The largest of the step's terms: compute (linear + attention FLOPs), memory (weight + KV reads),
    /// communication (collectives) or the fixed per-step overhead. Ties go to the earlier in that order.</summary>
    public Bound Bound
    {
        get
        {
            var (bound, largest) = ComputeTime >= MemoryTime ? (Bound.Compute, ComputeTime) : (Bound.Memory, MemoryTime);
            if (Communication > largest) (bound, largest) = (Bound.Communication, Communication);
            if (Overhead > largest) bound = Bound.Overhead;
            return bound;
        }
    }

    /// <summary>Costs a step on one device of <paramref name="setup"/>.</summary>
    /// <param name="setup">The resolved setup.</param>
    /// <param name="linearFlops">Linear-layer FLOPs per device.</param>
    /// <param name="weightBytes">Weight bytes read per device.</param>
    /// <param name="attentionFlops">Attention FLOPs per device.</param>
    /// <param name="kvBytes">KV bytes read per device.</param>
    /// <param name="tokensInStep">Tokens in the step, replica-wide (for the element-wise term).</param>
    /// <param name="communication">Collectives of the step.</param>
    /// <param name="prefillLength">Prompt length the step's prefill attention runs over (tokens); 0 when unknown or
    /// no prompt is in the step (the long-sequence efficiency applies).</param>
    /// <remarks>With a kernel model (<see cref="EfficiencyFactors.Kernels"/>) each term comes from its kernel curve
    /// (<see cref="KernelTerms"/>) and the GEMMs' and decode attention's fixed latencies join the overhead; without one,
    /// from the flat fractions of peak.</remarks>
    /// <param name="expertsTouchedPerLayer">Expected distinct routed experts per MoE layer per micro-batch (0 for a dense
    /// model), for the MoE kernel's time per touched expert.</param>
    public static StepCost Of(ServingSetup setup, Flops linearFlops, Bytes weightBytes, Flops attentionFlops, Bytes kvBytes,
        double tokensInStep, Seconds communication, double prefillLength = 0, double expertsTouchedPerLayer = 0)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var (linearCompute, linearMemory) = LinearTerms(setup, linearFlops, weightBytes);
        var (attentionCompute, attentionMemory) = AttentionTerms(setup, attentionFlops, kvBytes, prefillLength);
        return new StepCost(linearCompute, linearMemory, attentionCompute, attentionMemory, setup.ActivationTime(tokensInStep),
            communication, FixedOverhead(setup, kvBytes, expertsTouchedPerLayer))
        {
            Softness = setup.Efficiency.RooflineSoftness,
        };
    }

    /// <summary>The linear layers' compute and memory terms (seconds): with a kernel model, FLOPs (plus the tiles' work
    /// per weight byte) at the GEMM curve's rate and weight bytes at its bandwidth; without one, FLOPs at peak × matmul
    /// MFU and bytes at bandwidth × MBU.</summary>
    internal static (Seconds Compute, Seconds Memory) LinearTerms(ServingSetup setup, Flops linearFlops, Bytes weightBytes)
    {
        if (setup.StepKernels is { } k)
        {
            return (Seconds.FromSeconds((linearFlops.Value + k.TileFlopsPerWeightByte * weightBytes.Value) / k.ComputeRate),
                Seconds.FromSeconds(weightBytes.Value / k.WeightBandwidth));
        }

        var eff = setup.Efficiency;
        return (linearFlops / (setup.Peak * eff.MatmulMfu), weightBytes / (setup.Accelerator.MemoryBandwidth * eff.Mbu));
    }

    /// <summary>Attention's compute and memory terms (seconds): with a kernel model, FLOPs at the prefill-attention curve's
    /// rate for <paramref name="prefillLength"/> (the long-sequence rate when 0) and KV bytes at the decode-attention
    /// bandwidth; without one, FLOPs at peak × attention MFU and bytes at bandwidth × MBU.</summary>
    internal static (Seconds Compute, Seconds Memory) AttentionTerms(ServingSetup setup, Flops attentionFlops, Bytes kvBytes,
        double prefillLength)
    {
        if (setup.StepKernels is { } k)
        {
            var prefillRate = prefillLength > 0 ? k.PrefillRate(prefillLength) : k.LongPrefillRate;
            return (Seconds.FromSeconds(attentionFlops.Value / prefillRate),
                Seconds.FromSeconds(kvBytes.Value > 0 ? kvBytes.Value / k.KvBandwidth : 0));
        }

        var eff = setup.Efficiency;
        return (attentionFlops / (setup.Peak * eff.AttentionMfu), kvBytes / (setup.Accelerator.MemoryBandwidth * eff.Mbu));
    }

    /// <summary>The step's fixed time (seconds): the engine's per-step overhead plus, with a kernel model, the GEMMs'
    /// fixed latency (each MoE layer's module at its kernel's fixed cost), the MoE kernel's time per touched expert
    /// (<see cref="KernelTerms.ExpertSecondsPerTouched"/> × <paramref name="expertsTouchedPerLayer"/>) and, when the step reads
    /// KV (<paramref name="kvBytes"/> &gt; 0), decode attention's.</summary>
    internal static Seconds FixedOverhead(ServingSetup setup, Bytes kvBytes, double expertsTouchedPerLayer = 0)
    {
        var eff = setup.Efficiency;
        return setup.StepKernels is { } k
            ? eff.StepOverhead + Seconds.FromSeconds(k.GemmFixed + k.ExpertSecondsPerTouched * expertsTouchedPerLayer + (kvBytes.Value > 0 ? k.AttentionFixed : 0))
            : eff.StepOverhead;
    }

    /// <summary>A step's total from its combined terms: linear + attention + element-wise + communication + overhead
    /// (seconds; see <see cref="Total"/>).</summary>
    internal static Seconds Sum(Seconds linear, Seconds attention, Seconds elementwise, Seconds communication, Seconds overhead) =>
        linear + attention + elementwise + communication + overhead;
}
