using Infercost.Serving;
using Infercost.Simulation;

namespace Infercost.Calibration;

/// <summary>The simulator's answer for one online-serving row, beside the measurement.</summary>
/// <param name="Row">The measurement.</param>
/// <param name="OutputTokensPerSecond">Simulated output tokens/s over the run; null when the row cannot be simulated.</param>
/// <param name="MeanTtftSeconds">Simulated mean time to first token, seconds.</param>
/// <param name="MeanItlSeconds">Simulated mean inter-token latency (mean time per output token after the first), seconds.</param>
/// <param name="Reason">Why the row cannot be simulated; null when it was.</param>
public sealed record OnlinePrediction(OnlineMeasurement Row, double? OutputTokensPerSecond, double? MeanTtftSeconds, double? MeanItlSeconds, string? Reason)
{
    /// <summary>Simulated ÷ measured − 1 of throughput.</summary>
    public double? ThroughputError => OutputTokensPerSecond / Row.MeasuredOutputTokensPerSecond - 1;
    /// <summary>Simulated ÷ measured − 1 of mean TTFT.</summary>
    public double? TtftError => MeanTtftSeconds / Row.MeanTtftSeconds - 1;
    /// <summary>Simulated ÷ measured − 1 of mean inter-token latency.</summary>
    public double? ItlError => MeanItlSeconds / Row.MeanItlSeconds - 1;

    /// <summary>With bands: the speed ratios the row was re-simulated at (the calibrated band for what it extrapolates).</summary>
    public PredictionBand? Band { get; init; }

    /// <summary>With bands: simulated output tokens/s with its P10–P90 over the runs at the band's engine speeds.</summary>
    public Banded? ThroughputBand { get; init; }

    /// <summary>With bands: simulated mean TTFT (request path included) with its P10–P90, seconds.</summary>
    public Banded? TtftBand { get; init; }

    /// <summary>With bands: simulated mean inter-token latency with its P10–P90, seconds.</summary>
    public Banded? ItlBand { get; init; }

    /// <summary>Whether the measured throughput lies inside <see cref="ThroughputBand"/>; null without bands.</summary>
    public bool? ThroughputInside => ThroughputBand is { } b ? Inside(b, Row.MeasuredOutputTokensPerSecond) : null;

    /// <summary>Whether the measured mean TTFT lies inside <see cref="TtftBand"/>; null without bands.</summary>
    public bool? TtftInside => TtftBand is { } b ? Inside(b, Row.MeanTtftSeconds) : null;

    /// <summary>Whether the measured mean ITL lies inside <see cref="ItlBand"/>; null without bands.</summary>
    public bool? ItlInside => ItlBand is { } b ? Inside(b, Row.MeanItlSeconds) : null;

    private static bool Inside(Banded b, double measured) => measured >= b.P10 && measured <= b.P90;
}

/// <summary>Checks the serving simulator against measured online-serving runs: each row's requests are simulated at its
/// offered rate (Poisson arrivals; all at once for <c>inf</c>) through one replica of its layout, with the engine
/// profile's scheduler and runtime, and the simulated throughput, mean TTFT (plus the runtime's request path latency)
/// and mean inter-token latency are set beside the measured ones. Nothing is fitted here: the efficiency factors are the
/// throughput calibration's, the runtime the profile's (for trtllm-0.14 the fit of <see cref="OnlineFit"/>).</summary>
public static class OnlineValidator
{
    /// <summary>Seeds of the arrivals each band end is simulated with (a row's own seed and four derived ones,
    /// <see cref="ParallelRuns.SeedOf"/>): the 10th and 90th percentiles over them stand for the measured run's draw.</summary>
    public const int BandSeeds = 5;

    /// <summary>Tokens per KV block of TensorRT-LLM's paged cache (its default <c>tokens_per_block</c> of 64).</summary>
    public const int TensorRtLlmBlockTokens = 64;

