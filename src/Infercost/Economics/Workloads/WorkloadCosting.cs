using Infercost.Quantities;

namespace Infercost.Economics.Workloads;

/// <summary>Costs a workload on a price sheet, and what caching, compaction and token efficiency save.</summary>
public static class WorkloadCosting
{
    /// <summary>Days in a billing month. Every monthly figure is per day × 30 (stated, as in Alderson 2025).</summary>
    public const double DaysPerMonth = 30;

    /// <summary>Costs <paramref name="workload"/> on <paramref name="prices"/> under <paramref name="levers"/>.</summary>
    /// <remarks>Per request, $ = uncached × input + cache reads × cached + cache writes × write + (output + reasoning) ×
    /// output, each tok × $/MTok; all at the long-context rates when the prompt exceeds the tier's threshold (cached and
    /// write rates scaled by the same factor as input); × (1 − batch discount) for batch requests. Per day = per request ×
    /// requests per day; per month = per day × 30. See docs/economics.md#workloads.</remarks>
    public static WorkloadCost Cost(Workload workload, PriceSheet prices, WorkloadLevers? levers = null)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(prices);
        workload.Validated();
        var l = (levers ?? WorkloadLevers.None).Validated();
        var hit = l.CacheHitRate ?? workload.CacheHitRate;
        var resolved = l with { CacheHitRate = hit };
        var notes = new List<string>();
        var costs = new List<RequestCost>();
        foreach (var request in workload.Requests)
        {
            var tokens = RequestBilling.Split(request, hit, l.Compaction, l.OutputReduction);
            var cost = Price(request, tokens, prices, notes);
            costs.Add(cost);
        }

        if (prices.Disputed) notes.Add($"The list price of {prices.Label} is disputed between sources; see 'infercost prices --history {prices.Label}'.");
        var perDay = costs.Aggregate(Dollars.Zero, (sum, c) => sum + c.PerDay);
        var tokensPerDay = costs.Aggregate(Tokens.Zero, (sum, c) => sum + c.Tokens.Total * c.Request.RequestsPerDay);
        var blended = tokensPerDay.Value > 0 ? perDay / tokensPerDay : DollarsPerMillionTokens.Zero;
        return new WorkloadCost(workload.Id, prices, resolved, costs, perDay, perDay * DaysPerMonth, tokensPerDay, blended,
            notes.Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>What each lever in <paramref name="levers"/> saves per day, alone and together.</summary>
    public static WorkloadSavings Savings(Workload workload, PriceSheet prices, WorkloadLevers levers)
    {
        ArgumentNullException.ThrowIfNull(levers);
        var baseline = Cost(workload, prices, new WorkloadLevers(CacheHitRate: 0));
        var all = Cost(workload, prices, levers);
        var hit = levers.CacheHitRate ?? workload.CacheHitRate;
        var caching = Cost(workload, prices, new WorkloadLevers(CacheHitRate: hit));
        var compaction = Cost(workload, prices, new WorkloadLevers(CacheHitRate: 0, Compaction: levers.Compaction));
        var efficiency = Cost(workload, prices, new WorkloadLevers(CacheHitRate: 0, OutputReduction: levers.OutputReduction));
        return new WorkloadSavings(baseline, all,
            baseline.PerDay - caching.PerDay,
            baseline.PerDay - compaction.PerDay,
            baseline.PerDay - efficiency.PerDay,
            baseline.PerDay - all.PerDay);
    }

    private static RequestCost Price(RequestType request, BilledTokens tokens, PriceSheet prices, List<string> notes)
    {
        var input = prices.Input;
        var cached = prices.CachedInput;
        var write = prices.CacheWrite;
        var output = prices.Output;
        var longContext = false;
        if (prices.LongContext is { } tier && tokens.Prompt.Value > tier.ThresholdTokens)
        {
            var factor = prices.Input.Value > 0 ? tier.Input / prices.Input : 1;
            input = tier.Input;
            cached *= factor;
            write *= factor;
            output = tier.Output;
            longContext = true;
            notes.Add($"{request.Name}: prompt of {Guard.Format(tokens.Prompt.Value)} tokens is above {tier.ThresholdTokens}; the whole request is billed at the long-context rates (${Guard.Format(tier.Input.Value)} in / ${Guard.Format(tier.Output.Value)} out).");
        }

        var discount = 0.0;
        if (request.Batch)
        {
            if (prices.BatchDiscount is { } d) discount = d;
            else notes.Add($"{request.Name}: sent as batch, but {prices.Label} has no batch price recorded; billed at the standard rates.");
        }

        var keep = 1 - discount;
        var inCost = tokens.Uncached * input * keep;
        var readCost = tokens.CacheRead * cached * keep;
        var writeCost = tokens.CacheWrite * write * keep;
        var outCost = tokens.BilledOutput * output * keep;
        var perRequest = inCost + readCost + writeCost + outCost;
        return new RequestCost(request, tokens, inCost, readCost, writeCost, outCost, perRequest, perRequest * request.RequestsPerDay,
            longContext, discount);
    }
}
