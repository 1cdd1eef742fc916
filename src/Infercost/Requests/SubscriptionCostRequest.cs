using Infercost.Economics.Subscriptions;
using Infercost.Quantities;

namespace Infercost.Requests;

/// <summary>What <c>subscription cost</c> priced (the document its <c>--json</c> prints).</summary>
/// <param name="PlanId">Plan id.</param>
/// <param name="RateSource">Where the serving rates came from.</param>
/// <param name="Cost">The subscriber's monthly cost.</param>
public sealed record SubscriptionCostReport(string PlanId, string RateSource, UserCost Cost);

/// <summary>The <c>subscription cost</c> question: the monthly cost of serving one subscriber at given daily usage,
/// against the plan's price.</summary>
public sealed record SubscriptionCostRequest
{
    /// <summary>Default serving cost per million input tokens (Alderson's headline).</summary>
    public const double DefaultCostIn = 0.003;

    /// <summary>Default serving cost per million output tokens (Alderson's headline).</summary>
    public const double DefaultCostOut = 3.08;

    /// <summary>Accepted ranges.</summary>
    public static readonly NumberField InputPerDayField = new("inputPerDay", 0, 1e12), OutputPerDayField = new("outputPerDay", 0, 1e12),
        CostInField = new("costIn", 0, 100_000), CostOutField = new("costOut", 0, 100_000), MoeField = new("moeEfficiency", 0.001, 1),
        PriceField = NumberField.Positive("price", 1e6);

    /// <summary>Plan id (required).</summary>
    public string? Plan { get; init; }

    /// <summary>Input tokens the subscriber sends per day.</summary>
    public double InputPerDay { get; init; }

    /// <summary>Output tokens the subscriber receives per day.</summary>
    public double OutputPerDay { get; init; }

    /// <summary>Serving cost per million input tokens; default $0.003.</summary>
    public double? CostIn { get; init; }

    /// <summary>Serving cost per million output tokens; default $3.08.</summary>
    public double? CostOut { get; init; }

    /// <summary>Fraction of headline throughput achieved; costs are divided by it.</summary>
    public double MoeEfficiency { get; init; } = 1;

    /// <summary>Monthly price the subscriber pays; default the plan's list price.</summary>
    public double? Price { get; init; }

    /// <summary>Weeks per month: <c>30/7</c>, <c>52/12</c> or a decimal.</summary>
    public string WeeksPerMonth { get; init; } = "30/7";

    /// <summary>Where the serving cost came from.</summary>
    public string RateSource => CostIn is not null || CostOut is not null ? "user-supplied" : SubscriptionPopulationRequest.HeadlineSource;

    /// <summary>Checks every field; the first problem is thrown.</summary>
    /// <exception cref="InvalidInputException">Names the field, the accepted range and the value given.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Plan)) throw new InvalidInputException("plan", $"plan is required: one of {string.Join(", ", SubscriptionPlans.All.Select(p => p.Id))}.");
        SubscriptionPlans.Get(Plan);
        InputPerDayField.Check(InputPerDay);
        OutputPerDayField.Check(OutputPerDay);
        CostInField.Check(CostIn);
        CostOutField.Check(CostOut);
        MoeField.Check(MoeEfficiency);
        PriceField.Check(Price);
        Economics.Subscriptions.WeeksPerMonth.Parse(WeeksPerMonth);
    }

    /// <summary>Validates and answers.</summary>
    /// <exception cref="InvalidInputException">A field out of range or an unknown plan.</exception>
    public SubscriptionCostReport Answer()
    {
        Validate();
        var plan = SubscriptionPlans.Get(Plan!);
        var rates = new ServingRates(DollarsPerMillionTokens.FromDollarsPerMillionTokens(CostIn ?? DefaultCostIn),
            DollarsPerMillionTokens.FromDollarsPerMillionTokens(CostOut ?? DefaultCostOut), MoeEfficiency);
        var cost = UserCost.Monthly(Tokens.FromTokens(InputPerDay), Tokens.FromTokens(OutputPerDay), rates,
            Price is { } given ? Dollars.FromDollars(given) : plan.MonthlyPrice, Economics.Subscriptions.WeeksPerMonth.Parse(WeeksPerMonth));
        return new SubscriptionCostReport(plan.Id, RateSource, cost);
    }
}
