namespace Infercost;

/// <summary>Numeric formats for weights, KV cache and matrix-unit compute.</summary>
public enum Precision
{
    /// <summary>IEEE half precision, 2 bytes.</summary>
    Fp16,
    /// <summary>bfloat16, 2 bytes.</summary>
    Bf16,
    /// <summary>8-bit floating point (e4m3/e5m2), 1 byte.</summary>
    Fp8,
    /// <summary>8-bit integer, 1 byte.</summary>
    Int8,
    /// <summary>4-bit integer values, half a byte; stored with group scales (<see cref="BlockScales.IntGroups"/>).</summary>
    Int4,
    /// <summary>4-bit floating point (E2M1) values, half a byte; stored with NVFP4 or MXFP4 block scales
    /// (<see cref="BlockScales.Nvfp4"/>, <see cref="BlockScales.Mxfp4"/>; which one is the setup's <see cref="ScaleLayouts"/>).</summary>
    Fp4,
}

/// <summary>Sizes and names of <see cref="Precision"/> values.</summary>
public static class PrecisionInfo
{
    /// <summary>Bytes of one element's value: 2 for fp16/bf16, 1 for fp8/int8, 0.5 for int4/fp4.</summary>
    /// <remarks>Values only, no block scales: the width of activations and of what collectives move, and of the values
    /// inside a stored tensor. Stored weights and KV cache count their scales too, through
    /// <see cref="ScaleLayouts.BytesPerElement"/> (NVFP4 0.5625 B, MXFP4 0.53125 B, int4 g128 0.5195 B); see
    /// docs/methodology.md#precision.</remarks>
    public static double BytesPerElement(this Precision precision) => precision switch
    {
        Precision.Fp16 or Precision.Bf16 => 2.0,
        Precision.Fp8 or Precision.Int8 => 1.0,
        Precision.Int4 or Precision.Fp4 => 0.5,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, null),
    };

    /// <summary>The lower-case name used in catalogs and on the command line (<c>bf16</c>, <c>fp8</c>...).</summary>
    public static string Name(this Precision precision) => precision.ToString().ToLowerInvariant();

    /// <summary>Every accepted name, for error messages.</summary>
    public static string AcceptedNames => string.Join(", ", Enum.GetValues<Precision>().Select(p => p.Name()));

    /// <summary>The names a stored precision (weights, KV cache) accepts: <see cref="AcceptedNames"/> and the two FP4
    /// layouts, nvfp4 and mxfp4.</summary>
    public static string AcceptedStoredNames => AcceptedNames + ", nvfp4, mxfp4";

    /// <summary>The FP4 layout a precision name states: <c>nvfp4</c> or <c>mxfp4</c>; null for every other name (plain
    /// <c>fp4</c> leaves the layout to the checkpoint or the device, <see cref="ScaleLayouts.For"/>).</summary>
    public static Fp4Format? Fp4FormatOf(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "nvfp4" => Fp4Format.Nvfp4,
        "mxfp4" => Fp4Format.Mxfp4,
        _ => null,
    };

    /// <summary>Parses a precision name; accepts the enum names and common aliases (fp4 = mxfp4 = nvfp4, bfloat16, float16).</summary>
    public static bool TryParse(string? text, out Precision precision)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "fp16" or "float16" or "half": precision = Precision.Fp16; return true;
            case "bf16" or "bfloat16": precision = Precision.Bf16; return true;
            case "fp8" or "fp8_e4m3" or "e4m3" or "float8": precision = Precision.Fp8; return true;
            case "int8" or "w8a8": precision = Precision.Int8; return true;
            case "int4" or "w4a16" or "awq" or "gptq": precision = Precision.Int4; return true;
            case "fp4" or "mxfp4" or "nvfp4": precision = Precision.Fp4; return true;
            default: precision = default; return false;
        }
    }

    /// <summary>Parses the precision of stored weights or KV cache (<see cref="AcceptedStoredNames"/>: nvfp4 and mxfp4 are
    /// fp4 in that layout, <see cref="Fp4FormatOf"/>) or throws an <see cref="InvalidInputException"/> naming
    /// <paramref name="field"/>.</summary>
    public static Precision ParseStored(string? text, string field) =>
        TryParse(text, out var p) ? p : throw new InvalidInputException(field, $"{field} must be one of {AcceptedStoredNames}; was '{text}'.");

    /// <summary>Parses a precision name or throws an <see cref="InvalidInputException"/> naming <paramref name="field"/>.</summary>
    public static Precision Parse(string? text, string field) =>
        TryParse(text, out var p) ? p : throw new InvalidInputException(field, $"{field} must be one of {AcceptedNames}; was '{text}'.");
}
