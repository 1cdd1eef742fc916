using Infercost.Hardware;
using Infercost.Models;
using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Dataflow;

/// <summary>Decode on a pipelined SRAM-only machine (Groq LPU, Cerebras WSE-3).</summary>
/// <remarks>
/// Chips N = ⌈(weights + KV of the sequences in flight) ÷ (SRAM × usable fraction)⌉, solved with stages S = min(N, layers)
/// and b × S sequences in flight (one micro-batch of b per stage). Per stage and micro-batch: SRAM time = (weights read +
/// KV read) ÷ N ÷ SRAM bandwidth; compute = b × FLOPs per token ÷ N ÷ peak; stage = max(SRAM, compute) + 2 all-reduces
/// per layer across the stage's N ÷ S chips (hop latency + 2(w−1)/w × b × hidden × 2 B ÷ link) + one hop to the next
/// stage (latency + b × hidden × 2 B ÷ link). Token latency = (S − 1) × stage + slowest stage; throughput = b ÷ slowest
/// stage. With fewer chips than the weights need and a stream bandwidth, the excess streams from off-chip memory once per
/// pass (Cerebras weight streaming) and bounds the slowest stage. A hard max, not the GPUs' calibrated knee: these
/// machines are statically scheduled, and no GPU-fitted factor applies. The result is a bound (latency floor, speed
/// ceiling): per-layer synchronisation and on-chip traversal are not in any sourced figure and are left out. See docs/methodology.md#sram-dataflow-machines.
/// </remarks>
public static class DataflowModel
{
    /// <summary>Most chips one estimate considers.</summary>
    public const int MaxChips = 1_000_000;

    /// <summary>Activation bytes per element crossing a chip boundary (16-bit).</summary>
    public const double ActivationBytes = 2;

