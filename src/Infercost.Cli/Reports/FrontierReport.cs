using Infercost.Simulation;

namespace Infercost.Cli.Reports;

/// <summary>The <c>frontier</c> JSON document.</summary>
/// <param name="Model">Model id.</param>
/// <param name="Accelerator">Accelerator id.</param>
/// <param name="Input">Prompt lengths, in words.</param>
/// <param name="Output">Output lengths, in words.</param>
/// <param name="Scheduler">Scheduler settings.</param>
/// <param name="Frontier">The points.</param>
internal sealed record FrontierReport(string Model, string Accelerator, string Input, string Output, SchedulerConfig Scheduler, FrontierResult Frontier);
