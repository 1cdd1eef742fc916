using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Calibration;

// A serving-engine profile is a value, not a static default: the serving setup receives it through ServingConfig.Engine,
// so a user's own fitted profile (a later issue) plugs in where these built-in ones do.

/// <summary>A serving engine's profile: the scheduler defaults that shape a run (how many requests in flight, how many
/// tokens per step, how much memory the KV cache gets, chunked prefill, CUDA-graph capture, overlap scheduling) and its
/// runtime overhead (host time per step, latency floor per collective). Scheduler values are the engine's documented
/// defaults, not fits; where the runtime could be fitted the fit is used (TensorRT-LLM 0.17 on the throughput calibration
/// file, TensorRT-LLM 0.14 on the online-serving file's latencies).</summary>
/// <param name="Name">Engine and version, as reports print it.</param>
/// <param name="MaxBatch">Most requests in flight (TensorRT-LLM <c>max_batch_size</c>, vLLM <c>max_num_seqs</c>, SGLang <c>max_running_requests</c>).</param>
/// <param name="TokenBudget">Most tokens per step (TensorRT-LLM <c>max_num_tokens</c>, vLLM <c>max_num_batched_tokens</c>, SGLang <c>chunked_prefill_size</c>).</param>
/// <param name="MemoryReserveFraction">Memory not given to the KV cache, as a fraction of <paramref name="ReserveBasis"/>.</param>
/// <param name="ReserveBasis">Whether the reserve is a fraction of capacity or of memory free after weights.</param>
/// <param name="HonoursSlidingWindow">Whether the engine caps sliding-window layers at their window.</param>
public sealed record ServingSoftware(string Name, int MaxBatch, int TokenBudget, double MemoryReserveFraction,
    MemoryReserveBasis ReserveBasis, bool HonoursSlidingWindow)
{
    /// <summary>Short id the CLI and the measurement files use (<c>trtllm-0.17</c>, <c>vllm</c>).</summary>
    public string Id { get; init; } = "custom";

    /// <summary>Whether long prompts are split into chunks that share steps with decoding sequences (all four built-in
    /// engines do by default in the versions profiled; TensorRT-LLM 0.17 packs context and generation tokens in one step).</summary>
    public bool ChunkedPrefill { get; init; } = true;

    /// <summary>Largest decode batch the engine captures in a CUDA graph; larger batches run eagerly. 0 when the engine
    /// captures none by default.</summary>
    public int CudaGraphMaxBatch { get; init; }

    /// <summary>Whether the scheduler prepares step n+1 on the host while the GPU runs step n (overlap scheduling), so
    /// host time per step hides behind the kernels instead of adding to them.</summary>
    public bool OverlapScheduling { get; init; }

    /// <summary>The engine's runtime overhead; null means the calibrated <see cref="EfficiencyFactors"/> carry it
    /// (the engine the factors were fitted on).</summary>
    public EngineRuntime? Runtime { get; init; }

    /// <summary>Where the profile's values come from.</summary>
    public string Source { get; init; } = "";

    /// <summary>The MoE kernel the engine runs routed experts with when they are not FP4 (16- and 8-bit experts, and
    /// weight-only int4).</summary>
    public Kernels.MoeKernel MoeKernel { get; init; } = Kernels.MoeKernel.TrtllmGen;

    /// <summary>The MoE kernel the engine runs 4-bit (NVFP4, MXFP4) experts with.</summary>
    public Kernels.MoeKernel MoeKernelFp4 { get; init; } = Kernels.MoeKernel.TrtllmGen;

    /// <summary>Whether the MoE kernel was chosen by the user (<c>--moe-kernel</c>) rather than being the engine's
    /// default: a chosen kernel is taken as given, and one the device cannot run is refused instead of replaced.</summary>
    public bool MoeKernelChosen { get; init; }

    /// <summary>The MoE kernel this engine runs experts stored at <paramref name="experts"/> with on
    /// <paramref name="architecture"/>: <see cref="MoeKernelFp4"/> for FP4 experts, else <see cref="MoeKernel"/>;
    /// TRTLLM-Gen kernels exist for Blackwell (SM100) only, so elsewhere TensorRT-LLM runs its CUTLASS MoE kernels.</summary>
    public Kernels.MoeKernel MoeKernelFor(Precision experts, Kernels.Architecture architecture)
    {
        // Weight-only int4 experts (AWQ, GPTQ) run the 16-bit path's kernel with dequantisation, not an FP4 one.
        var kernel = experts == Precision.Fp4 ? MoeKernelFp4 : MoeKernel;
        if (kernel != Kernels.MoeKernel.TrtllmGen || architecture == Kernels.Architecture.Blackwell) return kernel;
        return MoeKernelChosen
            ? throw Requests.RequestFields.Error("moeKernel", $"{{moeKernel}} trtllm-gen runs on Blackwell (SM100) only; this accelerator is {Kernels.Architectures.Name(architecture)}. Use cutlass or triton.")
            : Kernels.MoeKernel.Cutlass;
    }

    /// <summary>Refuses a chosen MoE kernel (<see cref="MoeKernelChosen"/>) that <paramref name="model"/> cannot run: a
    /// dense model has no routed experts, so the kernel would silently apply to nothing; and, when
    /// <paramref name="architecture"/> is given, trtllm-gen anywhere but on Blackwell (<see cref="MoeKernelFor"/>).</summary>
    /// <exception cref="InvalidInputException">Names <c>moeKernel</c>.</exception>
    internal void CheckChosenMoeKernel(Models.ModelArchitecture model, Kernels.Architecture? architecture = null)
    {
        if (!MoeKernelChosen) return;
        if (model.Moe is null)
            throw Requests.RequestFields.Error("moeKernel", $"{{moeKernel}} {Kernels.MoeKernels.Name(MoeKernel)} runs routed experts; {model.Id} is dense and has none.");
        if (architecture is { } a) MoeKernelFor(Precision.Bf16, a);
    }

    /// <summary><paramref name="factors"/> with this engine's per-step and per-collective overheads in place of the
    /// calibrated ones (unchanged when <see cref="Runtime"/> is null). Explicit user values are applied after this.</summary>
    public EfficiencyFactors Over(EfficiencyFactors factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        return Runtime is not { } r ? factors : factors with { StepOverhead = r.EffectiveStepOverhead(OverlapScheduling), CollectiveLatency = r.CollectiveLatency };
    }

    /// <summary>TensorRT-LLM 0.17 defaults: max_batch_size 2048, max_num_tokens 8192, kv_cache_free_gpu_mem_fraction 0.9,
    /// full attention on every layer (no max_attention_window set). The last is also what the calibration data shows:
    /// Mistral 7B (4,096-token window) and Llama 3.1 8B run within 2% of each other at 20,000-token prompts, which a
    /// window-capped cache would not allow. Runtime: the calibration fit (<see cref="CalibratedEfficiency"/>).</summary>
    public static ServingSoftware TensorRtLlm { get; } = new("TensorRT-LLM 0.17", 2048, 8192, 0.10,
        MemoryReserveBasis.FreeAfterWeights, HonoursSlidingWindow: false)
    {
        Id = "trtllm-0.17",
        CudaGraphMaxBatch = 0,
        OverlapScheduling = false,
        Source = "TensorRT-LLM 0.17 trtllm-bench defaults (docs/source/performance/perf-overview.md @ 258c7540); runtime fitted on data/calibration/throughput-calibration.csv",
    };

    /// <summary>TensorRT-LLM 0.14 with the Triton backend (the engine of data/calibration/online-serving.csv): the same
    /// scheduler defaults as 0.17 (the page lists no different defaults), and its own runtime (host time per step,
    /// collective latency, request path latency) fitted to that file's mean TTFT and inter-token latency below saturation
    /// (<see cref="CalibratedOnlineRuntime"/>); a separate version, so a throughput prediction for it says it extrapolates
    /// in engine version.</summary>
    public static ServingSoftware TensorRtLlm014 { get; } = TensorRtLlm with
    {
        Name = "TensorRT-LLM 0.14 (Triton)",
        Id = "trtllm-0.14",
        Runtime = CalibratedOnlineRuntime.Runtime,
        Source = "TensorRT-LLM perf-overview.md 'Online Serving Measurements' (v0.14.0, Triton backend); scheduler as 0.17; runtime fitted on " +
                 "data/calibration/online-serving.csv (" + CalibratedOnlineRuntime.Command + ")",
    };

    /// <summary>TensorRT-LLM 0.14's scheduler with 0.17's runtime (the throughput calibration's step overhead and
    /// collective latency), as <see cref="TensorRtLlm014"/> was before its runtime was fitted: the engine-version check
    /// (the engine band width, <see cref="CalibratedEfficiency.Bands"/>) predicts the online file's all-at-once rows with
    /// it, because that width measures how far a fit carries to an engine version it never saw. Not a user profile.</summary>
    public static ServingSoftware TensorRtLlm014Unfitted { get; } = TensorRtLlm014 with
    {
        Runtime = null,
        Source = "TensorRT-LLM 0.14 scheduler with the TensorRT-LLM 0.17 runtime fitted on data/calibration/throughput-calibration.csv (engine held out)",
    };

    /// <summary>TensorRT-LLM 1.x (PyTorch backend) defaults: max_batch_size 2048, max_num_tokens 8192,
    /// free_gpu_memory_fraction 0.9 of free memory, CUDA graphs for decode batches (cuda_graph_config max_batch_size 128
    /// in the trtllm-bench extra options), overlap scheduler on by default. Runtime: the tuned-stack collective floor
    /// (custom/NCCL symmetric all-reduce under CUDA graphs; <see cref="Kernels.KernelModel.GraphCollectiveLatencySeconds"/>
    /// from the kernel benchmarks) and a documented default host time per step.</summary>
    public static ServingSoftware TensorRtLlm1 { get; } = new("TensorRT-LLM 1.x", 2048, 8192, 0.10, MemoryReserveBasis.FreeAfterWeights, HonoursSlidingWindow: true)
    {
        Id = "trtllm-1",
        CudaGraphMaxBatch = 128,
        OverlapScheduling = true,
        Runtime = EngineRuntime.TunedStack("TensorRT-LLM 1.x PyTorch backend"),
        Source = "TensorRT-LLM 1.0 LLM API / trtllm-bench defaults (max_batch_size 2048, max_num_tokens 8192, free_gpu_memory_fraction 0.9, disable_overlap_scheduler false)",
    };

    /// <summary>vLLM (V1 engine) defaults: max_num_seqs 256, max_num_batched_tokens 8192 with chunked prefill,
    /// gpu_memory_utilization 0.9 of capacity, CUDA graphs captured up to batch 512 (cudagraph capture sizes), sliding
    /// windows honoured. Scheduling is not overlapped with the GPU by default (asynchronous scheduling is the opt-in
    /// <c>--async-scheduling</c>), so the host time per step adds in full. Runtime: the tuned-stack collective floor
    /// (vLLM's custom all-reduce under CUDA graphs) and the documented default host time per step.</summary>
    public static ServingSoftware Vllm { get; } = new("vLLM", 256, 8192, 0.10, MemoryReserveBasis.Capacity, HonoursSlidingWindow: true)
    {
        Id = "vllm",
        CudaGraphMaxBatch = 512,
        OverlapScheduling = false,
        Runtime = EngineRuntime.TunedStack("vLLM V1"),
        MoeKernel = Kernels.MoeKernel.Triton,
        MoeKernelFp4 = Kernels.MoeKernel.Cutlass,
        Source = "vLLM engine arguments (max_num_seqs 256, max_num_batched_tokens 8192, gpu_memory_utilization 0.9, cudagraph capture sizes up to 512, async scheduling off by default); " +
                 "MoE: Triton fused_moe for 16- and 8-bit experts, vLLM's CUTLASS kernels for NVFP4 (FlashInfer's are opt-in through VLLM_USE_FLASHINFER_MOE_FP4)",
    };

    /// <summary>SGLang defaults: max_running_requests derived from memory (the cap here is its 4096 token-pool bound
    /// per rank at this scale; the KV cache then limits first), chunked_prefill_size 8192, mem_fraction_static 0.88 of
    /// capacity, CUDA graphs up to batch 160 (cuda_graph_max_bs on H100-class parts), overlap scheduler on.</summary>
    public static ServingSoftware Sglang { get; } = new("SGLang", 4096, 8192, 0.12, MemoryReserveBasis.Capacity, HonoursSlidingWindow: true)
    {
        Id = "sglang",
        CudaGraphMaxBatch = 160,
        OverlapScheduling = true,
        Runtime = EngineRuntime.TunedStack("SGLang"),
        MoeKernel = Kernels.MoeKernel.Triton,
        MoeKernelFp4 = Kernels.MoeKernel.Cutlass,
        Source = "SGLang server arguments (chunked_prefill_size 8192, mem_fraction_static 0.88, cuda_graph_max_bs 160, overlap scheduler enabled); " +
                 "MoE: Triton fused_moe for 16- and 8-bit experts, a CUTLASS grouped GEMM for NVFP4",
    };

    /// <summary>The built-in profiles.</summary>
    public static IReadOnlyList<ServingSoftware> BuiltIn { get; } = [TensorRtLlm, TensorRtLlm014, TensorRtLlm1, Vllm, Sglang];

    /// <summary>The names <see cref="TryNamed"/> accepts, canonical first.</summary>
    public static IReadOnlyList<string> Names { get; } = ["trtllm", "trtllm-0.17", "tensorrt-llm", "trtllm-0.14", "trtllm-1", "vllm", "sglang"];

    /// <summary>The profile called <paramref name="name"/> (case-insensitive; see <see cref="Names"/>).</summary>
    public static bool TryNamed(string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ServingSoftware? software)
    {
        software = name?.Trim().ToLowerInvariant() switch
        {
            "trtllm" or "trtllm-0.17" or "tensorrt-llm" or "tensorrt-llm-0.17" => TensorRtLlm,
            "trtllm-0.14" or "tensorrt-llm-0.14" => TensorRtLlm014,
            "trtllm-1" or "trtllm-1.x" or "tensorrt-llm-1" or "tensorrt-llm-1.x" => TensorRtLlm1,
            "vllm" => Vllm,
            "sglang" => Sglang,
            _ => null,
        };
        return software is not null;
    }

    /// <summary>The profile called <paramref name="name"/>, or an <see cref="InvalidInputException"/> naming <paramref name="field"/>.</summary>
    public static ServingSoftware Named(string? name, string field) =>
        TryNamed(name, out var s) ? s
            : throw new InvalidInputException(field, $"{field} must be one of {string.Join(", ", Names)}; was '{name}'.");
}

