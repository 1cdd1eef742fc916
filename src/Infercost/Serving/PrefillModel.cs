using Infercost.Models;
using Infercost.Quantities;

namespace Infercost.Serving;

/// <summary>Prefill (prompt processing) time and throughput.</summary>
/// <remarks>Pass time = max(FLOPs / (devices × peak × MFU), weight bytes per device / (bandwidth × MBU))
/// + tensor/expert-parallel communication + per-pass overhead. Prompts are packed into one pass up to the chunk budget,
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
        var eff = setup.Efficiency;
        var sequences = Math.Max(1, setup.Config.PrefillChunkTokens / promptTokens);
        var tokens = (double)sequences * promptTokens;
        var flopsPerPrompt = FlopCounter.Prefill(setup.Model, setup.Parameters, promptTokens);
        var flops = flopsPerPrompt * sequences;

        var replicaPeak = setup.Peak * setup.DevicesPerReplica;
        var compute = flops / (replicaPeak * eff.PrefillMfu);
        var memory = setup.WeightsPerDevice / (setup.Accelerator.MemoryBandwidth * eff.DecodeMbu);
        var comm = Communication.ForPass(setup, tokens / p.AttentionData, 1.0 / p.Pipeline);
        var bound = compute >= memory ? Bound.Compute : Bound.Memory;
        var time = Seconds.Max(compute, memory) + comm + eff.StepOverhead;

        // One prompt on an idle replica: one tensor-parallel group does the work, stage after stage.
        var ttftCompute = flopsPerPrompt / (setup.Peak * p.Tensor * eff.PrefillMfu);
        var ttftMemory = setup.WeightsPerDevice * p.Pipeline / (setup.Accelerator.MemoryBandwidth * eff.DecodeMbu);
        var ttft = Seconds.Max(ttftCompute, ttftMemory) + Communication.ForPass(setup, promptTokens, 1.0) + eff.StepOverhead;

        return new PrefillEstimate(sequences, Tokens.FromTokens(tokens), flops, compute, memory, comm, eff.StepOverhead, time, bound,
            Tokens.FromTokens(tokens) / time, ttft, flops / replicaPeak / time);
    }
}
