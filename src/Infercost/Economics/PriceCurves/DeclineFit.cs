namespace Infercost.Economics.PriceCurves;

/// <summary>An Epoch-style fit of log10(price) against the day ordinal, and the decline factor it implies.</summary>
/// <param name="Input">Points given, before the frontier was taken.</param>
/// <param name="Frontier">Points kept: each cheaper than every earlier one (release order).</param>
/// <param name="SlopeLog10PerDay">OLS slope of log10($/MTok) on <see cref="DateOnly.DayNumber"/>, per day.</param>
/// <param name="InterceptLog10">OLS intercept at day number 0 (0001-01-01).</param>
/// <param name="SlopeStandardError">Standard error of the slope, √(SSR / (n − 2) / Sxx); null with two points.</param>
/// <param name="RSquared">Coefficient of determination of the fit; null when every price is equal.</param>
/// <param name="FactorPerYear">10^(−365 × slope): how many times cheaper a year makes the same capability.</param>
/// <param name="BandSigmas">Standard errors either side of the slope that the band spans.</param>
/// <param name="SlowFactorPerYear">10^(−365 × (slope + k·SE)): the slow end of the band.</param>
/// <param name="FastFactorPerYear">10^(−365 × (slope − k·SE)): the fast end of the band.</param>
public sealed record DeclineFit(
    IReadOnlyList<PricePoint> Input,
    IReadOnlyList<PricePoint> Frontier,
    double SlopeLog10PerDay,
    double InterceptLog10,
    double? SlopeStandardError,
    double? RSquared,
    double FactorPerYear,
    double BandSigmas,
    double SlowFactorPerYear,
    double FastFactorPerYear)
{
    /// <summary>The fitted price on <paramref name="date"/>: 10^(intercept + slope × day number), in $/MTok.</summary>
    public double FittedPrice(DateOnly date) => Math.Pow(10, InterceptLog10 + (SlopeLog10PerDay * date.DayNumber));
}