/// <summary>A serving engine's own time outside the kernels.</summary>
/// <param name="HostStepTime">Host time per step (scheduling, input preparation, sampling, detokenisation hand-off),
/// seconds; hidden behind the GPU's work when the engine overlaps scheduling, except <see cref="UnhiddenShare"/>.</param>
/// <param name="CollectiveLatency">Latency floor of one small collective (all-reduce, all-to-all), seconds.</param>
/// <param name="Source">Where the two values come from.</param>
public sealed record EngineRuntime(Seconds HostStepTime, Seconds CollectiveLatency, string Source)
{
    /// <summary>Share of the host step time that still adds to the step under overlap scheduling: the synchronisation
    /// at the step boundary (output copy, sampling result) cannot overlap. A documented default, not a fit.</summary>
    public const double UnhiddenShare = 0.25;

    /// <summary>Host time per step of a Python engine's scheduler and input preparation before overlap: 0.6 ms. An
    /// assumed default, not a fit (no calibration row is a vLLM, SGLang or TensorRT-LLM 1.x run): the vLLM V1 post
    /// (blog.vllm.ai, 2025-01-24, "Optimized execution loop") calls this CPU work pronounced against a ~5 ms GPU step of
    /// Llama 8B on H100, which puts it at a tenth of a millisecond to a millisecond; the overlap schedulers of vLLM V1
    /// (engine core in its own process), SGLang (zero-overhead batch scheduler, v0.4) and TensorRT-LLM's PyTorch
    /// backend (overlap scheduler, on by default) hide most of it.</summary>
    public static readonly Seconds DefaultHostStepTime = Seconds.FromMilliseconds(0.6);

