using Infercost.Models;
using Infercost.Quantities;

namespace Infercost.Serving;

/// <summary>Memory fit: weights per device, KV cache per sequence, and the largest batch at a context length.</summary>
/// <remarks>KV available = capacity × (1 − reserve) − weights per device; max batch = ⌊KV available / KV per sequence per
/// device⌋. See docs/methodology.md#memory.</remarks>
public static class MemoryPlanner
{
    /// <summary>Plans memory for sequences of <paramref name="contextTokens"/> tokens.</summary>
    public static MemoryPlan Plan(ServingSetup setup, int contextTokens)
    {
        ArgumentNullException.ThrowIfNull(setup);
        Guard.InRange(contextTokens, 1, 100_000_000, "contextTokens");
        var capacity = setup.Accelerator.Memory;
        var weights = setup.WeightsPerDevice;
        var reserve = setup.Config.MemoryReserveBasis == MemoryReserveBasis.Capacity
            ? capacity * setup.Config.MemoryReserveFraction
            : Bytes.Max(capacity - weights, Bytes.Zero) * setup.Config.MemoryReserveFraction;
        var available = capacity - reserve - weights;
        var perSequence = setup.KvPerDevice(1, contextTokens);
        var maxBatch = available.Value <= 0 ? 0 : (int)Math.Min(int.MaxValue / 2, Math.Floor(available / perSequence));
        return new MemoryPlan(capacity, reserve, weights, available,
            KvCache.BytesPerToken(setup.Model, setup.KvPrecision), perSequence, contextTokens, maxBatch, available.Value > 0)
        {
            SequenceKv = KvCache.BytesPerSequence(setup.Model, setup.KvPrecision, contextTokens),
        };
    }

    /// <summary>Throws <see cref="ModelDoesNotFitException"/> unless the weights and <paramref name="batch"/> sequences fit.</summary>
    public static void EnsureFits(ServingSetup setup, MemoryPlan plan, int batch)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(plan);
        if (!plan.WeightsFit)
        {
            throw ModelDoesNotFitException.Weights(setup.Model.Id, setup.Layout, plan.Weights, plan.Capacity - plan.Reserve, WayOut(setup));
        }

        if (batch > plan.MaxBatch)
        {
            throw ModelDoesNotFitException.KvCache(setup.Model.Id, setup.Layout, batch, plan.ContextTokens,
                plan.KvPerSequence * batch, plan.KvAvailable, plan.MaxBatch);
        }
    }

    private static string WayOut(ServingSetup setup)
    {
        var usable = setup.Config.MemoryReserveBasis == MemoryReserveBasis.Capacity
            ? setup.Accelerator.Memory * (1 - setup.Config.MemoryReserveFraction)
            : setup.Accelerator.Memory;
        var total = setup.NonExpertWeightBytes + setup.ExpertWeightBytes;
        var devicesNeeded = (int)Math.Ceiling(total / usable);
        var hints = new List<string> { $"the weights alone need at least {devicesNeeded} devices per replica" };
        if (setup.WeightPrecision.BytesPerElement() > 1) hints.Add("fp8 weights halve them");
        else if (setup.WeightPrecision.BytesPerElement() > 0.5) hints.Add("4-bit weights halve them again");
        return "Use more GPUs per replica (" + string.Join("; ", hints) + ").";
    }
}
