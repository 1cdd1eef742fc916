using Infercost.Costing;
using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Requests;

/// <summary>What <c>sweep</c> computed: one decode estimate and output price per batch size.</summary>
/// <param name="ModelId">Model id.</param>
/// <param name="AcceleratorId">Accelerator id.</param>
/// <param name="TotalDevices">Devices in the cluster.</param>
/// <param name="Parallelism">Layout of one replica.</param>
/// <param name="Replicas">Whole replicas in the cluster.</param>
/// <param name="ContextTokens">Context per sequence the memory plan was made for (input + output).</param>
/// <param name="MaxBatch">Largest batch per replica whose KV cache fits at that context.</param>
/// <param name="Basis">How the devices are paid for.</param>
/// <param name="Rows">One row per requested batch, in the order given.</param>
public sealed record SweepReport(
    string ModelId,
    string AcceleratorId,
    int TotalDevices,
    Parallelism Parallelism,
    int Replicas,
    int ContextTokens,
    int MaxBatch,
    CostBasis Basis,
    IReadOnlyList<SweepRow> Rows);

/// <summary>One batch size of a sweep.</summary>
/// <param name="Batch">Sequences per replica.</param>
/// <param name="Fits">False when the batch's KV cache does not fit; the other fields are then null.</param>
/// <param name="Decode">The decode step at this batch.</param>
/// <param name="ClusterOutputTokensPerSecond">Replicas × decode tokens/s.</param>
/// <param name="OutputPerMillion">Price per million output tokens at this batch.</param>
public sealed record SweepRow(
    int Batch,
    bool Fits,
    DecodeEstimate? Decode,
    TokensPerSecond? ClusterOutputTokensPerSecond,
    DollarsPerMillionTokens? OutputPerMillion)
{
    /// <summary>With speculation: plain against speculative decoding at this batch (speed-up, utilisation, the draft's
    /// memory); <see cref="Decode"/> is then the speculative step. Null without speculation or when the batch does not fit.</summary>
    public Speculation.SpeculationSummary? Speculation { get; init; }

    /// <summary>With speculation: the price per million output tokens plain decoding would cost at this batch (the same
    /// cluster $/h over replicas × <see cref="Infercost.Speculation.SpeculationSummary.PlainTokensPerSecond"/>), so
    /// <see cref="OutputPerMillion"/> is it ÷ the speed-up. Null without speculation or when the batch does not fit.</summary>
    public DollarsPerMillionTokens? PlainOutputPerMillion { get; init; }

    /// <summary>P10–P90 of this batch's throughputs and prices, as <c>cost</c> gives them at this batch: the calibrated
    /// band for what it extrapolates (<see cref="Extrapolating"/>, the batch regime at this batch included), prices also
    /// over the input ranges' extremes. Null when the batch does not fit.</summary>
    public Costing.CostBands? Bands { get; init; }

    /// <summary>Where this batch lies outside calibration coverage; empty when it does not fit or lies inside.</summary>
    public IReadOnlyList<Calibration.Extrapolation> Extrapolating { get; init; } = [];
}

/// <summary>The <c>sweep</c> question: decode speed and output price across batch sizes on one layout.</summary>
public sealed record SweepRequest : PricedRequest
{
    /// <summary>Accepted range of each batch size; at most <see cref="MaxBatches"/> of them.</summary>
    public static readonly WholeField BatchesField = new("batches", 1, 1_000_000);

    /// <summary>Most batch sizes one sweep evaluates (bounds the work of one request).</summary>
    public const int MaxBatches = 4096;

    /// <summary>Batch sizes per replica to evaluate; default powers of two up to the largest batch that fits, and that batch.</summary>
    public IReadOnlyList<int>? Batches { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (Batch is not null) throw RequestFields.Error("batch", "{batch} does not apply to a sweep; give the sizes with {batches}.");
        if (Batches is null) return;
        if (Batches.Count == 0) throw new InvalidInputException("batches", "batches must list at least one number; was empty.");
        if (Batches.Count > MaxBatches) throw new InvalidInputException("batches", $"batches must list at most {MaxBatches} sizes; was {Batches.Count}.");
        foreach (var b in Batches) BatchesField.Check(b);
    }

    /// <summary>Validates, resolves and answers.</summary>
    public SweepReport Answer(Catalog.Catalog catalog, string? modelConfigSource = null)
    {
        Validate();
        return Answer(Resolve(catalog, modelConfigSource)).Report;
    }

    /// <summary>Answers for a resolved subject, with the setup swept (for rendering).</summary>
    public (SweepReport Report, ServingSetup Setup) Answer(Subject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        Validate();
        var basis = Basis();
        var config = ToConfig(subject).Validated();
        var layout = config.Parallelism ?? ParallelismPlanner.Choose(subject.Model, subject.Accelerator, config);
        var setup = new ServingSetup(subject.Model, subject.Accelerator, layout, config with { Parallelism = layout });
        var contextTokens = config.InputTokens + config.OutputTokens;
        var plan = MemoryPlanner.Plan(setup, contextTokens);
        var sizes = Batches is { Count: > 0 } given ? given : DefaultBatches(plan.MaxBatch);
        var rows = sizes.Select(b => Row(setup, b)).ToList();
        var report = new SweepReport(subject.Model.Id, subject.Accelerator.Id, config.TotalDevices, layout,
            config.TotalDevices / setup.DevicesPerReplica, contextTokens, plan.MaxBatch, basis, rows);
        return (report, setup);
    }

    /// <summary>1, 2, 4... up to <paramref name="maxBatch"/>, and <paramref name="maxBatch"/> itself when it is not a power of two.</summary>
    public static int[] DefaultBatches(int maxBatch)
    {
        var sizes = new List<int>();
        for (long b = 1; b <= maxBatch; b *= 2) sizes.Add((int)b);
        if (maxBatch >= 1 && sizes[^1] != maxBatch) sizes.Add(maxBatch);
        return sizes.Count == 0 ? [1] : [.. sizes];
    }

    private SweepRow Row(ServingSetup setup, int batch)
    {
        try
        {
            var estimate = ServingEstimator.Estimate(setup, batch);
            // The central price and its band, as cost prices one batch (PricedRequest.Estimate).
            var (cost, bands) = Estimate(estimate, setup.Accelerator);
            return new SweepRow(batch, true, estimate.Decode, estimate.ClusterDecodeTokensPerSecond, cost.OutputPerMillion)
            {
                Speculation = estimate.Speculation,
                PlainOutputPerMillion = estimate.Speculation is { } s
                    ? CostModel.PerMillion(cost.Cluster.Total, s.PlainTokensPerSecond * estimate.Replicas, UtilisationAt(Corner.Mid))
                    : null,
                Bands = bands,
                Extrapolating = estimate.Extrapolating,
            };
        }
        catch (ModelDoesNotFitException)
        {
            return new SweepRow(batch, false, null, null, null);
        }
    }
}
