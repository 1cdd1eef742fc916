using Infercost.Economics.Subscriptions;
using Infercost.Quantities;
using Xunit;

namespace Infercost.Tests.Economics.Subscriptions;

public class SubscriptionPlansTests
{
    [Fact]
    public void BuiltIns_CarrySheLlacLimitsAndSource()
    {
        var max = SubscriptionPlans.Get("MAX-20X");

        Assert.Equal(11_000_000, max.CreditsPerWindow);
        Assert.Equal(83_333_300, max.CreditsPerWeek);
        Assert.Equal(200, max.MonthlyPrice.Value);
        Assert.Contains("she-llac.com/claude-limits", max.Source.Sources);
        Assert.Equal("2026-01", max.Source.AsOf);
    }

    [Fact]
    public void UnknownPlan_SuggestsNearest()
    {
        var ex = Assert.Throws<InvalidInputException>(() => SubscriptionPlans.Get("max-20"));
        Assert.Equal("plan", ex.Field);
        Assert.Contains("did you mean max-20x", ex.Message);
    }

    [Fact]
    public void CreditRates_CacheReadsFree_CacheWritesAtInputRate()
    {
        // she-llac: cache reads cost no credits, cache writes cost the input rate
        var opus = SubscriptionPlans.Max20x.RateFor("opus");
        var credits = opus.Credits(Tokens.FromTokens(15), Tokens.FromTokens(15), cacheWrite: Tokens.FromTokens(15), cacheRead: Tokens.FromTokens(1_000_000));

        Assert.Equal(10 + 50 + 10, credits, 9);
    }

    [Theory]
    [InlineData("30/7", 30.0 / 7)]
    [InlineData("52/12", 52.0 / 12)]
    [InlineData("4.33", 4.33)]
    public void WeeksPerMonth_ParsesFractionsAndDecimals(string text, double expected) =>
        Assert.Equal(expected, WeeksPerMonth.Parse(text), 12);

    [Theory]
    [InlineData("30/0")]
    [InlineData("abc")]
    [InlineData("52/2")]
    [InlineData("0")]
    public void WeeksPerMonth_RejectsNonsense(string text) =>
        Assert.Throws<InvalidInputException>(() => WeeksPerMonth.Parse(text));
}
