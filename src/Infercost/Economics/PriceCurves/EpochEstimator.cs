using Infercost.Quantities;

namespace Infercost.Economics.PriceCurves;

/// <summary>Epoch AI's price-decline estimator: running-minimum frontier, OLS of log10(price) on the day ordinal,
/// factor per year = 10^(−365 × slope).</summary>
/// <remarks>Source: Epoch AI, "LLM inference prices have fallen rapidly but unequally across tasks" (2025-03-12), and
/// its reproduction repository epoch-research/llm-benchmark-efficiency (commit 34b9233). The day ordinal there is
/// Python's <c>date.toordinal</c>; <see cref="DateOnly.DayNumber"/> differs from it by a constant, which moves the
/// intercept but not the slope. The year is 365 days, not 365.25: with 365.25 the MMLU/GPT-3 factor would be 11.793
/// instead of the published 11.7729. See docs/economics.md#price-curves.</remarks>
public static class EpochEstimator
{
    /// <summary>Fewest points a fit takes: with two the line passes through both, the residual is zero and the slope's
    /// standard error (n − 2 degrees of freedom) does not exist, so any band would be narrower than the data allow.</summary>
    public const int MinimumPoints = 3;

    /// <summary>Days per year in the factor, as in Epoch's notebook.</summary>
    public const double DaysPerYear = 365;

    /// <summary>Points in release order (date, then input order) that are cheaper than every earlier point.</summary>
    public static IReadOnlyList<PricePoint> Frontier(IEnumerable<PricePoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var frontier = new List<PricePoint>();
        var cheapest = double.PositiveInfinity;
        foreach (var p in points.OrderBy(p => p.Date))
        {
            if (p.Price.Value >= cheapest) continue;
            frontier.Add(p);
            cheapest = p.Price.Value;
        }

        return frontier;
    }

    /// <summary>Fits the decline on the running-minimum frontier of <paramref name="points"/>.</summary>
    /// <param name="points">Dated prices, in any order.</param>
    /// <param name="bandSigmas">Standard errors of the slope either side that the band spans, in [0, 10]; 1 gives a
    /// one-standard-error band (about 68 % under a normal approximation; not a small-sample t interval).</param>
    /// <param name="takeFrontier">False fits every point as given, skipping the running minimum.</param>
    /// <exception cref="InvalidInputException">Fewer than <see cref="MinimumPoints"/> points survive, or they all share one date.</exception>
    public static DeclineFit Fit(IReadOnlyList<PricePoint> points, double bandSigmas = 1, bool takeFrontier = true)
    {
        ArgumentNullException.ThrowIfNull(points);
        Guard.InRange(bandSigmas, 0, 10, "bandSigmas");
        if (points.Count < 2)
            throw new InvalidInputException("points", $"points must number at least 2 to fit a curve; was {points.Count}.");
        var used = takeFrontier ? Frontier(points) : points.OrderBy(p => p.Date).ToList();
        if (used.Count < 2)
            throw new InvalidInputException("points", $"the running-minimum frontier has {used.Count} point: no later price is below the first, so there is no decline to fit.");
        var n = used.Count;
        var xs = used.Select(p => (double)p.Date.DayNumber).ToArray();
        var ys = used.Select(p => Math.Log10(p.Price.Value)).ToArray();
        var meanX = xs.Average();
        var meanY = ys.Average();
        double sxx = 0, sxy = 0, syy = 0;
        for (var i = 0; i < n; i++)
        {
            var dx = xs[i] - meanX;
            var dy = ys[i] - meanY;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }

        if (sxx == 0)
            throw new InvalidInputException("points", $"points must span more than one date to fit a curve; all are {used[0].Date:yyyy-MM-dd}.");
        if (used.Count < MinimumPoints)
        {
            var where = takeFrontier ? " on the running-minimum frontier" : "";
            throw new InvalidInputException("points",
                $"points must number at least {MinimumPoints}{where} to fit a decline with a band; was {used.Count}: a line through two points " +
                "has no residual, so the error of its slope cannot be measured. Add points, or give --factor with --slow-factor and --fast-factor.");
        }

        var slope = sxy / sxx;
        var intercept = meanY - (slope * meanX);
        var ssr = 0.0;
        for (var i = 0; i < n; i++)
        {
            var r = ys[i] - (intercept + (slope * xs[i]));
            ssr += r * r;
        }

        double? se = n > 2 ? Math.Sqrt(ssr / (n - 2) / sxx) : null;
        double? r2 = syy > 0 ? 1 - (ssr / syy) : null;
        var spread = bandSigmas * (se ?? 0);
        return new DeclineFit(
            points, used, slope, intercept, se, r2, Factor(slope), bandSigmas, Factor(slope + spread), Factor(slope - spread));
    }

    /// <summary>Factor per year of a log10-per-day slope: 10^(−365 × slope).</summary>
    public static double Factor(double slopeLog10PerDay) => Math.Pow(10, -DaysPerYear * slopeLog10PerDay);

    /// <summary>Projects the fit forward from its last frontier date for <paramref name="years"/>, sampled
    /// <paramref name="stepsPerYear"/> times a year.</summary>
    /// <remarks>The central line is the fitted line. The band pivots on the fitted price at the last frontier date and
    /// spreads with the slope's standard error (× band sigmas); the intercept's own uncertainty is left out, so the band
    /// is zero-width at the pivot and measures only uncertainty in the rate.</remarks>
    public static IReadOnlyList<ProjectedPrice> Project(DeclineFit fit, double years, int stepsPerYear = 12)
    {
        ArgumentNullException.ThrowIfNull(fit);
        Guard.InRange(years, 1e-3, 100, "years");
        var pivot = fit.Frontier[^1].Date;
        var start = DollarsPerMillionTokens.FromDollarsPerMillionTokens(fit.FittedPrice(pivot));
        return ConstantDecline.Projection(pivot, start, fit.FactorPerYear, fit.SlowFactorPerYear, fit.FastFactorPerYear, years, stepsPerYear);
    }
}
