using Infercost.Costing;
using Infercost.Economics.Workloads;
using Infercost.Quantities;

namespace Infercost.Requests;

// workload and breakeven price the same self-hosted cluster, so its fields, speculation included, are declared once
// here; margin (not a workload question) shares the quote through QuoteCluster and the speculation logic through
// SpeculationFields.

/// <summary>A workload question that can price a self-hosted cluster: the engine model (named by the subclass's
/// field), <c>gpu</c>, <c>gpus</c>, <c>gpuPrice</c>, <c>utilisation</c>, <c>cachedPrefill</c> and the speculative
/// decoding the cluster runs (<c>specMethod</c>, <c>specLength</c>, <c>specAcceptance</c>, <c>draftModel</c>,
/// <c>specTree</c>, <c>specTopk</c>, <c>specTreeNodes</c>).</summary>
public abstract record SelfHostedRequest : WorkloadQuestionRequest, ISpeculationFields
{
    /// <summary>Accepted ranges.</summary>
    public static readonly NumberField GpuPriceField = new("gpuPrice", 0, 10_000), UtilisationField = new("utilisation", 0.01, 1),
        CachedPrefillField = new("cachedPrefill", 0, 1);

    /// <summary>Accepted range of <see cref="Gpus"/>.</summary>
    public static readonly WholeField GpusField = new("gpus", 1, 1_000_000);

    /// <summary>Accelerator id of the self-hosted cluster.</summary>
    public string? Gpu { get; init; }

    /// <summary>Devices in the cluster.</summary>
    public int? Gpus { get; init; }

    /// <summary>Rental price per GPU-hour; default the catalog's typical price.</summary>
    public double? GpuPrice { get; init; }

    /// <summary>Fraction of paid hours the cluster does useful work; default 1.</summary>
    public double? Utilisation { get; init; }

    /// <summary>Cost of a cached prompt token as a fraction of a prefilled one (0, the default: a prefix-cache hit skips prefill).</summary>
    public double? CachedPrefill { get; init; }

    /// <summary>Serving engine profile of the cluster (vllm, the default, sglang, trtllm, trtllm-0.14 or trtllm-1): its
    /// scheduler defaults and runtime, as <c>cost --engine</c> applies them (<see cref="DeploymentRequest.Engine"/>).</summary>
    public string? Engine { get; init; }

    /// <summary>The kernel that runs a MoE model's routed experts (trtllm-gen, cutlass or triton), as <c>cost --moe-kernel</c>
    /// applies it (<see cref="DeploymentRequest.MoeKernel"/>); default the engine's.</summary>
    public string? MoeKernel { get; init; }

    /// <summary>Speculative decoding on the self-hosted cluster: mtp, draft, medusa or eagle (see
    /// <see cref="ServingRequest.SpecMethod"/>); null decodes one token per step unless <see cref="DraftModel"/> is given.</summary>
    public string? SpecMethod { get; init; }

    /// <summary>Draft tokens per step (k), in [1, 16]; default 1 when speculating.</summary>
    public int? SpecLength { get; init; }

    /// <summary>Per-position acceptance rates (the last repeats to k); default <see cref="ServingRequest.DefaultAcceptance"/>.</summary>
    public IReadOnlyList<double>? SpecAcceptance { get; init; }

    /// <summary>Catalog id of the draft model (with <see cref="SpecMethod"/> draft).</summary>
    public string? DraftModel { get; init; }

    /// <summary>A token tree, nodes per depth (see <see cref="ServingRequest.SpecTree"/>).</summary>
    public IReadOnlyList<int>? SpecTree { get; init; }

    /// <summary>Per-depth top-k accuracies instead of the acceptance (see <see cref="ServingRequest.SpecTopk"/>).</summary>
    public IReadOnlyList<IReadOnlyList<double>>? SpecTopk { get; init; }

    /// <summary>With <see cref="SpecTopk"/>: the best tree of this many nodes (see <see cref="ServingRequest.SpecTreeNodes"/>).</summary>
    public int? SpecTreeNodes { get; init; }

    /// <inheritdoc />
    public sealed override void Validate()
    {
        base.Validate();
        GpusField.Check(Gpus);
        GpuPriceField.Check(GpuPrice);
        UtilisationField.Check(Utilisation);
        CachedPrefillField.Check(CachedPrefill);
        DeploymentRequest.CheckEngineNames(Engine, MoeKernel);
        ValidateQuestion();
        SpeculationFields.AsServingRequest(this).ValidateSpeculation();
    }