    /// <summary>Estimates decode of <paramref name="model"/> on <paramref name="accelerator"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="accelerator">An SRAM-only machine (its memory is the SRAM).</param>
    /// <param name="parameters">The machine's constants.</param>
    /// <param name="microBatch">Sequences per micro-batch (each stage holds one).</param>
    /// <param name="contextTokens">Context each sequence attends to.</param>
    /// <param name="chips">Chips available; null sizes the pipeline to fit.</param>
    public static DataflowEstimate Estimate(ModelArchitecture model, Accelerator accelerator, DataflowParameters parameters, int microBatch, double contextTokens, int? chips = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(accelerator);
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validated();
        Guard.InRange(microBatch, 1, 100_000, "batch");
        Guard.InRange(contextTokens, 0, 1e8, "contextTokens");
        if (chips is { } given) Guard.InRange(given, 1, MaxChips, "chips");
        var notes = new List<string>();
        if (!DataflowMachines.IsSramDataflow(accelerator))
            notes.Add($"{accelerator.Id} is not an SRAM-only dataflow machine: its memory is treated as if it were SRAM, which it is not.");

        var peak = parameters.Peak ?? accelerator.Peaks.For(parameters.WeightPrecision)
            ?? throw new InvalidInputException("peakTflops",
                $"peakTflops is required: the catalog has no dense {parameters.WeightPrecision.Name()} peak for {accelerator.Id}" +
                (accelerator.Vendor == "Cerebras" ? " (Cerebras publishes only a sparse 125 PFLOPS headline)." : "."));

        var p = ParameterCounter.Count(model);
        var bpe = ScaleLayouts.For(model, accelerator.Vendor, requested: null).BytesPerElement(parameters.WeightPrecision);
        var weights = Bytes.FromBytes(p.Total * bpe);
        var kvPerSequence = KvCache.BytesPerSequence(model, Precision.Bf16, contextTokens);
        var capacity = accelerator.Memory.Value * parameters.SramUsableFraction;
        // Chips needed: N × capacity ≥ weights + b × S × KV per sequence, S = min(N, layers).
        var needed = (int)Math.Ceiling(weights.Value / capacity);
        for (var i = 0; i < 64; i++)
        {
            var stages = Math.Min(needed, model.Layers);
            var next = (int)Math.Ceiling((weights.Value + (microBatch * stages * kvPerSequence.Value)) / capacity);
            if (next <= needed) break;
            needed = next;
        }

        if (needed > MaxChips)
            throw new InvalidInputException("chips", $"chips needed ({needed}) exceed the {MaxChips} this estimate considers.");

        var n = chips ?? needed;
        var s = Math.Min(n, model.Layers);
        var kvTotal = Bytes.FromBytes(microBatch * s * kvPerSequence.Value);
        var streamed = Bytes.FromBytes(Math.Max(0, weights.Value + kvTotal.Value - (n * capacity)));
        if (streamed.Value > 0 && parameters.StreamBandwidth is null)
        {
            throw new InvalidInputException("chips",
                $"chips must be at least {needed} for {model.Id}'s {Guard.Format(weights.Value / 1e9)} GB of weights and the KV in flight; was {n}. Give --stream-gbps to stream the rest from off-chip memory.");
        }

        // Bytes read per micro-batch: non-expert weights once, the routed experts the micro-batch touches, the KV.
        var expertShare = model.Moe is { } moe ? DecodeModel.ExpectedDistinctExperts(moe.Experts, moe.ExpertsPerToken, microBatch) / moe.Experts : 1;
        var read = ((p.NonExpert + (p.RoutedExpertsTotal * expertShare)) * bpe) + (microBatch * kvPerSequence.Value);
        var sram = Seconds.FromSeconds(Math.Min(read, weights.Value + kvTotal.Value - streamed.Value) / n / accelerator.MemoryBandwidth.Value);
        var flops = FlopCounter.DecodePerToken(model, p, contextTokens) * (microBatch / (double)n);
        var compute = flops / peak;
        var width = (double)n / s;
        var activation = microBatch * model.HiddenSize * ActivationBytes;
        var layersPerStage = (double)model.Layers / s;
        var collectives = width > 1
            ? Seconds.FromSeconds(layersPerStage * 2 * (parameters.HopLatency.Value + (2 * (width - 1) / width * activation / parameters.LinkBandwidth.Value)))
            : Seconds.Zero;
        var hop = Seconds.FromSeconds(parameters.HopLatency.Value + (activation / parameters.LinkBandwidth.Value));
        var stage = Seconds.Max(sram, compute) + collectives + hop;
        var stream = parameters.StreamBandwidth is { } sb && streamed.Value > 0 ? streamed / sb : Seconds.Zero;
        var slowest = stage + stream;
        var latency = (stage * (s - 1)) + slowest;
        var tps = Tokens.FromTokens(microBatch) / slowest;
        var bound = stream > Seconds.Max(sram, compute) && stream > collectives + hop ? "weight streaming"
            : collectives + hop > Seconds.Max(sram, compute) ? "chip-to-chip links"
            : compute > sram ? "compute" : "SRAM bandwidth";
        Watts? power = accelerator.Tdp is { } tdp ? tdp * n : null;
        double? joules = power is { } w ? Watts.JoulesPerToken(w, tps) : null;
        notes.Add("A bound, not a prediction: the stage runs at peak SRAM bandwidth and compute with no per-layer synchronisation or on-chip traversal time (no sourced figure exists for either), so the latency is a floor and the speed a ceiling.");
        notes.Add("No GPU-calibrated factor (MFU, MBU, step overhead, collective latency) is applied: the stage is a hard roofline at peak SRAM bandwidth and compute, with the hop latency and link bandwidth given.");
        if (accelerator.Tdp is null) notes.Add($"No power figure for {accelerator.Id}: energy per token is not computed.");
        return new DataflowEstimate(model.Id, accelerator.Id, n, s, width, microBatch, microBatch * s, contextTokens, weights, kvTotal,
            streamed, sram, compute, collectives, hop, stream, stage, slowest, latency, Tokens.FromTokens(1) / latency, tps, bound,
            power, joules, notes);
    }
}
