using Infercost.Economics.Margins;
using Infercost.Economics.Workloads;
using Infercost.Quantities;
using Xunit;

namespace Infercost.Tests.Economics.Margins;

public class MarginCalculatorTests
{
    private static DollarsPerMillionTokens P(double v) => DollarsPerMillionTokens.FromDollarsPerMillionTokens(v);

    [Fact]
    public void Alderson1B_ApiRow_Sonnet3And15AgainstPoint01And3()
    {
        // Source: REFERENCE-ANALYSES.md golden case 1B, "API" row (Alderson, Aug 2025): Sonnet-class $3/$15 list against
        // "~$0.01 / $3" actual cost gives "80-95%+ gross margins": input (3 − 0.01)/3 = 99.7%, output (15 − 3)/15 = 80.0%.
        var price = PriceSheet.Flat("sonnet-class", P(3), P(15));
        var cost = PriceSheet.Flat("alderson", P(0.01), P(3));

        var report = MarginCalculator.Compute(price, cost);

        Assert.Equal(0.997, Math.Round(report.InputMargin, 3));
        Assert.Equal(0.800, Math.Round(report.OutputMargin, 3));
    }

    [Fact]
    public void GrossMargin_IsOneMinusCostOverPrice()
    {
        Assert.Equal(0.75, MarginCalculator.GrossMargin(P(4), P(1)), 12);
        Assert.Equal(-1, MarginCalculator.GrossMargin(P(1), P(2)), 12);
    }

    [Fact]
    public void Blended_IsWorkloadCostOverWorkloadRevenue()
    {
        var price = PriceSheet.Flat("p", P(3), P(15));
        var cost = PriceSheet.Flat("c", P(0.01), P(3));
        var w = WorkloadProfiles.Generation with { CacheHitRate = 0 };

        var report = MarginCalculator.Compute(price, cost, workload: w);

        var revenue = WorkloadCosting.Cost(w, price).PerDay.Value;
        var spend = WorkloadCosting.Cost(w, cost).PerDay.Value;
        Assert.Equal(1 - spend / revenue, report.BlendedMargin!.Value, 12);
        // Output-heavy work sits near the output margin
        Assert.InRange(report.BlendedMargin.Value, 0.80, 0.81);
    }

    [Fact]
    public void Sensitivity_CoversCostFactorsAndUtilisations()
    {
        var report = MarginCalculator.Compute(PriceSheet.Flat("p", P(3), P(15)), PriceSheet.Flat("c", P(0.01), P(3)));

        Assert.Equal(5 * 4, report.Sensitivity.Count);
        // 3× the cost at 30% utilisation: output cost = 3 × 3 / 0.3 = $30 > $15, margin −100%
        var worst = report.Sensitivity.Single(c => c.CostFactor == 3 && c.Utilisation == 0.3);
        Assert.Equal(-1, worst.Output, 9);
        var base1 = report.Sensitivity.Single(c => c.CostFactor == 1 && c.Utilisation == 1.0);
        Assert.Equal(report.OutputMargin, base1.Output, 12);
    }

    [Fact]
    public void Report_StatesWhatItLeavesOut()
    {
        var report = MarginCalculator.Compute(PriceSheet.Flat("p", P(3), P(15)), PriceSheet.Flat("c", P(0.01), P(3)));
        Assert.Contains(report.LeftOut, l => l.Contains("training", StringComparison.Ordinal));
        Assert.Contains(report.LeftOut, l => l.Contains("free users", StringComparison.Ordinal));
        Assert.Contains(report.LeftOut, l => l.Contains("idle capacity", StringComparison.Ordinal));
        Assert.Contains(report.LeftOut, l => l.Contains("staff", StringComparison.Ordinal));
        Assert.Contains(report.LeftOut, l => l.Contains("networking", StringComparison.Ordinal));
    }

    [Fact]
    public void ZeroPrice_IsRejected()
    {
        var e = Assert.Throws<InvalidInputException>(() => MarginCalculator.GrossMargin(P(0), P(1)));
        Assert.Equal("price must be > 0; was 0.", e.Message);
    }
}
