using Infercost.Economics.Prices;
using Infercost.Quantities;

namespace Infercost.Economics.Workloads;

// One shape for "what each kind of token costs", whether the answer is a provider's list price or the engine's
// estimate for a self-hosted cluster, so that a workload can be costed, compared and routed the same way on both.

/// <summary>Per-token rates for every billed component, with the batch discount and long-context tier that apply.</summary>
/// <param name="Label">What is priced (<c>claude-sonnet-4.5</c>, <c>self-hosted llama-3.3-70b on 8 × nvidia-h100-sxm</c>).</param>
/// <param name="Input">Uncached prompt tokens.</param>
/// <param name="CachedInput">Prompt tokens read from the cache.</param>
/// <param name="CacheWrite">Prompt tokens written to the cache.</param>
/// <param name="Output">Output and reasoning tokens.</param>
/// <param name="BatchDiscount">Fraction off every component for batch requests; null where none is recorded.</param>
/// <param name="LongContext">Higher rates above a prompt length; null where none.</param>
/// <param name="Basis">Where the rates come from, in words (a source id and date, or the engine's setup).</param>
/// <param name="Disputed">True when the list price behind the rates is disputed between sources.</param>
public sealed record PriceSheet(
    string Label,
    DollarsPerMillionTokens Input,
    DollarsPerMillionTokens CachedInput,
    DollarsPerMillionTokens CacheWrite,
    DollarsPerMillionTokens Output,
    double? BatchDiscount,
    LongContextTier? LongContext,
    string Basis,
    bool Disputed = false)
{
    /// <summary>A provider's list price: cached reads at the cached rate (input rate where none is listed), cache writes at
    /// the write rate (input rate where none), reasoning at the output rate.</summary>
    public static PriceSheet FromApi(ApiPrice price)
    {
        ArgumentNullException.ThrowIfNull(price);
        var date = price.AsOf is { } d ? $", {d:yyyy-MM-dd}" : "";
        return new PriceSheet(price.ModelId, price.Input, price.CachedInputOrInput, price.CacheWriteOrInput, price.Output,
            price.BatchDiscount, price.LongContextTier, $"{price.SourceId}{date}", price.Disputed)
        {
            CacheWriteOneHour = price.CacheWriteOneHour,
            ContextWindow = price.ContextWindow,
        };
    }

    /// <summary>Prompt tokens written to the cache with a 1-hour lifetime (Anthropic); null where no such write is sold.</summary>
    public DollarsPerMillionTokens? CacheWriteOneHour { get; init; }

    /// <summary>Longest prompt the provider accepts, where the price source lists one.</summary>
    public int? ContextWindow { get; init; }

    /// <summary>A self-hosted cluster's cost as rates: input at the prefill cost, output at the decode cost, a cached
    /// prompt token at <paramref name="cachedPrefillFraction"/> of the prefill cost (0: a prefix-cache hit skips the
    /// prefill entirely), cache writes at the plain prefill cost (the tokens are prefilled anyway; keeping their KV
    /// is free). No batch discount and no long-context tier.</summary>
    public static PriceSheet SelfHosted(string label, DollarsPerMillionTokens input, DollarsPerMillionTokens output,
        double cachedPrefillFraction = 0, string basis = "engine estimate")
    {
        Guard.InRange(cachedPrefillFraction, 0, 1, "cachedPrefillFraction");
        Guard.NonNegative(input.Value, "costIn");
        Guard.NonNegative(output.Value, "costOut");
        return new PriceSheet(label, input, input * cachedPrefillFraction, input, output, null, null, basis);
    }

    /// <summary>Flat rates given directly (a true-cost estimate, a negotiated price): cached input at
    /// <paramref name="cachedInput"/> (the input rate when null), writes at the input rate.</summary>
    public static PriceSheet Flat(string label, DollarsPerMillionTokens input, DollarsPerMillionTokens output,
        DollarsPerMillionTokens? cachedInput = null, string basis = "given")
    {
        Guard.NonNegative(input.Value, "costIn");
        Guard.NonNegative(output.Value, "costOut");
        return new PriceSheet(label, input, cachedInput ?? input, input, output, null, null, basis);
    }

    /// <summary>These rates with every component multiplied by <paramref name="factor"/> (a sensitivity case).</summary>
    public PriceSheet Scaled(double factor)
    {
        Guard.InRange(factor, 0, 1e6, "factor");
        return this with
        {
            Input = Input * factor,
            CachedInput = CachedInput * factor,
            CacheWrite = CacheWrite * factor,
            CacheWriteOneHour = CacheWriteOneHour is { } w1 ? w1 * factor : null,
            Output = Output * factor,
            LongContext = LongContext is { } t ? t with { Input = t.Input * factor, Output = t.Output * factor } : null,
        };
    }
}
