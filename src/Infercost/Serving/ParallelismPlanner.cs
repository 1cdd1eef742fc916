using Infercost.Hardware;
using Infercost.Models;

namespace Infercost.Serving;

/// <summary>Picks a replica layout when the user gives none: the fewest devices per replica that divide the cluster and
/// hold the weights plus the requested batch (or at least one sequence) at the request's context.</summary>
/// <remarks>Tensor parallelism takes the largest power of two that divides the replica, fits in one scale-up domain
/// and divides the attention heads; pipeline parallelism takes the rest. Fewer devices per replica means more replicas
/// and less communication, which is what a throughput-minded operator picks first. See docs/methodology.md#layout.</remarks>
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
        ServingSetup? last = null;
        for (var devices = 1; devices <= config.TotalDevices; devices++)
        {
            if (config.TotalDevices % devices != 0) continue;
            var candidate = Layout(model, accelerator, devices);
            if (candidate is null) continue;
            var setup = new ServingSetup(model, accelerator, candidate, config with { Parallelism = candidate });
            last = setup;
            var plan = MemoryPlanner.Plan(setup, context);
            if (plan.WeightsFit && plan.MaxBatch >= needed) return candidate;
        }

        var full = last ?? new ServingSetup(model, accelerator, Parallelism.Single, config);
        var fullPlan = MemoryPlanner.Plan(full, context);
        MemoryPlanner.EnsureFits(full, fullPlan, needed);
        return full.Parallelism;
    }

    /// <summary>The tensor × pipeline split of <paramref name="devices"/> devices, or null if none is valid.</summary>
    public static Parallelism? Layout(ModelArchitecture model, Accelerator accelerator, int devices)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(accelerator);
        for (var tp = HighestPowerOfTwoAtMost(Math.Min(devices, accelerator.ScaleUpDomain)); tp >= 1; tp /= 2)
        {
            if (devices % tp != 0) continue;
            if (model.Attention == AttentionKind.Gqa && model.AttentionHeads % tp != 0) continue;
            var pp = devices / tp;
            if (pp > model.Layers) return null;
            return new Parallelism(Tensor: tp, Pipeline: pp);
        }

        return null;
    }

    private static int HighestPowerOfTwoAtMost(int n)
    {
        var p = 1;
        while (p * 2 <= n) p *= 2;
        return p;
    }
}
