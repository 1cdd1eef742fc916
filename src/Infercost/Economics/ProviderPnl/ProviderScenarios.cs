using Infercost.Catalog;
using Infercost.Quantities;

namespace Infercost.Economics.ProviderPnl;

/// <summary>Built-in provider periods from public disclosures.</summary>
public static class ProviderScenarios
{
    /// <summary>DeepSeek's day-6 disclosure: 24 h from 2025-02-27 12:00 to 2025-02-28 12:00 (UTC+8), V3 and R1 on H800.</summary>
    /// <remarks>226.75 average nodes × 8 GPUs at a $2/GPU-hour lease; 608B input tokens of which 342B hit the on-disk KV
    /// cache, 168B output; every token billed at R1's $0.14 (cache hit) / $0.55 (miss) / $2.19 (output) per MTok;
    /// ~73.7k input tok/s per prefill node and ~14.8k output tok/s per decode node. DeepSeek published $562,027 of
    /// theoretical revenue and a 545 % cost profit margin. Source: deepseek-ai/open-infra-index,
    /// 202502OpenSourceWeek/day_6_one_more_thing_deepseekV3R1_inference_system_overview.md (commit 3122a25,
    /// 2025-03-01).</remarks>
    public static ProviderDay DeepSeekDay6 { get; } = new(
        "deepseek-day6",
        Nodes: 226.75,
        GpusPerNode: 8,
        GpuHourPrice: DollarsPerHour.FromDollarsPerHour(2),
        Period: Seconds.FromHours(24),
        InputTokens: Tokens.FromBillions(608),
        CachedInputTokens: Tokens.FromBillions(342),
        OutputTokens: Tokens.FromBillions(168),
        PriceInput: DollarsPerMillionTokens.FromDollarsPerMillionTokens(0.55),
        PriceCachedInput: DollarsPerMillionTokens.FromDollarsPerMillionTokens(0.14),
        PriceOutput: DollarsPerMillionTokens.FromDollarsPerMillionTokens(2.19),
        PrefillPerNode: TokensPerSecond.FromTokensPerSecond(73_700),
        DecodePerNode: TokensPerSecond.FromTokensPerSecond(14_800),
        PublishedRevenue: Dollars.FromDollars(562_027),
        TokenCountGranularity: Tokens.FromBillions(1),
        Source: new Provenance(
            ["deepseek-ai/open-infra-index day_6_one_more_thing (commit 3122a25)"],
            "2025-03-01",
            ["Revenue is theoretical: V3 is priced below R1, web and app use is free, and night discounts apply.",
             "Cost is GPU lease only; nodes move to research and training at night.",
             "Token counts are published rounded to whole billions."]));

    /// <summary>Every built-in scenario.</summary>
    public static IReadOnlyList<ProviderDay> All { get; } = [DeepSeekDay6];

    /// <summary>The built-in scenario <paramref name="id"/> (case-insensitive).</summary>
    /// <exception cref="InvalidInputException">Unknown id; the message suggests the nearest ids.</exception>
    public static ProviderDay Get(string id)
    {
        var match = All.FirstOrDefault(s => string.Equals(s.Name, id?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (match is not null) return match;
        var known = All.Select(s => s.Name).ToList();
        var suggestions = IdSuggestions.Closest(id ?? "", known);
        var tail = suggestions.Count > 0 ? $"did you mean {string.Join(", ", suggestions)}?" : $"known scenarios: {string.Join(", ", known)}";
        throw new InvalidInputException("scenario", $"unknown scenario '{id}'; {tail}");
    }
}
