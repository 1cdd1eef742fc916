namespace Infercost.Kernels;

// The curves are evaluated on the hot path (every simulated step), so they take and return plain doubles in SI units
// (seconds, bytes, FLOP/s, B/s); the typed quantities wrap them at the StepCost boundary.

/// <summary>Time of one dense GEMM (an M×K activation times a K×N weight) on one device, from its shape.</summary>
/// <remarks>
/// t = t_fixed + knee(bytes / (η_bw · BW), 2MNK / (η_c(M) · P)), η_c(M) = η_max · M / (M + M_half), knee(a, b) = √(a² + b²).
/// bytes = N·K·(weight bytes) + M·K·(activation bytes) + M·N·2 (bf16 output). The saturating η_c is tile quantisation
/// seen from outside: a kernel pays for a whole tile of rows however few it uses, so at small M its compute time
/// flattens to 2·N·K·M_half / (η_max · P) and the weight read dominates. Fitted per (architecture, compute precision) to
/// the gemm rows of data/kernels/kernel-benchmarks.csv (DeepGEMM, cuBLASLt, vLLM, AMD PRs); see docs/validation.md#kernels.
/// </remarks>
/// <param name="PeakFraction">η_max: large-shape fraction of the dense peak at the compute precision.</param>
/// <param name="HalfRows">M_half: rows at which compute efficiency is half of η_max.</param>
/// <param name="BandwidthFraction">η_bw: fraction of peak memory bandwidth a weight-streaming (small-M) GEMM reaches.</param>
/// <param name="FixedSeconds">t_fixed: per-kernel latency (launch tail, prologue, epilogue) in seconds.</param>
public readonly record struct GemmCurve(double PeakFraction, double HalfRows, double BandwidthFraction, double FixedSeconds)
{
    /// <summary>Seconds for an M×N×K GEMM with the given element sizes on a device of <paramref name="peak"/> FLOP/s and
    /// <paramref name="bandwidth"/> B/s.</summary>
    public double Time(double m, double n, double k, double weightBytes, double activationBytes, double peak, double bandwidth)
    {
        var compute = 2 * n * k * (m + HalfRows) / (PeakFraction * peak);
        var memory = (n * k * weightBytes + m * k * activationBytes + m * n * 2) / (BandwidthFraction * bandwidth);
        return FixedSeconds + Math.Sqrt(compute * compute + memory * memory);
    }

    /// <summary>Seconds of the compute term alone (no memory, no fixed cost): 2·N·K·(M + M_half) / (η_max · P).</summary>
    public double ComputeTime(double m, double n, double k, double peak) => 2 * n * k * (m + HalfRows) / (PeakFraction * peak);
}

/// <summary>Grouped (MoE) GEMM: the experts a batch touches, each fed its share of the tokens, as one MoE layer's
/// expert module of one kernel implementation (<see cref="MoeKernel"/>).</summary>
/// <remarks>
/// For T tokens routed top-k over E experts, E_active = E·(1 − (1 − k/E)^T) experts are touched; each streams its
/// weights once and multiplies m = T·k / E_active rows on average. Routing is never perfectly even: the kernel waits
/// for the busiest expert, which gets <see cref="Imbalance"/> × the mean rows, so the compute term is taken at m·imbalance
/// rows per expert. Time = t_fixed + τ·E_active + knee(E_active·W_e / (η_bw·BW), E_active·2·R·N·K / (η_c·P)), R the rows
/// the tiles compute: m·imbalance + M_half (the dense curve's padding), or, for a kernel that sizes its token tiles to
/// the experts' rows (<see cref="Tile"/>, TRTLLM-Gen), m·imbalance rounded up to its tile,
/// with η_bw, η_c from the dense <see cref="GemmCurve"/> of the same architecture and precision. t_fixed is the module's
/// fixed cost (router, top-k, quantisation, permutation kernels) and τ the time each touched expert adds beyond its
/// weight read (its tiles' prologue and epilogue, the scheduling of a small GEMM), both fitted per implementation to the
/// grouped_gemm module rows (TensorRT-LLM blog 24 for TRTLLM-Gen and CUTLASS, SGLang's fused_moe tuning rows for Triton).
/// </remarks>
/// <param name="FixedSeconds">Fixed cost of one MoE layer's expert computation, seconds.</param>
/// <param name="Imbalance">Rows of the busiest expert ÷ mean rows per touched expert (≥ 1).</param>
public readonly record struct GroupedGemmCurve(double FixedSeconds, double Imbalance)
{
    /// <summary>τ: seconds each touched expert adds beyond its weight read (0 for a kernel whose time per expert is the
    /// read alone).</summary>
    public double PerExpertSeconds { get; init; }

    /// <summary>The busiest expert's rows ÷ the mean for tokens routed top-<paramref name="topK"/> over
    /// <paramref name="experts"/> experts: <see cref="Imbalance"/>, or exactly 1 when every token goes to every expert
    /// (k ≥ E: nothing is routed, so every expert gets every token).</summary>
    public double ImbalanceFor(double experts, double topK) => topK >= experts ? 1 : Imbalance;

    /// <summary>The kernel's token tiles (<see cref="MoeKernels.TokenTileOf"/>); null when each expert's tiles are padded
    /// like a dense GEMM's, by the dense curve's M_half.</summary>
    public TokenTile? Tile { get; init; }

    /// <summary>Rows of compute an expert whose busiest share is <paramref name="busiestRows"/> costs: its tiles'
    /// <see cref="TokenTile.PaddedRows"/> for a kernel with token tiles, else busiest rows + <paramref name="denseHalfRows"/>
    /// (the dense curve's M_half).</summary>
    public double ComputeRows(double busiestRows, double denseHalfRows) =>
        Tile is { } t ? t.PaddedRows(busiestRows) : busiestRows + denseHalfRows;

    /// <summary>Expected distinct experts <paramref name="tokens"/> tokens touch: E·(1 − (1 − k/E)^T).</summary>
    public static double ActiveExperts(double experts, double topK, double tokens) =>
        tokens <= 0 ? 0 : experts * (1 - Math.Pow(1 - topK / experts, tokens));

    /// <summary>Seconds for the expert GEMMs of one MoE layer: <paramref name="tokens"/> tokens, each to
    /// <paramref name="topK"/> of <paramref name="experts"/> experts, each with <paramref name="nk"/> weight elements
    /// summed over its matrices (for a gated MLP 3 · hidden · intermediate).</summary>
    public double Time(GemmCurve dense, double tokens, double experts, double topK, double nk, double weightBytes,
        double activationBytes, double peak, double bandwidth)
    {
        var active = ActiveExperts(experts, topK, tokens);
        if (active <= 0) return 0;
        var rows = tokens * topK / active;
        var compute = active * 2 * nk * ComputeRows(rows * ImbalanceFor(experts, topK), dense.HalfRows) / (dense.PeakFraction * peak);
        var memory = (active * nk * weightBytes + tokens * topK * Math.Sqrt(nk) * (activationBytes + 2)) / (dense.BandwidthFraction * bandwidth);
        return FixedSeconds + PerExpertSeconds * active + Math.Sqrt(compute * compute + memory * memory);
    }
}

