using Infercost.Models;
using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Speculation;

/// <summary>What speculation keeps in device memory beside the served model: the draft's (or the MTP modules')
/// weights and KV cache. <see cref="ServingSetup.WeightsPerDevice"/> and <see cref="ServingSetup.KvPerDevice"/> add
/// these, so the memory plan, the largest batch and the simulator's KV blocks all include the draft.</summary>
/// <remarks>
/// MTP (DeepSeek-V3 §2.2): each module is one transformer layer of the model's shape plus a 2h → h projection and two
/// norms; its embedding and output head are the main model's (shared when served, though the checkpoint stores them
/// again), so per device: the module's routed experts ÷ the last pipeline stage's devices + the rest ÷ TP (the modules
/// sit on the last stage, which binds). KV per sequence: one layer's KV per module ÷ the attention-DP ranks and KV shards.
/// A draft model: its weights ÷ (its TP × pipeline stages) on every device (each side-by-side copy holds it whole);
/// its KV per sequence ÷ (attention-DP × pipeline × served TP), the batch being shared among the copies.
/// Medusa (Cai et al. 2024 §2.1.1): D heads of h² + h + V·h parameters ÷ TP, no KV. EAGLE (Li et al. 2024 §3): one dense
/// decoder layer of the model's shape plus a 2h → h projection ÷ TP, one layer's KV per sequence like an MTP module.
/// </remarks>
public static class SpeculationMemory
{
    /// <summary>Draft or MTP weight bytes per device of <paramref name="setup"/>'s layout.</summary>
    public static Bytes WeightsPerDevice(ServingSetup setup, SpeculationConfig config)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var p = setup.Parallelism;
        return WeightsPerDevice(setup, config, p.Tensor, p.Pipeline, setup.DevicesPerReplica);
    }

    /// <summary>Draft or MTP weight bytes per device under a layout of <paramref name="tensor"/> × <paramref name="pipeline"/>
    /// with <paramref name="devices"/> per replica.</summary>
    public static Bytes WeightsPerDevice(ServingSetup setup, SpeculationConfig config, int tensor, int pipeline, int devices)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(config);
        var model = setup.Model;
        if (config.Method == SpeculationMethod.Medusa)
        {
            // Medusa: D heads of W₁ (h × h) and W₂ (vocabulary × h) each, on the last stage, sharded over its tensor ranks.
            return Bytes.FromBytes(config.Length * Drafter.MedusaHeadParameters(model) * setup.Scales.BytesPerElement(setup.WeightPrecision) / tensor);
        }

        if (config.Method == SpeculationMethod.Eagle)
        {
            // EAGLE: one dense decoder layer plus the 2h → h input projection, sharing the embedding and output head.
            var dense = ParameterCounter.Count(Drafter.Block(model, config));
            double h = model.HiddenSize;
            var layer = (2 * h * h) + dense.AttentionPerLayer + dense.NormsPerLayer + dense.DenseMlpPerLayer;
            return Bytes.FromBytes(layer * setup.Scales.BytesPerElement(setup.WeightPrecision) / tensor);
        }

        if (config.Method == SpeculationMethod.Mtp)
        {
            var modules = model.MtpLayers > 0 ? model.MtpLayers : config.MtpLayers;
            var counted = ParameterCounter.Count(model with { MtpLayers = modules });
            var shared = modules * (counted.InputEmbedding + counted.LmHead);
            var routed = model.Moe is { } moe ? modules * moe.Experts * counted.RoutedExpert : 0;
            var rest = Math.Max(0, counted.MultiTokenPrediction - shared - routed);
            return Bytes.FromBytes((routed * setup.Scales.BytesPerElement(setup.ExpertPrecision) * pipeline / devices)
                                   + (rest * setup.Scales.BytesPerElement(setup.WeightPrecision) / tensor));
        }

        var draft = Draft(setup, config, tensor, pipeline);
        return (draft.NonExpertWeightBytes + draft.ExpertWeightBytes) / (draft.Parallelism.Tensor * pipeline);
    }

    /// <summary>Draft or MTP KV bytes per device for one sequence of <paramref name="contextTokens"/> tokens under
    /// <paramref name="setup"/>'s layout.</summary>
    public static Bytes KvPerSequencePerDevice(ServingSetup setup, SpeculationConfig config, double contextTokens)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var p = setup.Parallelism;
        return KvPerSequencePerDevice(setup, config, p.Tensor, p.Pipeline, p.AttentionData, contextTokens);
    }

    /// <summary>As <see cref="KvPerSequencePerDevice(ServingSetup, SpeculationConfig, double)"/> under another layout.</summary>
    public static Bytes KvPerSequencePerDevice(ServingSetup setup, SpeculationConfig config, int tensor, int pipeline, int attentionData, double contextTokens)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(config);
        var model = setup.Model;
        if (config.Method == SpeculationMethod.Medusa) return Bytes.Zero;
        if (config.Method is SpeculationMethod.Mtp or SpeculationMethod.Eagle)
        {
            var modules = config.Method == SpeculationMethod.Eagle ? 1 : model.MtpLayers > 0 ? model.MtpLayers : config.MtpLayers;
            var layer = model with { Layers = 1, MtpLayers = 0, SlidingWindow = null, Moe = model.Moe is { } moe ? moe with { FirstDenseLayers = 0 } : null };
            var shard = model.Attention == AttentionKind.Gqa ? Math.Min(tensor, model.KvHeads) : 1;
            return KvCache.BytesPerSequence(layer, setup.KvFormat, contextTokens) * (modules / (double)(attentionData * shard));
        }

        var draft = Draft(setup, config, tensor, pipeline);
        var copies = tensor / draft.Parallelism.Tensor;
        return KvCache.BytesPerSequence(draft.Model, draft.KvFormat, contextTokens)
               * (1.0 / (attentionData * pipeline * copies * draft.Parallelism.Tensor));
    }

    private static ServingSetup Draft(ServingSetup setup, SpeculationConfig config, int tensor, int pipeline)
    {
        var draft = config.Draft ?? throw new InvalidInputException("draftModel", "draftModel is required when specMethod is draft.");
        var layout = new Parallelism(Math.Min(tensor, Math.Max(1, draft.KvHeads)), pipeline, 1, 1);
        return new ServingSetup(draft, setup.Accelerator, layout, setup.Config with { Parallelism = layout, Speculation = null, ExpertWeightPrecision = null });
    }
}
