using Infercost.Serving;

namespace Infercost.Requests;

/// <summary>What <c>fit</c> found: the layout, the per-device memory plan, and whether the batch fits.</summary>
/// <param name="ModelId">Model id.</param>
/// <param name="AcceleratorId">Accelerator id.</param>
/// <param name="TotalDevices">Devices in the cluster.</param>
/// <param name="Parallelism">Layout of one replica (given, chosen, or for a model that does not fit, the largest tried).</param>
/// <param name="Replicas">Whole replicas in the cluster.</param>
/// <param name="WeightPrecision">Non-expert weight precision.</param>
/// <param name="ExpertPrecision">Routed-expert weight precision.</param>
/// <param name="KvPrecision">KV-cache precision.</param>
/// <param name="Batch">Sequences per replica that must fit.</param>
/// <param name="Memory">Per-device memory plan at the context.</param>
/// <param name="Fits">True when the weights and the batch fit.</param>
/// <param name="Verdict">One sentence: how much fits, or why not and the way out.</param>
public sealed record FitReport(
    string ModelId,
    string AcceleratorId,
    int TotalDevices,
    Parallelism Parallelism,
    int Replicas,
    Precision WeightPrecision,
    Precision ExpertPrecision,
    Precision KvPrecision,
    int Batch,
    MemoryPlan Memory,
    bool Fits,
    string Verdict);

/// <summary>The <c>fit</c> question: do a model's weights and KV cache fit, on which layout, and how many sequences
/// at a context. "Does not fit" is an answer (<see cref="FitReport.Fits"/> false), not an error.</summary>
public sealed record FitRequest : DeploymentRequest
{
    /// <summary>Accepted range of <see cref="Context"/>.</summary>
    public static readonly WholeField ContextField = new("context", 1, 100_000_000);

    /// <summary>Context length per sequence (prompt + output) in tokens.</summary>
    public int Context { get; init; } = 2000;

    /// <summary>Plan a <see cref="Context"/> longer than the model's published maximum instead of refusing it.</summary>
    public bool AllowLongContext { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        ContextField.Check(Context);
    }

    /// <summary>Validates, resolves and answers.</summary>
    public FitReport Answer(Catalog.Catalog catalog, string? modelConfigSource = null)
    {
        Validate();
        return Answer(Resolve(catalog, modelConfigSource)).Report;
    }

    /// <summary>Answers for a resolved subject, with the setup the report describes (for rendering).</summary>
    public (FitReport Report, ServingSetup Setup) Answer(Subject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        Validate();
        var tokens = Context;
        if (tokens > subject.Model.MaxContextTokens && !AllowLongContext)
        {
            throw RequestFields.Error("context",
                $"{{context}} {tokens} exceeds {subject.Model.Id}'s maximum context of {subject.Model.MaxContextTokens}; " +
                "shorten it, or add {allowLongContext} to plan it anyway.");
        }

        // The planner sizes for input + output tokens; one output token makes that the requested context.
        var config = (ToConfig() with { InputTokens = Math.Max(1, tokens - 1), OutputTokens = 1 }).Validated();
        var batch = config.Batch ?? 1;
        string? failure = null;
        var searched = false;
        Parallelism layout;
        try
        {
            layout = config.Parallelism ?? ParallelismPlanner.ChooseSmallest(subject.Model, subject.Accelerator, config);
        }
        catch (ModelDoesNotFitException e)
        {
            failure = e.Message;
            searched = true;
            layout = ParallelismPlanner.Layout(subject.Model, subject.Accelerator, config.TotalDevices) ?? Parallelism.Single;
        }

        var setup = new ServingSetup(subject.Model, subject.Accelerator, layout, config with { Parallelism = layout });
        var plan = MemoryPlanner.Plan(setup, tokens);
        // The search's message names the last layout it tried; the verdict speaks for the layout the report shows.
        if (failure is null || searched)
        {
            try
            {
                MemoryPlanner.EnsureFits(setup, plan, batch);
            }
            catch (ModelDoesNotFitException e)
            {
                failure = e.Message;
            }
        }

        var replicas = config.TotalDevices / setup.DevicesPerReplica;
        var verdict = failure ?? $"Fits: {setup.Layout}, up to {Group(plan.MaxBatch)} sequences of " +
            $"{Group(tokens)} tokens per replica, {replicas} replica(s) on {config.TotalDevices} devices.";
        var report = new FitReport(subject.Model.Id, subject.Accelerator.Id, config.TotalDevices, layout, replicas,
            setup.WeightPrecision, setup.ExpertPrecision, setup.KvPrecision, batch, plan, failure is null, verdict);
        return (report, setup);
    }

    // Thousands separators, as the CLI prints whole numbers (Formats.Number).
    private static string Group(long value) => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}
