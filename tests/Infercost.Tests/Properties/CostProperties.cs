using CsCheck;
using Infercost.Costing;
using Infercost.Quantities;
using Xunit;

namespace Infercost.Tests.Properties;

public class CostProperties
{
    [Fact]
    public void PricePerMillion_TimesTokensPerHour_IsTheHourlyCost()
    {
        Gen.Select(Gen.Double[0.01, 100_000], Gen.Double[1e-3, 1e9], Gen.Double[1e-3, 1])
            .Sample((dollarsPerHour, tokensPerSecond, utilisation) =>
            {
                // Given a cluster's hourly cost, its throughput and the share of hours it works
                var cluster = DollarsPerHour.FromDollarsPerHour(dollarsPerHour);
                var throughput = TokensPerSecond.FromTokensPerSecond(tokensPerSecond);

                // When the cost model prices a million tokens
                var price = CostModel.PerMillion(cluster, throughput, utilisation);

                // Then $/MTok × tokens actually produced per hour gives back $/h
                var back = price * (throughput * utilisation);
                Assert.Equal(1.0, back / cluster, 1e-12);
            });
    }

    [Fact]
    public void PricePerMillion_ScalesWithOneOverThroughput()
    {
        Gen.Select(Gen.Double[0.01, 100_000], Gen.Double[1e-3, 1e9], Gen.Double[1.001, 1000])
            .Sample((dollarsPerHour, tokensPerSecond, speedup) =>
            {
                // Given the same cluster producing `speedup` times more tokens
                var cluster = DollarsPerHour.FromDollarsPerHour(dollarsPerHour);
                var slow = CostModel.PerMillion(cluster, TokensPerSecond.FromTokensPerSecond(tokensPerSecond));
                var fast = CostModel.PerMillion(cluster, TokensPerSecond.FromTokensPerSecond(tokensPerSecond * speedup));

                // Then each token costs 1/speedup as much
                Assert.Equal(speedup, slow / fast, 1e-9 * speedup);
            });
    }
}
