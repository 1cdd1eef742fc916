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
        var available = Available(setup, weights, out var reserve);
        var perSequence = setup.KvPerDevice(1, contextTokens);
        var maxBatch = MaxBatch(available, perSequence);
        return new MemoryPlan(capacity, reserve, weights, Bytes.Max(available, Bytes.Zero),
            KvCache.BytesPerToken(setup.Model, setup.KvFormat), perSequence, contextTokens, maxBatch, available.Value > 0)
        {
            SequenceKv = KvCache.BytesPerSequence(setup.Model, setup.KvFormat, contextTokens),
            Shortfall = Bytes.Max(Bytes.Zero - available, Bytes.Zero),
            DraftWeights = setup.Config.Speculation is { } s ? Speculation.SpeculationMemory.WeightsPerDevice(setup, s) : Bytes.Zero,
            DraftKvPerSequence = setup.Config.Speculation is { } t ? Speculation.SpeculationMemory.KvPerSequencePerDevice(setup, t, contextTokens) : Bytes.Zero,
        };
    }

    /// <summary>Memory left for the KV cache per device once <paramref name="weights"/> and the reserve are taken
    /// (negative when the weights do not fit): capacity − reserve − weights.</summary>
    internal static Bytes Available(ServingSetup setup, Bytes weights, out Bytes reserve)
    {
        var capacity = setup.Accelerator.Memory;
        reserve = setup.Config.MemoryReserveBasis == MemoryReserveBasis.Capacity
            ? capacity * setup.Config.MemoryReserveFraction
            : Bytes.Max(capacity - weights, Bytes.Zero) * setup.Config.MemoryReserveFraction;
        return capacity - reserve - weights;
    }

    /// <summary>⌊available / KV per sequence per device⌋, 0 when nothing is available.</summary>
    internal static int MaxBatch(Bytes available, Bytes perSequence) =>
        available.Value <= 0 ? 0 : (int)Math.Min(int.MaxValue / 2, Math.Floor(available / perSequence));

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
                plan.KvPerSequence * batch, plan.KvAvailable, plan.MaxBatch, LowerPrecisions(setup, plan.MaxBatch == 0));
        }
    }

    // Only precisions below what the setup already uses: fp8 KV cache for a bf16 cache, fp8 weights (when not even one
    // sequence fits, so freeing weight memory is the way) for weights above one byte.
    private static List<string> LowerPrecisions(ServingSetup setup, bool weightsToo)
    {
        var ways = new List<string>();
        if (setup.KvPrecision.BytesPerElement() > 1) ways.Add("fp8 KV cache");
        if (weightsToo && (setup.WeightPrecision.BytesPerElement() > 1 || setup.ExpertPrecision.BytesPerElement() > 1)) ways.Add("fp8 weights");
        return ways;
    }

    private static string WayOut(ServingSetup setup)
    {
        var usable = setup.Config.MemoryReserveBasis == MemoryReserveBasis.Capacity
            ? setup.Accelerator.Memory * (1 - setup.Config.MemoryReserveFraction)
            : setup.Accelerator.Memory;
        var total = setup.NonExpertWeightBytes + setup.ExpertWeightBytes;
        var devicesNeeded = (int)Math.Ceiling(total / usable);
        var hints = new List<string> { $"the weights alone need at least {devicesNeeded} devices per replica" };
        // A lower precision is advice only where it shrinks the weights: gpt-oss-120b's experts are already 4-bit, so
        // "fp8 weights" would double them; each part keeps its precision where the suggestion is not lower.
        foreach (var (target, name) in new[] { (Precision.Fp8, "fp8"), (Precision.Fp4, "4-bit") })
        {
            // Stored bytes, block scales included, in the setup's own layouts (a 4-bit suggestion on an NVIDIA device is NVFP4).
            var bytes = setup.Scales.BytesPerElement(target);
            var nonExpert = setup.NonExpertWeightBytes * Math.Min(1, bytes / setup.Scales.BytesPerElement(setup.WeightPrecision));
            var experts = setup.ExpertWeightBytes * Math.Min(1, bytes / setup.Scales.BytesPerElement(setup.ExpertPrecision));
            var smaller = nonExpert + experts;
            if (smaller.Value >= 0.9 * total.Value) continue;
            var which = setup.ExpertWeightBytes.Value > 0 ? $"{name} weights and experts" : $"{name} weights";
            hints.Add($"at {which} they would need {(int)Math.Ceiling(smaller / usable)}");
            break;
        }

        return "Use more GPUs per replica (" + string.Join("; ", hints) + ").";
    }
}
