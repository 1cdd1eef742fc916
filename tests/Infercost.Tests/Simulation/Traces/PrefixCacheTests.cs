using Infercost.Simulation;
using Infercost.Simulation.Traces;
using Xunit;

namespace Infercost.Tests.Simulation.Traces;

public sealed class PrefixCacheTests
{
    private static readonly List<TraceRecord> Mooncake = TraceFiles.Load(TraceFiles.Mooncake);

    // One H100 is overloaded by this trace (queues grow for hours), which does not matter here: every request is
    // admitted once, in arrival order, and the cache sees the prompts in that order.
    private static SimulationResult Replay(PrefixCacheSpec? cache, long? requests = null) =>
        ServingSimulator.Run(SimulationFixtures.Llama8BOnH100, 1, new TraceReplay(MaxRequests: requests).Requests(Mooncake),
            SimulationFixtures.Options() with { PrefixCache = cache });

    [Fact]
    public void UnboundedCache_HitRateEqualsTheTracesShareOfReusedBlocks()
    {
        // Given the share of the trace's prompt blocks whose id appeared in an earlier request, counted here directly
        var seen = new HashSet<long>();
        long blocks = 0, reused = 0;
        foreach (var r in Mooncake)
        {
            blocks += r.PrefixBlocks!.Count;
            reused += r.PrefixBlocks.Count(seen.Contains);
            foreach (var id in r.PrefixBlocks) seen.Add(id);
        }

        // When the trace runs through one replica with an unbounded prefix cache
        var result = Replay(PrefixCacheSpec.Unbounded);

        // Then the cache hits exactly those blocks (the trace's hashes are prefix hashes: a reused block's
        // predecessors are reused too, so the leading run is every reused block)
        Assert.Equal(12_031, result.Completed);
        Assert.Equal(288_500, blocks);
        Assert.Equal(blocks, result.PrefixCache!.BlocksLookedUp);
        Assert.Equal(reused, result.PrefixCache.BlocksHit);
        Assert.Equal((double)reused / blocks, result.PrefixCache.HitRate, 15);
        Assert.Equal(0, result.PrefixCache.Evictions);
    }

    [Fact]
    public void CachedTokens_AreTheHitBlocksCappedAtThePrompt_AndSaveCompute()
    {
        var cached = Replay(PrefixCacheSpec.Unbounded);
        var none = Replay(null);

        Assert.InRange(cached.CachedPromptTokens.Value, (cached.PrefixCache!.BlocksHit - 12_031) * 512.0, cached.PrefixCache.BlocksHit * 512.0);
        Assert.Equal(0, none.CachedPromptTokens.Value);
        Assert.Null(none.PrefixCache);
        Assert.True(cached.PrefillTokensComputed.Value < none.PrefillTokensComputed.Value - 0.3 * none.PromptTokens.Value);
    }

    [Fact]
    public void BoundedCache_HitsLessAndEvicts_LruAtLeastFifo()
    {
        // The trace's first 3,000 requests, with room for 2,000 of their 512-token blocks
        var unbounded = Replay(PrefixCacheSpec.Unbounded, 3_000).PrefixCache!;
        var lru = Replay(new PrefixCacheSpec(2_000), 3_000).PrefixCache!;
        var fifo = Replay(new PrefixCacheSpec(2_000, Eviction: EvictionPolicy.Fifo), 3_000).PrefixCache!;

        Assert.True(lru.HitRate < unbounded.HitRate);
        Assert.True(lru.Evictions > 0 && fifo.Evictions > 0);
        Assert.True(lru.HitRate >= fifo.HitRate, $"LRU {lru.HitRate} vs FIFO {fifo.HitRate}");
        Assert.Equal(2_000, lru.CapacityBlocks);
    }

    [Fact]
    public void KvPoolCache_HoldsTheReplicasKvBlocksInPrefixBlocks()
    {
        var result = Replay(PrefixCacheSpec.OfKvPool, 500);

        Assert.Equal((long)result.KvBlocksPerReplica * result.BlockTokens / 512, result.PrefixCache!.CapacityBlocks);
    }

    [Fact]
    public void Lru_ByHand_RefreshesHitsAndEvictsTheOldest()
    {
        // Given a 3-block LRU cache holding A B C (oldest first)
        var requests = new[]
        {
            new SimRequest(0, 0, 1536, 0, 1, [1, 2, 3]),
            new SimRequest(1, 1, 512, 0, 1, [1]),      // hit: A refreshed, order B C A
            new SimRequest(2, 2, 512, 0, 1, [4]),      // miss: evicts B, order C A D
            new SimRequest(3, 3, 1024, 0, 1, [1, 2]),  // A hits, B was evicted: 1 of 2
        };

        var result = ServingSimulator.Run(SimulationFixtures.Llama8BOnH100, 1, requests,
            SimulationFixtures.Options() with { PrefixCache = new PrefixCacheSpec(3) }, cancellation: TestContext.Current.CancellationToken);

        Assert.Equal(3 + 1 + 1 + 2, result.PrefixCache!.BlocksLookedUp);
        Assert.Equal(0 + 1 + 0 + 1, result.PrefixCache.BlocksHit);
        Assert.Equal(2, result.PrefixCache.Evictions); // B for D, then C for B
    }
}
