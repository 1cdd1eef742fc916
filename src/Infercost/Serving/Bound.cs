namespace Infercost.Serving;

/// <summary>Which resource set the time of a step.</summary>
public enum Bound
{
    /// <summary>Matrix-unit throughput (FLOPs / effective peak) was the larger term.</summary>
    Compute,
    /// <summary>Memory bandwidth (bytes / effective bandwidth) was the larger term.</summary>
    Memory,
}
