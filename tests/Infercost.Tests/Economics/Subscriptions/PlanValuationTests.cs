using Infercost.Economics.Subscriptions;
using Infercost.Quantities;
using Xunit;

namespace Infercost.Tests.Economics.Subscriptions;

// Golden case 2A (r/ClaudeAI Max 20x, reconstructed from she-llac.com/claude-limits, Jan 2026).
public class PlanValuationTests
{
    private static readonly DollarsPerMillionTokens OpusIn = DollarsPerMillionTokens.FromDollarsPerMillionTokens(5);
    private static readonly DollarsPerMillionTokens OpusOut = DollarsPerMillionTokens.FromDollarsPerMillionTokens(25);

    private static PlanValue Max20x(double weeksPerMonth = WeeksPerMonth.ThirtyDayMonth) =>
        PlanValuation.Value(SubscriptionPlans.Max20x, "opus", OpusIn, OpusOut, weeksPerMonth);

    [Fact]
    public void DollarsPerCredit_Opus_Is7_50PerMillionCredits_FromEitherSide()
    {
        // Given Opus 4.5 at $5/$25 and credits of 10/15 and 50/15 per token
        // When the Max 20x allowance is valued
        var value = Max20x();

        // Then $25 ÷ 50/15 = $5 ÷ 10/15 = $7.50 per million credits
        Assert.Equal(7.5, value.DollarsPerMillionCredits, 12);
        Assert.Equal(7.5, value.DollarsPerMillionCreditsFromInput, 12);
    }

    [Fact]
    public void SheLlac_Max20x_WeeklyValue_Is625_WindowValue_Is82_50()
    {
        var value = Max20x();

        Assert.Equal(625.00, value.WeeklyValue.Value, 2);
        Assert.Equal(82.50, value.WindowValue.Value, 2);
        Assert.Equal(BindingLimit.Weekly, value.BindingLimit);
    }

    [Fact]
    public void SheLlac_Max20x_WindowsPerWeek_Is7_58_Against33_6InAWeek()
    {
        var value = Max20x();

        Assert.Equal(7.58, value.WindowsPerWeekAllowed, 2);
        Assert.Equal(33.6, value.WindowsInAWeek, 12);
    }

    [Fact]
    public void RedditMax20x_MonthlyValue_ThirtyDayMonth_Is2679()
    {
        var value = Max20x(WeeksPerMonth.ThirtyDayMonth);

        Assert.Equal(2678.57, value.MonthlyValue.Value, 2);
        Assert.Equal(2679, Math.Round(value.MonthlyValue.Value));
        Assert.Equal(13.39, value.MultipleOfPrice, 2);
    }

    [Fact]
    public void SheLlac_Max20x_MonthlyValue_FiftyTwoOverTwelve_Is2708()
    {
        var value = Max20x(WeeksPerMonth.FiftyTwoOverTwelve);

        Assert.Equal(2708.33, value.MonthlyValue.Value, 2);
        Assert.Equal(13.5, Math.Round(value.MultipleOfPrice, 1));
    }

    [Fact]
    public void SheLlac_Max20x_WeeklyAllowance_Is25MOpusOutput_Or125MInput()
    {
        var value = Max20x();

        Assert.Equal(25.0, value.OutputTokensPerWeek.Millions, 4);
        Assert.Equal(125.0, value.InputTokensPerWeek.Millions, 4);
    }

    [Theory]
    [InlineData("pro", 4.125, 37.50, 9.09, 162.50, 8.1)]
    [InlineData("max-5x", 24.75, 312.50, 12.63, 1354.17, 13.5)]
    [InlineData("max-20x", 82.50, 625.00, 7.58, 2708.33, 13.5)]
    public void SheLlac_CrossTierTable_Reproduces(string plan, double perWindow, double perWeek, double windows, double perMonth, double multiple)
    {
        var value = PlanValuation.Value(SubscriptionPlans.Get(plan), "opus", OpusIn, OpusOut, WeeksPerMonth.FiftyTwoOverTwelve);

        Assert.Equal(perWindow, value.WindowValue.Value, 3);
        Assert.Equal(perWeek, value.WeeklyValue.Value, 2);
        Assert.Equal(windows, Math.Round(value.WindowsPerWeekAllowed, 2));
        Assert.Equal(perMonth, Math.Round(value.MonthlyValue.Value, 2));
        Assert.Equal(multiple, Math.Round(value.MultipleOfPrice, 1));
    }

    [Fact]
    public void WindowLimit_Binds_WhenWeeklyLimitExceedsEveryWindow()
    {
        // Given a plan whose weekly limit is more than 33.6 windows
        var pro = SubscriptionPlans.Pro;
        var plan = new SubscriptionPlan("pro-loose", "Pro, loose weekly", pro.MonthlyPrice, pro.CreditsPerWindow, 100_000_000, pro.WindowLength, pro.CreditRates, pro.Source);

        // When it is valued
        var value = PlanValuation.Value(plan, "opus", OpusIn, OpusOut, WeeksPerMonth.ThirtyDayMonth);

        // Then the windows bind: 550,000 × 33.6 credits a week
        Assert.Equal(BindingLimit.Window, value.BindingLimit);
        Assert.Equal(550_000 * 33.6 * 7.5 / 1e6, value.WeeklyValue.Value, 9);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(double.NaN)]
    public void NonPositiveApiPrice_IsRejected(double price)
    {
        var ex = Assert.Throws<InvalidInputException>(() =>
            PlanValuation.Value(SubscriptionPlans.Max20x, "opus", OpusIn, DollarsPerMillionTokens.FromDollarsPerMillionTokens(double.IsNaN(price) ? -1 : price), 4.3));
        Assert.StartsWith("apiOutputPrice must be > 0", ex.Message);
    }

    [Fact]
    public void UnknownModelFamily_SuggestsNearest()
    {
        var ex = Assert.Throws<InvalidInputException>(() => PlanValuation.Value(SubscriptionPlans.Max20x, "opsu", OpusIn, OpusOut, 4.3));
        Assert.Contains("did you mean opus", ex.Message);
    }
}
