using System.CommandLine;
using Infercost.Requests;
using Infercost.Serving;

namespace Infercost.Cli.Inputs;

/// <summary>The options that become a <see cref="ServingConfig"/>: devices, layout, precisions, request shape, batch,
/// memory reserve and efficiency factors.</summary>
internal sealed class ServingInputs
{
    private static readonly ServingConfig Defaults = new() { TotalDevices = 1 };
    private readonly bool _workload;
    private readonly bool _batch;

    /// <summary>Creates the options; <paramref name="workload"/> adds request shape, batching and efficiency options
    /// (everything beyond what memory fit needs); <paramref name="batch"/> adds <c>--batch</c>.</summary>
    public ServingInputs(bool workload, bool batch = true)
    {
        _workload = workload;
        _batch = batch;
    }

    public Option<int> Gpus { get; } = CliOptions.RequiredInt(DeploymentRequest.GpusField, "Devices in the cluster; replicas = devices ÷ devices per replica.");

    public Option<int?> Tensor { get; } = CliOptions.OptionalInt(DeploymentRequest.TpField, "Tensor-parallel degree per replica. Giving any of --tp/--pp/--ep/--dp fixes the layout (others default to 1); giving none picks the smallest layout that fits.");
    public Option<int?> Pipeline { get; } = CliOptions.OptionalInt(DeploymentRequest.PpField, "Pipeline-parallel degree per replica.");
    public Option<int?> Expert { get; } = CliOptions.OptionalInt(DeploymentRequest.EpField, "Expert-parallel degree (must divide tp × pp × dp).");
    public Option<int?> AttentionData { get; } = CliOptions.OptionalInt(DeploymentRequest.DpField, "Attention data-parallel degree (replicates attention and its KV cache; experts stay sharded).");

    public Option<Precision?> Weights { get; } = CliOptions.StoredPrecision("--weights", "Weight precision. Default: the model's published precision.");
    public Option<Precision?> ExpertWeights { get; } = CliOptions.StoredPrecision("--expert-weights", "Routed-expert weight precision. Default: --weights, else the model's published expert precision.");
    public Option<Precision?> Kv { get; } = CliOptions.StoredPrecision("--kv", "KV-cache precision. Default: the format a --model-config checkpoint was calibrated for (kv_cache_quant_algo, kv_cache_scheme), else bf16.");
    public Option<Precision?> Compute { get; } = CliOptions.Precision("--compute", "Matrix-unit precision. Default: the weight precision where the device has a peak for it, else bf16.");

    public Option<int?> Batch { get; } = CliOptions.OptionalInt(DeploymentRequest.BatchField, "Concurrent sequences per replica. Default: the most that fit, capped at --max-batch.");
    public Option<double?> Reserve { get; } = CliOptions.OptionalDouble(DeploymentRequest.ReserveField, "Fraction of device memory held back for activations, graphs and fragmentation. Default: 0.1.", "F");

    public Option<int> Input { get; } = CliOptions.Int(ServingRequest.InputField, "Prompt tokens per request.", Defaults.InputTokens);
    public Option<int> Output { get; } = CliOptions.Int(ServingRequest.OutputField, "Generated tokens per request.", Defaults.OutputTokens);
    public Option<int?> MaxBatch { get; } = CliOptions.OptionalInt(ServingRequest.MaxBatchField, "Cap on the automatic batch per attention-data-parallel rank (vLLM's max_num_seqs; each DP rank schedules its own batch, so a replica with --dp N runs up to N × this). Default: the engine's (vllm 256, sglang 4096, trtllm 2048).");

    public Option<string?> Engine { get; } = EngineOption();

    /// <summary>A new <c>--engine</c> option (every command that predicts offers it, described alike).</summary>
    public static Option<string?> EngineOption() => new("--engine")
    {
        Description = "Serving engine profile: vllm (default), sglang, trtllm (TensorRT-LLM 0.17, the calibrated one), trtllm-0.14 or trtllm-1 (TensorRT-LLM 1.x). " +
                      "Sets the scheduler defaults (max batch, token budget, KV memory, sliding windows) and the runtime overhead (host time per step, collective latency floor); " +
                      "explicit options win. A prediction for any engine but trtllm says it extrapolates.",
        HelpName = "engine",
    };

