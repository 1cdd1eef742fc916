using System.Text.Json.Serialization;
using Infercost.Quantities;

namespace Infercost.Hardware;

/// <summary>One accelerator (GPU, TPU chip, LPU...) as the serving model sees it: capacity, bandwidth, peaks, power, links, prices.</summary>
/// <param name="Id">Catalog id, for example <c>nvidia-h100-sxm</c>.</param>
/// <param name="Name">Display name.</param>
/// <param name="Vendor">Maker.</param>
/// <param name="Memory">Device memory (HBM/GDDR/SRAM), decimal bytes as marketed.</param>
/// <param name="MemoryBandwidth">Peak device-memory bandwidth.</param>
/// <param name="Peaks">Dense peak matrix throughput per precision.</param>
/// <param name="Tdp">Board power at full load; null where no source gives it.</param>
/// <param name="ScaleUpBandwidth">Per-device scale-up (NVLink, xGMI, ICI) bandwidth in one direction; null where there is none.</param>
/// <param name="ScaleUpDomain">Devices that share the scale-up fabric: 8 for an HGX node, 72 for NVL72, 1 for a PCIe card without links.</param>
/// <param name="ScaleOutBandwidth">Per-device network bandwidth in one direction between scale-up domains (one 400 Gb/s NIC = 50 GB/s).</param>
/// <param name="RentalPerHour">Typical rental price per device-hour; null where none was sourced.</param>
/// <param name="PurchasePrice">Approximate purchase price per device; null where none was sourced.</param>
/// <param name="Source">Where the figures come from.</param>
public sealed record Accelerator(
    string Id,
    string Name,
    string Vendor,
    Bytes Memory,
    BytesPerSecond MemoryBandwidth,
    PeakCompute Peaks,
    Watts? Tdp,
    BytesPerSecond? ScaleUpBandwidth,
    int ScaleUpDomain,
    BytesPerSecond ScaleOutBandwidth,
    DollarsPerHour? RentalPerHour,
    Dollars? PurchasePrice,
    Provenance Source)
{
    /// <summary>Per-device bandwidth of the link used when a collective spans <paramref name="devices"/> devices:
    /// the scale-up link inside one domain, the network beyond it.</summary>
    public BytesPerSecond LinkBandwidthFor(int devices) =>
        devices <= ScaleUpDomain && ScaleUpBandwidth is { } up ? up : ScaleOutBandwidth;

    /// <summary>The shape of the scale-up fabric: a switch (GPUs, the default) or an ICI torus (TPU slices), which
    /// selects the collective model (docs/methodology.md#torus-collectives). Omitted from JSON for a switch.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public Interconnect Interconnect { get; init; }

    /// <summary>Latency of one step of a ring collective between torus neighbours (one ICI hop and its
    /// synchronisation); null takes <see cref="DefaultHopLatency"/>. Used only by the torus model.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Seconds? HopLatency { get; init; }

    /// <summary>1 µs per ring step: an assumption, not a measured TPU figure (no published per-hop ICI latency was
    /// found). It is of the order of the latency floor of a small collective on a tuned stack (4.1 µs on NVLink for a
    /// whole all-reduce, kernel-benchmarks.csv), and is not fitted to any data.</summary>
    public static Seconds DefaultHopLatency { get; } = Seconds.FromMicroseconds(1);
}
