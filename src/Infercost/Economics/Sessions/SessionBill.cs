using Infercost.Economics.Workloads;
using Infercost.Quantities;

namespace Infercost.Economics.Sessions;

/// <summary>One billed request of a session: a turn, or the summarising pass before it.</summary>
/// <param name="Turn">1-based turn number.</param>
/// <param name="Kind">"turn" or "compaction".</param>
/// <param name="Gap">Time since the session's previous request.</param>
/// <param name="CacheWarm">True when the previous request's cache entry was still alive (gap within the TTL).</param>
/// <param name="PromptTokens">Prompt length.</param>
/// <param name="CacheRead">Prompt tokens read from the cache.</param>
/// <param name="CacheWrite">Prompt tokens written to the cache.</param>
/// <param name="Uncached">Prompt tokens billed at the plain input rate.</param>
/// <param name="OutputTokens">Output + reasoning tokens.</param>
/// <param name="LongContext">True when the prompt is over the long-context threshold (the whole request at its rates).</param>
/// <param name="Cost">What the request costs.</param>
public sealed record SessionRequest(
    int Turn, string Kind, Seconds Gap, bool CacheWarm, double PromptTokens, double CacheRead, double CacheWrite,
    double Uncached, double OutputTokens, bool LongContext, Dollars Cost);

/// <summary>A session billed request by request.</summary>
/// <param name="Prices">The rates used.</param>
/// <param name="Cache">The cache policy; null when caching is off.</param>
/// <param name="Compaction">The compaction policy; null when none.</param>
/// <param name="Requests">Every billed request, in order.</param>
/// <param name="Total">Sum of the requests' costs.</param>
/// <param name="CacheMisses">Turns after the first whose cache entry had expired (gap past the TTL), so the conversation
/// was written again.</param>
/// <param name="Compactions">Summarising passes run.</param>
/// <param name="CompactionCost">What the summarising passes cost.</param>
/// <param name="PromptTokens">Prompt tokens over the session (every request).</param>
/// <param name="CacheReadTokens">Of which read from the cache.</param>
/// <param name="CacheWriteTokens">Of which written to the cache.</param>
/// <param name="OverContextWindow">Requests whose prompt is longer than the provider's context window (they would be
/// refused; compact earlier); 0 where the sheet lists no window.</param>
public sealed record SessionBill(
    PriceSheet Prices, CachePolicy? Cache, CompactionPolicy? Compaction, IReadOnlyList<SessionRequest> Requests, Dollars Total,
    int CacheMisses, int Compactions, Dollars CompactionCost, double PromptTokens, double CacheReadTokens, double CacheWriteTokens,
    int OverContextWindow);
