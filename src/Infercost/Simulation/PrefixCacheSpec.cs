namespace Infercost.Simulation;

/// <summary>Which cached prefix block leaves first when the prefix cache is full.</summary>
public enum EvictionPolicy
{
    /// <summary>Least recently used (vLLM's and SGLang's policy): a hit refreshes the block.</summary>
    Lru,

    /// <summary>First in, first out: a hit does not refresh the block.</summary>
    Fifo,
}

/// <summary>A replica's prefix cache for requests that carry <see cref="SimRequest.PrefixBlocks"/>: at admission the
/// request's cached prefix is the run of its leading blocks found in the cache; then all its blocks are inserted (or
/// refreshed), evicting by <paramref name="Eviction"/> past the capacity.</summary>
/// <param name="CapacityBlocks">Prefix blocks held; null for unbounded. See <see cref="KvPool"/> for the default.</param>
/// <param name="BlockTokens">Tokens per prefix block (512 for Mooncake's hashes).</param>
/// <param name="Eviction">Eviction policy.</param>
/// <param name="KvPool">True: the capacity is the replica's own KV pool (its KV blocks × block size ÷
/// <paramref name="BlockTokens"/>), as in vLLM, where freed blocks stay cached until reused; <paramref name="CapacityBlocks"/> is ignored.</param>
/// <param name="Offload">Tiers below HBM, in order (host DRAM, then SSD…): a block evicted from one tier moves to the
/// next, and is dropped from the last; a block found in a lower tier is reloaded into HBM (and leaves that tier: the
/// tiers hold disjoint blocks). Null or empty for HBM only. Needs a bounded cache: an unbounded one never evicts.</param>
public sealed record PrefixCacheSpec(long? CapacityBlocks, int BlockTokens = 512, EvictionPolicy Eviction = EvictionPolicy.Lru, bool KvPool = false,
    IReadOnlyList<KvOffloadTier>? Offload = null)
{
    /// <summary>The most offload tiers.</summary>
    public const int MaxOffloadTiers = 4;

    /// <summary>An unbounded cache of 512-token blocks: every block seen before is a hit.</summary>
    public static PrefixCacheSpec Unbounded { get; } = new(CapacityBlocks: null);

    /// <summary>The replica's KV pool as the cache, LRU, 512-token blocks.</summary>
    public static PrefixCacheSpec OfKvPool { get; } = new(CapacityBlocks: null, KvPool: true);

    /// <summary>Checks each field.</summary>
    public PrefixCacheSpec Validated()
    {
        Guard.InRange(BlockTokens, 1, 1_000_000, "prefixBlockTokens");
        if (CapacityBlocks is { } c && (c < 1 || c > 10_000_000_000)) throw new InvalidInputException("prefixCache", $"prefixCache must be in [1, 10000000000] blocks; was {c}.");
        if (!Enum.IsDefined(Eviction)) throw new InvalidInputException("prefixEviction", $"prefixEviction must be lru or fifo; was {Eviction}.");
        if (Offload is { Count: > 0 } tiers)
        {
            if (tiers.Count > MaxOffloadTiers) throw new InvalidInputException("kvOffload", $"kvOffload takes 1 to {MaxOffloadTiers} tiers; was {tiers.Count}.");
            if (CapacityBlocks is null && !KvPool)
            {
                throw new InvalidInputException("kvOffload", "kvOffload needs a bounded prefix cache (kv, a block count or a size): an unbounded one never evicts a block to offload.");
            }

            foreach (var tier in tiers) tier.Validated("kvOffload");
        }

        return this;
    }
}

/// <summary>What the prefix cache did over a run (all replicas together).</summary>
/// <param name="CapacityBlocks">Blocks per replica; null for unbounded.</param>
/// <param name="BlockTokens">Tokens per block.</param>
/// <param name="Eviction">Eviction policy.</param>
/// <param name="BlocksLookedUp">Prefix blocks of admitted requests.</param>
/// <param name="BlocksHit">Of those, blocks in the cached leading run.</param>
/// <param name="Evictions">Blocks evicted.</param>
public sealed record PrefixCacheUsage(long? CapacityBlocks, int BlockTokens, EvictionPolicy Eviction, long BlocksLookedUp, long BlocksHit, long Evictions)
{
    /// <summary>Per offload tier, in order; null without offload tiers. <see cref="BlocksHit"/> counts every tier's hits.</summary>
    public IReadOnlyList<KvTierUsage>? Offload { get; init; }

    /// <summary>Blocks hit ÷ blocks looked up (0 when none).</summary>
    public double HitRate => BlocksLookedUp == 0 ? 0 : (double)BlocksHit / BlocksLookedUp;
}
