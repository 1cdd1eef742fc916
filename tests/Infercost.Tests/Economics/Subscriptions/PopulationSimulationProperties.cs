using CsCheck;
using Infercost.Economics.Subscriptions;
using Infercost.Quantities;
using Xunit;

namespace Infercost.Tests.Economics.Subscriptions;

public class PopulationSimulationProperties
{
    [Fact]
    public void DearerServing_NeverLowersCost_AndNoSubscriberExceedsTheFlatOutOne()
    {
        Gen.Select(Gen.Double[100, 1e7], Gen.Double[0, 3], Gen.Double[0, 500], Gen.Int[0, 1000], Gen.Double[1, 5]).Sample((median, sigma, ratio, seed, scale) =>
        {
            var usage = UsageDistribution.Lognormal(Tokens.FromTokens(median), sigma, ratio);
            var cheap = new ServingRates(DollarsPerMillionTokens.FromDollarsPerMillionTokens(0.003), DollarsPerMillionTokens.FromDollarsPerMillionTokens(3.08));
            var dear = new ServingRates(cheap.Input * scale, cheap.Output * scale);
            var spec = new PopulationSpec(SubscriptionPlans.Max5x, "sonnet", usage, cheap, 200, seed);

            var a = PopulationSimulation.Run(spec);
            var b = PopulationSimulation.Run(spec with { Rates = dear });

            Assert.True(b.MeanCost.Value >= a.MeanCost.Value * (1 - 1e-12));
            Assert.True(a.HighestCost.Value <= a.MaxedUser.MonthlyCost.Value * (1 + 1e-12));
        }, iter: 50);
    }
}
