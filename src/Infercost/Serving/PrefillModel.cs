using Infercost.Models;
using Infercost.Quantities;

namespace Infercost.Serving;

/// <summary>Prefill (prompt processing) time and throughput.</summary>
/// <remarks>Pass time = linear roofline (FLOPs / (devices × peak × matmul MFU) against weight bytes per device /
/// (bandwidth × MBU)) + attention FLOPs / (devices × peak × attention MFU) + element-wise traffic
/// + tensor/expert-parallel communication + per-pass overhead (<see cref="StepCost"/>). Prompts are packed into one pass up to the chunk budget,
/// so short prompts share one read of the weights. Time to first token is one prompt alone: its FLOPs run on one
/// tensor-parallel group, the pipeline stages one after another. See docs/methodology.md#prefill.</remarks>
public static class PrefillModel
{
    /// <summary>Estimates a prefill pass of prompts of <paramref name="promptTokens"/> tokens.</summary>
    public static PrefillEstimate Estimate(ServingSetup setup, int promptTokens)
    {
        ArgumentNullException.ThrowIfNull(setup);
        Guard.InRange(promptTokens, 1, 100_000_000, "inputTokens");
        var p = setup.Parallelism;
        // Each attention data-parallel rank packs its own chunk, so a pass carries chunk × DP tokens.
        var sequences = Math.Max(1, setup.Config.PrefillChunkTokens * p.AttentionData / promptTokens);
        var tokens = (double)sequences * promptTokens;
        var flopsPerPrompt = FlopCounter.Prefill(setup.Model, setup.Parameters, promptTokens);
        var flops = flopsPerPrompt * sequences;

        var n = setup.DevicesPerReplica;
        var linearPerToken = FlopCounter.LinearPerTokenWithoutHead(setup.Parameters);
        var head = FlopCounter.LmHeadPerToken(setup.Model);
        var linearFlops = linearPerToken * tokens + head * sequences;
        var attentionFlops = flops - linearFlops;
        // Pipelined, each stage reads its own weights once per pass: the per-round figure (which counts every stage's
        // re-reads for PP micro-batches) divided by PP.
        var weights = setup.WeightBytesReadPerDevice(tokens, out var touched) / p.Pipeline;
        var comm = Communication.ForPass(setup, tokens / p.AttentionData, 1.0 / p.Pipeline);
        // The head's logits (last token of each prompt) at its own matrix precision (ServingSetup.LmHeadExtraTime).
        var headExtra = head * setup.LmHeadExtraTime;
        // The busiest expert's extra rows (ServingSetup.ImbalanceFlopsPerToken), timed but not counted.
        var imbalance = Flops.FromFlops(setup.ImbalanceFlopsPerToken);
        // A MoE kernel's token tiles in place of the dense padding (ServingSetup.ExpertTileFlops), per device of the pass.
        var tiles = Flops.FromFlops(setup.ExpertTileFlops(tokens, touched, 1.0 / n, 1.0 / n));
        var cost = StepCost.Of(setup, (linearFlops + headExtra * sequences + imbalance * tokens) / n + tiles, weights, attentionFlops / n, Bytes.Zero, tokens, comm, promptTokens, touched);
        var time = cost.Total;

        // One prompt on an idle replica: one tensor-parallel group does the work, the pipeline stages one after another.
        var groupShare = 1.0 / p.Tensor;
        var singleWeights = setup.WeightBytesReadPerDevice(promptTokens, out var touchedByOne);
        var single = StepCost.Of(setup,
            ((linearPerToken + imbalance) * promptTokens + head + headExtra) * groupShare
                + Flops.FromFlops(setup.ExpertTileFlops(promptTokens, touchedByOne, groupShare, (double)p.Pipeline / n)),
            singleWeights,
            (flopsPerPrompt - linearPerToken * promptTokens - head) * groupShare,
            Bytes.Zero, promptTokens * (double)n / p.Tensor, Communication.ForPass(setup, promptTokens, 1.0), promptTokens, touchedByOne);
        var ttft = single.Total;
        return new PrefillEstimate(sequences, Tokens.FromTokens(tokens), flops, cost.ComputeTime, cost.MemoryTime, comm, cost.Overhead, time,
            cost.Bound, Tokens.FromTokens(tokens) / time, ttft, flops / (setup.Peak * n) / time)
        {
            Cost = cost,
        };
    }
}
