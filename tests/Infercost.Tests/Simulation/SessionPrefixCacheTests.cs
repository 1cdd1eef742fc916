using Infercost.Simulation;
using Xunit;

namespace Infercost.Tests.Simulation;

// Generated sessions whose prefix hits come from the replica's prefix cache, not from a hit rate.
public sealed class SessionPrefixCacheTests
{
    private const int Block = 16;

    private static RequestGenerator Sessions(int? blockTokens, double thinkSeconds = 60) =>
        new RequestGenerator(ArrivalProcess.Poisson(0.5), new FixedLength(300), new FixedLength(100), 3, 400,
            Sessions: new SessionSpec(4, thinkSeconds, PrefixHitRate: 1), SessionBlockTokens: blockTokens).Validated();

    private static SimulationResult Run(RequestGenerator stream, PrefixCacheSpec? cache) =>
        ServingSimulator.Run(SimulationFixtures.Llama8BOnH100, 1, stream, SimulationFixtures.Options() with { PrefixCache = cache },
            cancellation: TestContext.Current.CancellationToken);

    [Fact]
    public void TheBlockSize_ChangesNoArrivalOrLength()
    {
        var byRate = Sessions(null).ToList();
        var byCache = Sessions(Block).ToList();

        Assert.Equal(byRate.Select(r => (r.ArrivalTime, r.PromptTokens, r.OutputTokens, r.Session)), byCache.Select(r => (r.ArrivalTime, r.PromptTokens, r.OutputTokens, r.Session)));
        Assert.All(byCache, r => Assert.Equal(0, r.CachedTokens));
        Assert.All(byCache, r => Assert.Equal(r.PromptTokens / Block, r.PrefixBlocks!.Count));
        Assert.Contains(byRate, r => r.CachedTokens > 0);
    }

    [Fact]
    public void AnUnboundedCache_HitsEachTurnsConversationSoFar_InWholeBlocks()
    {
        // Given sessions of about four turns whose turns finish long before the next one arrives (one replica, 0.5 new
        // sessions a second, a minute's think time), so a follow-up finds its previous prompt and output cached
        var stream = Sessions(Block);
        var requests = stream.ToList();
        var previous = new Dictionary<long, SimRequest>();
        long upper = 0, lower = 0;
        foreach (var r in requests)
        {
            if (previous.TryGetValue(r.Session, out var p))
            {
                upper += (p.PromptTokens + p.OutputTokens) / Block; // the previous turn finished: its prompt and output
                lower += p.PromptTokens / Block;                     // it had not: its prompt only
            }

            previous[r.Session] = r;
        }

        var result = Run(stream, PrefixCacheSpec.Unbounded with { BlockTokens = Block });

        var cache = result.PrefixCache!;
        Assert.Equal(requests.Sum(r => (long)(r.PromptTokens / Block)), cache.BlocksLookedUp);
        Assert.InRange(cache.BlocksHit, lower, upper);
        Assert.True(cache.BlocksHit >= 0.95 * upper, $"{cache.BlocksHit} of {upper}");
        Assert.Equal(cache.BlocksHit * (double)Block, result.CachedPromptTokens.Value);
    }

    [Fact]
    public void ABoundedCache_HitsLess_AndAnOffloadTierGivesTheHitsBack()
    {
        var stream = Sessions(Block);
        var unbounded = Run(stream, PrefixCacheSpec.Unbounded with { BlockTokens = Block }).PrefixCache!;
        var small = Run(stream, new PrefixCacheSpec(200, Block)).PrefixCache!;
        var tiered = Run(stream, new PrefixCacheSpec(200, Block, Offload:
            [new KvOffloadTier(Quantities.Bytes.FromBytes(1e12), Quantities.BytesPerSecond.FromGigabytesPerSecond(50))])).PrefixCache!;

        Assert.True(small.BlocksHit < 0.5 * unbounded.BlocksHit, $"{small.BlocksHit} vs {unbounded.BlocksHit}");
        // (the reloads take time, so a turn may now and then arrive before its previous turn has finished)
        Assert.InRange(tiered.BlocksHit, 0.98 * unbounded.BlocksHit, unbounded.BlocksHit * 1.02);
        Assert.True(tiered.Offload![0].BlocksHit > 0);
    }
}
