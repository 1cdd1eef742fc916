using Infercost.Serving;
using Infercost.Speculation;

namespace Infercost.Requests;

/// <summary>What <c>speculate</c> computed: plain against speculative decoding, batch by batch.</summary>
/// <param name="ModelId">Model id.</param>
/// <param name="AcceleratorId">Accelerator id.</param>
/// <param name="Parallelism">Layout of one replica.</param>
/// <param name="ContextTokens">Mean decode context (input + output ÷ 2).</param>
/// <param name="MaxBatch">Largest batch whose KV cache fits at input + output tokens.</param>
/// <param name="Speculation">The speculation estimated.</param>
/// <param name="Rows">One row per batch.</param>
public sealed record SpeculationReport(
    string ModelId, string AcceleratorId, Parallelism Parallelism, double ContextTokens, int MaxBatch, SpeculationConfig Speculation,
    IReadOnlyList<SpeculationRow> Rows);

/// <summary>One batch of a speculation sweep.</summary>
/// <param name="Batch">Sequences per replica.</param>
/// <param name="Fits">False when the batch's KV cache does not fit; <paramref name="Step"/> is then null.</param>
/// <param name="Step">The speculative step against plain decoding.</param>
public sealed record SpeculationRow(int Batch, bool Fits, SpeculativeStep? Step)
{
    /// <summary>Where this batch lies outside calibration coverage (its batch regime at this batch included); empty when
    /// it does not fit or lies inside.</summary>
    public IReadOnlyList<Calibration.Extrapolation> Extrapolating { get; init; } = [];

    /// <summary>The calibrated band for <see cref="Extrapolating"/> (actual ÷ predicted throughput, P10 and P90); null
    /// when the batch does not fit.</summary>
    public Calibration.PredictionBand? Speed { get; init; }

    /// <summary>P10–P90 of the speculative tokens/s per replica: <see cref="SpeculativeStep.TokensPerSecond"/> × <see cref="Speed"/>.
    /// The speed-up is a ratio of two predictions of the same model and is given without a band.</summary>
    public Calibration.Banded? TokensPerSecond { get; init; }

    /// <summary>P10–P90 of the speculative tokens/s one sequence sees.</summary>
    public Calibration.Banded? TokensPerSecondPerUser { get; init; }
}

/// <summary>The <c>speculate</c> question: what speculative decoding or MTP gains at each batch, and the utilisation it means.</summary>
public sealed record SpeculateRequest : ServingRequest
{
    /// <summary>Always: with no <c>specMethod</c> the question is about MTP ("mtp"), or the draft model when one is given.</summary>
    public override bool Speculates => true;

    /// <summary>Batch sizes; default powers of two up to the largest that fits.</summary>
    public IReadOnlyList<int>? Batches { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (Batches is { } b)
        {
            if (b.Count is 0 or > SweepRequest.MaxBatches)
                throw new InvalidInputException("batches", $"batches must list 1 to {SweepRequest.MaxBatches} sizes; was {b.Count}.");
            foreach (var size in b) Guard.InRange(size, 1, SpeculativeDecoding.MaxBatch, "batches");
        }
    }

    /// <summary>Answers for a resolved subject.</summary>
    public SpeculationReport Answer(Subject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        Validate();
        // The draft's weights and KV are in the memory plan (ServingSetup), so the largest batch is the one that fits with it.
        var config = ToConfig(subject).Validated();
        var speculation = config.Speculation!;
        var layout = config.Parallelism ?? ParallelismPlanner.Choose(subject.Model, subject.Accelerator, config);
        var setup = new ServingSetup(subject.Model, subject.Accelerator, layout, config with { Parallelism = layout });
        var plan = MemoryPlanner.Plan(setup, config.InputTokens + config.OutputTokens);
        var context = config.InputTokens + (config.OutputTokens / 2.0);
        var sizes = Batches is { Count: > 0 } given ? given : SweepRequest.DefaultBatches(Math.Min(plan.MaxBatch, SpeculativeDecoding.MaxBatch));
        SpeculationRow Row(int b)
        {
            var step = SpeculativeDecoding.Step(setup, b, context, speculation);
            var extrapolating = Calibration.CalibrationCoverage.Shipped.Assess(setup, config.Engine, b);
            var speed = Calibration.CalibratedEfficiency.Bands.For(extrapolating);
            return new SpeculationRow(b, true, step)
            {
                Extrapolating = extrapolating,
                Speed = speed,
                TokensPerSecond = Calibration.Banded.Of(step.TokensPerSecond.Value, speed),
                TokensPerSecondPerUser = Calibration.Banded.Of(step.TokensPerSecondPerUser.Value, speed),
            };
        }

        var rows = sizes.Select(b => b <= plan.MaxBatch ? Row(b) : new SpeculationRow(b, false, null)).ToList();
        return new SpeculationReport(subject.Model.Id, subject.Accelerator.Id, layout, context, plan.MaxBatch, speculation, rows);
    }
}
