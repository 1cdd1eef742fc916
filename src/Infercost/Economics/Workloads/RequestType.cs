using Infercost.Quantities;

namespace Infercost.Economics.Workloads;

// A request type is described by what the user controls (prefix, new input, output, turns) rather than by the billed
// split (cache reads, writes, uncached), because the split depends on the levers being studied: the cache hit rate,
// compaction and output reduction all change it. RequestBilling turns this shape plus the levers into billed tokens.

/// <summary>One kind of request in a workload, and how many are sent per day.</summary>
/// <param name="Name">What the request is ("agent step", "chat turn").</param>
/// <param name="PrefixTokens">Stable prompt prefix repeated on every request (system prompt, tool definitions, shared
/// documents): cacheable.</param>
/// <param name="FreshInputTokens">Prompt tokens new in each request (the user's message, tool results, retrieved passages).</param>
/// <param name="OutputTokens">Visible output tokens per request.</param>
/// <param name="ReasoningTokens">Hidden reasoning ("thinking") tokens per request: billed as output, never re-sent.</param>
/// <param name="RequestsPerDay">Requests (for sessions: turns) per day.</param>
/// <param name="TurnsPerSession">Turns in one session; each turn re-sends the whole conversation so far. 1 = independent requests.</param>
/// <param name="Batch">Sent through the asynchronous batch API (billed at the batch discount where the price has one).</param>
public sealed record RequestType(
    string Name,
    Tokens PrefixTokens,
    Tokens FreshInputTokens,
    Tokens OutputTokens,
    Tokens ReasoningTokens,
    double RequestsPerDay,
    int TurnsPerSession = 1,
    bool Batch = false)
{
    /// <summary>Checks every field's range.</summary>
    public RequestType Validated()
    {
        Guard.InRange(PrefixTokens.Value, 0, 100_000_000, "prefixTokens");
        Guard.InRange(FreshInputTokens.Value, 0, 100_000_000, "freshInputTokens");
        Guard.InRange(OutputTokens.Value, 0, 100_000_000, "outputTokens");
        Guard.InRange(ReasoningTokens.Value, 0, 100_000_000, "reasoningTokens");
        Guard.NonNegative(RequestsPerDay, "requestsPerDay");
        Guard.InRange(TurnsPerSession, 1, 100_000, "turnsPerSession");
        return this;
    }
}
