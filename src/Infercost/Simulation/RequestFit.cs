using Infercost.Serving;

namespace Infercost.Simulation;

/// <summary>Refuses a workload none of whose requests could ever be served: a simulation of it would reject every
/// request and report latencies of zero.</summary>
public static class RequestFit
{
    /// <summary>Throws the same <see cref="ModelDoesNotFitException"/> as a fixed length would when even the shortest
    /// request (shortest prompt + shortest output) does not fit one replica's KV cache.</summary>
    public static void EnsureShortestFits(ServingSetup setup, LengthDistribution input, LengthDistribution output)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var context = (int)Math.Min(100_000_000, (long)input.Min + output.Min);
        MemoryPlanner.EnsureFits(setup, MemoryPlanner.Plan(setup, context), 1);
    }
}
