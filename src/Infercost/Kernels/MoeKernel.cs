namespace Infercost.Kernels;

/// <summary>The kernel implementation that runs a MoE layer's routed experts. Serving engines differ here more than
/// anywhere else in the step: on the same B200 NVFP4 module TensorRT-LLM's blog 24 measures CUTLASS 2.0–3.6× slower
/// than TRTLLM-Gen. Which one an engine runs by default is part of its profile
/// (<see cref="Calibration.ServingSoftware.MoeKernelFor(Precision, Architecture)"/>).</summary>
public enum MoeKernel
{
    /// <summary>TensorRT-LLM's grouped-GEMM MoE module (TRTLLM-Gen kernels on Blackwell; the calibrated TensorRT-LLM
    /// runs use this curve). Report name <c>trtllm-gen</c>.</summary>
    TrtllmGen,
    /// <summary>A CUTLASS grouped GEMM (vLLM's NVFP4 MoE default, TensorRT-LLM's reference backend). Report name <c>cutlass</c>.</summary>
    Cutlass,
    /// <summary>The Triton <c>fused_moe</c> kernel with its default configurations (vLLM's and SGLang's default for
    /// 16- and 8-bit experts). Report name <c>triton</c>.</summary>
    Triton,
}

/// <summary>The range of token tiles a MoE kernel picks from: each expert's rows are computed in tiles of T rows, T the
/// next power of two at or above the busiest expert's rows, clamped to [<paramref name="MinRows"/>,
/// <paramref name="MaxRows"/>], so an expert fed r rows costs ⌈r / T⌉·T rows of compute.</summary>
/// <param name="MinRows">Smallest tile, rows.</param>
/// <param name="MaxRows">Largest tile, rows.</param>
public readonly record struct TokenTile(double MinRows, double MaxRows)
{
    /// <summary>Rows the tiles compute for an expert whose busiest share is <paramref name="rows"/> rows: ⌈r / T⌉·T with
    /// T = clamp(2^⌈log₂ r⌉, min, max); 0 for no rows.</summary>
    public double PaddedRows(double rows)
    {
        if (rows <= 0) return 0;
        var tile = Math.Clamp(Math.Pow(2, Math.Ceiling(Math.Log2(rows))), MinRows, MaxRows);
        return Math.Ceiling(rows / tile) * tile;
    }
}

/// <summary>Names of <see cref="MoeKernel"/>.</summary>
public static class MoeKernels
{
    /// <summary>The token tiles of a kernel that sizes them to its experts' rows, or null for one that runs each expert
    /// as a dense GEMM padded like the dense curve (M_half): TRTLLM-Gen's fused MoE runner picks its CTA tile over tokens
    /// as the next power of two of the tokens per expert (× 1.3 for imbalance), capped to 8–64, "the range supported by
    /// the kernel" (TensorRT-LLM / FlashInfer <c>get_tile_tokens_dim</c>); CUTLASS and Triton grouped GEMMs use fixed
    /// tiles chosen for the problem, which the dense padding follows within their rows' errors (docs/validation.md#moe-kernels).</summary>
    public static TokenTile? TokenTileOf(MoeKernel kernel) => kernel == MoeKernel.TrtllmGen ? new TokenTile(8, 64) : null;

    /// <summary>The names <see cref="Parse"/> accepts, in enum order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["trtllm-gen", "cutlass", "triton"];

    /// <summary>The report name (<c>trtllm-gen</c>, <c>cutlass</c>, <c>triton</c>).</summary>
    public static string Name(this MoeKernel kernel) => Names[(int)kernel];

    /// <summary>The kernel called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static MoeKernel? Parse(string? name)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], name?.Trim(), StringComparison.OrdinalIgnoreCase)) return (MoeKernel)i;
        }

        return null;
    }
}
