using Infercost.Quantities;

namespace Infercost.Simulation;

/// <summary>Latency targets a request must meet to count towards goodput.</summary>
/// <param name="TimeToFirstToken">Most time from arrival to the first output token.</param>
/// <param name="TimePerOutputToken">Most mean time between output tokens after the first.</param>
public sealed record Slo(Seconds TimeToFirstToken, Seconds TimePerOutputToken)
{
    /// <summary>2 s to the first token, 50 ms per token after it (20 tokens/s per user).</summary>
    public static Slo Default { get; } = new(Seconds.FromSeconds(2), Seconds.FromMilliseconds(50));

    /// <summary>Checks each target's range.</summary>
    public Slo Validated()
    {
        Guard.InRange(TimeToFirstToken.Value, 1e-6, 86_400, "sloTtft");
        Guard.InRange(TimePerOutputToken.Value, 1e-6, 3600, "sloTpot");
        return this;
    }
}
