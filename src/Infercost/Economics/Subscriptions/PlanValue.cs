using Infercost.Quantities;

namespace Infercost.Economics.Subscriptions;

/// <summary>What a plan's allowance would cost at API list prices, and how the two limits interact.</summary>
/// <param name="PlanId">Plan id.</param>
/// <param name="ModelFamily">Model family the credits are valued in.</param>
/// <param name="MonthlyPrice">Plan price per month.</param>
/// <param name="ApiInputPrice">API list price per million input tokens used for the valuation.</param>
/// <param name="ApiOutputPrice">API list price per million output tokens used for the valuation.</param>
/// <param name="DollarsPerMillionCredits">API output price ÷ credits per output token, in dollars per million credits
/// (Opus: $25 ÷ 50/15 = $7.50).</param>
/// <param name="DollarsPerMillionCreditsFromInput">The same from the input side (API input price ÷ credits per input
/// token); equal to the output-side figure when credits track list prices, as they do for Claude.</param>
/// <param name="WindowValue">Credits per window × dollars per credit (Max 20x: $82.50).</param>
/// <param name="WeeklyLimitValue">Weekly credits × dollars per credit (Max 20x: $625).</param>
/// <param name="WindowsPerWeekAllowed">Weekly credits ÷ window credits (Max 20x: 7.58).</param>
/// <param name="WindowsInAWeek">168 h ÷ window length (33.6 for 5-hour windows).</param>
/// <param name="BindingLimit">Which limit stops a flat-out subscriber.</param>
/// <param name="WeeklyValue">Value of the most a subscriber can use in a week: min(weekly, window × windows in a week).</param>
/// <param name="WeeksPerMonth">Weeks-per-month constant used (30/7 or 52/12).</param>
/// <param name="MonthlyValue">Weekly value × weeks per month (Max 20x: $2,679 at 30/7, $2,708 at 52/12).</param>
/// <param name="MultipleOfPrice">Monthly value ÷ monthly price.</param>
/// <param name="OutputTokensPerWeek">The weekly allowance spent on output only.</param>
/// <param name="InputTokensPerWeek">The weekly allowance spent on uncached input only.</param>
public sealed record PlanValue(
    string PlanId,
    string ModelFamily,
    Dollars MonthlyPrice,
    DollarsPerMillionTokens ApiInputPrice,
    DollarsPerMillionTokens ApiOutputPrice,
    double DollarsPerMillionCredits,
    double DollarsPerMillionCreditsFromInput,
    Dollars WindowValue,
    Dollars WeeklyLimitValue,
    double WindowsPerWeekAllowed,
    double WindowsInAWeek,
    BindingLimit BindingLimit,
    Dollars WeeklyValue,
    double WeeksPerMonth,
    Dollars MonthlyValue,
    double MultipleOfPrice,
    Tokens OutputTokensPerWeek,
    Tokens InputTokensPerWeek);
