using Infercost.Quantities;

namespace Infercost.Economics.Prices;

/// <summary>One provider's list price for one model, as one source states it on one date.</summary>
/// <param name="ModelId">Catalog id, for example <c>claude-opus-4.5</c> or <c>groq/llama-3.3-70b</c>.</param>
/// <param name="Provider">Who sells it (Anthropic, OpenAI, Groq...).</param>
/// <param name="Name">The name the source uses.</param>
/// <param name="Input">Uncached input (prompt) tokens.</param>
/// <param name="CachedInputRead">Input tokens read from the provider's prompt cache; null where the source gives none
/// (such tokens are then billed at <paramref name="Input"/>).</param>
/// <param name="CacheWrite">Input tokens written to the prompt cache (Anthropic's 5-minute write); null where writes
/// cost the plain input rate.</param>
/// <param name="Output">Output tokens, hidden reasoning ("thinking") tokens included.</param>
/// <param name="BatchDiscount">Fraction taken off every component for the asynchronous batch API (0.5 = half price);
/// null where no batch price is recorded.</param>
/// <param name="LongContextTier">Higher rates above a prompt length; null where the data has none.</param>
/// <param name="ContextWindow">Maximum prompt tokens the source lists.</param>
/// <param name="EffectiveFrom">The day the price took effect, where a source says so.</param>
/// <param name="ObservedOn">The day the source showed this price (a year or month is kept as its first day).</param>
/// <param name="Source">Source id and version, for example <c>litellm-berri@00035b69</c>; see shared/data/SOURCES.md.</param>
/// <param name="Notes">Caveats, as the data records them.</param>
/// <param name="Disputed">True when another source gives a different price for the same model and date.</param>
public sealed record ApiPrice(
    string ModelId,
    string Provider,
    string Name,
    DollarsPerMillionTokens Input,
    DollarsPerMillionTokens? CachedInputRead,
    DollarsPerMillionTokens? CacheWrite,
    DollarsPerMillionTokens Output,
    double? BatchDiscount,
    LongContextTier? LongContextTier,
    int? ContextWindow,
    DateOnly? EffectiveFrom,
    DateOnly? ObservedOn,
    string Source,
    string Notes,
    bool Disputed = false)
{
    /// <summary>The last day before the price ended, exclusive, where a source says so (a promotion's end).</summary>
    public DateOnly? EffectiveUntil { get; init; }

    /// <summary>Anthropic's 1-hour cache write (2 × input on its pricing page, against 1.25 × for the 5-minute write);
    /// null where the source gives none, and then a 1-hour TTL has no price.</summary>
    public DollarsPerMillionTokens? CacheWriteOneHour { get; init; }

    /// <summary>What kind of source this is; decides ties between disagreeing sources.</summary>
    public PriceSourceKind SourceKind { get; init; } = PriceSourceKind.User;

    /// <summary>Other names this price is known by (litellm keys such as <c>claude-opus-4-5</c>).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Another catalog id that is the same served model (litellm's <c>deepseek-v3.2</c> is <c>deepseek-chat</c>);
    /// where the two give different prices on a date, both answers are marked disputed.</summary>
    public string? SameModelAs { get; init; }

    /// <summary>When disputed: each other source's price for the same model and date, for example
    /// <c>seed-note: $30 in / $60 out</c>.</summary>
    public IReadOnlyList<string> DisputedBy { get; init; } = [];

    /// <summary>The date the row speaks for: <see cref="EffectiveFrom"/>, else <see cref="ObservedOn"/>; null for an
    /// undated row.</summary>
    public DateOnly? AsOf => EffectiveFrom ?? ObservedOn;

    /// <summary>The source id without its version: <c>litellm-berri@00035b69 (...)</c> gives <c>litellm-berri</c>.</summary>
    public string SourceId
    {
        get
        {
            var end = Source.IndexOfAny(['@', ' ', '(']);
            return end < 0 ? Source : Source[..end];
        }
    }

    /// <summary>The price for cached-input reads: <see cref="CachedInputRead"/>, else the plain input rate.</summary>
    public DollarsPerMillionTokens CachedInputOrInput => CachedInputRead ?? Input;

    /// <summary>The price for cache writes: <see cref="CacheWrite"/>, else the plain input rate.</summary>
    public DollarsPerMillionTokens CacheWriteOrInput => CacheWrite ?? Input;

    /// <summary>The price in the words the CLI prints: <c>$5 in / $25 out</c>.</summary>
    public string Summary => $"${Guard.Format(Input.Value)} in / ${Guard.Format(Output.Value)} out";
}
