using Infercost.Quantities;

namespace Infercost.Economics.Workloads;

/// <summary>One request's tokens split the way providers bill them (averages over a session's turns).</summary>
/// <param name="Prompt">All prompt tokens sent: uncached + cache reads + cache writes.</param>
/// <param name="Uncached">Prompt tokens billed at the plain input rate (cache misses, content not cached).</param>
/// <param name="CacheRead">Prompt tokens served from the cache, billed at the cached-input rate.</param>
/// <param name="CacheWrite">Prompt tokens written to the cache for later turns, billed at the cache-write rate.</param>
/// <param name="Output">Visible output tokens.</param>
/// <param name="Reasoning">Hidden reasoning tokens, billed as output.</param>
public sealed record BilledTokens(Tokens Prompt, Tokens Uncached, Tokens CacheRead, Tokens CacheWrite, Tokens Output, Tokens Reasoning)
{
    /// <summary>Output + reasoning: every token billed at the output rate.</summary>
    public Tokens BilledOutput => Output + Reasoning;

    /// <summary>Every token the request moves: prompt + output + reasoning.</summary>
    public Tokens Total => Prompt + Output + Reasoning;
}
