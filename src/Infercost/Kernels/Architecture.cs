using Infercost.Hardware;

namespace Infercost.Kernels;

/// <summary>The matrix-unit and memory generation of an accelerator: what the kernel curves are keyed by (kernels of
/// one generation share tile shapes, tensor-core instructions and library maturity), never a single GPU id.</summary>
public enum Architecture
{
    /// <summary>NVIDIA Ampere (A100): 16-bit tensor cores, no FP8.</summary>
    Ampere,
    /// <summary>NVIDIA Ada (L40S, L4, RTX 4090): FP8 tensor cores, GDDR memory.</summary>
    Ada,
    /// <summary>NVIDIA Hopper (H100, H200, H800): FP8 wgmma tensor cores, HBM3.</summary>
    Hopper,
    /// <summary>NVIDIA Blackwell (B200, GB200): FP4 tensor cores, HBM3e.</summary>
    Blackwell,
    /// <summary>AMD CDNA 3 (MI300X, MI325X): FP8 matrix cores.</summary>
    Cdna3,
    /// <summary>AMD CDNA 4 (MI355X): FP4/FP6 matrix cores.</summary>
    Cdna4,
    /// <summary>Anything else (TPU, LPU, wafer-scale): no kernel benchmark covers it.</summary>
    Other,
}

/// <summary>Which <see cref="Architecture"/> an accelerator belongs to.</summary>
public static class Architectures
{
    /// <summary>GDDR-class bandwidth below which an FP8-capable NVIDIA part is Ada, not Hopper (H100 PCIe has 2 TB/s,
    /// L40S 0.86 TB/s).</summary>
    private const double AdaBandwidthCeiling = 1.5e12;

    /// <summary>The generation of <paramref name="accelerator"/>, read from its vendor and the matrix formats it has a
    /// published peak for: NVIDIA with an FP4 peak is Blackwell; with FP8 on HBM Hopper, on GDDR (under 1.5 TB/s) Ada;
    /// without FP8 Ampere. AMD with FP4 is CDNA 4, otherwise CDNA 3. A user's own catalog entry is classified the same
    /// way, so no id table has to know it.</summary>
    public static Architecture Of(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        var p = accelerator.Peaks;
        if (string.Equals(accelerator.Vendor, "NVIDIA", StringComparison.OrdinalIgnoreCase))
        {
            if (p.Fp4 is not null) return Architecture.Blackwell;
            if (p.Fp8 is not null) return accelerator.MemoryBandwidth.Value < AdaBandwidthCeiling ? Architecture.Ada : Architecture.Hopper;
            return Architecture.Ampere;
        }

        if (string.Equals(accelerator.Vendor, "AMD", StringComparison.OrdinalIgnoreCase))
        {
            return p.Fp4 is not null ? Architecture.Cdna4 : Architecture.Cdna3;
        }

        return Architecture.Other;
    }

    /// <summary>The lower-case name used in reports (<c>hopper</c>, <c>cdna4</c>).</summary>
    public static string Name(this Architecture architecture) => architecture.ToString().ToLowerInvariant();
}
