using Infercost.Models;
using Infercost.Quantities;

namespace Infercost.Serving;

/// <summary>Decode (token generation) step time at a batch and context.</summary>
/// <remarks>
/// Per device and step: weights read = non-expert weights / TP (each pipeline stage re-reads its weights for each of
/// the PP micro-batches, so pipelining does not cut this term) + expected distinct experts touched × expert bytes / devices;
/// KV read = the batch's cache share; FLOPs = batch × FLOPs per token / devices.
/// Step = max(FLOPs / (peak × MFU), bytes / (bandwidth × MBU)) + communication + overhead (kipply 2022;
/// Mazurek &amp; Gabriel 2025). Distinct experts per MoE layer under uniform routing: E·(1 − (1 − k/E)^b) for b tokens.
/// See docs/methodology.md#decode.</remarks>
public static class DecodeModel
{
    /// <summary>Expected distinct routed experts that <paramref name="tokens"/> tokens touch in one layer when each
    /// picks <paramref name="perToken"/> of <paramref name="experts"/> uniformly: E·(1 − (1 − k/E)^tokens).</summary>
    public static double ExpectedDistinctExperts(int experts, int perToken, double tokens) =>
        experts * (1 - Math.Pow(1 - (double)perToken / experts, tokens));

    /// <summary>Estimates one decode step for <paramref name="batch"/> sequences at <paramref name="contextTokens"/> of context.</summary>
    public static DecodeEstimate Step(ServingSetup setup, int batch, double contextTokens)
    {
        ArgumentNullException.ThrowIfNull(setup);
        Guard.InRange(batch, 1, 10_000_000, "batch");
        Guard.InRange(contextTokens, 0, 1e9, "contextTokens");
        var p = setup.Parallelism;
        var m = setup.Model;
        var eff = setup.Efficiency;
        var n = setup.DevicesPerReplica;
        double microBatch = (double)batch / p.Pipeline;

        var embeddingBytes = Bytes.FromBytes(setup.Parameters.InputEmbedding * setup.WeightPrecision.BytesPerElement());
        var denseRead = (setup.NonExpertWeightBytes - (m.TieWordEmbeddings ? Bytes.Zero : embeddingBytes)) / p.Tensor;
        double touched = 0;
        var expertRead = Bytes.Zero;
        if (m.Moe is { } moe)
        {
            touched = ExpectedDistinctExperts(moe.Experts, moe.ExpertsPerToken, microBatch);
            var perExpert = setup.ExpertWeightBytes / ((double)m.MoeLayers * moe.Experts);
            expertRead = perExpert * (p.Pipeline * m.MoeLayers * touched / n);
        }

        var weights = denseRead + expertRead;
        var kv = setup.KvPerDevice(batch, contextTokens);
        var flops = FlopCounter.DecodePerToken(m, setup.Parameters, contextTokens) * ((double)batch / n);

        var bandwidth = setup.Accelerator.MemoryBandwidth;
        var compute = flops / (setup.Peak * eff.DecodeMfu);
        var memory = (weights + kv) / (bandwidth * eff.DecodeMbu);
        var comm = Communication.ForPass(setup, microBatch / p.AttentionData, 1.0) ;
        var bound = compute >= memory ? Bound.Compute : Bound.Memory;
        var step = Seconds.Max(compute, memory) + comm + eff.StepOverhead;

        return new DecodeEstimate(batch, contextTokens, weights, kv, flops, touched, compute, memory, comm, eff.StepOverhead, step, bound,
            Tokens.FromTokens(batch) / step, Tokens.FromTokens(1) / step,
            (weights + kv) / (bandwidth * step), flops / (setup.Peak * step));
    }
}
