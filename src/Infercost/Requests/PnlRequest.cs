using Infercost.Datacenter;
using Infercost.Economics.ProviderPnl;
using Infercost.Quantities;

namespace Infercost.Requests;

/// <summary>The <c>pnl</c> question: an inference provider's revenue, GPU cost and margins for a period, from a built-in
/// disclosure (<see cref="Scenario"/>) or the figures given, with training optionally amortised (a given
/// <see cref="TrainingCost"/>, or the 6·N·D estimate of a run described by the <c>train…</c> fields).</summary>
public sealed record PnlRequest : ITrainingRunFields
{
    /// <summary>Accepted ranges.</summary>
    public static readonly NumberField GpusField = new("gpus", 1e-3, 1e8), GpuPriceField = new("gpuPrice", 0, 10_000), HoursField = new("hours", 1.0 / 3600, 8784),
        InputTokensField = new("inputTokens", 0, 1e18), CachedTokensField = new("cachedTokens", 0, 1e18),
        OutputTokensField = new("outputTokens", 0, 1e18), PriceInField = NumberField.Positive("priceIn", 100_000), PriceCachedField = NumberField.Positive("priceCached", 100_000),
        PriceOutField = NumberField.Positive("priceOut", 100_000), PrefillPerNodeField = NumberField.Positive("prefillPerNode", 1e9), DecodePerNodeField = NumberField.Positive("decodePerNode", 1e9),
        TrainingCostField = new("trainingCost", 0, 1e13), AmortiseYearsField = new("amortiseYears", 0.1, 20),
        TrainingTokensPerDayField = NumberField.Positive("trainingTokensPerDay", 1e18), TrainParamsField = new("trainParams", 1e6, 1e14),
        TrainTokensField = new("trainTokens", 1e6, 1e16), TrainMfuField = new("trainMfu", 1e-4, 1), TrainGpuPriceField = new("trainGpuPrice", 0, 10_000),
        TrainGpusField = new("trainGpus", 1, 1e8);

    /// <summary>Accepted range of <see cref="GpusPerNode"/>.</summary>
    public static readonly WholeField GpusPerNodeField = new("gpusPerNode", 1, 1024);

    /// <summary>A built-in scenario (deepseek-day6); null to give the figures.</summary>
    public string? Scenario { get; init; }

    /// <summary>GPUs in service on average over the period.</summary>
    public double? Gpus { get; init; }

    /// <summary>GPUs per node; default 8.</summary>
    public int? GpusPerNode { get; init; }

    /// <summary>Cost per GPU-hour.</summary>
    public double? GpuPrice { get; init; }

    /// <summary>Length of the period in hours; default 24.</summary>
    public double? Hours { get; init; }

    /// <summary>Input tokens served in the period, cache hits included.</summary>
    public double? InputTokens { get; init; }

    /// <summary>Of the input tokens, those that hit the prompt cache; default 0.</summary>
    public double? CachedTokens { get; init; }

    /// <summary>Output tokens served in the period.</summary>
    public double? OutputTokens { get; init; }

    /// <summary>List price per million uncached input tokens.</summary>
    public double? PriceIn { get; init; }

    /// <summary>List price per million cached input tokens; default <see cref="PriceIn"/>.</summary>
    public double? PriceCached { get; init; }

    /// <summary>List price per million output tokens.</summary>
    public double? PriceOut { get; init; }

    /// <summary>Input tokens/s one node sustains while prefilling.</summary>
    public double? PrefillPerNode { get; init; }

    /// <summary>Output tokens/s one node sustains while decoding.</summary>
    public double? DecodePerNode { get; init; }

    /// <summary>Lab view: what training the served model cost.</summary>
    public double? TrainingCost { get; init; }

    /// <summary>Lab view: years over which training is written off; default 1.</summary>
    public double? AmortiseYears { get; init; }

    /// <summary>Lab view: tokens served per day over those years; default this period's rate.</summary>
    public double? TrainingTokensPerDay { get; init; }

    /// <summary>Training run: parameters each token multiplies through.</summary>
    public double? TrainParams { get; init; }

    /// <summary>Training run: training tokens.</summary>
    public double? TrainTokens { get; init; }

    /// <summary>Training run: accelerator id; default nvidia-h100-sxm.</summary>
    public string? TrainGpu { get; init; }

    /// <summary>Training run: precision whose dense peak the MFU is measured against; default bf16.</summary>
    public Precision? TrainPrecision { get; init; }

    /// <summary>Training run: model FLOPs utilisation; default 0.4.</summary>
    public double? TrainMfu { get; init; }

    /// <summary>Training run: cost of an accelerator-hour; default the catalog's rental price.</summary>
    public double? TrainGpuPrice { get; init; }

    /// <summary>Training run: accelerators, for the wall-clock time.</summary>
    public double? TrainGpus { get; init; }

