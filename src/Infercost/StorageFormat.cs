namespace Infercost;

/// <summary>How one tensor is stored: its precision and the block scales beside its values.</summary>
/// <remarks>Bytes per stored element = (value bits + scale bits per element) / 8: bf16 2, fp8 and int8 1, NVFP4 0.5625,
/// MXFP4 0.53125, int4 in groups of 128 with fp16 scales and 4-bit zero points 0.5195. FP8 and INT8 scales are left out:
/// per-tensor and per-channel scales are one number per tensor or row (≪ 0.1%), and DeepSeek's 128 × 128 block FP8
/// weights add one FP32 scale per 16,384 elements (4 B, 0.02%). This is the one place that turns an element count of
/// stored weights or KV cache into bytes; activations and collectives move values in the compute precision and use
/// <see cref="PrecisionInfo.BytesPerElement"/>. See docs/methodology.md#precision.</remarks>
public readonly record struct StorageFormat
{
    private StorageFormat(Precision precision, BlockScales scales)
    {
        Precision = precision;
        Scales = scales;
    }

    /// <summary>The values' precision.</summary>
    public Precision Precision { get; }

    /// <summary>The block scales stored beside the values (<see cref="BlockScales.None"/> for 16- and 8-bit formats).</summary>
    public BlockScales Scales { get; }

    /// <summary>Bits one stored element occupies: value bits + scale bits per element, bits.</summary>
    public double BitsPerElement => Precision.BytesPerElement() * 8 + Scales.BitsPerElement;

    /// <summary>Bytes one stored element occupies: <see cref="BitsPerElement"/> / 8, bytes.</summary>
    public double BytesPerElement => BitsPerElement / 8;

    /// <summary>The format's name: the precision for unscaled formats, else the layout (<c>nvfp4</c>, <c>mxfp4</c>,
    /// <c>int4 g128</c>).</summary>
    public string Name => Scales.BlockElements <= 0 ? Precision.Name()
        : Precision == Precision.Fp4 ? Scales.Name : $"{Precision.Name()} {Scales.Name}";

    /// <summary>A format with no block scales (16-bit and 8-bit precisions).</summary>
    /// <exception cref="ArgumentException">A 4-bit precision, whose bytes depend on its layout: use
    /// <see cref="ScaleLayouts.Format"/>.</exception>
    public static StorageFormat Of(Precision precision) => precision is Precision.Fp4 or Precision.Int4
        ? throw new ArgumentException($"{precision.Name()} is block-scaled; its stored bytes need a scale layout (ScaleLayouts.Format).", nameof(precision))
        : new(precision, BlockScales.None);

    /// <summary>A 4-bit (or any) precision stored with <paramref name="scales"/>.</summary>
    public static StorageFormat Of(Precision precision, BlockScales scales) =>
        precision is Precision.Fp4 or Precision.Int4 ? new(precision, scales) : Of(precision);

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>The block-scale layouts a setup stores its 4-bit tensors in: one for fp4 (NVFP4 or MXFP4), one for int4
/// (the group size). Every stored-bytes figure of a setup (weights, experts, embedding and head, KV cache, draft models)
/// goes through <see cref="BytesPerElement"/>.</summary>
/// <param name="Fp4">Layout of fp4 tensors.</param>
/// <param name="Int4">Layout of int4 tensors.</param>
public sealed record ScaleLayouts(BlockScales Fp4, BlockScales Int4)
{
    /// <summary>NVFP4 and int4 in groups of 128: the layouts of NVIDIA devices with no checkpoint to say otherwise.</summary>
    public static ScaleLayouts Nvidia { get; } = new(BlockScales.Nvfp4, BlockScales.IntGroups(BlockScales.DefaultIntGroupSize));

    /// <summary>The layouts of <paramref name="model"/> on a device of <paramref name="vendor"/>: fp4 the
    /// <paramref name="requested"/> layout, else the checkpoint's (<see cref="Models.ModelArchitecture.Fp4Scales"/>), else
    /// the device's default (<see cref="DefaultFp4"/>); int4 the checkpoint's groups
    /// (<see cref="Models.ModelArchitecture.Int4Scales"/>), else AWQ's and GPTQ's default of 128.</summary>
    public static ScaleLayouts For(Models.ModelArchitecture model, string vendor, Fp4Format? requested)
    {
        ArgumentNullException.ThrowIfNull(model);
        var fp4 = requested is { } f ? BlockScales.Of(f) : model.Fp4Scales ?? BlockScales.Of(DefaultFp4(vendor));
        var int4 = model.Int4Scales ?? BlockScales.IntGroups(BlockScales.DefaultIntGroupSize);
        return fp4 == Nvidia.Fp4 && int4 == Nvidia.Int4 ? Nvidia : new ScaleLayouts(fp4, int4);
    }

    /// <summary>The stored format of a tensor in <paramref name="precision"/>.</summary>
    public StorageFormat Format(Precision precision) => precision switch
    {
        Precision.Fp4 => StorageFormat.Of(precision, Fp4),
        Precision.Int4 => StorageFormat.Of(precision, Int4),
        _ => StorageFormat.Of(precision),
    };

    /// <summary>Bytes one stored element of <paramref name="precision"/> occupies, scales included, bytes
    /// (<see cref="StorageFormat.BytesPerElement"/>).</summary>
    public double BytesPerElement(Precision precision) => Format(precision).BytesPerElement;

    /// <summary>The FP4 layout of a device when neither the request nor the checkpoint names one: MXFP4 on AMD (CDNA 4's
    /// FP4 matrix instructions take E8M0 scales per 32 elements and it has no NVFP4 path; AMD Instinct MI355X data
    /// sheet, CDNA 4 ISA guide), and on every non-NVIDIA device (MX is the OCP's open standard); NVFP4 on NVIDIA (the
    /// format of TensorRT Model Optimizer's FP4 exports and of the FP4 paths of TensorRT-LLM, vLLM and SGLang on Blackwell).</summary>
    public static Fp4Format DefaultFp4(string vendor) =>
        string.Equals(vendor, "NVIDIA", StringComparison.OrdinalIgnoreCase) ? Fp4Format.Nvfp4 : Fp4Format.Mxfp4;
}
