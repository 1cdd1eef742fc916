using Infercost.Quantities;

namespace Infercost.Economics.Subscriptions;

/// <summary>What one subscriber costs to serve in a month, against what they pay.</summary>
/// <param name="InputPerDay">Input tokens per day.</param>
/// <param name="OutputPerDay">Output tokens per day.</param>
/// <param name="Rates">Serving rates used (headline and MoE efficiency).</param>
/// <param name="EffectiveInputRate">Headline input cost ÷ MoE efficiency.</param>
/// <param name="EffectiveOutputRate">Headline output cost ÷ MoE efficiency.</param>
/// <param name="DaysPerMonth">7 × weeks per month (30 for a 30-day month).</param>
/// <param name="DailyCost">Input/1e6 × input rate + output/1e6 × output rate.</param>
/// <param name="MonthlyCost">Daily cost × days per month.</param>
/// <param name="PlanPrice">What the subscriber pays per month.</param>
/// <param name="Markup">Plan price ÷ monthly cost; null when the cost is zero.</param>
/// <param name="GrossMargin">(Plan price − monthly cost) ÷ plan price.</param>
public sealed record UserCost(
    Tokens InputPerDay,
    Tokens OutputPerDay,
    ServingRates Rates,
    DollarsPerMillionTokens EffectiveInputRate,
    DollarsPerMillionTokens EffectiveOutputRate,
    double DaysPerMonth,
    Dollars DailyCost,
    Dollars MonthlyCost,
    Dollars PlanPrice,
    double? Markup,
    double GrossMargin)
{
    /// <summary>Costs a subscriber who uses <paramref name="inputPerDay"/> and <paramref name="outputPerDay"/> every day.</summary>
    /// <remarks>Monthly cost = days × (input/1e6 × p_in + output/1e6 × p_out), with p = headline ÷ MoE efficiency
    /// (golden cases 1B and 2B: 10M in + 100k out a day at $0.005/$5.13 gives $16.89, 11.8x on $200).</remarks>
    /// <param name="inputPerDay">Input tokens per day (&gt;= 0).</param>
    /// <param name="outputPerDay">Output tokens per day (&gt;= 0).</param>
    /// <param name="rates">Serving cost per million tokens.</param>
    /// <param name="planPrice">Plan price per month (&gt; 0).</param>
    /// <param name="weeksPerMonth">Weeks per month, in [1, 6]; days per month = 7 × this (30/7 gives 30 days).</param>
    public static UserCost Monthly(Tokens inputPerDay, Tokens outputPerDay, ServingRates rates, Dollars planPrice, double weeksPerMonth = WeeksPerMonth.ThirtyDayMonth)
    {
        ArgumentNullException.ThrowIfNull(rates);
        Guard.NonNegative(inputPerDay.Value, "inputPerDay");
        Guard.NonNegative(outputPerDay.Value, "outputPerDay");
        Guard.Positive(planPrice.Value, "planPrice");
        Guard.InRange(weeksPerMonth, 1, 6, "weeksPerMonth");
        var days = 7 * weeksPerMonth;
        var daily = rates.CostOf(inputPerDay, outputPerDay);
        var monthly = daily * days;
        double? markup = monthly.Value > 0 ? planPrice / monthly : null;
        return new UserCost(
            inputPerDay, outputPerDay, rates, rates.EffectiveInput, rates.EffectiveOutput, days, daily, monthly, planPrice,
            markup, (planPrice - monthly) / planPrice);
    }
}
