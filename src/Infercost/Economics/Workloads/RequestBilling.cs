using Infercost.Quantities;

namespace Infercost.Economics.Workloads;

/// <summary>Splits a request type's tokens into billed components under the levers.</summary>
/// <remarks>
/// Session model (a conversation of T turns, each re-sending everything before it; docs/economics.md#workloads).
/// With prefix P, fresh input F and visible output O per turn (O after output reduction r), and compaction c:
/// <list type="bullet">
/// <item>history re-sent on turn k = (k − 1)(F + O)(1 − c); its mean over k = 1..T is (T − 1)/2 · (F + O)(1 − c).</item>
/// <item>prompt = P + F + mean history.</item>
/// <item>cacheable = P + mean history − (T − 1)/T · O(1 − c): everything sent before, except the last reply, which
/// was never part of a prompt.</item>
/// <item>new content = prompt − cacheable = F + (T − 1)/T · O(1 − c).</item>
/// </list>
/// Caching with hit rate h: cache reads = h × cacheable, the rest of cacheable at the input rate; in a session (T &gt; 1)
/// the new content is written to the cache for the next turn (cache-write rate); independent requests (T = 1) write their
/// prefix once per cache lifetime, which is neglected. h = 0 means no caching: everything at the input rate.
/// Reasoning tokens are billed as output and, like the providers' APIs, are not re-sent on later turns.
/// </remarks>
public static class RequestBilling
{
    /// <summary>The billed token split of one (average) request of <paramref name="request"/>.</summary>
    public static BilledTokens Split(RequestType request, double cacheHitRate, double compaction, double outputReduction)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validated();
        Guard.InRange(cacheHitRate, 0, 1, "cacheHit");
        Guard.InRange(compaction, 0, 0.99, "compaction");
        Guard.InRange(outputReduction, 0, 0.99, "outputReduction");

        var keep = 1 - outputReduction;
        var output = request.OutputTokens * keep;
        var reasoning = request.ReasoningTokens * keep;
        double turns = request.TurnsPerSession;
        var history = (request.FreshInputTokens + output) * ((turns - 1) / 2 * (1 - compaction));
        var lastReply = output * ((turns - 1) / turns * (1 - compaction));
        var prompt = request.PrefixTokens + request.FreshInputTokens + history;
        var cacheable = request.PrefixTokens + history - lastReply;
        var fresh = prompt - cacheable;

        if (cacheHitRate <= 0)
        {
            return new BilledTokens(prompt, prompt, Tokens.Zero, Tokens.Zero, output, reasoning);
        }

        var read = cacheable * cacheHitRate;
        var write = request.TurnsPerSession > 1 ? fresh : Tokens.Zero;
        var uncached = prompt - read - write;
        return new BilledTokens(prompt, uncached, read, write, output, reasoning);
    }
}
