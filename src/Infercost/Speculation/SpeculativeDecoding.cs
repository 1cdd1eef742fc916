using Infercost.Models;
using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Speculation;

// Built on the public step API only (BatchComposition + BatchStepModel), so whatever physics the step model carries
// (rooflines, kernel curves, engine profiles) applies to the verify and draft passes the same way it does to decode.

/// <summary>Speculative decoding and multi-token prediction as steps of the batch step model.</summary>
/// <remarks>
/// Verify pass for B sequences at context c with k drafts: each sequence is a decode at context c (its KV read once,
/// as attention kernels share it across the query tokens) plus a k-token chunk at c + 1 cached tokens (the extra
/// queries' linear and attention FLOPs), plus the output head for those k positions; weights are read once for the
/// B(k + 1) tokens (a MoE touches more experts). Draft: MTP runs k passes of its block(s) over B tokens inside the
/// step's graph (no extra fixed overhead); a draft model runs k full decode steps. Step = verify + draft; tokens per
/// sequence per step = 1 + Σ_{i≤k} Π_{j≤i} a_j; speed-up = (B × tokens per step ÷ step) ÷ (B ÷ plain step). As B grows
/// the verify pass reaches the compute roof and its time grows with k + 1, so the gain shrinks and can fall below 1.
/// See docs/methodology.md#speculative-decoding.
/// </remarks>
public static class SpeculativeDecoding
{
    /// <summary>Most sequences one estimate holds (the verify composition is built sequence by sequence).</summary>
    public const int MaxBatch = 100_000;

    /// <summary>Estimates one speculative step of <paramref name="batch"/> sequences at <paramref name="contextTokens"/>.</summary>
    public static SpeculativeStep Step(ServingSetup setup, int batch, double contextTokens, SpeculationConfig config)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(config);
        config.Validated();
        Guard.InRange(batch, 1, MaxBatch, "batch");
        Guard.InRange(contextTokens, 0, 1e8, "contextTokens");
        var k = config.Length;
        var model = setup.Model;
        var window = KvCache.LayerSplit(model).Window;
        var baseline = DecodeModel.Step(setup, batch, contextTokens);

        var composition = new BatchComposition();
        composition.AddDecodes(batch, contextTokens, window);
        var cached = (int)Math.Round(contextTokens) + 1;
        for (var s = 0; s < batch; s++) composition.AddPrefillChunk(k, cached, window);
        var work = BatchStepModel.Work(setup, composition);
        var head = FlopCounter.LmHeadPerToken(model) * (k * (double)batch / setup.DevicesPerReplica);
        work = work with { LinearFlops = work.LinearFlops + head };
        var verify = work.Cost(setup);

        var (draftTime, draftFlops, draftKv) = Draft(setup, batch, contextTokens, config);
        var step = verify.Total + draftTime;
        var perStep = config.ExpectedTokensPerStep;
        var tps = Tokens.FromTokens(batch * perStep) / step;
        var peak = setup.Peak;
        var baselineFlops = baseline.FlopsPerDevice;
        return new SpeculativeStep(config, batch, contextTokens, baseline, verify, draftTime, step, perStep, tps,
            Tokens.FromTokens(perStep) / step, tps / baseline.TokensPerSecond,
            baseline.FlopUtilisation, baselineFlops * perStep / (peak * step),
            (work.LinearFlops + work.AttentionFlops + draftFlops) / (peak * step), baseline.BandwidthUtilisation,
            Math.Min(1, baseline.ComputeTime / baseline.StepTime), Math.Min(1, verify.ComputeTime / step), verify.Bound, draftKv);
    }

    private static (Seconds Time, Flops Flops, Bytes KvPerToken) Draft(ServingSetup setup, int batch, double context, SpeculationConfig config)
    {
        var k = config.Length;
        var model = setup.Model;
        if (config.Method == SpeculationMethod.Mtp)
        {
            var block = model with
            {
                Id = model.Id + "-mtp",
                Layers = config.MtpLayers,
                MtpLayers = 0,
                Moe = model.Moe is { } moe ? moe with { FirstDenseLayers = 0 } : null,
                SlidingWindow = null,
            };
            var mtp = new ServingSetup(block, setup.Accelerator, setup.Parallelism, setup.Config);
            var pass = DecodeModel.Step(mtp, batch, context);
            var time = (pass.StepTime - pass.Overhead) * k;
            return (time, pass.FlopsPerDevice * k, KvCache.BytesPerToken(block, setup.KvPrecision));
        }

        var draft = config.Draft!;
        var p = setup.Parallelism;
        var layout = new Parallelism(Math.Min(p.Tensor, Math.Max(1, draft.KvHeads)), p.Pipeline, 1, p.AttentionData);
        var draftSetup = new ServingSetup(draft, setup.Accelerator, layout, setup.Config with { Parallelism = layout });

        // A draft on a narrower tensor group runs as p.Tensor / its TP copies side by side, each with its share of the batch.
        var copies = p.Tensor / layout.Tensor;
        var steps = DecodeModel.Step(draftSetup, (batch + copies - 1) / copies, context);
        return (steps.StepTime * k, steps.FlopsPerDevice * k, KvCache.BytesPerToken(draft, setup.KvPrecision));
    }
}