    /// <summary>The question's own checks, after the cluster's ranges and before the speculation's (so a field that
    /// does not apply is refused as such before its value is judged).</summary>
    /// <exception cref="InvalidInputException">Names the field, the accepted range and the value given.</exception>
    protected abstract void ValidateQuestion();

    /// <summary>The self-host field first given (engine model, gpu, gpus, gpuPrice, utilisation, cachedPrefill), or null.</summary>
    protected string? FirstSelfHostField(string modelField, string? modelId) =>
        modelId is not null ? modelField : Gpu is not null ? "gpu" : Gpus is not null ? "gpus" : GpuPrice is not null ? "gpuPrice"
        : Utilisation is not null ? "utilisation" : CachedPrefill is not null ? "cachedPrefill" : Engine is not null ? "engine"
        : MoeKernel is not null ? "moeKernel" : null;

    /// <summary>The speculation field first given (see <see cref="SpeculationFields.FirstGiven"/>), or null.</summary>
    protected string? FirstSpeculationField() => SpeculationFields.FirstGiven(this);

    /// <summary>The engine's quote for the cluster, sized to <paramref name="workload"/>'s mean request; when the request
    /// speculates, decode speculates, resolved and checked against the served model on the same path as <c>cost</c>'s.</summary>
    /// <exception cref="InvalidInputException">The engine model, gpu or gpus missing; an unknown id; a speculation the
    /// model cannot run.</exception>
    protected SelfHostedQuote Quote(Catalog.Catalog catalog, string modelField, string? modelId, Workload workload, WorkloadLevers levers)
    {
        if (modelId is null) throw Missing(modelField);
        if (Gpu is null) throw Missing("gpu");
        if (Gpus is null) throw Missing("gpus");
        return QuoteCluster(catalog, modelId, Gpu, Gpus.Value, GpuPrice, Utilisation ?? 1, CachedPrefill ?? 0, Engine, MoeKernel, workload, levers, this);
    }

    /// <summary>The engine's quote for <paramref name="gpus"/> × <paramref name="gpu"/> serving <paramref name="modelId"/>
    /// at <paramref name="workload"/>'s mean request (<see cref="SelfHostedPricing.RequestShape"/>), rented at
    /// <paramref name="gpuPrice"/> $/GPU-h (null: the catalog's typical price), on <paramref name="engine"/>'s profile with
    /// <paramref name="moeKernel"/> running the experts (null: the engine's kernel), with <paramref name="speculation"/>'s
    /// decoding resolved in <paramref name="catalog"/> and checked against the model (<see cref="ServingRequest.ResolveSpeculation"/>):
    /// the one place workload, breakeven and margin build a cluster's quote.</summary>
    /// <exception cref="InvalidInputException">An unknown id; a speculation the model cannot run.</exception>
    internal static SelfHostedQuote QuoteCluster(Catalog.Catalog catalog, string modelId, string gpu, int gpus, double? gpuPrice, double utilisation,
        double cachedPrefill, string? engine, string? moeKernel, Workload workload, WorkloadLevers levers, ISpeculationFields speculation)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var model = catalog.GetModel(modelId);
        var accelerator = catalog.GetAccelerator(gpu);
        var (input, output) = SelfHostedPricing.RequestShape(workload, levers, model);
        // The cluster is configured as cost's request would configure it: the engine's scheduler defaults and runtime.
        var serving = SpeculationFields.AsServingRequest(speculation) with { Gpus = gpus, Input = input, Output = output, Engine = engine, MoeKernel = moeKernel };
        var config = serving.ToConfig(new Subject(catalog, model, accelerator));
        var basis = new RentalCost(gpuPrice is { } p ? DollarsPerHour.FromDollarsPerHour(p) : null);
        return SelfHostedPricing.Quote(model, accelerator, config, basis, utilisation, cachedPrefill);
    }

    /// <summary>The error for a cluster field the question needs and was not given.</summary>
    internal static InvalidInputException Missing(string field) =>
        RequestFields.Error(field, $"{{{field}}} is required for a self-hosted cluster (with the model, {{gpu}} and {{gpus}}).");
}
