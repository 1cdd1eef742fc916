using Infercost.Economics.Workloads;
using Infercost.Quantities;

namespace Infercost.Economics.Sessions;

/// <summary>Bills a session turn by turn against a price sheet, with the prompt cache's lifetime and context compaction.</summary>
/// <remarks>
/// Turn k's prompt = prefix + history + new input, where history is every earlier turn's new input and visible output
/// (reasoning is not re-sent). With caching on (and the prompt at least the minimum cacheable length) the cache
/// breakpoint is at the end of the prompt: if the previous request was at most one TTL ago, the tokens it cached are
/// read (0.1 × input at Anthropic) and the rest is written (1.25 × input for 5 minutes, 2 × for 1 hour); if the gap is
/// past the TTL the entry has expired and the whole prompt is written again. Every read refreshes the lifetime, so only
/// the gap since the previous request matters. Without caching every prompt token is billed at the input rate.
/// Compaction: when a prompt would exceed the trigger, a summarising request first sends prefix + history +
/// instruction (reading the cached part, writing nothing) and generates the summary at the output rate; the summary
/// replaces the history, and the next prompt writes it to the cache. A prompt over the long-context threshold bills the
/// whole request at the tier's rates. $ per request = uncached × input + read × cached + written × write + (output +
/// reasoning) × output. See docs/economics.md#agent-sessions-prompt-cache-ttl-and-compaction.
/// </remarks>
public static class SessionBilling
{
    /// <summary>Bills <paramref name="session"/>.</summary>
    /// <param name="session">The session.</param>
    /// <param name="prices">The rates.</param>
    /// <param name="cache">Cache policy; null bills with caching off.</param>
    /// <param name="compaction">Compaction policy; null never compacts.</param>
    /// <exception cref="InvalidInputException">A 1-hour TTL on a price sheet with no 1-hour write price.</exception>
    public static SessionBill Bill(AgentSession session, PriceSheet prices, CachePolicy? cache, CompactionPolicy? compaction = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(prices);
        session.Validated();
        compaction?.Validated();
        if (cache is { } cp) Guard.InRange(cp.MinimumCacheableTokens, 0, 1e8, "min-cacheable");
        var writeRate = cache?.Ttl switch
        {
            null => prices.CacheWrite,
            CacheTtl.OneHour => prices.CacheWriteOneHour
                ?? throw new InvalidInputException("ttl", $"ttl 1h has no price for {prices.Label}: the catalog gives no 1-hour cache write; use 5m."),
            _ => prices.CacheWrite,
        };

        var requests = new List<SessionRequest>(session.Turns.Count + 8);
        double history = 0, cached = 0;
        int misses = 0, compactions = 0;
        var compactionCost = Dollars.Zero;
        for (var k = 0; k < session.Turns.Count; k++)
        {
            var turn = session.Turns[k];
            var gap = k == 0 ? Seconds.Zero : turn.GapBefore;
            var warm = cache is not null && cached > 0 && gap.Value <= cache.Ttl.Lifetime().Value;
            if (k > 0 && cache is not null && cached > 0 && !warm) misses++;
            if (!warm) cached = 0;

            if (compaction is not null && history > 0 && session.PrefixTokens + history + turn.NewInputTokens > compaction.TriggerTokens)
            {
                var prompt = session.PrefixTokens + history + compaction.InstructionTokens;
                var read = Math.Min(cached, prompt);
                var request = Price(k + 1, "compaction", gap, warm, prompt, read, 0, prompt - read, compaction.SummaryTokens, prices, writeRate);
                requests.Add(request);
                compactionCost += request.Cost;
                compactions++;

                // The prefix stays cached (it leads both prompts); the summary is new and is written by the turn.
                history = compaction.SummaryTokens;
                cached = warm ? Math.Min(cached, session.PrefixTokens) : 0;
                gap = Seconds.Zero;
            }

            var turnPrompt = session.PrefixTokens + history + turn.NewInputTokens;
            double turnRead = 0, turnWrite = 0, uncached = turnPrompt;
            if (cache is not null && turnPrompt >= cache.MinimumCacheableTokens)
            {
                turnRead = Math.Min(cached, turnPrompt);
                turnWrite = turnPrompt - turnRead;
                uncached = 0;
                cached = turnPrompt;
            }
            else
            {
                cached = 0;
            }

            requests.Add(Price(k + 1, "turn", gap, warm && turnRead > 0, turnPrompt, turnRead, turnWrite, uncached,
                turn.OutputTokens + turn.ReasoningTokens, prices, writeRate));
            history += turn.NewInputTokens + turn.OutputTokens;
        }

        var total = requests.Aggregate(Dollars.Zero, (sum, r) => sum + r.Cost);
        return new SessionBill(prices, cache, compaction, requests, total, misses, compactions, compactionCost,
            requests.Sum(r => r.PromptTokens), requests.Sum(r => r.CacheRead), requests.Sum(r => r.CacheWrite),
            prices.ContextWindow is { } window ? requests.Count(r => r.PromptTokens > window) : 0);
    }

    private static SessionRequest Price(int turn, string kind, Seconds gap, bool warm, double prompt, double read, double write,
        double uncached, double output, PriceSheet prices, DollarsPerMillionTokens writeRate)
    {
        var tier = prices.LongContext is { } t && prompt > t.ThresholdTokens ? t : null;
        var inputFactor = tier is not null && prices.Input.Value > 0 ? tier.Input / prices.Input : 1;
        var outputRate = tier?.Output ?? prices.Output;
        var cost = (Tokens.FromTokens(uncached) * (prices.Input * inputFactor))
            + (Tokens.FromTokens(read) * (prices.CachedInput * inputFactor))
            + (Tokens.FromTokens(write) * (writeRate * inputFactor))
            + (Tokens.FromTokens(output) * outputRate);
        return new SessionRequest(turn, kind, gap, warm, prompt, read, write, uncached, output, tier is not null, cost);
    }
}
