using Infercost.Economics.PriceCurves;
using Infercost.Quantities;
using Xunit;

namespace Infercost.Tests.Economics.PriceCurves;

// Golden case 6A: Epoch AI, "LLM inference prices have fallen rapidly but unequally across tasks" (2025-03-12),
// points from epoch-research/llm-benchmark-efficiency (commit 34b9233).
public class EpochEstimatorTests
{
    internal static IReadOnlyList<PricePoint> MmluGpt3 { get; } = Points(
        ("2021-11-20", 60.0), ("2022-09-01", 20.0), ("2023-03-06", 2.0), ("2023-07-18", 0.56), ("2023-12-01", 0.2),
        ("2024-04-14", 0.13), ("2024-07-23", 0.1), ("2024-09-24", 0.08), ("2024-10-03", 0.07));

    internal static IReadOnlyList<PricePoint> GpqaGpt4 { get; } = Points(
        ("2023-03-14", 37.5), ("2023-11-06", 15.0), ("2024-02-26", 6.0), ("2024-03-04", 0.5), ("2024-05-10", 0.13), ("2024-12-13", 0.1225));

    [Fact]
    public void EpochEstimator_MmluGpt3Threshold_Is11_7729PerYear()
    {
        var fit = EpochEstimator.Fit(MmluGpt3);

        Assert.Equal(9, fit.Frontier.Count);
        Assert.Equal(-0.0029339245, fit.SlopeLog10PerDay, 10);
        Assert.Equal(11.7729, fit.FactorPerYear, 4);
        Assert.Equal(11.772872667, fit.FactorPerYear, 1e-9 * 11.77);
    }

    [Fact]
    public void EpochEstimator_GpqaGpt4Threshold_Is42_019PerYear()
    {
        var fit = EpochEstimator.Fit(GpqaGpt4);

        Assert.Equal(6, fit.Frontier.Count);
        Assert.Equal(42.019, fit.FactorPerYear, 3);
        Assert.Equal(42.01899884, fit.FactorPerYear, 1e-9 * 42.02);
    }

    [Fact]
    public void EpochEstimator_Uses365DayYears_Not365_25()
    {
        // With 365.25 days the MMLU factor would be 11.793; the published 11.7729 pins 365
        var fit = EpochEstimator.Fit(MmluGpt3);

        Assert.Equal(11.793, Math.Pow(10, -365.25 * fit.SlopeLog10PerDay), 3);
        Assert.Equal(365, EpochEstimator.DaysPerYear);
    }

    [Fact]
    public void Slope_IsInvariantToTheDayOrdinalOffset()
    {
        // Python's date.toordinal is DayNumber + 1; shifting every date leaves the slope alone
        var shifted = MmluGpt3.Select(p => p with { Date = p.Date.AddDays(1000) }).ToList();

        Assert.Equal(EpochEstimator.Fit(MmluGpt3).SlopeLog10PerDay, EpochEstimator.Fit(shifted).SlopeLog10PerDay, 15);
    }

    [Fact]
    public void Frontier_KeepsOnlyPointsCheaperThanEveryEarlierOne_InReleaseOrder()
    {
        // Given points out of order, with a dearer later model and a tie
        var points = Points(("2023-01-01", 10), ("2022-01-01", 20), ("2023-06-01", 15), ("2024-01-01", 10), ("2024-06-01", 5));

        var frontier = EpochEstimator.Frontier(points);

        Assert.Equal(["2022-01-01", "2023-01-01", "2024-06-01"], frontier.Select(p => p.Date.ToString("yyyy-MM-dd")));
    }

    [Fact]
    public void Band_BracketsTheCentralFactor_AndWidensWithSigmas()
    {
        var one = EpochEstimator.Fit(MmluGpt3, bandSigmas: 1);
        var two = EpochEstimator.Fit(MmluGpt3, bandSigmas: 2);

        Assert.NotNull(one.SlopeStandardError);
        Assert.True(one.SlowFactorPerYear < one.FactorPerYear && one.FactorPerYear < one.FastFactorPerYear);
        Assert.True(two.SlowFactorPerYear < one.SlowFactorPerYear && two.FastFactorPerYear > one.FastFactorPerYear);
        Assert.InRange(one.RSquared!.Value, 0.9, 1);
    }

    [Fact]
    public void Projection_StartsOnTheFittedLine_AndFallsByTheFactorEachYear()
    {
        var fit = EpochEstimator.Fit(MmluGpt3);

        var projection = EpochEstimator.Project(fit, years: 2);

        Assert.Equal(new DateOnly(2024, 10, 3), projection[0].Date);
        Assert.Equal(fit.FittedPrice(new DateOnly(2024, 10, 3)), projection[0].Central.Value, 12);
        Assert.Equal(projection[0].Central, projection[0].Low);
        Assert.Equal(projection[0].Central.Value / (fit.FactorPerYear * fit.FactorPerYear), projection[^1].Central.Value, 12);
        Assert.All(projection, p => Assert.True(p.Low <= p.Central && p.Central <= p.High));
        Assert.Equal(25, projection.Count);
    }

    [Fact]
    public void TwoPoints_AreRefused_ABandOfZeroWidthWouldBeNarrowerThanTheDataAllow()
    {
        var ex = Assert.Throws<InvalidInputException>(() => EpochEstimator.Fit(Points(("2021-11-20", 60), ("2024-11-19", 0.06))));

        Assert.Equal("points", ex.Field);
        Assert.Contains("at least 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThreePoints_HaveAStandardErrorAndABandOfNonZeroWidth()
    {
        var fit = EpochEstimator.Fit(Points(("2021-11-20", 60), ("2023-05-01", 3), ("2024-11-19", 0.06)));

        Assert.NotNull(fit.SlopeStandardError);
        Assert.True(fit.FastFactorPerYear > fit.FactorPerYear && fit.FactorPerYear > fit.SlowFactorPerYear);
    }

    [Fact]
    public void FewerThanTwoPoints_IsRejected()
    {
        var ex = Assert.Throws<InvalidInputException>(() => EpochEstimator.Fit(Points(("2024-01-01", 1))));
        Assert.Equal("points must number at least 2 to fit a curve; was 1.", ex.Message);
    }

    [Fact]
    public void RisingPrices_LeaveAOnePointFrontier_AndAreRejected()
    {
        var ex = Assert.Throws<InvalidInputException>(() => EpochEstimator.Fit(Points(("2023-01-01", 1), ("2024-01-01", 2))));
        Assert.Contains("frontier has 1 point", ex.Message);
    }

    [Fact]
    public void SameDate_IsRejected()
    {
        var ex = Assert.Throws<InvalidInputException>(() => EpochEstimator.Fit(Points(("2024-01-01", 2), ("2024-01-01", 1)), takeFrontier: false));
        Assert.Contains("more than one date", ex.Message);
    }

    internal static IReadOnlyList<PricePoint> Points(params (string Date, double Price)[] points) =>
        points.Select(p => new PricePoint(DateOnly.Parse(p.Date, System.Globalization.CultureInfo.InvariantCulture), DollarsPerMillionTokens.FromDollarsPerMillionTokens(p.Price))).ToList();
}
