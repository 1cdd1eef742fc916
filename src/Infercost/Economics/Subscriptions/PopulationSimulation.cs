using Infercost.Quantities;

namespace Infercost.Economics.Subscriptions;

/// <summary>Inputs of a subscriber-population simulation.</summary>
/// <param name="Plan">The plan whose price and limits apply.</param>
/// <param name="ModelFamily">Model family whose credit rates turn tokens into credits against the limits.</param>
/// <param name="Usage">Distribution of wanted usage per subscriber per day.</param>
/// <param name="Rates">Serving cost per million tokens.</param>
/// <param name="Subscribers">Number of simulated subscribers, in [1, 10,000,000].</param>
/// <param name="Seed">Seed of the random stream, in [0, 2,147,483,647].</param>
/// <param name="WeeksPerMonth">Weeks per month, in [1, 6].</param>
public sealed record PopulationSpec(
    SubscriptionPlan Plan,
    string ModelFamily,
    UsageDistribution Usage,
    ServingRates Rates,
    int Subscribers,
    int Seed,
    double WeeksPerMonth = WeeksPerMonth.ThirtyDayMonth)
{
    /// <summary>Most subscribers one simulation accepts.</summary>
    public const int MaxSubscribers = 10_000_000;
}

/// <summary>Seeded Monte Carlo of what a plan's subscribers cost to serve.</summary>
/// <remarks>Each subscriber draws a daily output from the usage mixture and input = output × input-per-output. Their
/// weekly credits (7 × daily credits) are cut to the plan's most per week, min(weekly limit, window limit × windows in
/// a week), by scaling input and output alike. Monthly cost = weekly tokens × serving rates × weeks per month.
/// Percentiles interpolate linearly between order statistics (NumPy's default). The stream is
/// <see cref="Random(int)"/> with the given seed, so a seed reproduces a result exactly on the same runtime.
/// See docs/economics.md#subscription-population.</remarks>
public static class PopulationSimulation
{
    private const int HistogramBins = 40;

    /// <summary>Runs the simulation.</summary>
    /// <param name="spec">Inputs.</param>
    /// <param name="progress">Receives the completed fraction in [0, 1], about a hundred times per run.</param>
    /// <param name="cancellationToken">Stops the run between subscribers.</param>
    public static PopulationResult Run(PopulationSpec spec, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(spec.Plan);
        ArgumentNullException.ThrowIfNull(spec.Usage);
        ArgumentNullException.ThrowIfNull(spec.Rates);
        Guard.InRange(spec.Subscribers, 1, PopulationSpec.MaxSubscribers, "users");
        Guard.InRange(spec.Seed, 0, int.MaxValue, "seed");
        Guard.InRange(spec.WeeksPerMonth, 1, 6, "weeksPerMonth");
        var plan = spec.Plan;
        var rate = plan.RateFor(spec.ModelFamily);
        var ratio = spec.Usage.InputPerOutput;

        var creditsPerOutput = (ratio * rate.CreditsPerInputToken) + rate.CreditsPerOutputToken;
        var costPerOutput = ((ratio * spec.Rates.EffectiveInput.Value) + spec.Rates.EffectiveOutput.Value) / 1e6;
        var maxCreditsPerWeek = plan.MaxCreditsPerWeek;
        var maxOutputPerWeek = maxCreditsPerWeek / creditsPerOutput;
        var totalWeight = spec.Usage.Components.Sum(c => c.Weight);

        var random = new Random(spec.Seed);
        var costs = new double[spec.Subscribers];
        var capped = 0;
        var step = Math.Max(1, spec.Subscribers / 100);
        progress?.Report(0);
        for (var i = 0; i < costs.Length; i++)
        {
            var outputPerWeek = 7 * spec.Usage.SampleOutputPerDay(random, totalWeight);
            if (outputPerWeek > maxOutputPerWeek)
            {
                outputPerWeek = maxOutputPerWeek;
                capped++;
            }

            costs[i] = outputPerWeek * spec.WeeksPerMonth * costPerOutput;
            if ((i + 1) % step == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report((double)(i + 1) / costs.Length);
            }
        }

        Array.Sort(costs);
        var mean = costs.Average();
        var price = plan.MonthlyPrice.Value;
        var lossMaking = costs.Length - UpperBoundAtMost(costs, price);
        var maxedOutputPerMonth = maxOutputPerWeek * spec.WeeksPerMonth;
        var maxedCost = maxedOutputPerMonth * costPerOutput;
        var maxed = new MaxedUserCost(
            plan.BindingLimit, maxCreditsPerWeek,
            Tokens.FromTokens(maxedOutputPerMonth * ratio), Tokens.FromTokens(maxedOutputPerMonth),
            Dollars.FromDollars(maxedCost), maxedCost > 0 ? price / maxedCost : null);
        progress?.Report(1);
        return new PopulationResult(
            plan.Id, rate.ModelFamily, costs.Length, spec.Seed, spec.WeeksPerMonth, plan.MonthlyPrice,
            Dollars.FromDollars(mean), mean > 0 ? price / mean : null, (price - mean) / price,
            (double)lossMaking / costs.Length, (double)capped / costs.Length,
            Dollars.FromDollars(Percentile(costs, 0.50)), Dollars.FromDollars(Percentile(costs, 0.90)),
            Dollars.FromDollars(Percentile(costs, 0.99)), Dollars.FromDollars(costs[^1]),
            maxed, Histogram(costs));
    }

    /// <summary>The <paramref name="q"/>-quantile of ascending <paramref name="sorted"/>, linear between order statistics.</summary>
    internal static double Percentile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }

    // Count of elements <= value in an ascending array.
    private static int UpperBoundAtMost(double[] sorted, double value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (sorted[mid] <= value) low = mid + 1;
            else high = mid;
        }

        return low;
    }

    // Log-spaced bins from the cheapest to the dearest subscriber, since usage spans orders of magnitude.
    private static List<CostBin> Histogram(double[] sorted)
    {
        var low = sorted[0];
        var high = sorted[^1];
        if (!(low > 0) || high <= low)
            return [new CostBin(Dollars.FromDollars(low), Dollars.FromDollars(high), sorted.Length)];
        var logLow = Math.Log10(low);
        var width = (Math.Log10(high) - logLow) / HistogramBins;
        var counts = new int[HistogramBins];
        foreach (var c in sorted)
            counts[Math.Clamp((int)((Math.Log10(c) - logLow) / width), 0, HistogramBins - 1)]++;
        return Enumerable.Range(0, HistogramBins)
            .Select(b => new CostBin(
                Dollars.FromDollars(Math.Pow(10, logLow + (b * width))),
                Dollars.FromDollars(Math.Pow(10, logLow + ((b + 1) * width))),
                counts[b]))
            .ToList();
    }
}
