using Infercost.Economics.Prices;
using Infercost.Economics.Routing;
using Infercost.Economics.Workloads;
using Xunit;

namespace Infercost.Tests.Economics.Routing;

public class TieredRoutingTests
{
    private static PriceSheet Api(string id) => PriceSheet.FromApi(PriceCatalog.Embedded.Get(id));

    [Fact]
    public void Route_BlendsTierCostsByShare_AndSavesAgainstTheTopTier()
    {
        // Given chat traffic split 10% Opus 4.5, 30% Sonnet 4.5, 60% Haiku 4.5
        var w = WorkloadProfiles.Chat;
        var tiers = new[] { new RouteTier(Api("claude-opus-4.5"), 0.1), new RouteTier(Api("claude-sonnet-4.5"), 0.3), new RouteTier(Api("claude-haiku-4.5"), 0.6) };

        var result = TieredRouting.Route(w, tiers);

        // Then the routed cost is the share-weighted sum, and the baseline is all-Opus
        var opus = WorkloadCosting.Cost(w, Api("claude-opus-4.5")).PerDay.Value;
        var sonnet = WorkloadCosting.Cost(w, Api("claude-sonnet-4.5")).PerDay.Value;
        var haiku = WorkloadCosting.Cost(w, Api("claude-haiku-4.5")).PerDay.Value;
        Assert.Equal(0.1 * opus + 0.3 * sonnet + 0.6 * haiku, result.PerDay.Value, 9);
        Assert.Equal("claude-opus-4.5", result.Baseline.Prices.Label);
        Assert.Equal(opus - result.PerDay.Value, result.SavingPerDay.Value, 9);
        // Opus 4.5 $5/$25, Sonnet $3/$15, Haiku $1/$5: every rate of the mix is 0.1×5 + 0.3×3 + 0.6×1 = 2.0 of 5, a 60% saving
        Assert.Equal(0.6, result.SavingFraction, 9);
    }

    [Fact]
    public void Route_SelfHostedTier_UsesItsOwnRates()
    {
        var self = PriceSheet.SelfHosted("self-hosted", Infercost.Quantities.DollarsPerMillionTokens.FromDollarsPerMillionTokens(0.05),
            Infercost.Quantities.DollarsPerMillionTokens.FromDollarsPerMillionTokens(0.5));
        var result = TieredRouting.Route(WorkloadProfiles.Chat, [new RouteTier(Api("gpt-5.4"), 0.5), new RouteTier(self, 0.5)],
            baseline: Api("gpt-5.4"));
        Assert.True(result.SavingFraction is > 0.4 and < 0.5);
    }

    [Theory]
    [InlineData(0.1, 0.3, 0.5)]
    [InlineData(0.5, 0.5, 0.1)]
    public void Route_SharesNotSummingToOne_AreRejectedWithTheSum(double a, double b, double c)
    {
        var tiers = new[] { new RouteTier(Api("claude-opus-4.5"), a), new RouteTier(Api("claude-sonnet-4.5"), b), new RouteTier(Api("claude-haiku-4.5"), c) };
        var e = Assert.Throws<InvalidInputException>(() => TieredRouting.Route(WorkloadProfiles.Chat, tiers));
        Assert.StartsWith($"tier shares must sum to 1; was {Guard.Format(a + b + c)} (claude-opus-4.5={Guard.Format(a)} + ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Route_SharesWithinTolerance_AreAccepted()
    {
        var tiers = new[] { new RouteTier(Api("gpt-5.4"), 0.1), new RouteTier(Api("gpt-5.4-mini"), 0.2), new RouteTier(Api("gpt-5.4-nano"), 0.7) };
        var result = TieredRouting.Route(WorkloadProfiles.Rag, tiers);
        Assert.True(result.SavingPerDay.Value > 0);
    }

    [Fact]
    public void Route_NegativeShare_IsRejected()
    {
        var tiers = new[] { new RouteTier(Api("gpt-5.4"), 1.5), new RouteTier(Api("gpt-5.4-mini"), -0.5) };
        var e = Assert.Throws<InvalidInputException>(() => TieredRouting.Route(WorkloadProfiles.Rag, tiers));
        Assert.Equal("tier gpt-5.4 share must be in [0, 1]; was 1.5.", e.Message);
    }
}
