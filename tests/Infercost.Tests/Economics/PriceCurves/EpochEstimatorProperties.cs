using CsCheck;
using Infercost.Economics.PriceCurves;
using Infercost.Quantities;
using Xunit;

namespace Infercost.Tests.Economics.PriceCurves;

public class EpochEstimatorProperties
{
    [Fact]
    public void ExactExponentialDecline_IsRecovered_AndProjectionFallsByTheFactor()
    {
        // For any factor and any increasing dates, prices p0 / factor^(days/365) fit back to that factor
        Gen.Select(Gen.Double[1.1, 1000], Gen.Int[1, 400].Array[3, 12], Gen.Double[0.01, 100]).Sample((factor, gaps, p0) =>
        {
            var start = new DateOnly(2020, 1, 1);
            var days = 0;
            var points = new List<PricePoint>();
            foreach (var gap in gaps)
            {
                points.Add(new PricePoint(start.AddDays(days), DollarsPerMillionTokens.FromDollarsPerMillionTokens(p0 / Math.Pow(factor, days / 365.0))));
                days += gap;
            }

            var fit = EpochEstimator.Fit(points);
            Assert.Equal(points.Count, fit.Frontier.Count);
            Assert.Equal(factor, fit.FactorPerYear, factor * 1e-9);
            var projection = EpochEstimator.Project(fit, 1);
            Assert.Equal(factor, projection[0].Central / projection[^1].Central, factor * 1e-9);
        });
    }
}
