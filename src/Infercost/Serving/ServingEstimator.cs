using System.Collections.Concurrent;
using Infercost.Hardware;
using Infercost.Models;

namespace Infercost.Serving;

/// <summary>The serving model's front door: validates a configuration, picks a layout if needed, checks memory, and
/// estimates prefill, decode and cluster throughput.</summary>
public static class ServingEstimator
{
    /// <summary>Estimates serving <paramref name="model"/> on <paramref name="accelerator"/> under <paramref name="config"/>.</summary>
    /// <exception cref="InvalidInputException">A field is out of range.</exception>
    /// <exception cref="ModelDoesNotFitException">The weights or the batch's KV cache do not fit.</exception>
    public static ServingEstimate Estimate(ModelArchitecture model, Accelerator accelerator, ServingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validated();
        var setup = config.Parallelism is { } parallelism
            ? new ServingSetup(model, accelerator, parallelism, config)
            : ParallelismPlanner.ChooseSetup(model, accelerator, config);
        return Estimate(setup);
    }

    /// <summary>Estimates a resolved setup at its configured (or automatic) batch.</summary>
    public static ServingEstimate Estimate(ServingSetup setup, int? batchOverride = null)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var config = setup.Config;
        var context = config.InputTokens + config.OutputTokens;
        var memory = MemoryPlanner.Plan(setup, context);
        // Each attention data-parallel rank schedules its own sequences, so the cap applies per rank (as in SGLang and vLLM).
        var batch = batchOverride ?? config.Batch ?? Math.Min(Math.Max(memory.MaxBatch, 1), config.MaxBatch * setup.Parallelism.AttentionData);
        MemoryPlanner.EnsureFits(setup, memory, batch);

        var prefill = PrefillModel.Estimate(setup, config.InputTokens);
        // A client's first token also waits for the engine's request path (TensorRT-LLM 0.14's Triton front end,
        // CalibratedOnlineRuntime.RequestLatencyMs fitted on the online runs; zero for the other profiles), as the
        // simulator's TTFT does (MetricsCollector). The pass's time and tokens/s are the engine's and stay as they are.
        if (config.Engine.Runtime?.RequestLatency is { Value: > 0 } path)
        {
            prefill = prefill with { TimeToFirstToken = prefill.TimeToFirstToken + path };
        }

        var decodeContext = config.InputTokens + config.OutputTokens / 2.0;
        DecodeEstimate decode;
        Speculation.SpeculationSummary? speculation = null;
        Quantities.Seconds latency;
        if (config.Speculation is { } spec)
        {
            // Each step keeps 1 + Σ Π a_j tokens per sequence: the decode is the speculative step, per token its share.
            var step = Speculation.SpeculativeDecoding.Step(setup, batch, decodeContext, spec);
            decode = step.AsDecode(setup);
            speculation = Speculation.SpeculationSummary.Of(setup, step, context);
            latency = prefill.TimeToFirstToken + Quantities.Tokens.FromTokens(config.OutputTokens) / decode.TokensPerSecondPerUser;
        }
        else
        {
            decode = DecodeModel.Step(setup, batch, decodeContext);
            latency = prefill.TimeToFirstToken + decode.StepTime * config.OutputTokens;
        }

        var replicas = config.TotalDevices / setup.DevicesPerReplica;
        var idle = config.TotalDevices - replicas * setup.DevicesPerReplica;

