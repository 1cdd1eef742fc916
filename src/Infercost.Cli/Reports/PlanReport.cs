using Infercost.Simulation;

namespace Infercost.Cli.Reports;

/// <summary>The <c>plan</c> JSON document.</summary>
/// <param name="Model">Model id.</param>
/// <param name="Accelerator">Accelerator id.</param>
/// <param name="Input">Prompt lengths, in words.</param>
/// <param name="Output">Output lengths, in words.</param>
/// <param name="Plan">The planner's answer.</param>
internal sealed record PlanReport(string Model, string Accelerator, string Input, string Output, CapacityPlan Plan);
