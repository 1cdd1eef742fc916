using Infercost.Hardware;
using Infercost.Models;
using Infercost.Quantities;

namespace Infercost.Serving;

/// <summary>Picks a replica layout when the user gives none: of the tensor × pipeline splits whose replicas divide the
/// cluster and hold the weights plus the requested batch (or at least one sequence), the one with the most output
/// tokens per second for the whole cluster.</summary>
/// <remarks>Candidates: every replica size that divides the cluster, with tensor parallelism a power of two that fits in
/// one scale-up domain and divides the attention heads, and pipeline parallelism the rest; for MoE models also expert
/// parallelism over the whole replica with attention data parallelism (at least one expert per device). Each is scored
/// by the decode model (the speculative step's rate when speculation is configured) at its batch (the requested one, or
/// the largest that fits capped at the maximum batch). Few devices per replica means more replicas and less
/// communication; more devices means more KV room and a larger batch; the score weighs both. Ties go to the smaller
/// replica. See docs/methodology.md#layout.</remarks>
public static class ParallelismPlanner
{
    /// <summary>Chooses a layout, or throws <see cref="ModelDoesNotFitException"/> naming the requirement.</summary>
    public static Parallelism Choose(ModelArchitecture model, Accelerator accelerator, ServingConfig config) =>
        ChooseSetup(model, accelerator, config).Parallelism;

    /// <summary><see cref="Choose"/>, returning the chosen layout's setup (so the estimate does not resolve it again).</summary>
    /// <param name="model">The model.</param>
    /// <param name="accelerator">The accelerator.</param>
    /// <param name="config">The serving configuration (its layout is ignored).</param>
    /// <param name="prune">Skip a candidate whose rate ceiling cannot beat the best so far (the default); false scores
    /// every candidate that fits, which tests use to check that pruning never changes the choice.</param>
    internal static ServingSetup ChooseSetup(ModelArchitecture model, Accelerator accelerator, ServingConfig config, bool prune = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(accelerator);
        ArgumentNullException.ThrowIfNull(config);
        var context = config.InputTokens + config.OutputTokens;
        var needed = config.Batch ?? 1;
        var parameters = ParameterCounter.Count(model);
        ServingSetup? best = null;
        var bestRate = double.NegativeInfinity;
        Shape? largest = null;
        // The first candidate's setup resolves what every layout shares (precisions, peaks, kernel rates, a sequence's KV
        // bytes, one sequence's attention work); each further candidate costs a weight-fit test, then a ceiling on its
        // rate from a floor on its decode step priced without its setup (weights and KV read, FLOPs, collectives, fixed
        // latencies: ServingSetup.DecodeStepFloor), and a setup and a decode step only if that ceiling beats the best so
        // far. A candidate skipped either way could not have been chosen, so the choice is the one that scoring every
        // candidate makes (LayoutSearchTests checks both).
        ServingSetup? first = null;
        var sequenceBytes = Bytes.Zero;
        var perSequence = default(DecodeSequenceWork);
        var scoredContext = config.InputTokens + config.OutputTokens / 2.0;
        foreach (var shape in Shapes(model, accelerator, config.TotalDevices))
        {
            var (tensor, pipeline, attentionData) = (shape.Tensor, shape.Pipeline, shape.AttentionData);
            var devices = tensor * pipeline * attentionData;
            Parallelism? candidate = null;
            if (first is null)
            {
                candidate = shape.ToParallelism();
                first = new ServingSetup(model, accelerator, candidate, config, parameters);
                sequenceBytes = KvCache.BytesPerSequence(first.Model, first.KvFormat, context);
                perSequence = first.DecodeWorkPerSequence(scoredContext);
            }

            if (largest is null || devices >= largest.Value.Devices) largest = shape;
            var available = MemoryPlanner.Available(first, first.WeightsPerDeviceWith(tensor, pipeline, devices), out _);
            var maxBatch = available.Value <= 0 ? 0 : MemoryPlanner.MaxBatch(available, first.KvPerSequenceWith(tensor, pipeline, attentionData, sequenceBytes, context));
            if (available.Value <= 0 || maxBatch < needed)
            {
                // Validated as building its setup would have.
                shape.Validate();
                continue;
            }

            var batch = config.Batch ?? Math.Min(maxBatch, config.MaxBatch * attentionData);
            var replicas = config.TotalDevices / devices;
            // A speculative decode is scored at its own rate; the floor prices a plain decode step, so it does not prune it.
            if (prune && config.Speculation is null && best is not null
                && replicas * (batch / first.DecodeStepFloor(tensor, pipeline, shape.Expert, attentionData, devices, batch, perSequence)) <= bestRate * (1 + 1e-9))
            {
                shape.Validate();
                continue;
            }

            var setup = candidate is not null ? first : first.WithLayout(shape.ToParallelism());
            var rate = replicas * DecodeRate(setup, batch, scoredContext);
            if (rate > bestRate * (1 + 1e-9))
            {
                best = setup;
                bestRate = rate;
            }
        }

        if (best is not null) return best;
        var full = largest is not { } widest ? new ServingSetup(model, accelerator, Parallelism.Single, config)
            : widest.Equals(new Shape(first!.Parallelism.Tensor, first.Parallelism.Pipeline, first.Parallelism.Expert, first.Parallelism.AttentionData))
                ? first : first.WithLayout(widest.ToParallelism());
        MemoryPlanner.EnsureFits(full, MemoryPlanner.Plan(full, context), needed);
        return full;
    }

