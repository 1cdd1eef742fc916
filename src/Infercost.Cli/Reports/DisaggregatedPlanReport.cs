using Infercost.Simulation;

namespace Infercost.Cli.Reports;

/// <summary>The <c>plan --disaggregated</c> JSON document.</summary>
/// <param name="Model">Model id.</param>
/// <param name="Accelerator">Accelerator id.</param>
/// <param name="Input">Prompt lengths, in words.</param>
/// <param name="Output">Output lengths, in words.</param>
/// <param name="Aggregated">The aggregated plan (prefill and decode on every replica); null when none meets the SLO.</param>
/// <param name="Disaggregated">The prefill and decode pools.</param>
internal sealed record DisaggregatedPlanReport(string Model, string Accelerator, string Input, string Output, CapacityPlan? Aggregated,
    DisaggregatedPlan Disaggregated);
