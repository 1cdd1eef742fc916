namespace Infercost.Simulation;

/// <summary>Multi-turn conversations: each turn's prompt is the whole conversation so far plus a new user message.</summary>
/// <remarks>A session starts at an arrival and has a geometric number of turns with the given mean. Turn k+1 arrives an
/// exponential think time after turn k arrived (open loop: it does not wait for turn k's answer). Its prompt is turn k's
/// prompt + turn k's output + a fresh input draw; with probability <paramref name="PrefixHitRate"/> the previous part
/// is still in the prefix cache and is not recomputed. A session ends early when its context would pass
/// <paramref name="MaxContextTokens"/>.</remarks>
/// <param name="MeanTurns">Mean turns per session (≥ 1; 1 means single-turn).</param>
/// <param name="MeanThinkTimeSeconds">Mean gap between one turn's arrival and the next.</param>
/// <param name="PrefixHitRate">Probability that a follow-up turn finds its shared prefix cached, in [0, 1].</param>
/// <param name="MaxContextTokens">Longest conversation (prompt + output) before the session ends.</param>
public sealed record SessionSpec(double MeanTurns, double MeanThinkTimeSeconds = 30, double PrefixHitRate = 0.8, int MaxContextTokens = 32_768)
{
    /// <summary>Checks each field's range.</summary>
    public SessionSpec Validated()
    {
        Guard.InRange(MeanTurns, 1, 1000, "turns");
        Guard.InRange(MeanThinkTimeSeconds, 0, 86_400, "thinkTime");
        Guard.InRange(PrefixHitRate, 0, 1, "prefixHit");
        Guard.InRange(MaxContextTokens, 2, 100_000_000, "maxContext");
        return this;
    }
}