    /// <summary>Checks every field and the combinations of fields; the first problem is thrown.</summary>
    /// <exception cref="InvalidInputException">Names the field, the accepted range and the value given.</exception>
    public void Validate()
    {
        GpusField.Check(Gpus);
        GpusPerNodeField.Check(GpusPerNode);
        GpuPriceField.Check(GpuPrice);
        HoursField.Check(Hours);
        InputTokensField.Check(InputTokens);
        CachedTokensField.Check(CachedTokens);
        OutputTokensField.Check(OutputTokens);
        PriceInField.Check(PriceIn);
        PriceCachedField.Check(PriceCached);
        PriceOutField.Check(PriceOut);
        PrefillPerNodeField.Check(PrefillPerNode);
        DecodePerNodeField.Check(DecodePerNode);
        TrainingCostField.Check(TrainingCost);
        AmortiseYearsField.Check(AmortiseYears);
        TrainingTokensPerDayField.Check(TrainingTokensPerDay);
        TrainingRunFields.Check(this);
        if (Scenario is { } id)
        {
            ProviderScenarios.Get(id);
            if (FirstFigure is { } extra)
                throw RequestFields.Error(extra, $"{{{extra}}} cannot change the built-in scenario {id.Replace("{", "", StringComparison.Ordinal)}; omit the scenario to give every figure yourself.");
        }
        else
        {
            foreach (var (field, value) in new (string, double?)[] { ("priceIn", PriceIn), ("gpus", Gpus), ("gpuPrice", GpuPrice), ("inputTokens", InputTokens), ("outputTokens", OutputTokens), ("priceOut", PriceOut) })
            {
                if (value is null) throw RequestFields.Error(field, $"{{{field}}} is required without a scenario (or name one: {string.Join(", ", ProviderScenarios.All.Select(s => s.Name))}).");
            }
        }

        if (FirstTrainingRunField is { } run)
        {
            if (TrainingCost is not null) throw RequestFields.Error("trainingCost", $"{{trainingCost}} and {{{run}}} both give the training bill; keep one.");
            if (TrainParams is null) throw RequestFields.Error("trainParams", "{trainParams} is required to estimate a training run (with {trainTokens}).");
            if (TrainTokens is null) throw RequestFields.Error("trainTokens", "{trainTokens} is required to estimate a training run (with {trainParams}).");
        }
        else if (TrainingCost is null && (AmortiseYears is not null ? "amortiseYears" : TrainingTokensPerDay is not null ? "trainingTokensPerDay" : null) is { } orphan)
        {
            throw RequestFields.Error(orphan, $"{{{orphan}}} applies to the lab view; add {{trainingCost}} (or {{trainParams}} and {{trainTokens}}).");
        }
    }

    private string? FirstFigure =>
        new (string Field, bool Given)[]
        {
            ("gpus", Gpus is not null), ("gpusPerNode", GpusPerNode is not null), ("gpuPrice", GpuPrice is not null), ("hours", Hours is not null),
            ("inputTokens", InputTokens is not null), ("cachedTokens", CachedTokens is not null), ("outputTokens", OutputTokens is not null),
            ("priceIn", PriceIn is not null), ("priceCached", PriceCached is not null), ("priceOut", PriceOut is not null),
            ("prefillPerNode", PrefillPerNode is not null), ("decodePerNode", DecodePerNode is not null),
        }.FirstOrDefault(f => f.Given).Field;

    private string? FirstTrainingRunField =>
        new (string Field, bool Given)[]
        {
            ("trainParams", TrainParams is not null), ("trainTokens", TrainTokens is not null), ("trainGpu", TrainGpu is not null),
            ("trainPrecision", TrainPrecision is not null), ("trainMfu", TrainMfu is not null), ("trainGpuPrice", TrainGpuPrice is not null), ("trainGpus", TrainGpus is not null),
        }.FirstOrDefault(f => f.Given).Field;

    /// <summary>Validates and answers from the embedded catalog.</summary>
    public PnlStatement Answer() => Answer(Catalog.Catalog.Embedded);

    /// <summary>Validates and answers; a training run's accelerator is looked up in <paramref name="catalog"/>.</summary>
    /// <exception cref="InvalidInputException">A field out of range or a missing figure.</exception>
    public PnlStatement Answer(Catalog.Catalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Validate();
        var day = Scenario is { } id ? ProviderScenarios.Get(id) : Custom();
        var cost = FirstTrainingRunField is not null ? Datacenter.TrainingCost.Estimate(Run(catalog)).Cost.Value : TrainingCost;
        var amortisation = cost is { } c
            ? new TrainingAmortisation(Dollars.FromDollars(c), AmortiseYears ?? 1, TrainingTokensPerDay is { } t ? Tokens.FromTokens(t) : null)
            : null;
        return ProviderPnlModel.Compute(day, amortisation);
    }

    private ProviderDay Custom()
    {
        var perNode = GpusPerNode ?? 8;
        return new ProviderDay(
            "custom",
            Gpus!.Value / perNode,
            perNode,
            DollarsPerHour.FromDollarsPerHour(GpuPrice!.Value),
            Seconds.FromHours(Hours ?? 24),
            Tokens.FromTokens(InputTokens!.Value),
            Tokens.FromTokens(CachedTokens ?? 0),
            Tokens.FromTokens(OutputTokens!.Value),
            DollarsPerMillionTokens.FromDollarsPerMillionTokens(PriceIn!.Value),
            DollarsPerMillionTokens.FromDollarsPerMillionTokens(PriceCached ?? PriceIn.Value),
            DollarsPerMillionTokens.FromDollarsPerMillionTokens(PriceOut!.Value),
            PrefillPerNode is { } pf ? TokensPerSecond.FromTokensPerSecond(pf) : null,
            DecodePerNode is { } dc ? TokensPerSecond.FromTokensPerSecond(dc) : null,
            Source: Provenance.User("command-line figures"));
    }

    private TrainingRun Run(Catalog.Catalog catalog) => TrainingRunFields.Run(catalog, this);
}
