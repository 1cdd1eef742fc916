using Infercost.Quantities;

namespace Infercost.Economics.PriceCurves;

/// <summary>Price decline as one constant factor per year: price(t) = price(0) ÷ factor^years.</summary>
/// <remarks>a16z "LLMflation" (2024-11-12): $60 → $0.06 in 3 years is 1,000^(1/3) = 10x per year. A year is
/// <see cref="EpochEstimator.DaysPerYear"/> (365) days wherever dates are turned into years, as in Epoch's estimator.
/// See docs/economics.md#price-curves.</remarks>
public static class ConstantDecline
{
    /// <summary>Factor per year that takes <paramref name="from"/> to <paramref name="to"/> in <paramref name="years"/>:
    /// (from / to)^(1 / years). Above 1 means prices fell.</summary>
    public static double FactorPerYear(DollarsPerMillionTokens from, DollarsPerMillionTokens to, double years)
    {
        Guard.Positive(from.Value, "fromPrice");
        Guard.Positive(to.Value, "toPrice");
        Guard.InRange(years, 1e-3, 100, "years");
        return Math.Pow(from / to, 1 / years);
    }

    /// <summary>Factor per year between two dated prices, years = days between them / 365.</summary>
    /// <exception cref="InvalidInputException">The dates are equal or out of order.</exception>
    public static double FactorPerYear(PricePoint earlier, PricePoint later)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(later);
        var days = later.Date.DayNumber - earlier.Date.DayNumber;
        if (days <= 0)
            throw new InvalidInputException("dates", $"the later price must be dated after the earlier one; was {earlier.Date:yyyy-MM-dd} then {later.Date:yyyy-MM-dd}.");
        return FactorPerYear(earlier.Price, later.Price, days / EpochEstimator.DaysPerYear);
    }

    /// <summary>Price after <paramref name="years"/> at <paramref name="factorPerYear"/>: from ÷ factor^years.</summary>
    public static DollarsPerMillionTokens Project(DollarsPerMillionTokens from, double factorPerYear, double years)
    {
        Guard.Positive(from.Value, "fromPrice");
        Guard.InRange(factorPerYear, 1e-3, 1e6, "factor");
        Guard.InRange(years, 0, 100, "years");
        return from / Math.Pow(factorPerYear, years);
    }

    /// <summary>A projection from <paramref name="from"/> on <paramref name="start"/> at a central factor, with a band
    /// between a slower and a faster factor, sampled <paramref name="stepsPerYear"/> times a year.</summary>
    /// <param name="start">Date of the starting price.</param>
    /// <param name="from">Starting price.</param>
    /// <param name="factorPerYear">Central factor per year.</param>
    /// <param name="slowFactor">Slowest plausible factor (gives the band's high price); defaults to the central factor.</param>
    /// <param name="fastFactor">Fastest plausible factor (gives the band's low price); defaults to the central factor.</param>
    /// <param name="years">Horizon in years, in (0, 100].</param>
    /// <param name="stepsPerYear">Samples per year, in [1, 365].</param>
    public static IReadOnlyList<ProjectedPrice> Projection(
        DateOnly start, DollarsPerMillionTokens from, double factorPerYear, double? slowFactor, double? fastFactor, double years, int stepsPerYear = 12)
    {
        Guard.InRange(years, 1e-3, 100, "years");
        Guard.InRange(stepsPerYear, 1, 365, "stepsPerYear");
        var slow = slowFactor ?? factorPerYear;
        var fast = fastFactor ?? factorPerYear;
        if (slow > factorPerYear || fast < factorPerYear)
            throw new InvalidInputException("band", $"band factors must bracket the central factor {Guard.Format(factorPerYear)}; was slow {Guard.Format(slow)}, fast {Guard.Format(fast)}.");
        var steps = (int)Math.Ceiling(years * stepsPerYear);
        return Enumerable.Range(0, steps + 1)
            .Select(i => Math.Min(years, (double)i / stepsPerYear))
            .Select(y => new ProjectedPrice(
                start.AddDays((int)Math.Round(y * EpochEstimator.DaysPerYear)),
                Project(from, factorPerYear, y), Project(from, fast, y), Project(from, slow, y)))
            .ToList();
    }
}

/// <summary>A projected price on a date, with its band.</summary>
/// <param name="Date">Date of the projection.</param>
/// <param name="Central">Price at the central rate.</param>
/// <param name="Low">Price at the fast end of the band (cheaper).</param>
/// <param name="High">Price at the slow end of the band (dearer).</param>
public sealed record ProjectedPrice(DateOnly Date, DollarsPerMillionTokens Central, DollarsPerMillionTokens Low, DollarsPerMillionTokens High);
