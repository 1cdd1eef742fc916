using Infercost.Economics.Subscriptions;
using Infercost.Quantities;
using Xunit;

namespace Infercost.Tests.Economics.Subscriptions;

public class PopulationSimulationTests
{
    private static readonly ServingRates Headline = new(
        DollarsPerMillionTokens.FromDollarsPerMillionTokens(0.003), DollarsPerMillionTokens.FromDollarsPerMillionTokens(3.08));

    private static PopulationSpec Spec(double median = 20_000, double sigma = 1.5, double inputPerOutput = 100, int users = 20_000, int seed = 42) =>
        new(SubscriptionPlans.Max20x, "opus", UsageDistribution.Lognormal(Tokens.FromTokens(median), sigma, inputPerOutput), Headline, users, seed);

    [Fact]
    public void SameSeed_GivesIdenticalResults()
    {
        var a = PopulationSimulation.Run(Spec(), cancellationToken: TestContext.Current.CancellationToken);
        var b = PopulationSimulation.Run(Spec(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(a.MeanCost, b.MeanCost);
        Assert.Equal(a.P99, b.P99);
        Assert.Equal(a.Histogram, b.Histogram);
    }

    [Fact]
    public void DifferentSeed_GivesDifferentDraws()
    {
        var a = PopulationSimulation.Run(Spec(seed: 1), cancellationToken: TestContext.Current.CancellationToken);
        var b = PopulationSimulation.Run(Spec(seed: 2), cancellationToken: TestContext.Current.CancellationToken);

        Assert.NotEqual(a.MeanCost, b.MeanCost);
    }

    [Fact]
    public void ZeroSpread_BelowTheCap_EveryUserCostsWhatUserCostSays()
    {
        // Given every subscriber at Alderson's heavy user (10M in, 100k out a day) with no spread
        var result = PopulationSimulation.Run(Spec(median: 100_000, sigma: 0, inputPerOutput: 100, users: 10), cancellationToken: TestContext.Current.CancellationToken);
        var single = UserCost.Monthly(Tokens.FromMillions(10), Tokens.FromTokens(100_000), Headline, Dollars.FromDollars(200));

        // Then the population's mean and percentiles are that user's $10.14
        Assert.Equal(single.MonthlyCost.Value, result.MeanCost.Value, 9);
        Assert.Equal(single.MonthlyCost.Value, result.P99.Value, 9);
        Assert.Equal(0, result.CappedShare);
        Assert.Equal(0, result.LossMakingShare);
    }

    [Fact]
    public void GoldenDerived_MaxedMax20xUser_OpusOutputOnly_At3_08_Costs330()
    {
        // Golden 2B contrast: 25M output a week × 30/7 = 107.1M a month; at $3.08 that is $330 to serve
        var result = PopulationSimulation.Run(Spec(inputPerOutput: 0, users: 10), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(BindingLimit.Weekly, result.MaxedUser.BindingLimit);
        Assert.Equal(107.1, result.MaxedUser.OutputTokensPerMonth.Millions, 1);
        Assert.Equal(330, Math.Round(result.MaxedUser.MonthlyCost.Value));
    }

    [Fact]
    public void UsageAboveTheLimits_IsCutToTheMaxedUser()
    {
        // Given subscribers who all want a billion output tokens a day
        var result = PopulationSimulation.Run(Spec(median: 1e9, sigma: 0.1, users: 100), cancellationToken: TestContext.Current.CancellationToken);

        // Then every one is capped and costs exactly the flat-out subscriber
        Assert.Equal(1, result.CappedShare);
        Assert.Equal(result.MaxedUser.MonthlyCost.Value, result.HighestCost.Value, 9);
        Assert.Equal(result.MaxedUser.MonthlyCost.Value, result.P50.Value, 9);
    }

    [Fact]
    public void LargeSample_MedianCost_IsTheMedianUsersCost()
    {
        // A lognormal's median maps to the median cost when the cap is not reached at the median
        var result = PopulationSimulation.Run(Spec(median: 20_000, sigma: 1.0, users: 200_000), cancellationToken: TestContext.Current.CancellationToken);
        var medianUser = UserCost.Monthly(Tokens.FromTokens(2e6), Tokens.FromTokens(20_000), Headline, Dollars.FromDollars(200));

        Assert.Equal(medianUser.MonthlyCost.Value, result.P50.Value, medianUser.MonthlyCost.Value * 0.02);
        Assert.True(result.P50 < result.P90 && result.P90 < result.P99);
        Assert.Equal(200_000, result.Histogram.Sum(b => b.Subscribers));
    }

    [Fact]
    public void LossMakingShare_CountsUsersCostingMoreThanThePrice()
    {
        // Every subscriber capped at the flat-out cost; at $5.13 output-only that is $550 > $200
        var dear = new ServingRates(DollarsPerMillionTokens.FromDollarsPerMillionTokens(0.005), DollarsPerMillionTokens.FromDollarsPerMillionTokens(5.13));
        var spec = Spec(median: 1e9, sigma: 0, inputPerOutput: 0, users: 50) with { Rates = dear };

        var result = PopulationSimulation.Run(spec, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, result.LossMakingShare);
        Assert.Equal(549.6, result.MaxedUser.MonthlyCost.Value, 1);
        Assert.True(result.Markup < 1);
    }

    [Fact]
    public void Mixture_WeightsSplitTheSubscribers()
    {
        // Given 80 % light users and 20 % users far above the cap
        var usage = new UsageDistribution(
            [new LognormalComponent(0.8, Tokens.FromTokens(1_000), 0.1), new LognormalComponent(0.2, Tokens.FromTokens(1e9), 0.1)], 100);
        var spec = Spec(users: 50_000) with { Usage = usage };

        var result = PopulationSimulation.Run(spec, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(0.2, result.CappedShare, 0.01);
    }

    [Fact]
    public void Progress_IsReportedUpToOne()
    {
        var seen = new List<double>();
        PopulationSimulation.Run(Spec(users: 1_000), new SynchronousProgress(seen.Add), TestContext.Current.CancellationToken);

        Assert.Equal(0, seen[0]);
        Assert.Equal(1, seen[^1]);
        Assert.True(seen.Count > 50);
        Assert.Equal(seen.Order(), seen);
    }

    [Theory]
    [InlineData(0, 42)]
    [InlineData(10_000_001, 42)]
    [InlineData(100, -1)]
    public void UsersOrSeedOutOfRange_AreRejected(int users, int seed)
    {
        var ex = Assert.Throws<InvalidInputException>(() => PopulationSimulation.Run(Spec(users: users, seed: seed), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains(users is 0 or 10_000_001 ? "users must be in [1, 10000000]" : "seed must be in", ex.Message);
    }

    [Theory]
    [InlineData("0.9:20000:1.0", 0.9, 20_000, 1.0)]
    [InlineData("1:2e5:0", 1, 200_000, 0)]
    public void MixtureComponent_Parses(string text, double weight, double median, double sigma)
    {
        var c = LognormalComponent.Parse(text);
        Assert.Equal((weight, median, sigma), (c.Weight, c.MedianOutputPerDay.Value, c.Sigma));
    }

    [Theory]
    [InlineData("0.9:20000")]
    [InlineData("a:b:c")]
    [InlineData("0:100:1")]
    [InlineData("1:100:9")]
    public void MixtureComponent_RejectsNonsense(string text) =>
        Assert.Throws<InvalidInputException>(() => LognormalComponent.Parse(text));

    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
