namespace Infercost.Serving;

/// <summary>Which term of a step's time is the largest (see <see cref="StepCost.Bound"/>).</summary>
public enum Bound
{
    /// <summary>Matrix-unit throughput (FLOPs / effective peak) was the larger term.</summary>
    Compute,
    /// <summary>Memory bandwidth (bytes / effective bandwidth) was the larger term.</summary>
    Memory,
    /// <summary>Collectives (all-reduce, all-to-all, pipeline sends) took longer than the compute and the memory terms.</summary>
    Communication,
    /// <summary>The fixed per-step overhead (launches, scheduling) took longer than every other term.</summary>
    Overhead,
}
