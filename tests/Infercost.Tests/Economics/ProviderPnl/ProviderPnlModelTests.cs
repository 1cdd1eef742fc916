using Infercost.Economics.ProviderPnl;
using Infercost.Quantities;
using Xunit;

namespace Infercost.Tests.Economics.ProviderPnl;

// Golden case 7: DeepSeek, "Day 6: One More Thing, DeepSeek-V3/R1 Inference System Overview" (2025-03-01).
public class ProviderPnlModelTests
{
    private static readonly PnlStatement Day6 = ProviderPnlModel.Compute(ProviderScenarios.DeepSeekDay6);

    [Fact]
    public void DeepSeekDay6_Cost_Is87072PerDay()
    {
        // 226.75 nodes × 8 GPUs × $2 × 24 h
        Assert.Equal(87_072, Day6.Cost.Value, 6);
        Assert.Equal(43_536, Day6.GpuHours, 6);
    }

    [Fact]
    public void DeepSeekDay6_Revenue_Recomputes562100_Against562027Published()
    {
        Assert.Equal(47_880, Day6.RevenueCachedInput.Value, 6);
        Assert.Equal(146_300, Day6.RevenueUncachedInput.Value, 6);
        Assert.Equal(367_920, Day6.RevenueOutput.Value, 6);
        Assert.Equal(562_100, Day6.Revenue.Value, 6);
        Assert.Equal(73, Day6.Published!.Gap.Value, 6);
    }

    [Fact]
    public void DeepSeekDay6_73DollarGap_IsWithinRoundingTokenCountsToWholeBillions()
    {
        // ±0.5B on each count moves revenue by up to 500 MTok × ($0.55 + $0.41 + $2.19) = $1,575
        Assert.Equal(1_575, Day6.Published!.RoundingTolerance!.Value.Value, 6);
        Assert.True(Day6.Published.GapWithinRounding);
    }

    [Fact]
    public void DeepSeekDay6_CostProfitMargin_Is545Percent_GrossMargin84_5Percent()
    {
        Assert.Equal(545, Math.Floor(Day6.Published!.CostProfitMarginPublished!.Value * 100));
        Assert.Equal(5.4547, Day6.Published.CostProfitMarginPublished.Value, 4);
        Assert.Equal(545.6, Math.Round(Day6.CostProfitMargin!.Value * 100, 1));
        Assert.Equal(84.5, Math.Round(Day6.GrossMargin!.Value * 100, 1));
        Assert.Equal(84.5, Math.Round(Day6.Published.GrossMarginPublished!.Value * 100, 1));
    }

    [Fact]
    public void DeepSeekDay6_CacheHitShare_Is56_25Percent()
    {
        Assert.Equal(0.5625, Day6.CacheHitShare!.Value, 12);
    }

    [Fact]
    public void DeepSeekDay6_NodeCount_FromPerNodeThroughputs_Is226_9Against226_75()
    {
        var nodes = Day6.Nodes!;

        Assert.Equal(7.04, nodes.AverageInputRate.Value / 1e6, 2);
        Assert.Equal(1.944, nodes.AverageOutputRate.Value / 1e6, 3);
        Assert.Equal(95.5, nodes.PrefillNodes, 1);
        Assert.Equal(131.4, nodes.DecodeNodes, 1);
        Assert.Equal(226.9, nodes.ImpliedNodes, 1);
        Assert.Equal(226.75, nodes.StatedNodes);
        Assert.InRange(nodes.RelativeDifference, 0, 0.001);
    }

    [Fact]
    public void DeepSeekDay6_ImpliedUnitCosts_Are0_30Output_0_060Input()
    {
        var units = Day6.UnitCosts;

        Assert.Equal(16, units.NodeHourPrice.Value);
        Assert.Equal(0.30, units.DecodeOutput!.Value.Value, 2);
        Assert.Equal(0.060, units.PrefillInput!.Value.Value, 3);
        Assert.Equal(0.518, units.AllCostOverOutput!.Value.Value, 3);
        Assert.Equal(3.35, units.RevenuePerOutput!.Value.Value, 2);
    }

    [Fact]
    public void Training_AmortisedOverTheTokensServed_ComesOutOfTheMargin()
    {
        // Given $5.576M of training (DeepSeek-V3's reported 2.788M H800-hours × $2) written off over one year
        var training = new TrainingAmortisation(Dollars.FromDollars(5.576e6), 1);

        var pnl = ProviderPnlModel.Compute(ProviderScenarios.DeepSeekDay6, training);

        // Then one day carries 1/365 of it, spread over 776B tokens a day
        var view = pnl.Training!;
        Assert.Equal(776, view.TokensPerDay.Billions, 9);
        Assert.Equal(5.576e6 / 365, view.TrainingCharge.Value, 6);
        Assert.Equal(5.576e6 / (365 * 776_000.0), view.TrainingPerMillion.Value, 12);
        Assert.Equal(pnl.Profit.Value - view.TrainingCharge.Value, view.ProfitAfterTraining.Value, 6);
        Assert.True(view.GrossMarginAfterTraining < pnl.GrossMargin);
    }

    [Fact]
    public void Training_SpreadOverMoreTokensPerDay_ChargesThisPeriodLess()
    {
        var own = ProviderPnlModel.Compute(ProviderScenarios.DeepSeekDay6, new TrainingAmortisation(Dollars.FromDollars(1e8), 2));
        var bigger = ProviderPnlModel.Compute(ProviderScenarios.DeepSeekDay6, new TrainingAmortisation(Dollars.FromDollars(1e8), 2, Tokens.FromBillions(7_760)));

        Assert.Equal(own.Training!.TrainingCharge.Value / 10, bigger.Training!.TrainingCharge.Value, 6);
    }

    [Fact]
    public void CachedTokensAboveInput_AreRejected()
    {
        var ex = Assert.Throws<InvalidInputException>(() => Day(cachedBillions: 700));
        Assert.Equal("cachedTokens", ex.Field);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void NonPositiveNodes_AreRejected(double nodes) =>
        Assert.Throws<InvalidInputException>(() => Day(nodes: nodes));

    [Fact]
    public void UnknownScenario_SuggestsNearest()
    {
        var ex = Assert.Throws<InvalidInputException>(() => ProviderScenarios.Get("deepseek-day-6"));
        Assert.Contains("did you mean deepseek-day6", ex.Message);
    }

    [Fact]
    public void WithoutThroughputsOrPublishedRevenue_ChecksAreAbsent()
    {
        var plain = ProviderScenarios.DeepSeekDay6 with { PrefillPerNode = null, DecodePerNode = null, PublishedRevenue = null };

        var pnl = ProviderPnlModel.Compute(plain);

        Assert.Null(pnl.Nodes);
        Assert.Null(pnl.Published);
        Assert.Null(pnl.UnitCosts.DecodeOutput);
    }

    private static ProviderDay Day(double nodes = 226.75, double cachedBillions = 342)
    {
        var d = ProviderScenarios.DeepSeekDay6;
        return new ProviderDay(d.Name, nodes, d.GpusPerNode, d.GpuHourPrice, d.Period, d.InputTokens, Tokens.FromBillions(cachedBillions),
            d.OutputTokens, d.PriceInput, d.PriceCachedInput, d.PriceOutput);
    }
}
