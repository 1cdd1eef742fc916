using Infercost.Costing;
using Infercost.Economics.Prices;
using Infercost.Economics.Workloads;

namespace Infercost.Requests;

/// <summary>A workload priced on one sheet.</summary>
/// <param name="Cost">Cost with the levers applied.</param>
/// <param name="Savings">What each lever saves.</param>
public sealed record WorkloadPricing(WorkloadCost Cost, WorkloadSavings Savings);

/// <summary>What <c>workload</c> priced (the document its <c>--json</c> prints).</summary>
/// <param name="Workload">The workload, its request types and assumptions.</param>
/// <param name="Pricings">One entry per price sheet (API model, self-hosted cluster).</param>
/// <param name="SelfHostCost">The engine's cost estimate when self-hosted.</param>
/// <param name="SelfHostNotes">The engine's notes when self-hosted.</param>
public sealed record WorkloadReport(Workload Workload, IReadOnlyList<WorkloadPricing> Pricings, CostEstimate? SelfHostCost, IReadOnlyList<string>? SelfHostNotes)
{
    /// <summary>When the self-hosted cluster speculates: plain against speculative decoding at the batch the engine ran
    /// the workload's mean request at (the speed-up its output price reflects); null otherwise.</summary>
    public Speculation.SpeculationSummary? SelfHostSpeculation { get; init; }

    /// <summary>Sequences per replica the engine decoded the self-hosted cluster's mean request at; null without a cluster.</summary>
    public int? SelfHostBatch { get; init; }

    /// <summary>The self-hosted cost's P10–P90 from the engine's calibrated throughput band; null without a cluster.</summary>
    public SelfHostBands? SelfHostBands { get; init; }
}

/// <summary>A self-hosted workload's cost at the ends of the engine's calibrated throughput band r ∈ [P10, P90]: an engine
/// that runs r times as fast costs c ÷ r, so P10 of the cost is c ÷ r₉₀ and P90 is c ÷ r₁₀ (the rates scale together,
/// and a workload's cost is linear in them). Utilisation and price are the user's inputs, not the model's error.</summary>
/// <param name="Speed">The band (actual ÷ predicted throughput at P10 and P90) and its evidence.</param>
/// <param name="PerDay">Cost per day, dollars.</param>
/// <param name="PerMonth">Cost per month, dollars.</param>
/// <param name="BlendedPerMillion">$ per million tokens moved.</param>
public sealed record SelfHostBands(Calibration.PredictionBand Speed, Calibration.Banded PerDay, Calibration.Banded PerMonth, Calibration.Banded BlendedPerMillion)
{
    /// <summary>The bands of <paramref name="cost"/> for an engine uncertain by <paramref name="speed"/>.</summary>
    public static SelfHostBands Of(WorkloadCost cost, Calibration.PredictionBand speed)
    {
        ArgumentNullException.ThrowIfNull(cost);
        ArgumentNullException.ThrowIfNull(speed);
        var inverse = speed.Inverse();
        return new SelfHostBands(speed, Calibration.Banded.Of(cost.PerDay.Value, inverse), Calibration.Banded.Of(cost.PerMonth.Value, inverse),
            Calibration.Banded.Of(cost.BlendedPerMillion.Value, inverse));
    }
}

/// <summary>The <c>workload</c> question: a workload's cost per request, day and month on an API model
/// (<see cref="Model"/>) and/or a self-hosted cluster (<see cref="SelfHost"/> with <see cref="ServeModel"/>), and what
/// each lever saves.</summary>
public sealed record WorkloadRequest : SelfHostedRequest
{
    /// <summary>API model id to price the workload on.</summary>
    public string? Model { get; init; }

    /// <summary>Also price the workload on a self-hosted cluster.</summary>
    public bool SelfHost { get; init; }

    /// <summary>Engine model id to self-host.</summary>
    public string? ServeModel { get; init; }

    /// <inheritdoc />
    protected override void ValidateQuestion()
    {
        if (!SelfHost && FirstSelfHostField("serveModel", ServeModel) is { } stray)
        {
            throw RequestFields.Error(stray, $"{{{stray}}} applies to a self-hosted cluster; add {{selfHost}}.");
        }

        if (!SelfHost && FirstSpeculationField() is { } spec)
        {
            throw RequestFields.Error(spec, $"{{{spec}}} applies to a self-hosted cluster's decoding; add {{selfHost}}.");
        }

        if (!SelfHost && Model is null)
        {
            throw RequestFields.Error("model", "give {model} ID to price an API model, or {selfHost} with {serveModel}, {gpu} and {gpus}.");
        }
    }

    /// <summary>Validates and answers from the embedded catalogs.</summary>
    public WorkloadReport Answer(Catalog.Catalog catalog) => Answer(catalog, PriceCatalog.Embedded);

    /// <summary>Validates and answers: list prices from <paramref name="prices"/>, the engine's model and accelerator
    /// from <paramref name="catalog"/>.</summary>
    /// <exception cref="InvalidInputException">A field out of range, an unknown id or price model.</exception>
    public WorkloadReport Answer(Catalog.Catalog catalog, PriceCatalog prices)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(prices);
        Validate();
        var w = Workload();
        var levers = Levers();
        var sheets = new List<PriceSheet>();
        SelfHostedQuote? quote = null;
        if (Model is { } id) sheets.Add(PriceSheet.FromApi(prices.Get(id, On)));
        if (SelfHost)
        {
            quote = Quote(catalog, "serveModel", ServeModel, w, levers);
            sheets.Add(quote.Prices);
        }

        var results = sheets.Select(s => new WorkloadPricing(WorkloadCosting.Cost(w, s, levers), WorkloadCosting.Savings(w, s, levers))).ToList();
        return new WorkloadReport(w, results, quote?.Cost, quote?.Serving.Notes)
        {
            SelfHostSpeculation = quote?.Serving.Speculation,
            SelfHostBatch = quote?.Serving.Decode.Batch,
            // The self-hosted sheet is the last priced; its cost is as uncertain as the engine's throughput.
            SelfHostBands = quote is null ? null : SelfHostBands.Of(results[^1].Cost, quote.Serving.ThroughputBand),
        };
    }
}
