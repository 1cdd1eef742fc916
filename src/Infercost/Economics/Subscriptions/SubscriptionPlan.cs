using Infercost.Catalog;
using Infercost.Quantities;

namespace Infercost.Economics.Subscriptions;

/// <summary>A flat-rate subscription: a monthly price buying credits, limited per rolling window and per week.</summary>
/// <param name="Id">Plan id, for example <c>max-20x</c>.</param>
/// <param name="Name">Display name.</param>
/// <param name="MonthlyPrice">List price per month, in dollars.</param>
/// <param name="CreditsPerWindow">Credits a subscriber may spend in one rolling window (5 hours for Claude).</param>
/// <param name="CreditsPerWeek">Credits a subscriber may spend in one week.</param>
/// <param name="WindowLength">Length of the rolling window.</param>
/// <param name="CreditRates">Credits per token for each model family the plan covers.</param>
/// <param name="Source">Where the limits come from and when they were observed.</param>
public sealed record SubscriptionPlan(
    string Id,
    string Name,
    Dollars MonthlyPrice,
    double CreditsPerWindow,
    double CreditsPerWeek,
    Seconds WindowLength,
    IReadOnlyList<CreditRate> CreditRates,
    Provenance Source)
{
    /// <summary>Length of a week.</summary>
    public static Seconds Week { get; } = Seconds.FromDays(7);

    /// <summary>List price per month, in dollars (&gt; 0).</summary>
    public Dollars MonthlyPrice { get; } = Dollars.FromDollars(Guard.Positive(MonthlyPrice.Value, "monthlyPrice"));

    /// <summary>Credits per rolling window (&gt; 0).</summary>
    public double CreditsPerWindow { get; } = Guard.Positive(CreditsPerWindow, "creditsPerWindow");

    /// <summary>Credits per week (&gt; 0).</summary>
    public double CreditsPerWeek { get; } = Guard.Positive(CreditsPerWeek, "creditsPerWeek");

    /// <summary>Rolling window length, between one minute and one week.</summary>
    public Seconds WindowLength { get; } = Seconds.FromSeconds(Guard.InRange(WindowLength.Value, 60, 7 * 86_400, "windowLength"));

    /// <summary>Credit rates by model family (at least one).</summary>
    public IReadOnlyList<CreditRate> CreditRates { get; } = CreditRates is { Count: > 0 }
        ? CreditRates
        : throw new InvalidInputException("creditRates", "creditRates must list at least one model family; was empty.");

    /// <summary>Back-to-back windows in a week: 168 h / window length (33.6 for 5-hour windows).</summary>
    public double WindowsInAWeek => Week / WindowLength;

    /// <summary>Windows' worth of credits the weekly limit allows: weekly credits / window credits (7.58 for Max 20x).</summary>
    public double WindowsPerWeekAllowed => CreditsPerWeek / CreditsPerWindow;

    /// <summary>Which limit binds a subscriber who uses every window to the full.</summary>
    public BindingLimit BindingLimit => WindowsPerWeekAllowed < WindowsInAWeek ? BindingLimit.Weekly : BindingLimit.Window;

    /// <summary>Most credits one subscriber can spend in a week: min(weekly limit, window limit × windows in a week).</summary>
    public double MaxCreditsPerWeek => Math.Min(CreditsPerWeek, CreditsPerWindow * WindowsInAWeek);

    /// <summary>The credit rate of <paramref name="modelFamily"/>.</summary>
    /// <exception cref="InvalidInputException">The plan has no such family; the message suggests the nearest ids.</exception>
    public CreditRate RateFor(string modelFamily)
    {
        var match = CreditRates.FirstOrDefault(r => string.Equals(r.ModelFamily, modelFamily?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (match is not null) return match;
        var known = CreditRates.Select(r => r.ModelFamily).ToList();
        var suggestions = IdSuggestions.Closest(modelFamily ?? "", known);
        var tail = suggestions.Count > 0 ? $"did you mean {string.Join(", ", suggestions)}?" : $"known families: {string.Join(", ", known)}";
        throw new InvalidInputException("modelFamily", $"plan {Id} has no model family '{modelFamily}'; {tail}");
    }
}

/// <summary>The limit that stops a subscriber who uses the plan flat out.</summary>
public enum BindingLimit
{
    /// <summary>The weekly limit runs out before every window of the week is used.</summary>
    Weekly,

    /// <summary>The per-window limit binds: the weekly limit is never reached.</summary>
    Window,
}
