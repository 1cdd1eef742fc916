using Infercost.Quantities;

namespace Infercost.Economics.Subscriptions;

/// <summary>Values a subscription allowance at API list prices.</summary>
/// <remarks>Chain (golden case 2A): dollars per credit = API output $/MTok ÷ credits per output token; window value =
/// window credits × $/credit; weekly value = min(weekly credits, window credits × windows in a week) × $/credit;
/// monthly value = weekly value × weeks per month. See docs/economics.md#subscription-value.</remarks>
public static class PlanValuation
{
    /// <summary>Values <paramref name="plan"/>'s allowance in <paramref name="modelFamily"/> at the given API prices.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="modelFamily">Model family whose credit rate converts credits to tokens (<c>opus</c>, <c>sonnet</c>, <c>haiku</c>).</param>
    /// <param name="apiInput">API list price of that model per million input tokens (&gt; 0).</param>
    /// <param name="apiOutput">API list price of that model per million output tokens (&gt; 0).</param>
    /// <param name="weeksPerMonth">Weeks in a month, in [1, 6]: <see cref="WeeksPerMonth.ThirtyDayMonth"/> or <see cref="WeeksPerMonth.FiftyTwoOverTwelve"/>.</param>
    public static PlanValue Value(SubscriptionPlan plan, string modelFamily, DollarsPerMillionTokens apiInput, DollarsPerMillionTokens apiOutput, double weeksPerMonth)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Guard.Positive(apiInput.Value, "apiInputPrice");
        Guard.Positive(apiOutput.Value, "apiOutputPrice");
        Guard.InRange(weeksPerMonth, 1, 6, "weeksPerMonth");
        var rate = plan.RateFor(modelFamily);

        // $/MTok ÷ credits/token = $ per million credits.
        var perMillionCredits = apiOutput.Value / rate.CreditsPerOutputToken;
        var perMillionCreditsFromInput = apiInput.Value / rate.CreditsPerInputToken;
        var window = Dollars.FromDollars(plan.CreditsPerWindow / 1e6 * perMillionCredits);
        var weeklyLimit = Dollars.FromDollars(plan.CreditsPerWeek / 1e6 * perMillionCredits);
        var weekly = Dollars.FromDollars(plan.MaxCreditsPerWeek / 1e6 * perMillionCredits);
        var monthly = weekly * weeksPerMonth;
        return new PlanValue(
            plan.Id, rate.ModelFamily, plan.MonthlyPrice, apiInput, apiOutput,
            perMillionCredits, perMillionCreditsFromInput,
            window, weeklyLimit, plan.WindowsPerWeekAllowed, plan.WindowsInAWeek, plan.BindingLimit,
            weekly, weeksPerMonth, monthly, monthly / plan.MonthlyPrice,
            Tokens.FromTokens(plan.MaxCreditsPerWeek / rate.CreditsPerOutputToken),
            Tokens.FromTokens(plan.MaxCreditsPerWeek / rate.CreditsPerInputToken));
    }
}