    public Option<string?> MoeKernel { get; } = MoeKernelOption();

    /// <summary>A new <c>--moe-kernel</c> option (every command that offers <c>--engine</c> for a prediction offers it, described alike).</summary>
    public static Option<string?> MoeKernelOption() => new("--moe-kernel")
    {
        Description = "Kernel that runs a MoE model's routed experts: trtllm-gen (TensorRT-LLM's, Blackwell only), cutlass or triton (Triton fused_moe). " +
                      "Default: the engine's (vllm and sglang: triton, cutlass for fp4 experts; trtllm: trtllm-gen on Blackwell, cutlass elsewhere). " +
                      "Each has its own fixed cost per MoE layer and time per touched expert, fitted to the kernel benchmarks (docs/validation.md#moe-kernels).",
        HelpName = "trtllm-gen|cutlass|triton",
    };

    public Option<string?> EngineProfile { get; } = new("--engine-profile")
    {
        Description = "An engine profile fitted to your own deployment by 'infercost calibrate deployment --profile-out FILE': its engine's scheduler defaults " +
                      "with the host time per step and MBU fitted to your load tests. Explicit --step-overhead-ms and --mbu still win; --engine, if given, must name the same engine.",
        HelpName = "FILE.json",
    };

    /// <summary>Where <c>--engine-profile</c> files are read; without it the option is not offered.</summary>
    public CliContext? Context { get; init; }

    public Option<int?> PrefillChunk { get; } = CliOptions.OptionalInt(ServingRequest.PrefillChunkField, $"Token budget of one prefill pass. Default: {Defaults.PrefillChunkTokens}.");

