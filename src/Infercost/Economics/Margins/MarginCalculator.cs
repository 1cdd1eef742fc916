using Infercost.Economics.Workloads;
using Infercost.Quantities;

namespace Infercost.Economics.Margins;

/// <summary>Gross margin = 1 − true cost ÷ price, for input, output and a workload, with a sensitivity grid.</summary>
/// <remarks>The same definition DeepSeek's day-6 disclosure and Alderson (2025) use: revenue at list price against the
/// cost of the accelerator hours that serve it. Golden case: Sonnet-class $3/$15 against Alderson's ~$0.01/$3 true cost
/// gives 99.7% input and 80.0% output (REFERENCE-ANALYSES 1B). See docs/economics.md#margins.</remarks>
public static class MarginCalculator
{
    /// <summary>Cost-estimate factors of the default sensitivity grid: the estimate off by 0.33× to 3×.</summary>
    public static IReadOnlyList<double> DefaultCostFactors { get; } = [0.33, 0.5, 1, 2, 3];

    /// <summary>Utilisations of the default sensitivity grid: 30% to 100% of paid hours doing useful work.</summary>
    public static IReadOnlyList<double> DefaultUtilisations { get; } = [0.3, 0.5, 0.7, 1.0];

    /// <summary>What a gross margin on serving leaves out; every margin figure is printed with this list.</summary>
    public static IReadOnlyList<string> LeftOut { get; } =
    [
        "training and research compute (the models must be built before they are served)",
        "R&D and staff",
        "free users and free tiers (served at cost, billed at zero)",
        "idle capacity beyond the utilisation assumed (fleets are sized for peak)",
        "networking, storage, host CPUs and facilities not in the accelerator price",
        "sales, support, payment fees and other operating costs",
    ];

    /// <summary>Gross margin of a price over a cost: 1 − cost ÷ price (dimensionless; negative when cost exceeds price).</summary>
    /// <exception cref="InvalidInputException">A price of zero (margin undefined).</exception>
    public static double GrossMargin(DollarsPerMillionTokens price, DollarsPerMillionTokens cost)
    {
        Guard.Positive(price.Value, "price");
        return 1 - cost / price;
    }

    /// <summary>Gross margin of revenue over cost: 1 − cost ÷ revenue.</summary>
    public static double GrossMargin(Dollars revenue, Dollars cost)
    {
        Guard.Positive(revenue.Value, "revenue");
        return 1 - cost.Value / revenue.Value;
    }

    /// <summary>Margins of <paramref name="price"/> over <paramref name="cost"/>, for <paramref name="workload"/> when given.</summary>
    /// <param name="price">The rates charged (a provider's list price).</param>
    /// <param name="cost">The true-cost rates (from the engine or given).</param>
    /// <param name="costUtilisation">The utilisation <paramref name="cost"/> already assumes, in (0, 1]; the grid's cost at
    /// utilisation u is cost × factor × <paramref name="costUtilisation"/> ÷ u.</param>
    /// <param name="workload">Optional workload for the blended margin.</param>
    /// <param name="levers">Levers for the workload.</param>
    /// <param name="costFactors">Grid rows; default <see cref="DefaultCostFactors"/>.</param>
    /// <param name="utilisations">Grid columns; default <see cref="DefaultUtilisations"/>.</param>
    public static MarginReport Compute(PriceSheet price, PriceSheet cost, double costUtilisation = 1, Workload? workload = null,
        WorkloadLevers? levers = null, IReadOnlyList<double>? costFactors = null, IReadOnlyList<double>? utilisations = null)
    {
        ArgumentNullException.ThrowIfNull(price);
        ArgumentNullException.ThrowIfNull(cost);
        Guard.InRange(costUtilisation, 1e-6, 1, "utilisation");
        var factors = costFactors ?? DefaultCostFactors;
        var utils = utilisations ?? DefaultUtilisations;
        foreach (var f in factors) Guard.InRange(f, 1e-6, 1e6, "costFactor");
        foreach (var u in utils) Guard.InRange(u, 1e-6, 1, "utilisation");

        var inputMargin = GrossMargin(price.Input, cost.Input);
        var outputMargin = GrossMargin(price.Output, cost.Output);
        WorkloadCost? revenue = null, spend = null;
        double? blended = null;
        if (workload is not null)
        {
            revenue = WorkloadCosting.Cost(workload, price, levers);
            spend = WorkloadCosting.Cost(workload, cost, levers);
            blended = revenue.PerDay.Value > 0 ? GrossMargin(revenue.PerDay, spend.PerDay) : null;
        }

        var grid = new List<MarginCell>();
        foreach (var f in factors)
        {
            foreach (var u in utils)
            {
                var scale = f * costUtilisation / u;
                var scaled = cost.Scaled(scale);
                double? cellBlended = revenue is { } rev && spend is { } sp && rev.PerDay.Value > 0
                    ? GrossMargin(rev.PerDay, sp.PerDay * scale)
                    : null;
                grid.Add(new MarginCell(f, u, GrossMargin(price.Input, scaled.Input), GrossMargin(price.Output, scaled.Output), cellBlended));
            }
        }

        return new MarginReport(price, cost, costUtilisation, inputMargin, outputMargin, revenue, spend, blended, grid, LeftOut);
    }
}