        var coverage = Calibration.CoverageMemo.For(Calibration.CalibrationCoverage.Shipped, Calibration.CalibratedEfficiency.Bands, setup, config.Engine, batch);
        var notes = Notes(setup, context, idle, coverage.Line);
        if (config.Engine.Runtime?.RequestLatency is { Value: > 0 } requestPath)
        {
            notes.Add($"Time to first token and request latency include {config.Engine.Name}'s request path of " +
                $"{(requestPath.Value * 1000).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)} ms (its front end, fitted on the online runs).");
        }
        return new ServingEstimate(setup.Model.Id, setup.Accelerator.Id, setup.Parallelism, config.TotalDevices, replicas, idle,
            setup.WeightPrecision, setup.ExpertPrecision, setup.KvPrecision, setup.ComputePrecision, setup.Peak,
            setup.Parameters.Total, setup.Parameters.ActiveCompute, config.InputTokens, config.OutputTokens,
            memory, prefill, decode,
            prefill.TokensPerSecond * replicas, decode.TokensPerSecond * replicas, latency, notes)
        {
            Extrapolating = coverage.Extrapolating,
            ThroughputBand = coverage.Band,
            Engine = config.Engine.Name,
            Speculation = speculation,
            GpuDerivedConstants = GpuFittedConstants.For(setup),
        };
    }

    /// <summary>The table-precision notes made so far, one per (tied, head, embedding, other weights): bounded by the
    /// precisions there are. Building the text on every estimate took a quarter of a given-layout estimate's allocation
    /// where the tables differ from the weights (DeepSeek-R1: bf16 head and embedding beside fp8).</summary>
    private static readonly ConcurrentDictionary<(bool Tied, Precision Head, Precision Embedding, Precision Weights), string> TableNotes = new();

    private static string TableNote((bool Tied, Precision Head, Precision Embedding, Precision Weights) key)
    {
        var tables = key.Tied
            ? $"the tied embedding / LM head is {key.Head.Name()}"
            : $"the LM head is {key.Head.Name()} and the input embedding {key.Embedding.Name()}";
        return $"As the checkpoint stores them, {tables} (other weights {key.Weights.Name()}): the head is read, and its logits computed, at its precision every decode step; --weights sets them all.";
    }

    // The torus a TPU's tensor group runs its all-reduces on, with the terms the formula used.
    private static string? TorusNote(ServingSetup setup)
    {
        var tensor = setup.Parallelism.Tensor;
        if (!TorusCollectives.Applies(setup.Accelerator, tensor)) return null;
        var (shape, wraps, link, hop) = TorusCollectives.Terms(setup.Accelerator, tensor);
        return $"Tensor-parallel all-reduces run on a {TorusCollectives.ShapeText(shape)} ICI {setup.Accelerator.Interconnect.Name()} slice"
               + (wraps ? "" : " without wraparound links")
               + $": {Guard.Format(Math.Round(link / 1e9, 1))} GB/s per link and direction, {Guard.Format(Math.Round(hop * 1e6, 2))} µs per ring step, axis by axis; no GPU-fitted collective term applies.";
    }

    // Which block-scale layout the 4-bit tensors are counted in, and who chose it; null when nothing is 4-bit.
    private static string? ScalesNote(ServingSetup setup)
    {
        Precision[] stored = [setup.WeightPrecision, setup.ExpertPrecision, setup.KvPrecision, setup.LmHeadPrecision, setup.EmbeddingPrecision];
        var parts = new List<string>();
        if (stored.Contains(Precision.Fp4))
        {
            var why = setup.Config.Fp4Format is not null ? "as requested"
                : setup.Model.Fp4Scales is not null ? "the checkpoint's layout"
                : $"the default FP4 layout on {setup.Accelerator.Vendor}";
            var f = setup.Scales.Format(Precision.Fp4);
            parts.Add($"fp4 as {f.Name} ({why}: one scale per {f.Scales.BlockElements} elements, {Guard.Format(f.BitsPerElement)} bits per element)");
        }

        if (stored.Contains(Precision.Int4))
        {
            var f = setup.Scales.Format(Precision.Int4);
            parts.Add(f.Scales.BlockElements > 0
                ? $"int4 in groups of {f.Scales.BlockElements} ({(setup.Model.Int4Scales is null ? "AWQ/GPTQ's default" : "the checkpoint's")}: {Guard.Format(f.BitsPerElement)} bits per element with scales{(f.Scales.ZeroPointBits > 0 ? " and zero points" : "")})"
                : "int4 with per-channel scales (4 bits per element)");
        }

        return parts.Count == 0 ? null : $"4-bit tensors are counted with their block scales: {string.Join("; ", parts)}. See docs/methodology.md#precision.";
    }

    private static List<string> Notes(ServingSetup setup, int context, int idle, string? extrapolating)
    {
        var notes = new List<string>();
        if (extrapolating is not null) notes.Add(extrapolating);
        var m = setup.Model;
        var p = setup.Parallelism;
        if (context > m.MaxContextTokens)
        {
            notes.Add($"Context {context} tokens exceeds {m.Id}'s maximum of {m.MaxContextTokens}.");
        }

        if (Dataflow.DataflowMachines.IsSramDataflow(setup.Accelerator))
        {
            notes.Add($"{setup.Accelerator.Id} is an SRAM-only dataflow machine: the efficiency factors here were fitted on GPUs and do not apply to it; 'infercost dataflow' uses its own pipeline model.");
        }

        if (TorusNote(setup) is { } torus) notes.Add(torus);
        if (GpuFittedConstants.For(setup) is { Count: > 0 } fitted)
        {
            notes.Add($"{setup.Accelerator.Id} is not a GPU, yet these constants fitted on GPUs enter its step (no measurement of it exists to replace them): {string.Join("; ", fitted)}.");
        }

        if (setup.LmHeadPrecision != setup.WeightPrecision || (!m.TieWordEmbeddings && setup.EmbeddingPrecision != setup.WeightPrecision))
        {
            notes.Add(TableNotes.GetOrAdd((m.TieWordEmbeddings, setup.LmHeadPrecision, setup.EmbeddingPrecision, setup.WeightPrecision), TableNote));
        }

        if (ScalesNote(setup) is { } scales) notes.Add(scales);
        if (idle > 0) notes.Add($"{idle} device(s) do not make a whole replica; they are paid for but idle.");
        if (p.Tensor > setup.Accelerator.ScaleUpDomain)
        {
            notes.Add($"Tensor parallelism {p.Tensor} spans more than one {setup.Accelerator.ScaleUpDomain}-device scale-up domain; its all-reduces use the network.");
        }

        if (m.Attention == AttentionKind.Mla && p.Tensor > 1)
        {
            notes.Add("MLA's latent KV cache is replicated on every tensor-parallel rank; attention data parallelism (--dp) avoids that.");
        }

        if (m.Attention == AttentionKind.Gqa && p.Tensor > m.KvHeads)
        {
            notes.Add($"Tensor parallelism {p.Tensor} exceeds {m.KvHeads} KV heads; KV heads are replicated.");
        }

        if (p.Expert > 1)
        {
            notes.Add(p.Expert > setup.Accelerator.ScaleUpDomain
                ? $"Expert parallelism {p.Expert} spans more than one {setup.Accelerator.ScaleUpDomain}-device domain: its all-to-alls cross the network and are not overlapped with compute here (DeepSeek and SGLang overlap them with two micro-batches), so prefill time is pessimistic."
                : "Expert all-to-alls are not overlapped with compute here; engines that overlap them run faster.");
        }

        if (setup.Config.Speculation is { } speculation)
        {
            var e = Guard.Format(speculation.ExpectedTokensPerStep);
            // A chain verifies k + 1 tokens; a tree its nodes + 1 (the text says which).
            var verified = speculation.Tree is null ? "k + 1 tokens per sequence"
                : $"{speculation.VerifyTokens + 1} tokens per sequence (a tree of {string.Join(",", speculation.Tree)} nodes per depth)";
            notes.Add(speculation.Method switch
            {
                Speculation.SpeculationMethod.Mtp => $"Decode speculates with {m.Id}'s MTP module(s), k = {speculation.Length}: each step verifies {verified} and keeps {e} on average; the modules' weights and KV are in the memory plan.",
                Speculation.SpeculationMethod.Medusa => $"Decode speculates with {speculation.Length} Medusa heads: each step verifies {verified} and keeps {e} on average; the heads' weights are in the memory plan.",
                Speculation.SpeculationMethod.Eagle => $"Decode speculates with an EAGLE layer, k = {speculation.Length}: each step drafts depth by depth and verifies {verified}, keeping {e} on average; the layer's weights and KV are in the memory plan.",
                _ => $"Decode speculates with draft model {speculation.Draft!.Id}, k = {speculation.Length}: each step runs k draft steps and verifies {verified}, keeping {e} on average; the draft's weights and KV are in the memory plan.",
            });
        }

        if (m.IsMoe) notes.Add("MoE expert reads assume uniform routing; real routing is skewed and touches somewhat fewer experts.");
        return notes;
    }
}
