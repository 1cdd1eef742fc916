using Infercost.Economics.BreakEven;
using Infercost.Economics.Prices;
using Infercost.Economics.Workloads;

namespace Infercost.Requests;

/// <summary>The <c>breakeven</c> question: the daily volume and utilisation at which a self-hosted cluster
/// (<see cref="Model"/> on <see cref="SelfHostedRequest.Gpus"/> × <see cref="SelfHostedRequest.Gpu"/>) beats the list
/// price of <see cref="ApiModel"/> for a workload; with the speculation fields, the cluster decodes speculatively (its
/// output $/MTok and capacity are the speculative ones).</summary>
public sealed record BreakEvenRequest : SelfHostedRequest
{
    /// <summary>Accepted range of <see cref="MaxUtilisation"/>.</summary>
    public static readonly NumberField MaxUtilisationField = new("maxUtilisation", 0.01, 1);

    /// <summary>API model to compare against (required).</summary>
    public string? ApiModel { get; init; }

    /// <summary>Engine model id to self-host (required).</summary>
    public string? Model { get; init; }

    /// <summary>The busiest a cluster is run before another is added (headroom for peaks).</summary>
    public double MaxUtilisation { get; init; } = 1;

    /// <inheritdoc />
    protected override void ValidateQuestion()
    {
        if (string.IsNullOrWhiteSpace(ApiModel)) throw new InvalidInputException("apiModel", "apiModel is required: the API model to compare against (see 'infercost prices').");
        MaxUtilisationField.Check(MaxUtilisation);
    }

    /// <summary>Validates and answers from the embedded catalogs.</summary>
    public BreakEvenResult Answer(Catalog.Catalog catalog) => Analyse(catalog, PriceCatalog.Embedded).Result;

    /// <summary>Validates and answers.</summary>
    public BreakEvenResult Answer(Catalog.Catalog catalog, PriceCatalog prices) => Analyse(catalog, prices).Result;

    /// <summary>Validates and answers, with the engine's quote the cluster was sized from (its notes are printed under the table).</summary>
    /// <exception cref="InvalidInputException">A field out of range, an unknown id or price model.</exception>
    public (BreakEvenResult Result, SelfHostedQuote Quote) Analyse(Catalog.Catalog catalog, PriceCatalog prices)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(prices);
        Validate();
        var w = Workload();
        var levers = Levers();
        var api = PriceSheet.FromApi(prices.Get(ApiModel!, On));
        var quote = Quote(catalog, "model", Model, w, levers);
        var deployment = SelfHostDeployment.FromQuote(quote, MaxUtilisation);
        // The engine's cost per request is as uncertain as its throughput: the analysis again with the rates ÷ each ratio.
        var speed = quote.Serving.ThroughputBand;
        BreakEvenEnd At(double r) => BreakEvenEnd.Of(r, BreakEvenAnalysis.Analyse(w, api, deployment with { RatesAtFullUse = deployment.RatesAtFullUse.Scaled(1 / r) }, levers));
        var result = BreakEvenAnalysis.Analyse(w, api, deployment, levers) with
        {
            SelfHostSpeculation = quote.Serving.Speculation,
            SelfHostBatch = quote.Serving.Decode.Batch,
            Bands = new BreakEvenBands(speed, At(speed.Low), At(speed.High)),
        };
        return (result, quote);
    }
}
