using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Simulation;

/// <summary>Throughput against interactivity: closed-loop runs at fixed concurrencies, each giving output tokens per
/// second per device and tokens per second per user, with the cost per million output tokens at that point.</summary>
public static class ThroughputFrontier
{
    /// <summary>Concurrencies tried when none are given: powers of two from 1 to 256.</summary>
    public static IReadOnlyList<int> DefaultConcurrencies { get; } = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    /// <summary>Runs one closed-loop simulation per concurrency.</summary>
    /// <param name="setup">One replica.</param>
    /// <param name="input">Prompt lengths.</param>
    /// <param name="output">Output lengths.</param>
    /// <param name="concurrencies">Users per run.</param>
    /// <param name="requestsPerPoint">Requests per run; 0 for 10 × concurrency (at least 200).</param>
    /// <param name="seed">Fixes the lengths drawn.</param>
    /// <param name="options">Scheduler, SLO and cost basis.</param>
    /// <param name="progress">Receives the fraction of runs done.</param>
    /// <param name="cancellation">Reaches each run's step loop: a cancelled frontier stops with <see cref="OperationCanceledException"/>.</param>
    public static FrontierResult Run(ServingSetup setup, LengthDistribution input, LengthDistribution output, IReadOnlyList<int> concurrencies,
        long requestsPerPoint, long seed, SimulationOptions options, IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(concurrencies);
        if (concurrencies.Count == 0) throw new InvalidInputException("concurrency", "concurrency must list at least one level; was empty.");
        if (requestsPerPoint < 0 || requestsPerPoint > 100_000_000) throw new InvalidInputException("requests", $"requests must be in [0, 100000000]; was {requestsPerPoint}.");
        var points = new List<FrontierPoint>(concurrencies.Count);
        for (var i = 0; i < concurrencies.Count; i++)
        {
            var c = Guard.InRange(concurrencies[i], 1, 1_000_000, "concurrency");
            var n = requestsPerPoint > 0 ? requestsPerPoint : Math.Max(200, 10L * c);
            var r = ServingSimulator.RunClosedLoop(setup, c, input, output, n, seed, options, null, cancellation);
            var perUser = r.TimePerOutputToken.Mean.Value > 0 ? 1 / r.TimePerOutputToken.Mean.Value : 0;
            points.Add(new FrontierPoint(c, r.OutputThroughput / setup.DevicesPerReplica, TokensPerSecond.FromTokensPerSecond(perUser),
                r.TimeToFirstToken.P50, r.TimePerOutputToken.P50, r.TimePerOutputToken.P90, r.BusyFraction, r.Preemptions, r.OutputPerMillion,
                Calibration.CalibrationCoverage.RunDecodeBatch(setup, r.OutputTokens.Value, r.Steps)));
            progress?.Report((i + 1.0) / concurrencies.Count);
        }

        return new FrontierResult(setup.Layout, setup.DevicesPerReplica, requestsPerPoint, points);
    }
}
