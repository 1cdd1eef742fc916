using Infercost.Quantities;

namespace Infercost.Economics.Sessions;

/// <summary>One turn of a session: the new input it sends (user message, tool results), what it generates, and how long
/// after the previous turn it is sent.</summary>
/// <param name="NewInputTokens">Tokens new to the conversation in this turn's prompt (>= 0).</param>
/// <param name="OutputTokens">Visible output (>= 0): re-sent in later prompts.</param>
/// <param name="ReasoningTokens">Hidden reasoning (>= 0): billed as output, not re-sent (providers strip it).</param>
/// <param name="GapBefore">Time since the previous request of the session (ignored on the first turn).</param>
public sealed record SessionTurn(double NewInputTokens, double OutputTokens, double ReasoningTokens, Seconds GapBefore);

/// <summary>A multi-turn session (a chat, an agent's tool loop): a stable prefix (system prompt, tools) then turns, each
/// re-sending the whole conversation so far.</summary>
/// <param name="PrefixTokens">System prompt, tool definitions and documents sent first on every turn (>= 0).</param>
/// <param name="Turns">The turns in order (1 to <see cref="MaxTurns"/>).</param>
public sealed record AgentSession(double PrefixTokens, IReadOnlyList<SessionTurn> Turns)
{
    /// <summary>Most turns one session holds (bounds the work per request).</summary>
    public const int MaxTurns = 100_000;

    /// <summary><paramref name="turns"/> identical turns whose gaps cycle through <paramref name="gaps"/>.</summary>
    public static AgentSession Uniform(double prefix, int turns, double input, double output, double reasoning, IReadOnlyList<Seconds> gaps)
    {
        ArgumentNullException.ThrowIfNull(gaps);
        Guard.InRange(turns, 1, MaxTurns, "turns");
        if (gaps.Count == 0) throw new InvalidInputException("gaps", "gaps must list at least one gap.");
        return new AgentSession(prefix, [.. Enumerable.Range(0, turns).Select(k => new SessionTurn(input, output, reasoning, gaps[(Math.Max(k, 1) - 1) % gaps.Count]))]);
    }

    /// <summary>Checks every field; messages name the CLI flags.</summary>
    public AgentSession Validated()
    {
        Guard.InRange(PrefixTokens, 0, 1e8, "prefix");
        Guard.InRange(Turns.Count, 1, MaxTurns, "turns");
        foreach (var t in Turns)
        {
            Guard.InRange(t.NewInputTokens, 0, 1e8, "input");
            Guard.InRange(t.OutputTokens, 0, 1e8, "output");
            Guard.InRange(t.ReasoningTokens, 0, 1e8, "reasoning");
            Guard.InRange(t.GapBefore.Value, 0, 1e8, "gaps");
        }

        return this;
    }
}

/// <summary>How the provider's prompt cache is used.</summary>
/// <param name="Ttl">Lifetime bought with every write.</param>
/// <param name="MinimumCacheableTokens">Prompts shorter than this are not cached (Anthropic: 1,024 tokens for Sonnet
/// and Opus, 2,048 for Haiku).</param>
public sealed record CachePolicy(CacheTtl Ttl, double MinimumCacheableTokens = 1024);

/// <summary>Context compaction as an operation: when a turn's prompt would exceed <paramref name="TriggerTokens"/>, a
/// summarising request first reads the conversation and writes a summary of <paramref name="SummaryTokens"/>, which
/// replaces the history.</summary>
/// <param name="TriggerTokens">Prompt length that triggers compaction (> 0).</param>
/// <param name="SummaryTokens">Tokens of the summary (output of the pass; then the new history) (>= 0).</param>
/// <param name="InstructionTokens">The summarising instruction appended to the conversation (>= 0).</param>
public sealed record CompactionPolicy(double TriggerTokens, double SummaryTokens, double InstructionTokens = 200)
{
    /// <summary>Checks every field; messages name the CLI flags.</summary>
    public CompactionPolicy Validated()
    {
        Guard.InRange(TriggerTokens, 1, 1e8, "compactAt");
        Guard.InRange(SummaryTokens, 0, 1e8, "summaryTokens");
        Guard.InRange(InstructionTokens, 0, 1e8, "compactionInstruction");
        if (SummaryTokens >= TriggerTokens)
            throw Requests.RequestFields.Error("summaryTokens", $"{{summaryTokens}} must be below {{compactAt}} ({Guard.Format(TriggerTokens)}); was {Guard.Format(SummaryTokens)}.");
        return this;
    }
}
