using Infercost.Catalog;
using Infercost.Quantities;

namespace Infercost.Economics.Workloads;

// Built-in profiles are illustrative shapes, not measurements: each names its assumptions so that a reader can
// disagree with a specific number. Volumes are round figures meant to be replaced with --requests-per-day.

/// <summary>The built-in workload profiles: chat, coding-agent, rag, reasoning, batch-summarisation, generation.</summary>
public static class WorkloadProfiles
{
    /// <summary>Multi-turn chat with a modest system prompt.</summary>
    public static Workload Chat { get; } = new(
        "chat", "Consumer-style chat: 8-turn conversations, short questions, medium answers.",
        [new RequestType("chat turn", Tok(1_500), Tok(150), Tok(350), Tok(0), 100_000, TurnsPerSession: 8)],
        CacheHitRate: 0.5,
        [
            "System prompt 1,500 tokens; user message 150 tokens; reply 350 tokens; no reasoning tokens.",
            "8 turns per conversation, each re-sending the conversation so far.",
            "Cache hit rate 50%: people pause longer than a 5-minute cache lifetime about half the time.",
            "100,000 turns per day.",
        ]);

    /// <summary>An agentic coding tool: a large cached context re-sent on every step, small outputs.</summary>
    public static Workload CodingAgent { get; } = new(
        "coding-agent", "Agentic coding: 40-step sessions over a large cached context, small outputs (edits and tool calls).",
        [new RequestType("agent step", Tok(20_000), Tok(1_500), Tok(300), Tok(200), 20_000, TurnsPerSession: 40)],
        CacheHitRate: 0.9,
        [
            "System prompt, tool definitions and repository context 20,000 tokens, the same on every step.",
            "Each step adds 1,500 tokens of tool results or instructions and replies with 300 tokens (an edit or a tool call) after 200 reasoning tokens.",
            "40 steps per session; every step re-sends the whole session so far (this is what compaction shortens).",
            "Cache hit rate 90%: steps follow each other within the cache lifetime.",
            "20,000 steps per day (500 sessions).",
        ]);

    /// <summary>Question answering over retrieved documents.</summary>
    public static Workload Rag { get; } = new(
        "rag", "Retrieval-augmented generation: each question carries freshly retrieved passages.",
        [new RequestType("question over documents", Tok(1_000), Tok(8_000), Tok(300), Tok(0), 50_000)],
        CacheHitRate: 0.3,
        [
            "Instructions 1,000 tokens (cacheable); retrieved passages plus question 8,000 tokens, different on every request (not cacheable).",
            "Answer 300 tokens; no reasoning tokens; independent requests (no sessions).",
            "Cache hit rate 30% on the instructions only.",
            "50,000 questions per day.",
        ]);

    /// <summary>Hard questions answered by a reasoning model.</summary>
    public static Workload Reasoning { get; } = new(
        "reasoning", "Reasoning model: short prompts, long hidden thinking, medium answers.",
        [new RequestType("reasoning query", Tok(500), Tok(1_500), Tok(800), Tok(6_000), 10_000)],
        CacheHitRate: 0.3,
        [
            "Instructions 500 tokens; question and context 1,500 tokens; answer 800 tokens.",
            "6,000 hidden reasoning tokens per query, billed as output and never shown.",
            "Independent requests; cache hit rate 30% on the instructions.",
            "10,000 queries per day.",
        ]);

    /// <summary>Offline document summarisation through the batch API.</summary>
    public static Workload BatchSummarisation { get; } = new(
        "batch-summarisation", "Offline summarisation of long documents through the batch API (typically 50% off).",
        [new RequestType("summarise document", Tok(500), Tok(20_000), Tok(500), Tok(0), 100_000, Batch: true)],
        CacheHitRate: 0,
        [
            "Instructions 500 tokens; document 20,000 tokens; summary 500 tokens.",
            "Sent through the batch API: every component at the provider's batch discount where one is recorded.",
            "No prompt caching (each document is read once).",
            "100,000 documents per day.",
        ]);

    /// <summary>Output-heavy generation: the inverted ("video-like") economics where decode dominates.</summary>
    public static Workload Generation { get; } = new(
        "generation", "Output-heavy generation (long-form text, code, media tokens): decode dominates, the inverse of chat.",
        [new RequestType("long generation", Tok(800), Tok(200), Tok(8_000), Tok(0), 10_000)],
        CacheHitRate: 0.5,
        [
            "Instructions 800 tokens; brief 200 tokens; 8,000 output tokens: eight output tokens per input token.",
            "Output-heavy like video or audio generation, where what is generated dwarfs the prompt; cost follows the output price.",
            "Independent requests; cache hit rate 50% on the instructions.",
            "10,000 generations per day.",
        ]);

    /// <summary>Every profile, in documentation order.</summary>
    public static IReadOnlyList<Workload> All { get; } = [Chat, CodingAgent, Rag, Reasoning, BatchSummarisation, Generation];

    /// <summary>The profile with <paramref name="id"/> (case-insensitive).</summary>
    /// <exception cref="InvalidInputException">Unknown id; the closest ids are suggested.</exception>
    public static Workload Get(string id)
    {
        var found = All.FirstOrDefault(w => string.Equals(w.Id, id?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (found is not null) return found;
        var ids = All.Select(w => w.Id).ToList();
        var near = IdSuggestions.Closest(id ?? "", ids);
        var tail = near.Count > 0 ? $"did you mean {string.Join(", ", near)}?" : $"known profiles: {string.Join(", ", ids)}";
        throw new InvalidInputException("profile", $"unknown workload profile '{id}'; {tail}");
    }

    private static Tokens Tok(double n) => Tokens.FromTokens(n);
}
