using Infercost.Economics.Workloads;
using Infercost.Quantities;

namespace Infercost.Economics.BreakEven;

/// <summary>Self-hosted cluster versus API price for a workload: the volume and utilisation where the cluster wins.</summary>
/// <remarks>
/// API cost is linear in volume: V × a, with a the API $ per request. A cluster costs C = $/h × 24 per day whether busy
/// or not and serves at most K = C × u_max ÷ s requests per day, where s is its $ per request at full use (the device
/// time a request takes, from the engine). Self-host cost = ⌈V ÷ K⌉ × C (at least one cluster). One cluster breaks even
/// at V* = C ÷ a, at utilisation V* × s ÷ C = s ÷ a; if V* &gt; K (equivalently a &lt; s ÷ u_max) the API is always cheaper.
/// See docs/economics.md#break-even.
/// </remarks>
public static class BreakEvenAnalysis
{
    private static readonly double[] CapacityMultiples = [0.01, 0.03, 0.1, 0.3, 0.5, 1, 1.5, 2, 3, 4];

    /// <summary>Compares <paramref name="api"/> and <paramref name="selfHost"/> for <paramref name="workload"/>'s request mix.</summary>
    /// <param name="workload">The request mix (its own volume is ignored; the table spans volumes).</param>
    /// <param name="api">The API's rates.</param>
    /// <param name="selfHost">The deployment.</param>
    /// <param name="levers">Levers applied on both sides.</param>
    /// <param name="volumes">Requests per day for the table; default spans 1% to 4× one cluster's capacity, plus the break-even.</param>
    public static BreakEvenResult Analyse(Workload workload, PriceSheet api, SelfHostDeployment selfHost, WorkloadLevers? levers = null,
        IReadOnlyList<double>? volumes = null)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(selfHost);
        selfHost.Validated();
        var unit = workload.WithRequestsPerDay(1);
        var apiCost = WorkloadCosting.Cost(unit, api, levers);
        var selfCost = WorkloadCosting.Cost(unit, selfHost.RatesAtFullUse, levers);
        var a = apiCost.PerDay;
        var s = selfCost.PerDay;
        var tokensPerRequest = apiCost.TokensPerDay;
        Guard.Positive(s.Value, "self-host cost per request");
        var clusterPerDay = selfHost.ClusterPerHour * Seconds.FromHours(24);
        var capacity = clusterPerDay.Value * selfHost.MaxUtilisation / s.Value;

        double? breakEven = a.Value > 0 ? clusterPerDay.Value / a.Value : null;
        if (breakEven > capacity) breakEven = null;
        var notes = new List<string>
        {
            $"One cluster costs ${Guard.Format(clusterPerDay.Value)}/day busy or idle and serves at most {Guard.Format(capacity)} requests/day at {Guard.Format(selfHost.MaxUtilisation * 100)}% utilisation; beyond that another cluster is added.",
            "Self-host cost counts accelerator hours only (rental, or depreciation + energy): no engineering staff, networking beyond the node, or redundancy for failures.",
        };
        if (breakEven is null)
        {
            notes.Add($"Self-hosting never wins: the API costs ${Guard.Format(a.Value)} per request, less than a fully used cluster's ${Guard.Format(s.Value / selfHost.MaxUtilisation)}.");
        }
        else if (a.Value * capacity < 2 * clusterPerDay.Value)
        {
            notes.Add($"Just past one cluster's capacity the second cluster is mostly idle and the API wins again until {Guard.Format(2 * clusterPerDay.Value / a.Value)} requests/day.");
        }

        var points = (volumes ?? CapacityMultiples.Select(m => m * capacity).Append(breakEven ?? capacity)).ToList();
        foreach (var v in points) Guard.NonNegative(v, "requestsPerDay");
        var table = points.Distinct().Order().Select(v => Row(v, a, s, clusterPerDay, capacity, tokensPerRequest)).ToList();
        return new BreakEvenResult(workload.Id, api, selfHost, a, s, clusterPerDay, capacity, tokensPerRequest * capacity,
            breakEven, breakEven is { } b ? tokensPerRequest * b : null, breakEven is not null ? s.Value / a.Value : null, table, notes);
    }

    /// <summary>Self-host cost per day at <paramref name="requestsPerDay"/>: ⌈V ÷ capacity⌉ (at least 1) × cluster $/day.</summary>
    public static Dollars SelfHostPerDay(double requestsPerDay, double capacityPerCluster, Dollars clusterPerDay) =>
        clusterPerDay * Clusters(requestsPerDay, capacityPerCluster);

    private static int Clusters(double requestsPerDay, double capacity)
    {
        // A volume within rounding of a whole number of clusters' capacity fits in that many clusters.
        var exact = requestsPerDay / capacity;
        var rounded = Math.Round(exact);
        var n = Math.Abs(exact - rounded) < 1e-9 ? rounded : Math.Ceiling(exact);
        return (int)Math.Max(1, Math.Min(n, int.MaxValue));
    }

    private static BreakEvenRow Row(double v, Dollars apiPerRequest, Dollars selfPerRequest, Dollars clusterPerDay, double capacity, Tokens tokensPerRequest)
    {
        var clusters = Clusters(v, capacity);
        var api = apiPerRequest * v;
        var self = clusterPerDay * clusters;
        var utilisation = v * selfPerRequest.Value / self.Value;
        return new BreakEvenRow(v, tokensPerRequest * v, api, self, clusters, utilisation, self.Value < api.Value ? "self-host" : "api");
    }
}
