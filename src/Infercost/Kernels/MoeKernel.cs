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

/// <summary>Names of <see cref="MoeKernel"/>.</summary>
public static class MoeKernels
{
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
