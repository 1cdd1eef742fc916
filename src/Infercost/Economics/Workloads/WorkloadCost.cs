using Infercost.Quantities;

namespace Infercost.Economics.Workloads;

/// <summary>A workload's cost on one price sheet.</summary>
/// <param name="WorkloadId">The workload.</param>
/// <param name="Prices">The rates used.</param>
/// <param name="Levers">The levers in force (hit rate resolved).</param>
/// <param name="Requests">Each request type's cost.</param>
/// <param name="PerDay">Sum over request types of cost per day.</param>
/// <param name="PerMonth">Per day × <see cref="WorkloadCosting.DaysPerMonth"/>.</param>
/// <param name="TokensPerDay">Prompt + output + reasoning tokens per day.</param>
/// <param name="BlendedPerMillion">Per day ÷ tokens per day: the average $/MTok over every token moved.</param>
/// <param name="Notes">Billing rules that applied (long-context tier, batch discount, disputed price).</param>
public sealed record WorkloadCost(
    string WorkloadId,
    PriceSheet Prices,
    WorkloadLevers Levers,
    IReadOnlyList<RequestCost> Requests,
    Dollars PerDay,
    Dollars PerMonth,
    Tokens TokensPerDay,
    DollarsPerMillionTokens BlendedPerMillion,
    IReadOnlyList<string> Notes);
