namespace Infercost.Calibration;

/// <summary>How the measured run loaded the server.</summary>
public enum LoadScenario
{
    /// <summary>Every request queued at once; the serving engine picks its own batch.</summary>
    MaxThroughput,
    /// <summary>A fixed number of requests in flight at all times.</summary>
    Concurrency,
}

/// <summary>One measured throughput run (a row of the calibration CSV schema).</summary>
/// <param name="Id">Row id.</param>
/// <param name="Source">Which benchmark publication the row comes from.</param>
/// <param name="ModelId">Model catalog id.</param>
/// <param name="AcceleratorId">Accelerator catalog id.</param>
/// <param name="Gpus">Devices running one model instance.</param>
/// <param name="TensorParallel">Tensor-parallel degree.</param>
/// <param name="PipelineParallel">Pipeline-parallel degree.</param>
/// <param name="ExpertParallel">Expert-parallel degree.</param>
/// <param name="AttentionDataParallel">Attention data-parallel degree.</param>
/// <param name="WeightPrecision">Weight precision.</param>
/// <param name="KvPrecision">KV-cache precision.</param>
/// <param name="Scenario">Load scenario.</param>
/// <param name="InputTokens">Prompt tokens per request.</param>
/// <param name="OutputTokens">Output tokens per request.</param>
/// <param name="Concurrency">Requests in flight for <see cref="LoadScenario.Concurrency"/>; null otherwise.</param>
/// <param name="MeasuredOutputTokensPerSecond">Generated tokens per second for the whole instance.</param>
/// <param name="Citation">Where the figure was published.</param>
public sealed record Measurement(
    string Id,
    string Source,
    string ModelId,
    string AcceleratorId,
    int Gpus,
    int TensorParallel,
    int PipelineParallel,
    int ExpertParallel,
    int AttentionDataParallel,
    Precision WeightPrecision,
    Precision KvPrecision,
    LoadScenario Scenario,
    int InputTokens,
    int OutputTokens,
    int? Concurrency,
    double MeasuredOutputTokensPerSecond,
    string Citation)
{
    /// <summary>The serving engine (and version) the run used, from the optional <c>engine</c> column; null when the
    /// file does not say, and the caller's engine applies.</summary>
    public ServingSoftware? Engine { get; init; }
}
