using Infercost.Economics.Subscriptions;
using Infercost.Quantities;
using Xunit;

namespace Infercost.Tests.Economics.Subscriptions;

// Golden cases 1B and 2B (Martin Alderson, "Are OpenAI and Anthropic really losing money on inference?", Aug 2025).
public class UserCostTests
{
    private static ServingRates Rates(double input, double output, double moe = 1) =>
        new(DollarsPerMillionTokens.FromDollarsPerMillionTokens(input), DollarsPerMillionTokens.FromDollarsPerMillionTokens(output), moe);

    private static UserCost Cost(double inPerDay, double outPerDay, ServingRates rates, double price) =>
        UserCost.Monthly(Tokens.FromTokens(inPerDay), Tokens.FromTokens(outPerDay), rates, Dollars.FromDollars(price));

    [Fact]
    public void Alderson_HeavyUser_10MIn100kOut_At0_005And5_13_Is16_89_Markup11_8()
    {
        var cost = Cost(10e6, 100e3, Rates(0.005, 5.13), 200);

        Assert.Equal(30, cost.DaysPerMonth, 12);
        Assert.Equal(16.89, cost.MonthlyCost.Value, 2);
        Assert.Equal(11.84, cost.Markup!.Value, 2);
    }

    [Fact]
    public void Alderson_Max5_2MIn30kOut_At0_005And5_13_Is4_92_Markup20_3()
    {
        var cost = Cost(2e6, 30e3, Rates(0.005, 5.13), 100);

        Assert.Equal(4.917, cost.MonthlyCost.Value, 3);
        Assert.Equal(20.3, Math.Round(cost.Markup!.Value, 1));
    }

    [Fact]
    public void Alderson_Consumer_70kIn30kOut_At0_003And3_08_Is2_78()
    {
        var cost = Cost(70e3, 30e3, Rates(0.003, 3.08), 20);

        Assert.Equal(2.78, cost.MonthlyCost.Value, 2);
        Assert.Equal(7.2, Math.Round(cost.Markup!.Value, 1));
    }

    [Fact]
    public void Alderson_ImplicitMoeEfficiency0_6_TurnsHeadline0_003And3_08Into0_005And5_13()
    {
        // Given the headline rates and Alderson's unstated 0.6 MoE efficiency
        var rates = Rates(0.003, 3.08, ServingRates.AldersonMoeEfficiency);

        // Then the effective rates print as $0.005 and $5.13
        Assert.Equal(0.005, rates.EffectiveInput.Value, 12);
        Assert.Equal(5.13, rates.EffectiveOutput.Value, 2);

        // And the heavy user costs $16.90 (the published $16.89 used 5.13 rounded)
        var cost = Cost(10e6, 100e3, rates, 200);
        Assert.Equal(16.90, cost.MonthlyCost.Value, 2);
        Assert.Equal(11.8, Math.Round(cost.Markup!.Value, 1));
    }

    [Fact]
    public void Alderson_HeavyUser_AtHeadlineRates_Is10_14_Markup19_7()
    {
        var cost = Cost(10e6, 100e3, Rates(0.003, 3.08), 200);

        Assert.Equal(10.14, cost.MonthlyCost.Value, 2);
        Assert.Equal(19.7, Math.Round(cost.Markup!.Value, 1));
    }

    [Fact]
    public void ZeroUsage_HasNoMarkup_AndFullMargin()
    {
        var cost = Cost(0, 0, Rates(0.003, 3.08), 20);

        Assert.Null(cost.Markup);
        Assert.Equal(1, cost.GrossMargin, 12);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, -1)]
    public void NegativeUsage_IsRejected(double input, double output) =>
        Assert.Throws<InvalidInputException>(() => Cost(input, output, Rates(0.003, 3.08), 20));

    [Theory]
    [InlineData(0)]
    [InlineData(1.5)]
    [InlineData(-0.6)]
    public void MoeEfficiency_OutsideZeroToOne_IsRejected(double moe)
    {
        var ex = Assert.Throws<InvalidInputException>(() => Rates(0.003, 3.08, moe));
        Assert.Equal("moeEfficiency", ex.Field);
    }
}