    public Option<double?> MatmulMfu { get; } = CliOptions.OptionalDouble(ServingRequest.MfuField, $"Share of the kernel curves' GEMM efficiency that matrix multiplies achieve (1 = the benchmarks; docs/methodology.md#kernels). Default: {Guard.Format(EfficiencyFactors.Default.MatmulMfu)} (calibrated).", "F");
    public Option<double?> AttentionMfu { get; } = CliOptions.OptionalDouble(ServingRequest.AttentionMfuField, $"Share of the kernel curves' prefill-attention efficiency reached. Default: {Guard.Format(EfficiencyFactors.Default.AttentionMfu)}.", "F");
    public Option<double?> Mbu { get; } = CliOptions.OptionalDouble(ServingRequest.MbuField, $"Share of the kernel curves' streaming bandwidth reached for weights and KV cache. Default: {Guard.Format(EfficiencyFactors.Default.Mbu)}.", "F");
    public Option<double?> StepOverheadMs { get; } = CliOptions.OptionalDouble(ServingRequest.StepOverheadMsField, $"Host time per step beyond the kernels' fixed latencies, ms. Default: {Guard.Format(EfficiencyFactors.Default.StepOverhead.Milliseconds)}.", "MS");
    public Option<double?> CollectiveLatencyUs { get; } = CliOptions.OptionalDouble(ServingRequest.CollectiveLatencyUsField, $"Fixed latency per collective, µs. Default: {Guard.Format(EfficiencyFactors.Default.CollectiveLatency.Microseconds)}.", "US");
    public Option<double?> LinkEfficiency { get; } = CliOptions.OptionalDouble(ServingRequest.LinkEfficiencyField, $"Share of the link class's fitted bus bandwidth that collectives achieve. Default: {Guard.Format(EfficiencyFactors.Default.LinkEfficiency)}.", "F");
    public Option<double?> RooflineSoftness { get; } = CliOptions.OptionalDouble(ServingRequest.RooflineSoftnessField, $"How far kernels near the roofline ridge fall short of max(compute, memory): 0 is a hard max, 1 adds the terms. Default: {Guard.Format(EfficiencyFactors.Default.RooflineSoftness)}.", "F");
    public Option<double?> ActivationPasses { get; } = CliOptions.OptionalDouble(ServingRequest.ActivationPassesField, $"Element-wise passes over each token's activations per layer, as memory traffic. Default: {Guard.Format(EfficiencyFactors.Default.ActivationPasses)}.", "N");

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        Option[] memory = [Engine, MoeKernel, Gpus, Tensor, Pipeline, Expert, AttentionData, Weights, ExpertWeights, Kv, Compute, .. (_batch ? [Batch] : Array.Empty<Option>()), Reserve];
        Option[] workload = [Input, Output, MaxBatch, PrefillChunk, MatmulMfu, AttentionMfu, Mbu, StepOverheadMs, CollectiveLatencyUs, LinkEfficiency, ActivationPasses, RooflineSoftness];
        foreach (var option in _workload ? [.. memory, .. workload] : memory) command.Options.Add(option);
        if (_workload && Context is not null) command.Options.Add(EngineProfile);
    }

    /// <summary>The layout the user fixed, or null to let the planner choose.</summary>
    public Parallelism? Layout(ParseResult parse) => Fill(new DeploymentRequest(), parse).Layout();

    /// <summary><paramref name="request"/> with the deployment (and, with workload options, serving) fields the options give.</summary>
    public T Fill<T>(T request, ParseResult parse) where T : DeploymentRequest
    {
        ArgumentNullException.ThrowIfNull(request);
        DeploymentRequest filled = request with
        {
            Gpus = parse.GetValue(Gpus),
            Tp = parse.GetValue(Tensor),
            Pp = parse.GetValue(Pipeline),
            Ep = parse.GetValue(Expert),
            Dp = parse.GetValue(AttentionData),
            Weights = parse.GetValue(Weights),
            ExpertWeights = parse.GetValue(ExpertWeights),
            Kv = parse.GetValue(Kv),
            Compute = parse.GetValue(Compute),
            Fp4Format = CliOptions.Fp4FormatOf(parse, Weights, ExpertWeights, Kv),
            Batch = _batch ? parse.GetValue(Batch) : null,
            Reserve = parse.GetValue(Reserve),
            Engine = parse.GetValue(Engine),
            MoeKernel = parse.GetValue(MoeKernel),
            EngineProfile = _workload ? ReadProfile(Context, parse.GetValue(EngineProfile)) : null,
        };
        if (_workload && filled is ServingRequest serving)
        {
            filled = serving with
            {
                Input = parse.GetValue(Input),
                Output = parse.GetValue(Output),
                MaxBatch = parse.GetValue(MaxBatch),
                PrefillChunk = parse.GetValue(PrefillChunk),
                Mfu = parse.GetValue(MatmulMfu),
                AttentionMfu = parse.GetValue(AttentionMfu),
                Mbu = parse.GetValue(Mbu),
                StepOverheadMs = parse.GetValue(StepOverheadMs),
                CollectiveLatencyUs = parse.GetValue(CollectiveLatencyUs),
                LinkEfficiency = parse.GetValue(LinkEfficiency),
                ActivationPasses = parse.GetValue(ActivationPasses),
                RooflineSoftness = parse.GetValue(RooflineSoftness),
            };
        }

        return (T)filled;
    }

    /// <summary>The fitted engine profile in <paramref name="path"/>, or null without one.</summary>
    /// <exception cref="InvalidInputException">Unreadable file or not a profile; names --engine-profile.</exception>
    public static Calibration.DeploymentProfile? ReadProfile(CliContext? context, string? path) =>
        path is null || context is null ? null : Calibration.DeploymentProfile.Parse(context.ReadText(path, "--engine-profile"), "--engine-profile");

    /// <summary>The serving configuration the options describe (validated later by the core).</summary>
    public ServingConfig Config(ParseResult parse) =>
        (_workload ? Fill(new ServingRequest(), parse) : Fill(new DeploymentRequest(), parse)).ToConfig();
}