    /// <summary>Simulates every row; with <paramref name="bands"/> also at the engine speeds of the calibrated band's P10
    /// and P90 for what the row extrapolates (as <c>simulate --bands</c>), so that each prediction carries its P10–P90 and
    /// the share of measurements inside it can be counted (<see cref="Coverage"/>).</summary>
    public static IReadOnlyList<OnlinePrediction> Predict(IReadOnlyList<OnlineMeasurement> rows, Catalog.Catalog catalog, EfficiencyFactors efficiency,
        ServingSoftware engine, long seed = 1, bool bands = false)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(engine);
        return rows.Select(r => Predict(r, catalog, efficiency, engine, seed, bands)).ToList();
    }

    /// <summary>Percent of the rows with bands whose measurement of one metric lies inside its P10–P90, and how many rows
    /// had a band (0 rows gives NaN).</summary>
    public static (double Percent, int Rows) Coverage(IEnumerable<OnlinePrediction> predictions, Func<OnlinePrediction, bool?> inside)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(inside);
        var flags = predictions.Select(inside).Where(x => x is not null).Select(x => x!.Value).ToList();
        return flags.Count == 0 ? (double.NaN, 0) : (100.0 * flags.Count(x => x) / flags.Count, flags.Count);
    }

    private static OnlinePrediction Predict(OnlineMeasurement row, Catalog.Catalog catalog, EfficiencyFactors efficiency, ServingSoftware engine, long seed, bool bands)
    {
        if (!catalog.TryGetModel(row.ModelId, out var model)) return new(row, null, null, null, $"unknown model '{row.ModelId}'");
        if (!catalog.TryGetAccelerator(row.AcceleratorId, out var accelerator)) return new(row, null, null, null, $"unknown accelerator '{row.AcceleratorId}'");
        try
        {
            var parallelism = new Parallelism(row.TensorParallel, row.PipelineParallel);
            var config = new ServingConfig
            {
                TotalDevices = row.Gpus, Parallelism = parallelism, WeightPrecision = row.WeightPrecision, ExpertWeightPrecision = model.IsMoe ? row.WeightPrecision : null,
                KvPrecision = row.KvPrecision, InputTokens = row.InputTokens, OutputTokens = row.OutputTokens, MaxBatch = engine.MaxBatch,
                PrefillChunkTokens = engine.TokenBudget, MemoryReserveFraction = engine.MemoryReserveFraction, MemoryReserveBasis = engine.ReserveBasis,
                HonourSlidingWindow = engine.HonoursSlidingWindow, Efficiency = engine.Over(efficiency), Engine = engine,
            }.Validated();
            var setup = new ServingSetup(model, accelerator, parallelism, config);
            var options = new SimulationOptions(new SchedulerConfig(engine.TokenBudget, engine.MaxBatch, TensorRtLlmBlockTokens), Slo.Default);
            var input = new FixedLength(row.InputTokens);
            var output = new FixedLength(row.OutputTokens);
            SimulationResult Run(ServingSetup at, long runSeed) => row.OfferedRequestsPerSecond is { } rate
                ? ServingSimulator.Run(at, 1, new RequestGenerator(ArrivalProcess.Poisson(rate), input, output, runSeed, row.Requests), options)
                : ServingSimulator.RunClosedLoop(at, row.Requests, input, output, row.Requests, runSeed, options);
            var result = Run(setup, seed);
            // The simulator's TTFT is the client's: the engine's first token plus the front end's request path (MetricsCollector).
            var prediction = new OnlinePrediction(row, result.OutputThroughput.Value, result.TimeToFirstToken.Mean.Value, result.TimePerOutputToken.Mean.Value, null);
            if (!bands) return prediction;
            // The band's ends, as simulate --runs --bands makes them: the calibrated band for what this row extrapolates
            // (engine version, batch regime at its mean decode batch, ...), every step at its P10 and at its P90 engine
            // speed, each over BandSeeds seeds of the arrivals (the measured run had its own draw), so that the band holds
            // both the model's error and the arrivals' (a burst has no draw: one run per speed).
            var band = CalibratedEfficiency.Bands.For(CalibrationCoverage.Shipped.Assess(setup, engine, result.OutputTokens.Value / Math.Max(1, result.Steps)));
            var seeds = row.OfferedRequestsPerSecond is null ? 1 : BandSeeds;
            SimulationResult[] Seeds(ServingSetup at, SimulationResult? first) =>
                [.. Enumerable.Range(0, seeds).Select(i => i == 0 && first is not null ? first : Run(at, ParallelRuns.SeedOf(seed, i)))];
            IReadOnlyList<SimulationResult>[] sets = [Seeds(setup, result), Seeds(setup.AtSpeed(band.Low), null), Seeds(setup.AtSpeed(band.High), null)];
            Banded Of(Func<SimulationResult, double> figure) => SimulationBands.Across(sets, result, figure);

            return prediction with
            {
                Band = band,
                ThroughputBand = Of(r => r.OutputThroughput.Value),
                TtftBand = Of(r => r.TimeToFirstToken.Mean.Value),
                ItlBand = Of(r => r.TimePerOutputToken.Mean.Value),
            };
        }
        catch (Exception ex) when (ex is InvalidInputException or ModelDoesNotFitException)
        {
            return new(row, null, null, null, ex.Message);
        }
    }

    /// <summary>Median and P90 of |error| (percent) and mean signed error of one metric over <paramref name="predictions"/>.</summary>
    public static (double Median, double P90, double MeanSigned, int Rows) Summary(IEnumerable<OnlinePrediction> predictions, Func<OnlinePrediction, double?> error)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(error);
        var e = predictions.Select(error).Where(x => x is not null).Select(x => x!.Value * 100).ToList();
        if (e.Count == 0) return (double.NaN, double.NaN, double.NaN, 0);
        var abs = e.Select(Math.Abs).ToList();
        return (ErrorSummary.Percentile(abs, 0.5), ErrorSummary.Percentile(abs, 0.9), e.Average(), e.Count);
    }
}
