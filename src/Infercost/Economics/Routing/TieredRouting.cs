using Infercost.Economics.Workloads;
using Infercost.Quantities;

namespace Infercost.Economics.Routing;

/// <summary>Blended cost of a workload routed across model tiers, and the saving against one tier for everything.</summary>
/// <remarks>Routing is by request: every tier sees the same request mix, so routed $/day = Σ share_i × workload $/day on
/// tier i. This assumes the router's choice does not change the request shape (a cheaper tier that needs more turns or
/// longer outputs would cost more than this says). See docs/economics.md#routing.</remarks>
public static class TieredRouting
{
    /// <summary>How far from 1 the shares may sum.</summary>
    public const double ShareTolerance = 1e-9;

    /// <summary>Routes <paramref name="workload"/> across <paramref name="tiers"/>; compares with <paramref name="baseline"/>
    /// (default: the tier that is most expensive for this workload).</summary>
    /// <exception cref="InvalidInputException">No tiers, a share outside [0, 1], or shares not summing to 1 (the sum is shown).</exception>
    public static RoutingResult Route(Workload workload, IReadOnlyList<RouteTier> tiers, PriceSheet? baseline = null, WorkloadLevers? levers = null)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(tiers);
        if (tiers.Count == 0) throw new InvalidInputException("tier", "at least one --tier MODEL=SHARE is required; was none.");
        foreach (var t in tiers) Guard.InRange(t.Share, 0, 1, $"tier {t.Prices.Label} share");
        // A tier named twice would be priced twice over; its shares belong in one --tier.
        if (tiers.GroupBy(t => t.Prices.Label, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidInputException("tier", $"tier {twice.Key} is given {twice.Count()} times; give each tier once with its whole share.");
        }

        var sum = tiers.Sum(t => t.Share);
        if (Math.Abs(sum - 1) > ShareTolerance)
        {
            var terms = string.Join(" + ", tiers.Select(t => $"{t.Prices.Label}={Guard.Format(t.Share)}"));
            throw new InvalidInputException("tier", $"tier shares must sum to 1; was {Guard.Format(sum)} ({terms}).");
        }

        var costs = tiers.Select(t =>
        {
            var all = WorkloadCosting.Cost(workload, t.Prices, levers);
            return new TierCost(t, all, all.PerDay * t.Share);
        }).ToList();
        var perDay = costs.Aggregate(Dollars.Zero, (s, c) => s + c.PerDay);
        var baselineCost = baseline is not null
            ? WorkloadCosting.Cost(workload, baseline, levers)
            : costs.OrderByDescending(c => c.AllTraffic.PerDay).First().AllTraffic;
        var saving = baselineCost.PerDay - perDay;
        var fraction = baselineCost.PerDay.Value > 0 ? saving.Value / baselineCost.PerDay.Value : 0;
        var tokens = costs[0].AllTraffic.TokensPerDay;
        var blended = tokens.Value > 0 ? perDay / tokens : DollarsPerMillionTokens.Zero;
        return new RoutingResult(workload.Id, costs, perDay, perDay * WorkloadCosting.DaysPerMonth, baselineCost, saving, fraction, blended);
    }
}
