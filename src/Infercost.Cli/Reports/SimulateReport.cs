using Infercost.Simulation;

namespace Infercost.Cli.Reports;

/// <summary>The <c>simulate</c> JSON document.</summary>
/// <param name="Model">Model id.</param>
/// <param name="Accelerator">Accelerator id.</param>
/// <param name="Arrivals">How requests arrived, in words.</param>
/// <param name="Input">Prompt lengths, in words.</param>
/// <param name="Output">Output lengths, in words.</param>
/// <param name="Scheduler">Scheduler settings.</param>
/// <param name="Result">What the run measured.</param>
internal sealed record SimulateReport(string Model, string Accelerator, string Arrivals, string Input, string Output, SchedulerConfig Scheduler, SimulationResult Result)
{
    /// <summary>What a trace replay skipped (bad lines, rows without output); empty otherwise.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>With --runs N above 1: the spread of the headline figures over the N seeds (Result is run 0's); null otherwise.</summary>
    public SimulationSpread? Spread { get; init; }
}
