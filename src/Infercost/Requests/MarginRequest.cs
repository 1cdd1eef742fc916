using Infercost.Economics.Margins;
using Infercost.Economics.Prices;
using Infercost.Economics.Workloads;
using Infercost.Quantities;

namespace Infercost.Requests;

/// <summary>The <c>margin</c> question: gross margin of an API list price over a true cost, given
/// (<see cref="CostIn"/>/<see cref="CostOut"/>) or estimated by the engine for a self-hosted cluster
/// (<see cref="Model"/>, <see cref="Gpu"/>, <see cref="Gpus"/>, decoding speculatively with the speculation fields), with
/// a cost × utilisation sensitivity grid.</summary>
public sealed record MarginRequest : ISpeculationFields
{
    /// <summary>Accepted ranges.</summary>
    public static readonly NumberField CostInField = new("costIn", 0, 100_000), CostOutField = new("costOut", 0, 100_000),
        GpuPriceField = new("gpuPrice", 0, 10_000), UtilisationField = new("utilisation", 0.01, 1), CachedPrefillField = new("cachedPrefill", 0, 1);

    /// <summary>Accepted range of <see cref="Gpus"/>.</summary>
    public static readonly WholeField GpusField = new("gpus", 1, 1_000_000);

    /// <summary>API model whose list price is the revenue (required).</summary>
    public string? PriceModel { get; init; }

    /// <summary>True cost per million input tokens (instead of the engine).</summary>
    public double? CostIn { get; init; }

    /// <summary>True cost per million output tokens (instead of the engine).</summary>
    public double? CostOut { get; init; }

    /// <summary>Engine model id to self-host.</summary>
    public string? Model { get; init; }

    /// <summary>Accelerator id of the self-hosted cluster.</summary>
    public string? Gpu { get; init; }

    /// <summary>Devices in the self-hosted cluster.</summary>
    public int? Gpus { get; init; }

    /// <summary>Rental price per GPU-hour; default the catalog's typical price.</summary>
    public double? GpuPrice { get; init; }

    /// <summary>Fraction of paid hours the cluster does useful work.</summary>
    public double Utilisation { get; init; } = 1;

    /// <summary>Cost of a cached prompt token as a fraction of a prefilled one.</summary>
    public double CachedPrefill { get; init; }

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

    /// <summary>Serving engine profile of the self-hosted cluster (vllm, the default, sglang, trtllm, trtllm-0.14 or
    /// trtllm-1), as <c>cost --engine</c> applies it.</summary>
    public string? Engine { get; init; }

    /// <summary>The kernel that runs a MoE model's routed experts (trtllm-gen, cutlass or triton), as <c>cost --moe-kernel</c>
    /// applies it (<see cref="DeploymentRequest.MoeKernel"/>); default the engine's.</summary>
    public string? MoeKernel { get; init; }

    /// <summary>Workload for the blended margin (chat, coding-agent, rag, …); null for input and output margins only.</summary>
    public string? Profile { get; init; }

    /// <summary>Read the list price as it was on this date.</summary>
    public DateOnly? On { get; init; }

    /// <summary>Checks every field's range and the combinations of fields; the first problem is thrown.</summary>
    /// <exception cref="InvalidInputException">Names the field, the accepted range and the value given.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(PriceModel)) throw RequestFields.Error("priceModel", "priceModel is required: the API model whose list price is the revenue (see 'infercost prices').");
        CostInField.Check(CostIn);
        CostOutField.Check(CostOut);
        GpusField.Check(Gpus);
        GpuPriceField.Check(GpuPrice);
        UtilisationField.Check(Utilisation);
        CachedPrefillField.Check(CachedPrefill);
        DeploymentRequest.CheckEngineNames(Engine, MoeKernel);
        if (Profile is not null) WorkloadProfiles.Get(Profile);
        var selfHost = FirstSelfHostField;
        if (CostIn is not null && CostOut is not null)
        {
            if (selfHost is not null) throw RequestFields.Error(selfHost, $"give either {{costIn}}/{{costOut}} or the engine's cluster ({{{selfHost}}}), not both.");
        }
        else if (CostIn is not null || CostOut is not null)
        {
            throw RequestFields.Error("costIn", "give both {costIn} and {costOut}.");
        }
        else if (selfHost is null)
        {
            throw RequestFields.Error("costIn", "give the true cost: {costIn} X {costOut} Y, or a cluster with {model}, {gpu} and {gpus}.");
        }
        else
        {
            if (Model is null) throw SelfHostedRequest.Missing("model");
            if (Gpu is null) throw SelfHostedRequest.Missing("gpu");
            if (Gpus is null) throw SelfHostedRequest.Missing("gpus");
        }

