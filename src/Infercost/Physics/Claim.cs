using Infercost.Hardware;
using Infercost.Quantities;

namespace Infercost.Physics;

/// <summary>A published throughput or price for a setup, to be checked against the hardware's ceilings.</summary>
/// <param name="Kind">What the number is.</param>
/// <param name="Value">The claimed tokens/s or $/MTok.</param>
/// <param name="Accelerator">The device.</param>
/// <param name="Devices">Devices the claimed figure is for.</param>
/// <param name="ActiveParameters">Parameters each token multiplies through (2 FLOPs each).</param>
/// <param name="WeightBytesPerStep">For decode: the fewest weight bytes one step must read (all devices together); null skips the bandwidth ceiling.</param>
/// <param name="Batch">For decode: sequences advancing together; null skips the bandwidth ceiling.</param>
/// <param name="ClusterCost">For price claims: what the devices cost per hour.</param>
/// <param name="Precision">Matrix precision whose peak is the ceiling.</param>
public sealed record Claim(
    ClaimKind Kind,
    double Value,
    Accelerator Accelerator,
    int Devices,
    double ActiveParameters,
    Bytes? WeightBytesPerStep,
    int? Batch,
    DollarsPerHour? ClusterCost,
    Precision Precision);
