namespace Infercost.Kernels;

/// <summary>The kernel-level time model: one curve per kernel class and physical class (architecture × precision for
/// GEMMs, architecture for attention, link class for collectives). A value, passed into the serving setup (through the
/// engine profile), so a user's own fitted model can replace it.</summary>
/// <remarks>Lookups fall back along documented lines when the data has no curve for a class: a GEMM precision without
/// rows takes its architecture's curve of the nearest precision (bf16 ↔ fp8 ↔ fp4), an architecture without rows takes
/// Hopper's (the best-covered generation), an unknown link class NVLink 4's. <see cref="Covers(Architecture, Precision)"/>
/// says whether a lookup was direct, for the prediction's extrapolation list. See docs/methodology.md#kernels.</remarks>
/// <param name="Gemm">Dense GEMM curves by (architecture, compute precision: bf16, fp8 or fp4).</param>
/// <param name="GroupedGemm">MoE grouped-GEMM module cost and routing imbalance of TensorRT-LLM's module
/// (<see cref="MoeKernel.TrtllmGen"/>); the other implementations are in <see cref="MoeModules"/>.</param>
/// <param name="Prefill">Prefill attention curves by architecture.</param>
/// <param name="Decode">Decode attention curves by architecture.</param>
/// <param name="AllReduce">All-reduce curves by link class (NCCL as benchmarked: no CUDA graph, stock algorithms).</param>
/// <param name="AllToAll">All-to-all (MoE dispatch/combine) curves by link class.</param>
/// <param name="GraphCollectiveLatencySeconds">α of a small all-reduce under a tuned stack (symmetric memory, custom
/// all-reduce, CUDA graphs): the latency floor engines with graph-captured steps pay, seconds.</param>
/// <param name="Source">Where the curves were fitted.</param>
public sealed record KernelModel(
    IReadOnlyDictionary<(Architecture Architecture, Precision Precision), GemmCurve> Gemm,
    GroupedGemmCurve GroupedGemm,
    IReadOnlyDictionary<Architecture, PrefillAttentionCurve> Prefill,
    IReadOnlyDictionary<Architecture, DecodeAttentionCurve> Decode,
    IReadOnlyDictionary<LinkClass, CollectiveCurve> AllReduce,
    IReadOnlyDictionary<LinkClass, CollectiveCurve> AllToAll,
    double GraphCollectiveLatencySeconds,
    string Source)
{
    /// <summary>The compute-precision key of a GEMM: 16-bit formats are bf16, 8-bit fp8, 4-bit fp4; int4 weight-only
    /// kernels run their math at bf16.</summary>
    public static Precision GemmKey(Precision compute) => compute switch
    {
        Precision.Fp16 or Precision.Bf16 or Precision.Int4 => Precision.Bf16,
        Precision.Fp8 or Precision.Int8 => Precision.Fp8,
        _ => Precision.Fp4,
    };

    /// <summary>The MoE module curves of the other implementations (<see cref="MoeKernel.Cutlass"/>,
    /// <see cref="MoeKernel.Triton"/>), each with <see cref="GroupedGemm"/>'s imbalance; empty in a model fitted to a file
    /// without their rows.</summary>
    public IReadOnlyDictionary<MoeKernel, GroupedGemmCurve> MoeModules { get; init; } = new Dictionary<MoeKernel, GroupedGemmCurve>();

    /// <summary>The MoE module curve of <paramref name="kernel"/>: <see cref="GroupedGemm"/> for TRTLLM-Gen, and for
    /// the others their curve in <see cref="MoeModules"/> (TRTLLM-Gen's when the model has none).</summary>
    public GroupedGemmCurve GroupedGemmFor(MoeKernel kernel) =>
        kernel != MoeKernel.TrtllmGen && MoeModules.TryGetValue(kernel, out var c) ? c : GroupedGemm;

    /// <summary>Whether the data holds GEMM rows for this architecture and compute precision (no fallback needed).</summary>
    public bool Covers(Architecture architecture, Precision compute) => Gemm.ContainsKey((architecture, GemmKey(compute)));

    /// <summary>The GEMM curve for an architecture and compute precision, falling back as the remarks say.</summary>
    public GemmCurve GemmFor(Architecture architecture, Precision compute)
    {
        var key = GemmKey(compute);
        if (Gemm.TryGetValue((architecture, key), out var c)) return c;
        foreach (var near in Nearest(key))
        {
            if (Gemm.TryGetValue((architecture, near), out c)) return c;
        }

        if (Gemm.TryGetValue((Architecture.Hopper, key), out c)) return c;
        return Gemm.TryGetValue((Architecture.Hopper, Precision.Fp8), out c) ? c : Gemm.Values.First();
    }

    /// <summary>The prefill attention curve of an architecture (Hopper's when the data has none).</summary>
    public PrefillAttentionCurve PrefillFor(Architecture architecture) =>
        Prefill.TryGetValue(architecture, out var c) ? c : Prefill[Architecture.Hopper];

    /// <summary>The decode attention curve of an architecture (Hopper's when the data has none).</summary>
    public DecodeAttentionCurve DecodeFor(Architecture architecture) =>
        Decode.TryGetValue(architecture, out var c) ? c : Decode[Architecture.Hopper];

    /// <summary>The all-reduce curve of a link class (NVLink 4's when the data has none).</summary>
    public CollectiveCurve AllReduceFor(LinkClass link) =>
        AllReduce.TryGetValue(link, out var c) ? c : AllReduce[LinkClass.NvLink4];

    /// <summary>The all-to-all curve of a link class (NVLink 5's for a scale-up fabric, the network's otherwise, when
    /// the data has none).</summary>
    public CollectiveCurve AllToAllFor(LinkClass link) =>
        AllToAll.TryGetValue(link, out var c) ? c
            : AllToAll.TryGetValue(link == LinkClass.Network ? LinkClass.Network : LinkClass.NvLink5, out c) ? c : AllToAll.Values.First();

    private static Precision[] Nearest(Precision key) => key switch
    {
        Precision.Bf16 => [Precision.Fp8, Precision.Fp4],
        Precision.Fp8 => [Precision.Bf16, Precision.Fp4],
        _ => [Precision.Fp8, Precision.Bf16],
    };
}
