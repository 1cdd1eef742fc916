namespace Infercost.Simulation;

/// <summary>One request as the workload generator issues it.</summary>
/// <param name="Id">Sequence number in the stream, from 0.</param>
/// <param name="ArrivalTime">Seconds from the start of the run.</param>
/// <param name="PromptTokens">Prompt length, including any prefix shared with an earlier turn.</param>
/// <param name="CachedTokens">Leading prompt tokens whose KV is already in the prefix cache (not recomputed).</param>
/// <param name="OutputTokens">Tokens to generate.</param>
/// <param name="PrefixBlocks">Ids of the prompt's prefix blocks (a trace's hashes: equal ids hold the same tokens);
/// with a <see cref="PrefixCacheSpec"/> the replica finds the cached prefix from them, instead of
/// <paramref name="CachedTokens"/>. Null when unknown.</param>
/// <param name="Session">The conversation this request is a turn of (session-affinity routing); -1 when unknown.</param>
public readonly record struct SimRequest(long Id, double ArrivalTime, int PromptTokens, int CachedTokens, int OutputTokens,
    IReadOnlyList<long>? PrefixBlocks = null, long Session = -1);