    /// <summary>Time a request spends outside the engine's steps before its first token reaches the client, seconds:
    /// the serving front end's path (for Triton's TensorRT-LLM ensemble the preprocessing model that tokenises the
    /// prompt, the hand-offs between ensemble steps and the streaming of the first token back). It runs beside the
    /// engine, one request at a time per request, so it adds to the time to first token and delays nothing else. Zero
    /// unless fitted (<see cref="CalibratedOnlineRuntime"/>).</summary>
    public Seconds RequestLatency { get; init; } = Seconds.Zero;

    /// <summary>The per-step overhead that adds to the GPU time.</summary>
    public Seconds EffectiveStepOverhead(bool overlapped) => overlapped ? HostStepTime * UnhiddenShare : HostStepTime;

    /// <summary>A graph-captured engine on a tuned collective stack: the small-message all-reduce floor from the kernel
    /// benchmarks (nccl-tests / custom all-reduce rows, <see cref="Kernels.KernelCurves.Fitted"/>
    /// GraphCollectiveLatencySeconds, the geometric mean of the 2.3–8 µs statements) and the documented host time.</summary>
    public static EngineRuntime TunedStack(string engine) => new(DefaultHostStepTime,
        Seconds.FromSeconds(Kernels.KernelCurves.Fitted.GraphCollectiveLatencySeconds),
        $"{engine}: collective floor {Guard.Format(Kernels.KernelCurves.Fitted.GraphCollectiveLatencySeconds * 1e6)} µs from the collective_latency_floor rows of data/kernels/kernel-benchmarks.csv; host time per step {Guard.Format(DefaultHostStepTime.Milliseconds)} ms (documented default), {Guard.Format(UnhiddenShare)} of it unhidden under overlap scheduling");
}
