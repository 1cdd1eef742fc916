namespace Infercost;

// A block-scaled format stores, beside each block of low-precision values, the scale (and for integer formats the zero
// point) that dequantises them. The values' own width is the precision's (Precision.BytesPerElement); what the block adds
// is this record's. It is a fact of the format, the same on every device and for every model: the memory plan, the KV
// cache and the weight bytes a step streams read it through StorageFormat, never as a constant of their own.

/// <summary>The scale layout of a block-scaled tensor: one scale of <see cref="ScaleBits"/> (plus a zero point of
/// <see cref="ZeroPointBits"/>) per <see cref="BlockElements"/> consecutive elements.</summary>
/// <param name="Name">Lower-case name (<c>nvfp4</c>, <c>mxfp4</c>, <c>g128</c>), printed in notes and results.</param>
/// <param name="BlockElements">Elements sharing one scale; 0 for a tensor with no per-block scales (per-tensor or
/// per-channel scales, whose bytes are negligible beside the tensor).</param>
/// <param name="ScaleBits">Bits of one block's scale, bits.</param>
/// <param name="ZeroPointBits">Bits of one block's zero point (asymmetric integer formats), bits.</param>
public readonly record struct BlockScales(string Name, int BlockElements, double ScaleBits, double ZeroPointBits = 0)
{
    /// <summary>Scale and zero-point bits one element carries: (scale + zero point) / block elements, bits per element;
    /// 0 without per-block scales.</summary>
    public double BitsPerElement => BlockElements > 0 ? (ScaleBits + ZeroPointBits) / BlockElements : 0;

    /// <summary>No per-block scales: 16-bit formats, and 8-bit ones whose per-tensor or per-channel scales are
    /// negligible (see <see cref="StorageFormat"/>).</summary>
    public static BlockScales None { get; } = new("none", 0, 0);

    /// <summary>NVFP4: E2M1 values with one FP8 E4M3 scale per 16 elements (plus one FP32 scale per tensor, not
    /// counted): 8 / 16 = 0.5 bit per element, 4.5 bits in all. Source: NVIDIA, "Introducing NVFP4 for efficient and
    /// accurate low-precision inference" (2025) and the PTX ISA's block-scaled mma (scale vector size 16, ue4m3).</summary>
    public static BlockScales Nvfp4 { get; } = new("nvfp4", 16, 8);

    /// <summary>MXFP4: E2M1 values with one E8M0 (power-of-two) scale per 32 elements: 8 / 32 = 0.25 bit per element,
    /// 4.25 bits in all. Source: OCP Microscaling Formats (MX) Specification v1.0 (2023), §5 (block size 32, E8M0 scale).</summary>
    public static BlockScales Mxfp4 { get; } = new("mxfp4", 32, 8);

    /// <summary>Group size of AWQ and GPTQ int4 checkpoints when the config gives none (both tools' default, 128).</summary>
    public const int DefaultIntGroupSize = 128;

    /// <summary>Weight-only integer group quantisation (AWQ, GPTQ): one fp16 scale and one packed 4-bit zero point per
    /// <paramref name="groupSize"/> elements, (16 + 4) / group bits per element (4.156 bits in all at group 128).
    /// A group size of 0 or less is per-channel (GPTQ's <c>group_size: -1</c>), whose scales are negligible.
    /// Sources: AWQ (Lin et al. 2024, llm-awq's <c>scales</c> fp16 and <c>qzeros</c> packed int4 per group) and GPTQ
    /// (Frantar et al. 2023; AutoGPTQ's <c>scales</c>, <c>qzeros</c>).</summary>
    public static BlockScales IntGroups(int groupSize, bool zeroPoint = true) =>
        groupSize <= 0 ? new("per-channel", 0, 0) : new($"g{groupSize}", groupSize, 16, zeroPoint ? 4 : 0);

    /// <summary>The layout an FP4 format names.</summary>
    public static BlockScales Of(Fp4Format format) => format == Fp4Format.Mxfp4 ? Mxfp4 : Nvfp4;
}

/// <summary>Which block-scaled FP4 layout a setup's fp4 tensors are stored in (the values are E2M1 in both).</summary>
public enum Fp4Format
{
    /// <summary>NVIDIA's NVFP4: FP8 E4M3 scale per 16 elements (<see cref="BlockScales.Nvfp4"/>).</summary>
    Nvfp4,
    /// <summary>OCP MXFP4: E8M0 scale per 32 elements (<see cref="BlockScales.Mxfp4"/>).</summary>
    Mxfp4,
}
