using Infercost.Models;
using Infercost.Quantities;

namespace Infercost.Serving;

/// <summary>Decode (token generation) step time at a batch and context.</summary>
/// <remarks>
/// Per device and step: weights read = non-expert weights / TP + expected distinct experts touched × expert bytes /
/// devices; KV read = the batch's cache share; linear FLOPs = batch × 2 × active parameters / devices; attention FLOPs
/// = batch × per-token attention at the context / devices. The step is the sum of the linear and attention rooflines
/// plus element-wise traffic, communication and overhead (<see cref="StepCost"/>; kipply 2022; Mazurek &amp; Gabriel 2025).
/// Distinct experts per MoE layer under uniform routing: E·(1 − (1 − k/E)^b) for b tokens. See docs/methodology.md#decode.</remarks>
public static class DecodeModel
{
    /// <summary>Expected distinct routed experts that <paramref name="tokens"/> tokens touch in one layer when each
    /// picks <paramref name="perToken"/> of <paramref name="experts"/> uniformly: E·(1 − (1 − k/E)^tokens).</summary>
    /// <remarks>When tokens · k/E &gt; 38 the missed share (1 − k/E)^tokens ≤ e^(−tokens·k/E) &lt; e^(−38) &lt; 2^(−54), so
    /// 1 − it rounds to exactly 1 and the answer is E: returned without the power, which for long prompts runs into
    /// the library's slow underflow path. The result is the same double either way.</remarks>
    public static double ExpectedDistinctExperts(int experts, int perToken, double tokens)
    {
        var share = (double)perToken / experts;
        return tokens * share > 38 ? experts : experts * (1 - Math.Pow(1 - share, tokens));
    }

    /// <summary>Estimates one decode step for <paramref name="batch"/> sequences at <paramref name="contextTokens"/> of context.</summary>
    public static DecodeEstimate Step(ServingSetup setup, int batch, double contextTokens)
    {
        var work = Work(setup, batch, contextTokens);
        var (weights, kv, flops, comm) = (work.WeightBytes, work.KvBytes, work.LinearFlops + work.AttentionFlops, work.Communication);
        var cost = work.Cost(setup);
        var step = cost.Total;
        var bandwidth = setup.Accelerator.MemoryBandwidth;

        return new DecodeEstimate(batch, contextTokens, weights, kv, flops, work.ExpertsTouchedPerLayer, cost.ComputeTime, cost.MemoryTime,
            comm, cost.Overhead, step, cost.Bound, Tokens.FromTokens(batch) / step, Tokens.FromTokens(1) / step,
            (weights + kv) / (bandwidth * step), flops / (setup.Peak * step))
        {
            Cost = cost,
        };
    }

    /// <summary>The step time of <see cref="Step"/> alone (the layout search's score), without the estimate record.</summary>
    internal static Seconds StepTime(ServingSetup setup, int batch, double contextTokens) => Work(setup, batch, contextTokens).Cost(setup).Total;

    private static StepWork Work(ServingSetup setup, int batch, double contextTokens)
    {
        ArgumentNullException.ThrowIfNull(setup);
        Guard.InRange(batch, 1, 10_000_000, "batch");
        Guard.InRange(contextTokens, 0, 1e9, "contextTokens");
        // One physics for every step: a decode step is a batch of sequences at one context.
        var composition = new BatchComposition();
        composition.AddDecodes(batch, contextTokens, KvCache.LayerSplit(setup.Model).Window);
        return BatchStepModel.Work(setup, composition);
    }
}
