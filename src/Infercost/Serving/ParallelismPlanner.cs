using Infercost.Hardware;
using Infercost.Models;

namespace Infercost.Serving;

/// <summary>Picks a replica layout when the user gives none: of the tensor × pipeline splits whose replicas divide the
/// cluster and hold the weights plus the requested batch (or at least one sequence), the one with the most output
/// tokens per second for the whole cluster.</summary>
/// <remarks>Candidates: every replica size that divides the cluster, with tensor parallelism a power of two that fits in
/// one scale-up domain and divides the attention heads, and pipeline parallelism the rest; for MoE models also expert
/// parallelism over the whole replica with attention data parallelism (at least one expert per device). Each is scored by the decode
/// model at its batch (the requested one, or the largest that fits capped at the maximum batch). Few devices per replica
/// means more replicas and less communication; more devices means more KV room and a larger batch; the score weighs
/// both. Ties go to the smaller replica. See docs/methodology.md#layout.</remarks>
public static class ParallelismPlanner
{
    /// <summary>Chooses a layout, or throws <see cref="ModelDoesNotFitException"/> naming the requirement.</summary>
    public static Parallelism Choose(ModelArchitecture model, Accelerator accelerator, ServingConfig config)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(accelerator);
        ArgumentNullException.ThrowIfNull(config);
        var context = config.InputTokens + config.OutputTokens;
        var needed = config.Batch ?? 1;
        var parameters = ParameterCounter.Count(model);
        Parallelism? best = null;
        var bestRate = double.NegativeInfinity;
        ServingSetup? largest = null;
        foreach (var candidate in Candidates(model, accelerator, config.TotalDevices))
        {
            var setup = new ServingSetup(model, accelerator, candidate, config, parameters);
            if (largest is null || candidate.DevicesPerReplica >= largest.DevicesPerReplica) largest = setup;
            var plan = MemoryPlanner.Plan(setup, context);
            if (!plan.WeightsFit || plan.MaxBatch < needed) continue;
            var batch = config.Batch ?? Math.Min(plan.MaxBatch, config.MaxBatch * candidate.AttentionData);
            var replicas = config.TotalDevices / candidate.DevicesPerReplica;
            var rate = replicas * DecodeModel.Step(setup, batch, config.InputTokens + config.OutputTokens / 2.0).TokensPerSecond.Value;
            if (rate > bestRate * (1 + 1e-9))
            {
                best = candidate;
                bestRate = rate;
            }
        }

        if (best is not null) return best;
        var full = largest ?? new ServingSetup(model, accelerator, Parallelism.Single, config);
        MemoryPlanner.EnsureFits(full, MemoryPlanner.Plan(full, context), needed);
        return full.Parallelism;
    }

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
        for (var devices = 1; devices <= totalDevices; devices++)
        {
            if (totalDevices % devices != 0) continue;
            for (var tp = 1; tp <= Math.Min(devices, accelerator.ScaleUpDomain); tp *= 2)
            {
                if (devices % tp != 0) continue;
                if (model.Attention == AttentionKind.Gqa && model.AttentionHeads % tp != 0) continue;
                var pp = devices / tp;
                if (pp <= model.Layers) yield return new Parallelism(Tensor: tp, Pipeline: pp);

                // MoE: experts sharded over the whole replica, attention replicated per tensor group (DeepSeek's and
                // SGLang's large-scale layout): no pipeline, attention data parallelism for the rest.
                if (model.Moe is { } moe && devices > tp && moe.Experts >= devices)
                {
                    yield return new Parallelism(Tensor: tp, Pipeline: 1, Expert: devices, AttentionData: devices / tp);
                }
            }
        }
    }

    /// <summary>The split of <paramref name="devices"/> devices with the widest tensor parallelism, or null if none is valid.</summary>
    public static Parallelism? Layout(ModelArchitecture model, Accelerator accelerator, int devices) =>
        Candidates(model, accelerator, devices).Where(c => c.DevicesPerReplica == devices).MaxBy(c => c.Tensor);
}
