using Infercost.Quantities;

namespace Infercost.Economics.ProviderPnl;

/// <summary>Turns a provider period into revenue, cost and margins.</summary>
/// <remarks>Cost = nodes × GPUs per node × $/GPU-hour × hours. Revenue = cached × cached price + (input − cached) ×
/// input price + output × output price. Cost profit margin = (revenue − cost) ÷ cost; gross margin = (revenue − cost) ÷
/// revenue. Source of the method and the worked case: DeepSeek, "Day 6: One More Thing" (2025-03-01). See
/// docs/economics.md#provider-pl.</remarks>
public static class ProviderPnlModel
{
    /// <summary>The P&amp;L of <paramref name="day"/>, with training amortised when <paramref name="training"/> is given.</summary>
    public static PnlStatement Compute(ProviderDay day, TrainingAmortisation? training = null)
    {
        ArgumentNullException.ThrowIfNull(day);
        var gpuHours = day.Gpus * day.Period.Hours;
        var cost = day.Period * (day.GpuHourPrice * day.Gpus);
        var uncached = day.InputTokens - day.CachedInputTokens;
        var revCached = day.CachedInputTokens * day.PriceCachedInput;
        var revUncached = uncached * day.PriceInput;
        var revOutput = day.OutputTokens * day.PriceOutput;
        var revenue = revCached + revUncached + revOutput;
        var profit = revenue - cost;

        return new PnlStatement(
            day, gpuHours, cost, revCached, revUncached, revOutput, revenue, profit,
            Ratio(profit, cost), Ratio(profit, revenue),
            day.InputTokens.Value > 0 ? day.CachedInputTokens / day.InputTokens : null,
            Published(day, cost), Nodes(day), Units(day, cost, revenue), Training(day, revenue, profit, training));
    }

    private static PublishedRevenueCheck? Published(ProviderDay day, Dollars cost)
    {
        if (day.PublishedRevenue is not { } published) return null;
        var recomputed = (day.CachedInputTokens * day.PriceCachedInput) + ((day.InputTokens - day.CachedInputTokens) * day.PriceInput)
            + (day.OutputTokens * day.PriceOutput);
        var gap = recomputed - published;

        // Revenue = I·p_in − C·(p_in − p_cached) + O·p_out, so an error of up to ½g in each count moves it by at most
        // ½g × (p_in + |p_in − p_cached| + p_out).
        Dollars? tolerance = day.TokenCountGranularity is { } g
            ? (g * 0.5) * (day.PriceInput + DollarsPerMillionTokens.FromDollarsPerMillionTokens(Math.Abs((day.PriceInput - day.PriceCachedInput).Value)) + day.PriceOutput)
            : null;
        return new PublishedRevenueCheck(
            published, gap, tolerance, tolerance is { } t ? Math.Abs(gap.Value) <= t.Value : null,
            Ratio(published - cost, cost), Ratio(published - cost, published));
    }

    private static NodeCountCheck? Nodes(ProviderDay day)
    {
        if (day.PrefillPerNode is not { } prefill || day.DecodePerNode is not { } decode) return null;
        Guard.Positive(prefill.Value, "prefillPerNode");
        Guard.Positive(decode.Value, "decodePerNode");
        var inputRate = day.InputTokens / day.Period;
        var outputRate = day.OutputTokens / day.Period;
        var prefillNodes = inputRate / prefill;
        var decodeNodes = outputRate / decode;
        var implied = prefillNodes + decodeNodes;
        return new NodeCountCheck(inputRate, outputRate, prefillNodes, decodeNodes, implied, day.Nodes, (implied - day.Nodes) / day.Nodes);
    }

    private static UnitCosts Units(ProviderDay day, Dollars cost, Dollars revenue)
    {
        var node = day.NodeHourPrice;
        DollarsPerMillionTokens? decode = day.DecodePerNode is { Value: > 0 } d ? node / d : null;
        DollarsPerMillionTokens? prefill = day.PrefillPerNode is { Value: > 0 } p ? node / p : null;
        var hasOutput = day.OutputTokens.Value > 0;
        return new UnitCosts(node, decode, prefill, hasOutput ? cost / day.OutputTokens : null, hasOutput ? revenue / day.OutputTokens : null);
    }

    private static TrainingView? Training(ProviderDay day, Dollars revenue, Dollars profit, TrainingAmortisation? training)
    {
        if (training is null) return null;
        var periodTokens = day.InputTokens + day.OutputTokens;
        var perDay = training.TokensPerDay ?? (periodTokens / day.Period) * Seconds.FromDays(1);
        Guard.Positive(perDay.Value, "tokensPerDay");
        var perMillion = training.TrainingCost / (perDay * (training.Years * TrainingAmortisation.DaysPerYear));
        var charge = periodTokens * perMillion;
        var after = profit - charge;
        return new TrainingView(training, perDay, perMillion, charge, after, Ratio(after, revenue));
    }

    private static double? Ratio(Dollars numerator, Dollars denominator) =>
        denominator.Value != 0 ? numerator / denominator : null;
}
