using System.Globalization;
using Infercost.Economics.Prices;
using Infercost.Economics.Routing;
using Infercost.Economics.Workloads;
using Infercost.Quantities;

namespace Infercost.Requests;

/// <summary>The <c>route</c> question: blended cost of a workload whose requests are split across model tiers, and the
/// saving against sending everything to one tier.</summary>
public sealed record RouteRequest : WorkloadQuestionRequest
{
    /// <summary>Most tiers in one request.</summary>
    public const int MaxTiers = 64;

    /// <summary>Each tier and its share of requests: <c>MODEL=SHARE</c> (an API model id) or <c>NAME@IN/OUT=SHARE</c> (a
    /// tier at explicit $/MTok). Shares must sum to 1.</summary>
    public IReadOnlyList<string>? Tier { get; init; }

    /// <summary>API model that would take all traffic without routing; default the most expensive tier.</summary>
    public string? Baseline { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (Tier is not { Count: > 0 }) throw new InvalidInputException("tier", "tier is required: give each tier as MODEL=SHARE or NAME@IN/OUT=SHARE.");
        if (Tier.Count > MaxTiers) throw new InvalidInputException("tier", $"tier must list at most {MaxTiers} tiers; was {Tier.Count}.");
    }

    /// <summary>Validates and answers from the embedded price catalog.</summary>
    public RoutingResult Answer() => Answer(PriceCatalog.Embedded);

    /// <summary>Validates and answers with list prices from <paramref name="prices"/>.</summary>
    /// <exception cref="InvalidInputException">A field out of range, a malformed tier, an unknown price model, shares not summing to 1.</exception>
    public RoutingResult Answer(PriceCatalog prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        Validate();
        var w = Workload();
        var levers = Levers();
        var tiers = Tier!.Select(t => ParseTier(t, id => PriceSheet.FromApi(prices.Get(id, On)))).ToList();
        var baseline = Baseline is { } b ? PriceSheet.FromApi(prices.Get(b, On)) : null;
        return TieredRouting.Route(w, tiers, baseline, levers);
    }

    /// <summary>Parses <c>MODEL=SHARE</c> or <c>NAME@IN/OUT=SHARE</c>.</summary>
    private static RouteTier ParseTier(string text, Func<string, PriceSheet> lookup)
    {
        var eq = text.LastIndexOf('=');
        if (eq <= 0 || eq == text.Length - 1)
            throw new InvalidInputException("tier", $"tier must be MODEL=SHARE or NAME@IN/OUT=SHARE; was '{text}'.");
        var name = text[..eq].Trim();
        if (!double.TryParse(text[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var share))
            throw new InvalidInputException("tier", $"tier {name} share must be a number; was '{text[(eq + 1)..]}'.");
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at < 0) return new RouteTier(lookup(name), share);
        var rates = name[(at + 1)..].Split('/');
        if (rates.Length != 2
            || !double.TryParse(rates[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var input)
            || !double.TryParse(rates[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var output))
            throw new InvalidInputException("tier", $"an explicit tier is NAME@IN/OUT=SHARE with IN and OUT in $/MTok; was '{text}'.");
        var label = name[..at];
        var sheet = PriceSheet.SelfHosted(label.Length > 0 ? label : "self-hosted",
            DollarsPerMillionTokens.FromDollarsPerMillionTokens(Guard.NonNegative(input, "tier input price")),
            DollarsPerMillionTokens.FromDollarsPerMillionTokens(Guard.NonNegative(output, "tier output price")), basis: "given $/MTok");
        return new RouteTier(sheet, share);
    }
}
