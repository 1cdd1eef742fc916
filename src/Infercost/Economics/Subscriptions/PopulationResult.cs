using Infercost.Quantities;

namespace Infercost.Economics.Subscriptions;

/// <summary>One bin of the monthly-cost histogram.</summary>
/// <param name="From">Lower edge, dollars per month.</param>
/// <param name="To">Upper edge, dollars per month.</param>
/// <param name="Subscribers">Subscribers whose monthly cost falls in [From, To) (the last bin includes its upper edge).</param>
public sealed record CostBin(Dollars From, Dollars To, int Subscribers);

/// <summary>What a simulated population of subscribers costs to serve.</summary>
/// <param name="PlanId">Plan simulated.</param>
/// <param name="ModelFamily">Model family whose credit rates cap usage.</param>
/// <param name="Subscribers">Simulated subscribers.</param>
/// <param name="Seed">Seed of the <see cref="Random"/> stream; the same seed gives the same result.</param>
/// <param name="WeeksPerMonth">Weeks per month used to turn weekly usage into months.</param>
/// <param name="PlanPrice">Price per subscriber per month.</param>
/// <param name="MeanCost">Mean monthly serving cost per subscriber.</param>
/// <param name="Markup">Plan price ÷ mean cost; null when the mean cost is zero.</param>
/// <param name="GrossMargin">(Price − mean cost) ÷ price.</param>
/// <param name="LossMakingShare">Share of subscribers who cost more than they pay.</param>
/// <param name="CappedShare">Share of subscribers whose wanted usage exceeded the plan's limits and was cut to them.</param>
/// <param name="P50">Median monthly cost.</param>
/// <param name="P90">90th-percentile monthly cost.</param>
/// <param name="P99">99th-percentile monthly cost.</param>
/// <param name="HighestCost">Most expensive simulated subscriber.</param>
/// <param name="MaxedUser">A subscriber who uses the plan flat out (every window until the binding limit), at the
/// distribution's input:output mix.</param>
/// <param name="Histogram">Monthly costs in log-spaced bins, for plotting.</param>
public sealed record PopulationResult(
    string PlanId,
    string ModelFamily,
    int Subscribers,
    int Seed,
    double WeeksPerMonth,
    Dollars PlanPrice,
    Dollars MeanCost,
    double? Markup,
    double GrossMargin,
    double LossMakingShare,
    double CappedShare,
    Dollars P50,
    Dollars P90,
    Dollars P99,
    Dollars HighestCost,
    MaxedUserCost MaxedUser,
    IReadOnlyList<CostBin> Histogram);

/// <summary>The subscriber who uses everything the plan allows.</summary>
/// <param name="BindingLimit">Limit that stops them.</param>
/// <param name="CreditsPerWeek">min(weekly limit, window limit × windows in a week).</param>
/// <param name="InputTokensPerMonth">Input tokens per month at the usage mix.</param>
/// <param name="OutputTokensPerMonth">Output tokens per month at the usage mix.</param>
/// <param name="MonthlyCost">Serving cost of those tokens.</param>
/// <param name="Markup">Plan price ÷ monthly cost; below 1 means the plan loses money on them.</param>
public sealed record MaxedUserCost(
    BindingLimit BindingLimit,
    double CreditsPerWeek,
    Tokens InputTokensPerMonth,
    Tokens OutputTokensPerMonth,
    Dollars MonthlyCost,
    double? Markup);
