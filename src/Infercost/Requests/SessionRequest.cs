using Infercost.Economics.Prices;
using Infercost.Economics.Sessions;
using Infercost.Economics.Workloads;
using Infercost.Quantities;

namespace Infercost.Requests;

/// <summary>What <c>infercost session --json</c> prints and <c>POST /api/session</c> returns.</summary>
/// <param name="Bills">One bill per scenario: caching off and each cache lifetime priced (or the one asked for), each
/// with and without compaction when compaction is asked for.</param>
public sealed record SessionReport(IReadOnlyList<SessionBill> Bills);

/// <summary>The <c>session</c> question: an agent or chat session of <see cref="Turns"/> turns billed request by request
/// at <see cref="PriceModel"/>'s list price, each turn re-sending the conversation, with the prompt cache's lifetime
/// (<see cref="Ttl"/>) and context compaction (<see cref="CompactAt"/>).</summary>
public sealed record SessionRequest
{
    /// <summary>Accepted ranges of the token fields.</summary>
    public static readonly NumberField PrefixField = new("prefix", 0, 1e8), InputField = new("input", 0, 1e8), OutputField = new("output", 0, 1e8),
        ReasoningField = new("reasoning", 0, 1e8), MinCacheableField = new("minCacheable", 0, 1e8), CompactAtField = new("compactAt", 1, 1e8),
        SummaryTokensField = new("summaryTokens", 0, 1e8), CompactionInstructionField = new("compactionInstruction", 0, 1e8);

    /// <summary>Accepted range of each gap, seconds.</summary>
    public static readonly NumberField GapsField = new("gaps", 0, 1e8);

    /// <summary>Accepted range of <see cref="Turns"/>.</summary>
    public static readonly WholeField TurnsField = new("turns", 1, AgentSession.MaxTurns);

    /// <summary>The gap between requests when none is given, seconds.</summary>
    public const double DefaultGap = 20;

    /// <summary>API model whose list price bills the session (required).</summary>
    public string? PriceModel { get; init; }

    /// <summary>Read the list price as it was on this date.</summary>
    public DateOnly? On { get; init; }

    /// <summary>System prompt, tools and documents sent first on every turn, tokens.</summary>
    public double Prefix { get; init; } = 20_000;

    /// <summary>Turns in the session.</summary>
    public int Turns { get; init; } = 40;

    /// <summary>New input per turn (user message, tool results), tokens.</summary>
    public double Input { get; init; } = 1500;

    /// <summary>Visible output per turn (re-sent in later turns), tokens.</summary>
    public double Output { get; init; } = 300;

    /// <summary>Hidden reasoning per turn (billed as output, not re-sent), tokens.</summary>
    public double Reasoning { get; init; } = 200;

    /// <summary>Seconds between requests, cycled over the turns; default <see cref="DefaultGap"/>. At most
    /// <see cref="AgentSession.MaxTurns"/> values.</summary>
    public IReadOnlyList<double>? Gaps { get; init; }

    /// <summary>Bill one cache lifetime, <c>5m</c> or <c>1h</c>; null compares caching off, 5m and 1h (where priced).</summary>
    public string? Ttl { get; init; }

    /// <summary>Prompts shorter than this are not cached, tokens (Anthropic: 1,024 for Sonnet and Opus, 2,048 for Haiku).</summary>
    public double MinCacheable { get; init; } = 1024;

    /// <summary>Compact when a prompt would exceed this many tokens (a summarising pass replaces the history), compared
    /// against never compacting; null never compacts.</summary>
    public double? CompactAt { get; init; }

    /// <summary>Length of the compaction summary, tokens.</summary>
    public double SummaryTokens { get; init; } = 2000;

    /// <summary>Tokens of the summarising instruction.</summary>
    public double CompactionInstruction { get; init; } = 200;

    /// <summary>Checks every field's range and the combinations of fields; the first problem is thrown.</summary>
    /// <exception cref="InvalidInputException">Names the field, the accepted range and the value given.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(PriceModel)) throw RequestFields.Error("priceModel", "{priceModel} is required: the API model whose list price bills the session (see 'infercost prices').");
        PrefixField.Check(Prefix);
        TurnsField.Check(Turns);
        InputField.Check(Input);
        OutputField.Check(Output);
        ReasoningField.Check(Reasoning);
        MinCacheableField.Check(MinCacheable);
        CompactAtField.Check(CompactAt);
        SummaryTokensField.Check(SummaryTokens);
        CompactionInstructionField.Check(CompactionInstruction);
        if (Gaps is { } gaps)
        {
            if (gaps.Count is 0 or > AgentSession.MaxTurns)
                throw RequestFields.Error("gaps", $"{{gaps}} must list 1 to {AgentSession.MaxTurns:N0} gaps; was {gaps.Count:N0}.");
            foreach (var g in gaps) GapsField.Check(g);
        }

        if (Ttl is not (null or "5m" or "1h")) throw RequestFields.Error("ttl", $"{{ttl}} must be 5m or 1h; was '{Ttl}'.");
        Policy()?.Validated();
    }

    private CompactionPolicy? Policy() => CompactAt is { } at ? new CompactionPolicy(at, SummaryTokens, CompactionInstruction) : null;

    /// <summary>Validates and answers with the embedded prices.</summary>
    public SessionReport Answer() => Analyse(PriceCatalog.Embedded).Report;

    /// <summary>Validates and answers with list prices from <paramref name="prices"/>.</summary>
    public SessionReport Answer(PriceCatalog prices) => Analyse(prices).Report;

    /// <summary>Validates and answers, with the session and the price sheet the bills were made from (the CLI prints
    /// both beside the bills).</summary>
    /// <exception cref="InvalidInputException">A field out of range, an unknown price model, a lifetime the model has no price for.</exception>
    public (SessionReport Report, AgentSession Session, PriceSheet Sheet) Analyse(PriceCatalog prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        Validate();
        var sheet = PriceSheet.FromApi(prices.Get(PriceModel!, On));
        var gaps = (Gaps is { Count: > 0 } g ? g : [DefaultGap]).Select(Seconds.FromSeconds).ToList();
        var session = AgentSession.Uniform(Prefix, Turns, Input, Output, Reasoning, gaps).Validated();
        var compaction = Policy()?.Validated();
        CachePolicy?[] caches = Ttl switch
        {
            "5m" => [new CachePolicy(CacheTtl.FiveMinutes, MinCacheable)],
            "1h" => [new CachePolicy(CacheTtl.OneHour, MinCacheable)],
            _ => sheet.CacheWriteOneHour is null
                ? [null, new CachePolicy(CacheTtl.FiveMinutes, MinCacheable)]
                : [null, new CachePolicy(CacheTtl.FiveMinutes, MinCacheable), new CachePolicy(CacheTtl.OneHour, MinCacheable)],
        };

        var bills = new List<SessionBill>();
        foreach (var c in caches)
        {
            if (compaction is not null) bills.Add(SessionBilling.Bill(session, sheet, c, compaction));
            bills.Add(SessionBilling.Bill(session, sheet, c));
        }

        return (new SessionReport(bills), session, sheet);
    }
}
