using Infercost.Calibration;
using Infercost.Serving;

namespace Infercost.Requests;

/// <summary>What memory fit needs: devices, layout, precisions, batch and memory reserve.</summary>
public record DeploymentRequest : ModelGpuRequest
{
    private static readonly ServingConfig Defaults = new() { TotalDevices = 1 };

    /// <summary>Accepted range of <see cref="Gpus"/>.</summary>
    public static readonly WholeField GpusField = new("gpus", 1, 1_000_000);
    /// <summary>Accepted range of each parallel degree.</summary>
    public static readonly WholeField TpField = new("tp", 1, 1024), PpField = new("pp", 1, 1024), EpField = new("ep", 1, 1024), DpField = new("dp", 1, 1024);
    /// <summary>Accepted range of <see cref="Batch"/>.</summary>
    public static readonly WholeField BatchField = new("batch", 1, 1_000_000);
    /// <summary>Accepted range of <see cref="Reserve"/>.</summary>
    public static readonly NumberField ReserveField = new("reserve", 0, 0.9);

    /// <summary>Devices in the cluster; replicas = devices ÷ devices per replica. Required.</summary>
    public int? Gpus { get; init; }

    /// <summary>Tensor-parallel degree per replica. Any of tp/pp/ep/dp fixes the layout (the others default to 1); none lets the planner choose.</summary>
    public int? Tp { get; init; }

    /// <summary>Pipeline-parallel degree per replica.</summary>
    public int? Pp { get; init; }

    /// <summary>Expert-parallel degree (must divide tp × pp × dp).</summary>
    public int? Ep { get; init; }

    /// <summary>Attention data-parallel degree.</summary>
    public int? Dp { get; init; }

    /// <summary>Weight precision; default the model's published precision.</summary>
    public Precision? Weights { get; init; }

    /// <summary>Routed-expert weight precision; default <see cref="Weights"/>, else the model's.</summary>
    public Precision? ExpertWeights { get; init; }

    /// <summary>KV-cache precision; default bf16.</summary>
    public Precision? Kv { get; init; }

    /// <summary>Matrix-unit precision; default the weight precision where the device has a peak for it, else bf16.</summary>
    public Precision? Compute { get; init; }

    /// <summary>Block-scale layout of the fp4 weights, experts and KV cache (<c>nvfp4</c>, <c>mxfp4</c>; the CLI sets it
    /// from <c>--weights nvfp4</c> and the like); default the checkpoint's, else NVFP4 on NVIDIA and MXFP4 elsewhere.</summary>
    public Fp4Format? Fp4Format { get; init; }

    /// <summary>Concurrent sequences per replica; default the most that fit, capped at maxBatch.</summary>
    public int? Batch { get; init; }

    /// <summary>Fraction of device memory held back for activations, graphs and fragmentation; default 0.1.</summary>
    public double? Reserve { get; init; }

    /// <summary>Serving engine profile (<c>--engine</c>): trtllm (0.17), trtllm-0.14, trtllm-1, vllm or sglang; default
    /// vllm. Its scheduler defaults (max batch, token budget, KV memory) and runtime overhead apply where the request
    /// does not set them.</summary>
    public string? Engine { get; init; }

    /// <summary>The kernel that runs a MoE model's routed experts (<c>--moe-kernel</c>): trtllm-gen (Blackwell only),
    /// cutlass or triton; default the engine's for the experts' precision (docs/validation.md#moe-kernels).</summary>
    public string? MoeKernel { get; init; }

    /// <summary>The engine profile: the fitted <see cref="EngineProfile"/> when given, else the built-in one <see cref="Engine"/> names (vLLM when null).</summary>
    /// <exception cref="InvalidInputException">An unknown engine name.</exception>
    public ServingSoftware ResolveEngine()
    {
        var engine = ResolveEngineProfile();
        if (MoeKernel is null) return engine;
        var kernel = ParseMoeKernel(MoeKernel);
        return engine with { MoeKernel = kernel, MoeKernelFp4 = kernel, MoeKernelChosen = true };
    }

    /// <summary>Checks an engine name and a MoE kernel name given to a command that configures its replica as
    /// <c>cost</c> does (the economics commands); either may be null.</summary>
    /// <exception cref="InvalidInputException">An unknown name, naming <c>engine</c> or <c>moeKernel</c>.</exception>
    internal static void CheckEngineNames(string? engine, string? moeKernel)
    {
        if (engine is not null) ServingSoftware.Named(engine, "engine");
        if (moeKernel is not null) ParseMoeKernel(moeKernel);
    }

