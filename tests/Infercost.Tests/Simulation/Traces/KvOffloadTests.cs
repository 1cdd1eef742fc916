using Infercost.Quantities;
using Infercost.Simulation;
using Infercost.Simulation.Traces;
using Xunit;

namespace Infercost.Tests.Simulation.Traces;

public sealed class KvOffloadTests
{
    private static readonly List<TraceRecord> Mooncake = TraceFiles.Load(TraceFiles.Mooncake);

    // Llama 3.1 8B's KV at bf16: 32 layers × 8 KV heads × 128 × (K and V) × 2 bytes = 131,072 B per token.
    private const double BlockBytes = 131_072.0 * 512;

    private static KvOffloadTier Tier(double bytes, double gbps) =>
        new(Bytes.FromBytes(bytes), BytesPerSecond.FromGigabytesPerSecond(gbps));

    private static SimulationResult Replay(PrefixCacheSpec cache, long requests) =>
        ServingSimulator.Run(SimulationFixtures.Llama8BOnH100, 1, new TraceReplay(MaxRequests: requests).Requests(Mooncake),
            SimulationFixtures.Options() with { PrefixCache = cache });

    [Fact]
    public void ByHand_EvictedBlocksMoveDown_AndAHitBelowMovesBackUp()
    {
        // Given an HBM cache of 2 blocks over a tier of 1
        var tier = new PrefixCache(1, 512, EvictionPolicy.Lru);
        var hbm = new PrefixCache(2, 512, EvictionPolicy.Lru, tier);
        Span<int> hits = stackalloc int[2];

        // A B fill HBM; C evicts A into the tier
        Assert.Equal(0, hbm.Admit([1, 2], hits));
        Assert.Equal(0, hbm.Admit([3], hits));
        Assert.Equal(1, hbm.Evictions);

        // A B: A is found in the tier, B in HBM (the run goes on through both). A moves up, pushing B down; then B
        // moves back up, pushing C down: HBM holds A B, the tier C
        hits.Clear();
        Assert.Equal(2, hbm.Admit([1, 2], hits));
        Assert.Equal(1, hits[0]);
        Assert.Equal(1, hits[1]);
        Assert.Equal(3, hbm.Evictions);
        Assert.Equal(0, tier.Evictions);

        // C D: C is in the tier, D nowhere, so the run is C only. C moves up (A down), D evicts B, and the tier
        // (room for 1) drops A for B
        hits.Clear();
        Assert.Equal(1, hbm.Admit([3, 4], hits));
        Assert.Equal(0, hits[0]);
        Assert.Equal(1, hits[1]);
        Assert.Equal(1, tier.Evictions);
        hits.Clear();
        Assert.Equal(0, hbm.Admit([1], hits));
        Assert.Equal(2, hbm.Tiers);
    }

    [Fact]
    public void ATierThatNeverFills_HitsWhatAnUnboundedCacheHits_AndEachHitBelowIsReloaded()
    {
        // Given one replica (so admissions come in arrival order whatever the timing), 2,000 blocks of HBM cache, and a
        // tier large enough for every block of the first 3,000 requests
        var unbounded = Replay(PrefixCacheSpec.Unbounded, 3_000).PrefixCache!;
        var fast = Replay(new PrefixCacheSpec(2_000, Offload: [Tier(1e15, 50)]), 3_000).PrefixCache!;
        var slow = Replay(new PrefixCacheSpec(2_000, Offload: [Tier(1e15, 5)]), 3_000).PrefixCache!;

        // Then HBM plus the tier lose no block: they hit exactly what the unbounded cache does
        Assert.Equal(unbounded.BlocksHit, fast.BlocksHit);
        Assert.Equal(unbounded.BlocksHit, slow.BlocksHit);
        var below = Assert.Single(fast.Offload!);
        Assert.True(below.BlocksHit > 0 && below.BlocksHit < fast.BlocksHit, $"{below.BlocksHit} of {fast.BlocksHit}");
        Assert.Equal(0, below.Evictions);
        Assert.True(fast.Evictions > 0);

        // And each block found below is reloaded: its bytes at the tier's bandwidth
        Assert.Equal(below.BlocksHit * BlockBytes, below.BytesLoaded, 6);
        Assert.Equal(below.BlocksHit * BlockBytes / 50e9, below.LoadSeconds, 9);
        Assert.Equal(below.BlocksHit, slow.Offload![0].BlocksHit);
        Assert.Equal(10 * below.LoadSeconds, slow.Offload[0].LoadSeconds, 9);
    }

    [Fact]
    public void ReloadsAreStepTime_ASlowTierCostsBusyTime()
    {
        var cache = new PrefixCacheSpec(2_000, Offload: [Tier(1e15, 50)]);
        var fast = Replay(cache, 3_000);
        var slow = Replay(cache with { Offload = [Tier(1e15, 0.5)] }, 3_000);

        // The slow tier's extra load time (about 100 times the fast one's) shows in the replica's busy time
        var extra = slow.PrefixCache!.Offload![0].LoadSeconds - fast.PrefixCache!.Offload![0].LoadSeconds;
        Assert.True(extra > 10, $"extra load {extra} s");
        var busy = slow.BusyFraction * slow.WallTime.Value - fast.BusyFraction * fast.WallTime.Value;
        Assert.InRange(busy, 0.5 * extra, 1.5 * extra);
    }

    [Fact]
    public void ReloadAndRecompute_PerBlock()
    {
        var setup = SimulationFixtures.Llama8BOnH100;

        Assert.Equal(BlockBytes, PrefixReload.BytesPerBlockPerDevice(setup, 512).Value);
        Assert.Equal(BlockBytes / 50e9, PrefixReload.ReloadPerBlock(setup, 512, Tier(1e12, 50)).Value, 15);

        // Recomputing a block costs at least its matrix FLOPs (2 × parameters × 512 tokens) at the device's peak
        var recompute = PrefixReload.RecomputePerBlock(setup, 512, 2048).Value;
        var floor = 2 * 8.0e9 * 512 / setup.Peak.Value;
        Assert.InRange(recompute, floor, 3 * floor);
    }

    [Fact]
    public void Validation_NamesTheField()
    {
        var unbounded = Assert.Throws<InvalidInputException>(() => new PrefixCacheSpec(null, Offload: [Tier(1e12, 50)]).Validated());
        Assert.Equal("kvOffload", unbounded.Field);
        Assert.Contains("bounded prefix cache", unbounded.Message, StringComparison.Ordinal);

        var slow = Assert.Throws<InvalidInputException>(() => Tier(1e12, 1e-6).Validated("kv-offload"));
        Assert.Equal("kv-offload bandwidth must be in [0.001, 10000] GB/s; was 1E-06 GB/s.", slow.Message);

        var tiny = Assert.Throws<InvalidInputException>(() => Tier(10, 5).Validated("kv-offload"));
        Assert.StartsWith("kv-offload capacity must be in [1MB, 1000TB]", tiny.Message, StringComparison.Ordinal);

        var many = Assert.Throws<InvalidInputException>(() => new PrefixCacheSpec(100, Offload: [.. Enumerable.Repeat(Tier(1e12, 5), 5)]).Validated());
        Assert.Equal("kvOffload takes 1 to 4 tiers; was 5.", many.Message);
    }
}
