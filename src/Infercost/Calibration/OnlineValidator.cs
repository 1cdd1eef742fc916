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
}

/// <summary>Checks the serving simulator against measured online-serving runs: each row's requests are simulated at its
/// offered rate (Poisson arrivals; all at once for <c>inf</c>) through one replica of its layout, with the engine
/// profile's scheduler and runtime, and the simulated throughput, mean TTFT (plus the runtime's request path latency)
/// and mean inter-token latency are set beside the measured ones. Nothing is fitted here: the efficiency factors are the
/// throughput calibration's, the runtime the profile's (for trtllm-0.14 the fit of <see cref="OnlineFit"/>).</summary>
public static class OnlineValidator
{
    /// <summary>Tokens per KV block of TensorRT-LLM's paged cache (its default <c>tokens_per_block</c> of 64).</summary>
    public const int TensorRtLlmBlockTokens = 64;

    /// <summary>Simulates every row.</summary>
    public static IReadOnlyList<OnlinePrediction> Predict(IReadOnlyList<OnlineMeasurement> rows, Catalog.Catalog catalog, EfficiencyFactors efficiency,
        ServingSoftware engine, long seed = 1)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(engine);
        return rows.Select(r => Predict(r, catalog, efficiency, engine, seed)).ToList();
    }

    private static OnlinePrediction Predict(OnlineMeasurement row, Catalog.Catalog catalog, EfficiencyFactors efficiency, ServingSoftware engine, long seed)
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
            var result = row.OfferedRequestsPerSecond is { } rate
                ? ServingSimulator.Run(setup, 1, new RequestGenerator(ArrivalProcess.Poisson(rate), input, output, seed, row.Requests), options)
                : ServingSimulator.RunClosedLoop(setup, row.Requests, input, output, row.Requests, seed, options);
            // The simulator's first token is the engine's; the client sees it after the front end's request path as well.
            var requestPath = engine.Runtime?.RequestLatency.Value ?? 0;
            return new(row, result.OutputThroughput.Value, result.TimeToFirstToken.Mean.Value + requestPath, result.TimePerOutputToken.Mean.Value, null);
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
