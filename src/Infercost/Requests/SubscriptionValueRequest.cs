using System.Globalization;
using Infercost.Economics.Prices;
using Infercost.Economics.Subscriptions;
using Infercost.Quantities;

namespace Infercost.Requests;

/// <summary>What <c>subscription value</c> valued (the document its <c>--json</c> prints).</summary>
/// <param name="ApiPriceSource">Where the API price came from.</param>
/// <param name="Plans">Plans valued, with their limits and sources.</param>
/// <param name="Values">One valuation per plan.</param>
public sealed record SubscriptionValueReport(string ApiPriceSource, IReadOnlyList<SubscriptionPlan> Plans, IReadOnlyList<PlanValue> Values);

/// <summary>The <c>subscription value</c> question: the API-equivalent value of a flat-rate plan's allowance (every
/// plan when <see cref="Plan"/> is null).</summary>
public sealed record SubscriptionValueRequest
{
    /// <summary>Accepted ranges.</summary>
    public static readonly NumberField ApiInField = NumberField.Positive("apiIn", 100_000), ApiOutField = NumberField.Positive("apiOut", 100_000);

    /// <summary>Plan id; null values every plan (the cross-tier table).</summary>
    public string? Plan { get; init; }

    /// <summary>Model family whose credit rates apply: opus, sonnet or haiku.</summary>
    public string ModelFamily { get; init; } = "opus";

    /// <summary>Weeks per month: <c>30/7</c>, <c>52/12</c> or a decimal.</summary>
    public string WeeksPerMonth { get; init; } = "30/7";

    /// <summary>API list price per million input tokens; default the price catalog's price of <see cref="PriceModel"/>.</summary>
    public double? ApiIn { get; init; }

    /// <summary>API list price per million output tokens.</summary>
    public double? ApiOut { get; init; }

    /// <summary>Price-catalog model whose list price values the credits; default by <see cref="ModelFamily"/>.</summary>
    public string? PriceModel { get; init; }

    /// <summary>Checks every field; the first problem is thrown.</summary>
    /// <exception cref="InvalidInputException">Names the field, the accepted range and the value given.</exception>
    public void Validate()
    {
        if (Plan is not null) SubscriptionPlans.Get(Plan);
        ApiInField.Check(ApiIn);
        ApiOutField.Check(ApiOut);
        Economics.Subscriptions.WeeksPerMonth.Parse(WeeksPerMonth);
        if (ApiIn is not null && ApiOut is not null && PriceModel is not null)
            throw RequestFields.Error("priceModel", "{priceModel} and {apiIn}/{apiOut} both give the API price; use one.");
        if ((ApiIn is null) != (ApiOut is null))
            throw RequestFields.Error(ApiIn is null ? "apiIn" : "apiOut", "{apiIn} and {apiOut} go together; give both or neither.");
    }

    /// <summary>Validates and answers from the embedded price catalog.</summary>
    public SubscriptionValueReport Answer() => Answer(PriceCatalog.Embedded);

    /// <summary>Validates and answers, reading the API price from <paramref name="prices"/> unless it is given.</summary>
    /// <exception cref="InvalidInputException">A field out of range, an unknown plan, family or price model.</exception>
    public SubscriptionValueReport Answer(PriceCatalog prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        Validate();
        var (input, output, source) = ApiPrices(prices);
        var weeks = Economics.Subscriptions.WeeksPerMonth.Parse(WeeksPerMonth);
        var plans = Plan is { } id ? [SubscriptionPlans.Get(id)] : SubscriptionPlans.All;
        var values = plans.Select(p => PlanValuation.Value(p, ModelFamily, input, output, weeks)).ToList();
        return new SubscriptionValueReport(source, plans, values);
    }

    private (DollarsPerMillionTokens Input, DollarsPerMillionTokens Output, string Source) ApiPrices(PriceCatalog prices)
    {
        if (ApiIn is { } i && ApiOut is { } o)
            return (DollarsPerMillionTokens.FromDollarsPerMillionTokens(i), DollarsPerMillionTokens.FromDollarsPerMillionTokens(o), "user-supplied");
        var id = PriceModel ?? ModelFamily.Trim().ToLowerInvariant() switch
        {
            "sonnet" => "claude-sonnet-4.5",
            "haiku" => "claude-haiku-4.5",
            _ => "claude-opus-4.5",
        };
        var price = prices.Get(id);
        return (price.Input, price.Output, $"{price.ModelId} list price ({price.SourceId}{(price.AsOf is { } d ? ", " + d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "")})");
    }
}