    /// <summary>Output tokens per second of one replica of <paramref name="setup"/> decoding <paramref name="batch"/>
    /// sequences at <paramref name="contextTokens"/>: batch / the decode step, or with speculation configured the
    /// speculative step's rate (its accepted tokens per step over the verify and draft passes), so a draft's cost
    /// and its gain both weigh in the choice.</summary>
    private static double DecodeRate(ServingSetup setup, int batch, double contextTokens) =>
        setup.Config.Speculation is { } speculation
            ? Speculation.SpeculativeDecoding.Step(setup, batch, contextTokens, speculation).TokensPerSecond.Value
            : (Tokens.FromTokens(batch) / DecodeModel.StepTime(setup, batch, contextTokens)).Value;

    /// <summary>The smallest replica that holds the weights and the requested batch (or one sequence): the answer to
    /// "does it fit, and on how few devices", rather than the fastest layout. Widest tensor parallelism among equals.</summary>
    public static Parallelism ChooseSmallest(ModelArchitecture model, Accelerator accelerator, ServingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var context = config.InputTokens + config.OutputTokens;
        var needed = config.Batch ?? 1;
        var parameters = ParameterCounter.Count(model);
        ServingSetup? largest = null;
        foreach (var group in Candidates(model, accelerator, config.TotalDevices).GroupBy(c => c.DevicesPerReplica))
        {
            foreach (var candidate in group.Where(c => c.AttentionData == 1).OrderByDescending(c => c.Tensor))
            {
                var setup = new ServingSetup(model, accelerator, candidate, config, parameters);
                largest = setup;
                var plan = MemoryPlanner.Plan(setup, context);
                if (plan.WeightsFit && plan.MaxBatch >= needed) return candidate;
            }
        }

        var full = largest ?? new ServingSetup(model, accelerator, Parallelism.Single, config);
        MemoryPlanner.EnsureFits(full, MemoryPlanner.Plan(full, context), needed);
        return full.Parallelism;
    }

    /// <summary>Every tensor × pipeline split of replicas that divide <paramref name="totalDevices"/>, smallest replicas first.</summary>
    public static IEnumerable<Parallelism> Candidates(ModelArchitecture model, Accelerator accelerator, int totalDevices)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(accelerator);
        return Shapes(model, accelerator, totalDevices).Select(s => s.ToParallelism());
    }

    // The layout search visits every candidate but builds a layout object only for those whose weights fit.
    private readonly record struct Shape(int Tensor, int Pipeline, int Expert, int AttentionData)
    {
        public int Devices => Tensor * Pipeline * AttentionData;

        public Parallelism ToParallelism() => new(Tensor, Pipeline, Expert, AttentionData);

        public void Validate() => Parallelism.Validate(Tensor, Pipeline, Expert, AttentionData);
    }

    private static IEnumerable<Shape> Shapes(ModelArchitecture model, Accelerator accelerator, int totalDevices)
    {
        foreach (var devices in Divisors(totalDevices))
        {
            // tp is a power of two, so "divides" is a mask test.
            for (var tp = 1; tp <= Math.Min(devices, accelerator.ScaleUpDomain); tp *= 2)
            {
                if ((devices & (tp - 1)) != 0) continue;
                if (model.Attention == AttentionKind.Gqa && model.AttentionHeads % tp != 0) continue;
                var pp = devices / tp;
                if (pp <= model.Layers) yield return new Shape(tp, pp, 1, 1);

                // MoE: experts sharded over the whole replica, attention replicated per tensor group (DeepSeek's and
                // SGLang's large-scale layout): no pipeline, attention data parallelism for the rest.
                if (model.Moe is { } moe && devices > tp && moe.Experts >= devices)
                {
                    yield return new Shape(tp, 1, devices, devices / tp);
                }
            }
        }
    }

    /// <summary>The divisors of <paramref name="n"/> in ascending order (pairs d, n/d up to √n: O(√n) divisions, one
    /// array).</summary>
    private static int[] Divisors(int n)
    {
        var count = 0;
        for (var d = 1; (long)d * d <= n; d++)
        {
            if (n % d == 0) count += d == n / d ? 1 : 2;
        }

        var divisors = new int[count];
        var (low, high) = (0, count - 1);
        for (var d = 1; (long)d * d <= n; d++)
        {
            if (n % d != 0) continue;
            divisors[low++] = d;
            if (d != n / d) divisors[high--] = n / d;
        }

        return divisors;
    }

    /// <summary>The split of <paramref name="devices"/> devices with the widest tensor parallelism, or null if none is valid.</summary>
    public static Parallelism? Layout(ModelArchitecture model, Accelerator accelerator, int devices) =>
        Candidates(model, accelerator, devices).Where(c => c.DevicesPerReplica == devices).MaxBy(c => c.Tensor);
}
