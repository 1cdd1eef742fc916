using Infercost.Catalog;
using Infercost.Quantities;

namespace Infercost.Economics.Subscriptions;

/// <summary>Built-in Claude subscription plans with she-llac's reverse-engineered credit limits.</summary>
/// <remarks>Source: she-llac.com/claude-limits ("suspiciously precise floats", January 2026), read from unrounded
/// usage fractions in claude.ai streaming responses; prices from Anthropic's plan page. Independent measurements
/// disagree (rhombus.so, 2026-01-12, measured a 2.66M output-token 5-hour cap for Max 20x), so treat the limits as
/// one reverse-engineered dataset, not Anthropic's word. See docs/economics.md#subscription-value.</remarks>
public static class SubscriptionPlans
{
    private static readonly Seconds FiveHours = Seconds.FromHours(5);

    /// <summary>Credit rates per token (she-llac): Opus 10/15 in and 50/15 out, Sonnet 6/15 and 30/15, Haiku 2/15 and
    /// 10/15. Cache reads are free, cache writes cost the input rate.</summary>
    public static IReadOnlyList<CreditRate> ClaudeCreditRates { get; } =
    [
        new("opus", 10.0 / 15, 50.0 / 15),
        new("sonnet", 6.0 / 15, 30.0 / 15),
        new("haiku", 2.0 / 15, 10.0 / 15),
    ];

    private static Provenance SheLlac { get; } = new(
        ["she-llac.com/claude-limits", "anthropic-pricing"],
        "2026-01",
        ["Reverse-engineered from unrounded usage fractions in claude.ai streaming responses.",
         "rhombus.so (2026-01-12) measured a lower Max 20x cap (2.66M output tokens per 5 hours)."]);

    /// <summary>Claude Pro: $20/month, 550,000 credits per 5 hours, 5,000,000 per week.</summary>
    public static SubscriptionPlan Pro { get; } = new(
        "pro", "Claude Pro", Dollars.FromDollars(20), 550_000, 5_000_000, FiveHours, ClaudeCreditRates, SheLlac);

    /// <summary>Claude Max 5x: $100/month, 3,300,000 credits per 5 hours, 41,666,700 per week.</summary>
    public static SubscriptionPlan Max5x { get; } = new(
        "max-5x", "Claude Max 5x", Dollars.FromDollars(100), 3_300_000, 41_666_700, FiveHours, ClaudeCreditRates, SheLlac);

    /// <summary>Claude Max 20x: $200/month, 11,000,000 credits per 5 hours, 83,333,300 per week.</summary>
    public static SubscriptionPlan Max20x { get; } = new(
        "max-20x", "Claude Max 20x", Dollars.FromDollars(200), 11_000_000, 83_333_300, FiveHours, ClaudeCreditRates, SheLlac);

    /// <summary>Every built-in plan, cheapest first.</summary>
    public static IReadOnlyList<SubscriptionPlan> All { get; } = [Pro, Max5x, Max20x];

    /// <summary>The built-in plan <paramref name="id"/> (case-insensitive).</summary>
    /// <exception cref="InvalidInputException">Unknown id; the message suggests the nearest ids.</exception>
    public static SubscriptionPlan Get(string id)
    {
        var match = All.FirstOrDefault(p => string.Equals(p.Id, id?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (match is not null) return match;
        var known = All.Select(p => p.Id).ToList();
        var suggestions = IdSuggestions.Closest(id ?? "", known);
        var tail = suggestions.Count > 0 ? $"did you mean {string.Join(", ", suggestions)}?" : $"known plans: {string.Join(", ", known)}";
        throw new InvalidInputException("plan", $"unknown plan '{id}'; {tail}");
    }
}
