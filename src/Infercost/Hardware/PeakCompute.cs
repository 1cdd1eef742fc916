using Infercost.Quantities;

namespace Infercost.Hardware;

/// <summary>Dense (no structured sparsity) peak matrix throughput per precision; null where the part has no such path.</summary>
public sealed record PeakCompute(
    FlopsPerSecond? Fp16,
    FlopsPerSecond? Bf16,
    FlopsPerSecond? Fp8,
    FlopsPerSecond? Int8,
    FlopsPerSecond? Int4,
    FlopsPerSecond? Fp4)
{
    /// <summary>The dense peak at <paramref name="precision"/>, or null if the accelerator has no native path for it.</summary>
    public FlopsPerSecond? For(Precision precision) => precision switch
    {
        Precision.Fp16 => Fp16 ?? Bf16,
        Precision.Bf16 => Bf16 ?? Fp16,
        Precision.Fp8 => Fp8,
        Precision.Int8 => Int8,
        Precision.Int4 => Int4,
        Precision.Fp4 => Fp4,
        _ => null,
    };
}
