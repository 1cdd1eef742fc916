using Infercost.Hardware;
using Infercost.Quantities;

namespace Infercost.Dataflow;

// SRAM-only dataflow machines (Groq's LPU, Cerebras's wafer) keep the weights in on-chip SRAM and pipeline a model over
// many chips. None of the GPU calibration (MFU, MBU, step overhead, collective latency) was measured on them, so this
// model takes its few constants as named inputs and never borrows the GPU-fitted ones.

/// <summary>The physical constants of a pipelined SRAM machine, each named; the defaults say where they come from.</summary>
/// <param name="WeightPrecision">Precision weights are stored in (bytes per parameter).</param>
/// <param name="SramUsableFraction">Share of each chip's SRAM that holds weights and KV (the rest: activations, code),
/// in (0, 1].</param>
/// <param name="LinkBandwidth">Chip-to-chip bandwidth one stage sends its activations over, per direction.</param>
/// <param name="HopLatency">Fixed latency of one chip-to-chip hop.</param>
/// <param name="Peak">Dense peak per chip at the compute precision; null takes the catalog's.</param>
/// <param name="StreamBandwidth">Bandwidth weights stream at from off-chip memory (Cerebras MemoryX) when they do not
/// fit the chips given; null means the model must fit in SRAM.</param>
public sealed record DataflowParameters(
    Precision WeightPrecision,
    double SramUsableFraction,
    BytesPerSecond LinkBandwidth,
    Seconds HopLatency,
    FlopsPerSecond? Peak = null,
    BytesPerSecond? StreamBandwidth = null)
{
    /// <summary>Defaults for <paramref name="accelerator"/>: FP16 weights, 90% of SRAM usable (assumption), the catalog's
    /// scale-out link (Groq and Cerebras publish no per-link figure in the catalog), 1 µs per hop (assumption: Groq's
    /// chip-to-chip network is statically scheduled and sub-microsecond per hop in its ISCA 2022 paper; rounded up).</summary>
    public static DataflowParameters For(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        return new DataflowParameters(Precision.Fp16, 0.9, accelerator.ScaleUpBandwidth ?? accelerator.ScaleOutBandwidth, Seconds.FromMicroseconds(1));
    }

    /// <summary>Checks every field; messages name the CLI flags.</summary>
    public DataflowParameters Validated()
    {
        Guard.InRange(SramUsableFraction, 0.01, 1, "sramUsable");
        Guard.Positive(LinkBandwidth.Value, "linkGbps");
        Guard.InRange(HopLatency.Value, 0, 1, "hopLatencyUs");
        if (Peak is { } p) Guard.Positive(p.Value, "peakTflops");
        if (StreamBandwidth is { } s) Guard.Positive(s.Value, "streamGbps");
        return this;
    }
}

/// <summary>Which accelerators are SRAM-only dataflow machines (no HBM behind the on-chip memory).</summary>
public static class DataflowMachines
{
    /// <summary>True for Groq LPUs and Cerebras wafers: the catalog lists their SRAM as device memory.</summary>
    /// <remarks>By vendor, because the catalog has no memory-kind field; both vendors make only SRAM-only parts.</remarks>
    public static bool IsSramDataflow(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        return accelerator.Vendor is "Groq" or "Cerebras";
    }
}