        SpeculationFields.AsServingRequest(this).ValidateSpeculation();
    }

    // A speculation field describes the engine's cluster, so with costIn/costOut it is refused as the cluster's fields are.
    private string? FirstSelfHostField =>
        Model is not null ? "model" : Gpu is not null ? "gpu" : Gpus is not null ? "gpus" : GpuPrice is not null ? "gpuPrice"
        : Engine is not null ? "engine" : MoeKernel is not null ? "moeKernel" : SpeculationFields.FirstGiven(this);

    /// <summary>Validates and answers from the embedded catalogs.</summary>
    public MarginReport Answer(Catalog.Catalog catalog) => Answer(catalog, PriceCatalog.Embedded);

    /// <summary>Validates and answers; the report's notes name fields through <paramref name="name"/> (the CLI says
    /// <c>--profile</c>, the server <c>profile</c>).</summary>
    public MarginReport Answer(Catalog.Catalog catalog, PriceCatalog prices, Func<string, string> name)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(name);
        Validate();
        return Compute(catalog, prices, name);
    }

    /// <summary>Validates and answers: the list price from <paramref name="prices"/>, the engine's model and
    /// accelerator from <paramref name="catalog"/>.</summary>
    /// <exception cref="InvalidInputException">A field out of range, an unknown id or price model.</exception>
    public MarginReport Answer(Catalog.Catalog catalog, PriceCatalog prices) => Answer(catalog, prices, f => f);

    private MarginReport Compute(Catalog.Catalog catalog, PriceCatalog prices, Func<string, string> name)
    {
        var price = PriceSheet.FromApi(prices.Get(PriceModel!, On));
        var workload = Profile is { } p ? WorkloadProfiles.Get(p) : null;
        PriceSheet cost;
        double utilisation = 1;
        var assumed = new List<string>();
        SelfHostedQuote? quote = null;
        if (CostIn is { } ci && CostOut is { } co)
        {
            cost = PriceSheet.Flat("given cost", DollarsPerMillionTokens.FromDollarsPerMillionTokens(ci), DollarsPerMillionTokens.FromDollarsPerMillionTokens(co));
        }
        else
        {
            quote = SelfHostedRequest.QuoteCluster(catalog, Model!, Gpu!, Gpus!.Value, GpuPrice, Utilisation, CachedPrefill, Engine, MoeKernel,
                workload ?? WorkloadProfiles.Chat, WorkloadLevers.None, this);
            cost = quote.Prices;
            utilisation = quote.Cost.Utilisation;
            if (workload is null)
            {
                assumed.Add($"No {{profile}}: the engine priced the chat profile's mean request ({quote.Serving.InputTokens.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} input, " +
                    $"{quote.Serving.OutputTokens.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} output tokens); give {{profile}} {string.Join("|", WorkloadProfiles.All.Select(w => w.Id))} for another shape.");
            }
        }

        var report = MarginCalculator.Compute(price, cost, utilisation, workload) with
        {
            Assumed = [.. assumed.Select(a => RequestFields.Render(a, name))],
            SelfHostSpeculation = quote?.Serving.Speculation,
            SelfHostBatch = quote?.Serving.Decode.Batch,
        };
        // The engine's cost is as uncertain as its throughput: the margins at the calibrated band's ends.
        return quote is null ? report : report with { Extrapolating = quote.Serving.Extrapolating, Bands = MarginBands.Of(report, quote.Serving.ThroughputBand) };
    }
}
