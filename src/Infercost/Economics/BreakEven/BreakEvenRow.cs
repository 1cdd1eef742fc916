using Infercost.Quantities;

namespace Infercost.Economics.BreakEven;

/// <summary>One volume in the break-even table.</summary>
/// <param name="RequestsPerDay">Requests per day (the workload's mix).</param>
/// <param name="TokensPerDay">Prompt + output + reasoning tokens per day.</param>
/// <param name="ApiPerDay">Requests × API cost per request.</param>
/// <param name="SelfHostPerDay">Clusters × cluster cost per day (paid whether busy or not).</param>
/// <param name="Clusters">Clusters needed: ⌈volume ÷ capacity per cluster⌉, at least 1.</param>
/// <param name="Utilisation">Busy fraction of the clusters at this volume.</param>
/// <param name="Winner">"self-host" or "api" (ties go to the API: no commitment).</param>
public sealed record BreakEvenRow(double RequestsPerDay, Tokens TokensPerDay, Dollars ApiPerDay, Dollars SelfHostPerDay, int Clusters,
    double Utilisation, string Winner);
