using Infercost.Economics.PriceCurves;
using Infercost.Quantities;
using Xunit;

namespace Infercost.Tests.Economics.PriceCurves;

// Golden case 6B: a16z, "LLMflation" (Guido Appenzeller, 2024-11-12).
public class ConstantDeclineTests
{
    private static DollarsPerMillionTokens Price(double value) => DollarsPerMillionTokens.FromDollarsPerMillionTokens(value);

    [Fact]
    public void A16z_1000xInThreeYears_Is10xPerYear()
    {
        Assert.Equal(10.0, ConstantDecline.FactorPerYear(Price(60), Price(0.06), 3), 12);
    }

    [Fact]
    public void A16z_60DollarsAt10xForThreeYears_Is6Cents()
    {
        Assert.Equal(0.06, ConstantDecline.Project(Price(60), 10, 3).Value, 12);
    }

    [Fact]
    public void A16z_Gpt4Class62xOver20Months_Is11_9xPerYear()
    {
        // golden 6B: ≈62x since March 2023, about 11.9x/yr over the 20 months to Nov 2024
        Assert.Equal(11.9, Math.Round(ConstantDecline.FactorPerYear(Price(62), Price(1), 20.0 / 12), 1));
    }

    [Fact]
    public void BetweenDatedPrices_UsesDaysOver365()
    {
        var from = new PricePoint(new DateOnly(2021, 1, 1), Price(100));
        var to = new PricePoint(new DateOnly(2021, 1, 1).AddDays(730), Price(1));

        Assert.Equal(10, ConstantDecline.FactorPerYear(from, to), 12);
    }

    [Fact]
    public void DatesOutOfOrder_AreRejected()
    {
        var a = new PricePoint(new DateOnly(2024, 1, 1), Price(1));
        var ex = Assert.Throws<InvalidInputException>(() => ConstantDecline.FactorPerYear(a, a));
        Assert.Contains("dated after", ex.Message);
    }

    [Fact]
    public void Projection_BandSpansSlowAndFastFactors()
    {
        // Epoch's spread of milestone rates: slowest 9.24x, fastest 851x a year
        var projection = ConstantDecline.Projection(new DateOnly(2025, 1, 1), Price(10), 50, 9.24, 851.16, 1, stepsPerYear: 4);

        Assert.Equal(5, projection.Count);
        Assert.Equal(new DateOnly(2026, 1, 1), projection[^1].Date);
        Assert.Equal(10 / 50.0, projection[^1].Central.Value, 12);
        Assert.Equal(10 / 9.24, projection[^1].High.Value, 12);
        Assert.Equal(10 / 851.16, projection[^1].Low.Value, 12);
    }

    [Fact]
    public void Projection_BandThatDoesNotBracketTheFactor_IsRejected() =>
        Assert.Throws<InvalidInputException>(() => ConstantDecline.Projection(new DateOnly(2025, 1, 1), Price(10), 50, 60, 100, 1));

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    public void NonPositivePrice_IsRejected(double price) =>
        Assert.Throws<InvalidInputException>(() => ConstantDecline.FactorPerYear(Price(price), Price(1), 3));

    [Fact]
    public void EpochBlend_ThreeToOne_MatchesGpt4And4o()
    {
        // golden 6A: GPT-4-0314 ($30/$60) blends to $37.50, GPT-4o-2024-05 ($5/$15) to $7.50
        Assert.Equal(37.5, BlendedPrice.ThreeToOne(Price(30), Price(60)).Value, 12);
        Assert.Equal(7.5, BlendedPrice.ThreeToOne(Price(5), Price(15)).Value, 12);
        Assert.Equal(45, BlendedPrice.Mean(Price(30), Price(60)).Value, 12);
    }
}