/// <summary>Prefill attention (FlashAttention-class): FLOP-bound, with efficiency rising in sequence length.</summary>
/// <remarks>η(S) = η_max · (d/128)^γ · S / (S + S_half), S_half different for causal and non-causal masks (a causal
/// kernel skips half the tiles but pays the diagonal tiles and load imbalance at short S). Fitted per architecture to
/// the prefill-forward rows of the current kernel generation (FlashAttention-3 and cuDNN on Hopper, FlashAttention-4
/// and cuDNN on Blackwell).</remarks>
/// <param name="PeakFraction">η_max at head dimension 128: long-sequence fraction of the 16-bit dense peak.</param>
/// <param name="HeadDimExponent">γ: how efficiency scales with head dimension d (larger tiles amortise softmax).</param>
/// <param name="HalfLength">S_half for a non-causal mask, tokens.</param>
/// <param name="HalfLengthCausal">S_half for a causal mask, tokens.</param>
public readonly record struct PrefillAttentionCurve(double PeakFraction, double HeadDimExponent, double HalfLength, double HalfLengthCausal)
{
    /// <summary>Fraction of the 16-bit peak at sequence length <paramref name="sequence"/> and head dimension <paramref name="headDim"/>.</summary>
    public double Efficiency(double sequence, double headDim, bool causal)
    {
        var half = causal ? HalfLengthCausal : HalfLength;
        return Math.Min(1, PeakFraction * Math.Pow(headDim / 128, HeadDimExponent) * sequence / (sequence + half));
    }
}

/// <summary>Decode attention: each sequence reads its KV cache once per layer, bandwidth-bound.</summary>
/// <remarks>t = t0 + KV bytes / (η · BW) per kernel call; fitted to the FlashInfer batch-decode rows (H100, A100).</remarks>
/// <param name="FixedSeconds">t0: per-call latency, seconds.</param>
/// <param name="BandwidthFraction">η: fraction of peak bandwidth reached on long KV reads.</param>
public readonly record struct DecodeAttentionCurve(double FixedSeconds, double BandwidthFraction)
{
    /// <summary>Seconds for one call reading <paramref name="bytes"/> of KV cache at <paramref name="bandwidth"/> B/s peak.</summary>
    public double Time(double bytes, double bandwidth) => FixedSeconds + bytes / (BandwidthFraction * bandwidth);
}

/// <summary>A collective's latency–bandwidth curve on one class of link.</summary>
/// <remarks>All-reduce: t = α + S · 2(n−1)/n / (η · B_link) (NCCL bus-bandwidth convention; η·B_link is busbw_peak and
/// may exceed the wire rate under NVLink SHARP). All-to-all: t = α + S·(n−1)/n / (η · B_link) for S bytes sent per
/// device. Fitted per link class to the collective rows (nccl-tests sweeps, DeepEP, TensorRT-LLM one-sided all-to-all).</remarks>
/// <param name="LatencySeconds">α: time of a zero-byte collective, seconds.</param>
/// <param name="BandwidthFraction">η: bus bandwidth at large messages as a fraction of the link's nominal bandwidth per direction.</param>
public readonly record struct CollectiveCurve(double LatencySeconds, double BandwidthFraction);
