using Infercost.Quantities;

namespace Infercost.Simulation;

/// <summary>One metric over independent runs: its mean, least and greatest value.</summary>
public sealed record Spread<T>(T Mean, T Min, T Max);

/// <summary>How much the headline metrics move between independent runs of the same configuration with other seeds
/// (<see cref="ParallelRuns"/>): the sampling noise of one run's figures.</summary>
/// <param name="Runs">Runs.</param>
/// <param name="Seeds">Each run's seed, in run order (run 0's is the seed given).</param>
/// <param name="TimeToFirstTokenP50">Median time to first token.</param>
/// <param name="TimeToFirstTokenP99">P99 time to first token.</param>
/// <param name="TimePerOutputTokenP99">P99 time per output token.</param>
/// <param name="GoodFraction">Share of requests meeting the SLO.</param>
/// <param name="OutputThroughput">Output tokens per second.</param>
/// <param name="BlendedPerMillion">$ per million tokens, prompt and output; null without a cost basis.</param>
public sealed record SimulationSpread(int Runs, IReadOnlyList<long> Seeds, Spread<Seconds> TimeToFirstTokenP50, Spread<Seconds> TimeToFirstTokenP99,
    Spread<Seconds> TimePerOutputTokenP99, Spread<double> GoodFraction, Spread<TokensPerSecond> OutputThroughput,
    Spread<DollarsPerMillionTokens>? BlendedPerMillion)
{
    /// <summary>The spread of <paramref name="runs"/>, run with <paramref name="seeds"/>.</summary>
    public static SimulationSpread Of(IReadOnlyList<SimulationResult> runs, IReadOnlyList<long> seeds)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(seeds);
        if (runs.Count == 0 || seeds.Count != runs.Count) throw new ArgumentException("one seed per run, at least one run.", nameof(seeds));
        return Of([.. runs.Select((r, i) => RunSummary.Of(i, seeds[i], r))]);
    }

    /// <summary>The spread of the runs <paramref name="runs"/> summarise, in run order (run i at index i), here or on a cluster.</summary>
    public static SimulationSpread Of(IReadOnlyList<RunSummary> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0) throw new ArgumentException("at least one run.", nameof(runs));
        for (var i = 0; i < runs.Count; i++)
        {
            if (runs[i].Run != i) throw new ArgumentException($"runs must be in run order; index {i} holds run {runs[i].Run}.", nameof(runs));
        }

        return new SimulationSpread(runs.Count, [.. runs.Select(r => r.Seed)],
            Of(runs, r => r.TimeToFirstTokenP50.Value, Seconds.FromSeconds),
            Of(runs, r => r.TimeToFirstTokenP99.Value, Seconds.FromSeconds),
            Of(runs, r => r.TimePerOutputTokenP99.Value, Seconds.FromSeconds),
            Of(runs, r => r.GoodFraction, x => x),
            Of(runs, r => r.OutputThroughput.Value, TokensPerSecond.FromTokensPerSecond),
            runs.All(r => r.BlendedPerMillion is not null) ? Of(runs, r => r.BlendedPerMillion!.Value.Value, DollarsPerMillionTokens.FromDollarsPerMillionTokens) : null);
    }

    private static Spread<T> Of<T>(IReadOnlyList<RunSummary> runs, Func<RunSummary, double> metric, Func<double, T> make)
    {
        var values = runs.Select(metric).ToList();
        return new Spread<T>(make(values.Average()), make(values.Min()), make(values.Max()));
    }
}
