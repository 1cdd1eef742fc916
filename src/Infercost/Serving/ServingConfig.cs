namespace Infercost.Serving;

/// <summary>How a model is served: devices, parallel layout, precisions, request shape, batch and efficiency.</summary>
public sealed record ServingConfig
{
    /// <summary>Devices in the whole cluster; replicas = devices / devices per replica (rounded down).</summary>
    public required int TotalDevices { get; init; }

    /// <summary>Parallel layout of one replica; null lets ParallelismPlanner pick the smallest that fits.</summary>
    public Parallelism? Parallelism { get; init; }

    /// <summary>Weight precision; null uses the model's published precision.</summary>
    public Precision? WeightPrecision { get; init; }

    /// <summary>Routed-expert weight precision; null uses <see cref="WeightPrecision"/> if given, else the model's published expert precision.</summary>
    public Precision? ExpertWeightPrecision { get; init; }

    /// <summary>KV-cache precision; null uses the precision the checkpoint's quantisation names for its cache
    /// (<see cref="Models.ModelArchitecture.DefaultKvPrecision"/>), else bf16.</summary>
    public Precision? KvPrecision { get; init; }

    /// <summary>Precision of the matrix units; null picks the weight precision where the device supports it, else bf16/fp16.</summary>
    public Precision? ComputePrecision { get; init; }

    /// <summary>Block-scale layout of fp4 weights, experts and KV cache (the request names it with <c>nvfp4</c> or
    /// <c>mxfp4</c>); null uses the checkpoint's (<see cref="Models.ModelArchitecture.Fp4Scales"/>), else the device's
    /// default (<see cref="ScaleLayouts.DefaultFp4"/>: NVFP4 on NVIDIA, MXFP4 elsewhere).</summary>
    public Fp4Format? Fp4Format { get; init; }

    /// <summary>Prompt tokens per request.</summary>
    public int InputTokens { get; init; } = 1000;

    /// <summary>Generated tokens per request.</summary>
    public int OutputTokens { get; init; } = 1000;

    /// <summary>Concurrent sequences decoding in one replica; null uses the largest that fits, capped at <see cref="MaxBatch"/>.</summary>
    public int? Batch { get; init; }

    /// <summary>Cap on the automatic batch per attention data-parallel rank (vLLM's default max_num_seqs is 256).</summary>
    public int MaxBatch { get; init; } = 256;

    /// <summary>Token budget of one prefill pass (vLLM's max_num_batched_tokens): prompts are packed up to it.</summary>
    public int PrefillChunkTokens { get; init; } = 8192;

    /// <summary>Fraction of memory held back from the KV cache (activations, CUDA graphs, fragmentation); of what, see
    /// <see cref="MemoryReserveBasis"/>.</summary>
    public double MemoryReserveFraction { get; init; } = 0.10;

    /// <summary>What <see cref="MemoryReserveFraction"/> is a fraction of: device capacity (vLLM's gpu_memory_utilization)
    /// or the memory left after weights (TensorRT-LLM's kv_cache_free_gpu_mem_fraction).</summary>
    public MemoryReserveBasis MemoryReserveBasis { get; init; } = MemoryReserveBasis.Capacity;

    /// <summary>Whether the serving engine caps sliding-window layers' KV cache and attention at the window. Some engines
    /// (TensorRT-LLM 0.17 by default) keep full attention for every layer.</summary>
    public bool HonourSlidingWindow { get; init; } = true;

    /// <summary>The serving engine's profile (scheduler defaults and runtime overhead): which engine the prediction is
    /// for, and so where it extrapolates. The fields above carry its scheduler values once a request has applied them
    /// (<see cref="Requests.ServingRequest.ToConfig()"/>); <see cref="Efficiency"/> carries its runtime.</summary>
    public Calibration.ServingSoftware Engine { get; init; } = Calibration.ServingSoftware.Vllm;

    /// <summary>Speculative decoding or multi-token prediction in every decode step; null decodes one token per step.
    /// With it the decode step is a verify pass plus drafting (<see cref="Infercost.Speculation.SpeculativeDecoding"/>) and the
    /// draft's weights and KV cache are in the memory plan (<see cref="Infercost.Speculation.SpeculationMemory"/>).</summary>
    public Infercost.Speculation.SpeculationConfig? Speculation { get; init; }

    /// <summary>Efficiency factors; see <see cref="EfficiencyFactors.Default"/>.</summary>
    public EfficiencyFactors Efficiency { get; init; } = EfficiencyFactors.Default;

    /// <summary>A band scenario for the simulator: the engine runs this many times as fast as modelled (actual ÷
    /// predicted speed, the ratio the calibration bands are stated in), so the simulator divides every step's modelled
    /// time by it. 1 (the default) is the model as calibrated; the analytic estimates do not read it.
    /// <see cref="Requests.SimulateRequest.Bands"/> re-runs a simulation at the band's P10 and P90 ratios.</summary>
    internal double SpeedFactor { get; init; } = 1;

    /// <summary>Checks every field's range.</summary>
    public ServingConfig Validated()
    {
        Guard.InRange(TotalDevices, 1, 1_000_000, "gpus");
        Guard.InRange(InputTokens, 1, 10_000_000, "inputTokens");
        Guard.InRange(OutputTokens, 1, 10_000_000, "outputTokens");
        if (Batch is { } b) Guard.InRange(b, 1, 1_000_000, "batch");
        Guard.InRange(MaxBatch, 1, 1_000_000, "maxBatch");
        Guard.InRange(PrefillChunkTokens, 1, 10_000_000, "prefillChunkTokens");
        Guard.InRange(MemoryReserveFraction, 0, 0.9, "memoryReserveFraction");
        Parallelism?.Validated();
        if (Parallelism is { } p && p.DevicesPerReplica > TotalDevices)
        {
            throw new InvalidInputException("gpus",
                $"gpus must be at least the {p.DevicesPerReplica} devices of one replica ({p}); was {TotalDevices}.");
        }

        Efficiency.Validated();
        Speculation?.Validated();
        Guard.InRange(SpeedFactor, 0.01, 100, "speedFactor");
        return this;
    }
}