    /// <summary>The MoE kernel <paramref name="name"/> names (<c>moeKernel</c>: trtllm-gen, cutlass or triton).</summary>
    /// <exception cref="InvalidInputException">An unknown name, naming the field and the accepted names.</exception>
    internal static Kernels.MoeKernel ParseMoeKernel(string name) =>
        Kernels.MoeKernels.Parse(name)
        ?? throw RequestFields.Error("moeKernel", $"{{moeKernel}} must be one of {string.Join(", ", Kernels.MoeKernels.Names)}; was '{name}'.");

    private ServingSoftware ResolveEngineProfile()
    {
        if (EngineProfile is not { } fitted) return Engine is null ? ServingSoftware.Vllm : ServingSoftware.Named(Engine, "engine");
        var built = ServingSoftware.Named(fitted.Engine, "engineProfile");
        if (Engine is not null && ServingSoftware.Named(Engine, "engine").Id != built.Id)
        {
            throw RequestFields.Error("engine",
                $"{{engine}} {Engine} differs from the engine the {{engineProfile}} was fitted on ({fitted.Engine}); drop one of them.");
        }

        return fitted.BaseEngine();
    }

    /// <summary>An engine profile fitted to the user's own deployment (<c>--engine-profile FILE</c>, written by
    /// <c>calibrate deployment</c>): its base engine, host time per step and MBU replace the built-in profile's; explicit
    /// efficiency options still win.</summary>
    public DeploymentProfile? EngineProfile { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        ResolveEngine();
        EngineProfile?.Validated("engineProfile");
        GpusField.Required(Gpus);
        TpField.Check(Tp);
        PpField.Check(Pp);
        EpField.Check(Ep);
        DpField.Check(Dp);
        if (Ep is { } ep) CheckExpertParallel(ep);
        BatchField.Check(Batch);
        ReserveField.Check(Reserve);
    }

    // Expert parallelism re-partitions the replica's own devices (Parallelism: tensor × pipeline × attention-data), so
    // its degree must divide their count. Checked here, where the flags are known, so the refusal names them and the
    // product the user's values (or their defaults of 1) make, rather than the core's "expertParallel must be in [1, 1]".
    private void CheckExpertParallel(int ep)
    {
        var (tp, pp, dp) = (Tp ?? 1, Pp ?? 1, Dp ?? 1);
        var devices = (long)tp * pp * dp;
        if (devices % ep == 0) return;
        var divisors = Enumerable.Range(1, (int)Math.Min(devices, 1024)).Where(d => devices % d == 0).ToList();
        var accepted = divisors.Count <= 16 ? string.Join(", ", divisors) : $"{string.Join(", ", divisors.Take(8))}, … {divisors[^1]}";
        throw RequestFields.Error("ep",
            $"{{ep}} {ep} must divide one replica's GPUs, {{tp}} × {{pp}} × {{dp}} = {tp} × {pp} × {dp} = {devices} (a flag not given is 1): expert " +
            $"parallelism spreads the routed experts over the replica's own GPUs, so {{ep}} can be {accepted} here. For {{ep}} {ep}, raise {{dp}} " +
            $"(or {{tp}}) so that {{tp}} × {{pp}} × {{dp}} is a multiple of {ep}.");
    }

    /// <summary>The layout the request fixes, or null to let the planner choose.</summary>
    public Parallelism? Layout() =>
        Tp is null && Pp is null && Ep is null && Dp is null ? null : new Parallelism(Tp ?? 1, Pp ?? 1, Ep ?? 1, Dp ?? 1);

    /// <summary>The serving configuration the fields describe (validated by the core where it is used).</summary>
    public virtual ServingConfig ToConfig()
    {
        var engine = ResolveEngine();
        return new()
        {
        TotalDevices = Gpus ?? 0,
        Parallelism = Layout(),
        WeightPrecision = Weights,
        ExpertWeightPrecision = ExpertWeights,
        KvPrecision = Kv ?? Defaults.KvPrecision,
        ComputePrecision = Compute,
        Fp4Format = Fp4Format,
        Batch = Batch,
        // A reserve the user gives is a share of capacity (the option's meaning); the engine's own is of its basis.
        MemoryReserveFraction = Reserve ?? engine.MemoryReserveFraction,
        MemoryReserveBasis = Reserve is null ? engine.ReserveBasis : MemoryReserveBasis.Capacity,
        HonourSlidingWindow = engine.HonoursSlidingWindow,
        MaxBatch = engine.MaxBatch,
        PrefillChunkTokens = engine.TokenBudget,
        Efficiency = EngineProfile is { } fitted ? fitted.Over(engine.Over(EfficiencyFactors.Default)) : engine.Over(EfficiencyFactors.Default),
        Engine = engine,
        };
    }
}
