using Infercost.Costing;
using Infercost.Economics.Workloads;
using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Requests;

/// <summary>A workload question that can price a self-hosted cluster: the engine model (named by the subclass's
/// field), <c>gpu</c>, <c>gpus</c>, <c>gpuPrice</c>, <c>utilisation</c> and <c>cachedPrefill</c>.</summary>
public abstract record SelfHostedRequest : WorkloadQuestionRequest
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

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        GpusField.Check(Gpus);
        GpuPriceField.Check(GpuPrice);
        UtilisationField.Check(Utilisation);
        CachedPrefillField.Check(CachedPrefill);
    }

    /// <summary>The self-host field first given (engine model, gpu, gpus, gpuPrice, utilisation, cachedPrefill), or null.</summary>
    protected string? FirstSelfHostField(string modelField, string? modelId) =>
        modelId is not null ? modelField : Gpu is not null ? "gpu" : Gpus is not null ? "gpus" : GpuPrice is not null ? "gpuPrice"
        : Utilisation is not null ? "utilisation" : CachedPrefill is not null ? "cachedPrefill" : null;

    /// <summary>The engine's quote for the cluster, sized to <paramref name="workload"/>'s mean request; with
    /// <paramref name="speculation"/> (a serving request carrying only the speculation fields), decode speculates, resolved
    /// and checked against the served model on the same path as <c>cost</c>'s.</summary>
    /// <exception cref="InvalidInputException">The engine model, gpu or gpus missing; an unknown id; a speculation the
    /// model cannot run.</exception>
    protected SelfHostedQuote Quote(Catalog.Catalog catalog, string modelField, string? modelId, Workload workload, WorkloadLevers levers,
        ServingRequest? speculation = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (modelId is null) throw Missing(modelField);
        if (Gpu is null) throw Missing("gpu");
        if (Gpus is null) throw Missing("gpus");
        var model = catalog.GetModel(modelId);
        var accelerator = catalog.GetAccelerator(Gpu);
        var (input, output) = SelfHostedPricing.RequestShape(workload, levers, model);
        var config = new ServingConfig
        {
            TotalDevices = Gpus.Value, InputTokens = input, OutputTokens = output,
            Speculation = speculation?.ResolveSpeculation(new Subject(catalog, model, accelerator)),
        };
        var basis = new RentalCost(GpuPrice is { } p ? DollarsPerHour.FromDollarsPerHour(p) : null);
        return SelfHostedPricing.Quote(model, accelerator, config, basis, Utilisation ?? 1, CachedPrefill ?? 0);
    }

    private static InvalidInputException Missing(string field) =>
        RequestFields.Error(field, $"{{{field}}} is required for a self-hosted cluster (with the model, {{gpu}} and {{gpus}}).");
}
