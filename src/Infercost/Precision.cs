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
    /// <summary>4-bit integer, half a byte (scales ignored).</summary>
    Int4,
    /// <summary>4-bit floating point (FP4, MXFP4, NVFP4), half a byte (block scales ignored).</summary>
    Fp4,
}

/// <summary>Sizes and names of <see cref="Precision"/> values.</summary>
public static class PrecisionInfo
{
    /// <summary>Bytes one element occupies: 2 for fp16/bf16, 1 for fp8/int8, 0.5 for int4/fp4.</summary>
    /// <remarks>Block-scale overhead (for example MXFP4: one 8-bit scale per 32 elements, 4.25 bits per element, +6.25%; NVFP4 +12.5%) is not counted;
    /// see docs/methodology.md#precision.</remarks>
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

    /// <summary>Parses a precision name or throws an <see cref="InvalidInputException"/> naming <paramref name="field"/>.</summary>
    public static Precision Parse(string? text, string field) =>
        TryParse(text, out var p) ? p : throw new InvalidInputException(field, $"{field} must be one of {AcceptedNames}; was '{text}'.");
}
