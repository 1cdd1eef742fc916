namespace Infercost.Kernels;

/// <summary>The kernel curves the engine ships: fitted to data/kernels/kernel-benchmarks.csv (a copy of the project's
/// shared kernel benchmark file: 847 published microbenchmark figures with their sources; kernel-benchmarks.md beside it
/// reads the curves out of them).</summary>
/// <remarks>Refit with <c>infercost kernels --data data/kernels/kernel-benchmarks.csv --fit</c>; a test refits and fails
/// if these stored values drift from what the data gives. Values are printed to four significant figures. See
/// docs/validation.md#kernel-model.</remarks>
public static class KernelCurves
{
    /// <summary>When the fit was made.</summary>
    public const string FittedOn = "2026-12-08";

    /// <summary>The shipped kernel model.</summary>
    public static KernelModel Fitted { get; } = new(
        Gemm,
        new GroupedGemmCurve(20.65e-6, Imbalance) { PerExpertSeconds = 0.05457e-6, Tile = MoeKernels.TokenTileOf(MoeKernel.TrtllmGen) },
        Prefill,
        Decode,
        AllReduce,
        AllToAll,
        GraphCollectiveLatencySeconds: 4.1e-6,
        Source: "fitted to data/kernels/kernel-benchmarks.csv on " + FittedOn)
    {
        MoeModules = new Dictionary<MoeKernel, GroupedGemmCurve>
        {
            // (fixed seconds per MoE layer, shared imbalance) + seconds per touched expert; TRTLLM-Gen (above) also
            // computes each expert in token tiles of 8–64 rows instead of the dense curve's M_half padding.
            [MoeKernel.Cutlass] = new(90.11e-6, Imbalance) { PerExpertSeconds = 0.1820e-6 },
            [MoeKernel.Triton] = new(26.54e-6, Imbalance) { PerExpertSeconds = 0.1981e-6 },
        },
    };

    // The routing imbalance every MoE module shares (the router's, fitted over every implementation's rows).
    private const double Imbalance = 1.304;

    // (peak fraction, half rows, bandwidth fraction, fixed seconds) per architecture and compute precision. The bandwidth
    // fraction is of stored bytes: 4-bit weights count their block scales (NVFP4 0.5625 B, MXFP4 0.53125 B per element).
    // Ampere BF16 and CDNA 4 FP4 have no row with M ≤ 256, so their half rows and bandwidth fraction are borrowed
    // (KernelFit.BorrowedSmallM): Ampere from Hopper BF16 with the A100 / Hopper read-stream ratio (0.864 / 0.949),
    // CDNA 4 FP4 from Blackwell FP4 as it is (no CDNA 4 stream row).
    private static Dictionary<(Architecture, Precision), GemmCurve> Gemm => new()
    {
        [(Architecture.Ampere, Precision.Bf16)] = new(0.7638, 58.39, 0.8127, 7.861e-6),
        [(Architecture.Blackwell, Precision.Bf16)] = new(0.7217, 40.17, 0.9018, 0.9158e-6),
        [(Architecture.Blackwell, Precision.Fp4)] = new(0.603, 288.0, 0.7228, 3.482e-6),
        [(Architecture.Blackwell, Precision.Fp8)] = new(0.612, 55.76, 0.8737, 2.404e-6),
        [(Architecture.Cdna4, Precision.Bf16)] = new(0.465, 75.7, 0.6834, 12.48e-6),
        [(Architecture.Cdna4, Precision.Fp4)] = new(0.5321, 288.0, 0.7228, 4.031e-6),
        [(Architecture.Cdna4, Precision.Fp8)] = new(0.5117, 87.91, 0.8481, 15.59e-6),
        [(Architecture.Hopper, Precision.Bf16)] = new(0.7522, 58.39, 0.8923, 2.58e-6),
        [(Architecture.Hopper, Precision.Fp8)] = new(0.6768, 35.03, 0.9167, 4.144e-6),
    };

    // (peak fraction at head dim 128, head-dim exponent, half length non-causal, half length causal).
    private static Dictionary<Architecture, PrefillAttentionCurve> Prefill => new()
    {
        [Architecture.Blackwell] = new(0.6634, 0.4912, 257.4, 1108.0),
        [Architecture.Hopper] = new(0.5993, 0.1985, 171.6, 622.6),
    };

    // (fixed seconds, bandwidth fraction).
    private static Dictionary<Architecture, DecodeAttentionCurve> Decode => new()
    {
        [Architecture.Ampere] = new(13.3e-6, 0.8169),
        [Architecture.Hopper] = new(12.19e-6, 0.8588),
    };

    // (latency seconds, bus bandwidth as a fraction of the link's nominal bandwidth per direction).
    private static Dictionary<LinkClass, CollectiveCurve> AllReduce => new()
    {
        [LinkClass.Network] = new(1057.0e-6, 9.53),
        [LinkClass.NvLink3] = new(43.64e-6, 0.653),
        [LinkClass.NvLink4] = new(31.82e-6, 0.9566),
        [LinkClass.NvLink5] = new(17.45e-6, 0.7202),
    };

    // (latency seconds, bandwidth fraction).
    private static Dictionary<LinkClass, CollectiveCurve> AllToAll => new()
    {
        [LinkClass.Network] = new(17.92e-6, 1.155),
        [LinkClass.NvLink4] = new(21.26e-6, 0.2227),
        [LinkClass.NvLink5] = new(23.12e-6, 0.7983),
    };
}
