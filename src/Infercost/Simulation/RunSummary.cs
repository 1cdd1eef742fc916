using Infercost.Quantities;

namespace Infercost.Simulation;

// What `simulate --runs N` keeps of each seed-run: the figures its spread is taken over, and run 0's whole result
// (the report's main result). Runs on a cluster travel as this record's JSON, so the figures are the local ones bit
// for bit (doubles are written round-trip) and the client builds the same spread from them.

/// <summary>One seed-run of a repeated simulation (<see cref="ParallelRuns"/>) as its <see cref="SimulationSpread"/> needs it.</summary>
/// <param name="Run">The run's index (0 is the run the base seed gives).</param>
/// <param name="Seed">The run's seed, <see cref="ParallelRuns.SeedOf"/>(base seed, run).</param>
/// <param name="TimeToFirstTokenP50">Median time to first token, in seconds.</param>
/// <param name="TimeToFirstTokenP99">P99 time to first token, in seconds.</param>
/// <param name="TimePerOutputTokenP99">P99 time per output token, in seconds.</param>
/// <param name="GoodFraction">Share of arrived requests meeting the SLO.</param>
/// <param name="OutputThroughput">Output tokens per second, whole fleet.</param>
/// <param name="BlendedPerMillion">$ per million tokens, prompt and output; null without a cost basis.</param>
public sealed record RunSummary(int Run, long Seed, Seconds TimeToFirstTokenP50, Seconds TimeToFirstTokenP99, Seconds TimePerOutputTokenP99,
    double GoodFraction, TokensPerSecond OutputThroughput, DollarsPerMillionTokens? BlendedPerMillion)
{
    /// <summary>The run's whole result: kept for run 0 (the report's <see cref="Requests.SimulateReport.Result"/>) and, for a
    /// simulation with bands, for every run (the bands are taken over every run's figures); null otherwise.</summary>
    public SimulationResult? Result { get; init; }

    /// <summary>A fleet of pools' per-pool results: kept for run 0 only (the report's <see cref="Requests.SimulateReport.Pools"/>), null otherwise.</summary>
    public IReadOnlyList<PoolResult>? Pools { get; init; }

    /// <summary>With prefill and decode pools: run 0's handover latency (<see cref="FleetResult.Handoff"/>), null otherwise.</summary>
    public LatencySummary? Handoff { get; init; }

    /// <summary>The summary of run <paramref name="run"/>, with its whole <paramref name="result"/> (and a fleet's
    /// <paramref name="pools"/>) kept when it is run 0; with <paramref name="whole"/> the result is kept for any run.</summary>
    public static RunSummary Of(int run, long seed, SimulationResult result, IReadOnlyList<PoolResult>? pools = null, LatencySummary? handoff = null,
        bool whole = false)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new RunSummary(run, seed, result.TimeToFirstToken.P50, result.TimeToFirstToken.P99, result.TimePerOutputToken.P99, result.GoodFraction,
            result.OutputThroughput, result.BlendedPerMillion)
        {
            Result = run == 0 || whole ? result : null,
            Pools = run == 0 ? pools : null,
            Handoff = run == 0 ? handoff : null,
        };
    }
}
