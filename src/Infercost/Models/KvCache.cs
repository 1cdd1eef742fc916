using Infercost.Quantities;

namespace Infercost.Models;

/// <summary>Key/value cache sizes.</summary>
/// <remarks>GQA/MHA: 2 (K and V) × kv_heads × head_dim × bytes per layer per token; sliding-window layers hold at most
/// the window. MLA: (kv_lora_rank + qk_rope_head_dim) × bytes per layer per token (one shared latent, no per-head K/V).
/// Sources: Mazurek &amp; Gabriel 2025 (327,680 B/token for Llama 3.3 70B at bf16); DeepSeek-V2 paper §2.1 (MLA cache).
/// See docs/methodology.md#kv-cache.</remarks>
public static class KvCache
{
    /// <summary>Elements one layer caches per token.</summary>
    public static double ElementsPerTokenPerLayer(ModelArchitecture model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Attention == AttentionKind.Mla && model.Mla is { } mla
            ? mla.KvLoraRank + mla.QkRopeHeadDim
            : 2.0 * model.KvHeads * model.HeadDim;
    }

    /// <summary>Bytes per token across all layers when no sliding window caps them (the headline "KV bytes per token").</summary>
    public static Bytes BytesPerToken(ModelArchitecture model, Precision kvPrecision) =>
        Bytes.FromBytes(ElementsPerTokenPerLayer(model) * model.Layers * kvPrecision.BytesPerElement());

    /// <summary>Bytes one sequence of <paramref name="contextTokens"/> tokens caches across all layers, with
    /// sliding-window layers capped at their window.</summary>
    public static Bytes BytesPerSequence(ModelArchitecture model, Precision kvPrecision, double contextTokens)
    {
        var perLayerToken = ElementsPerTokenPerLayer(model) * kvPrecision.BytesPerElement();
        var (fullLayers, slidingLayers, window) = LayerSplit(model);
        return Bytes.FromBytes(perLayerToken * (fullLayers * contextTokens + slidingLayers * Math.Min(contextTokens, window)));
    }

    /// <summary>Full-attention layers, sliding-window layers and the window length.</summary>
    public static (int Full, int Sliding, double Window) LayerSplit(ModelArchitecture model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.SlidingWindow is { } sw
            ? (model.Layers - sw.Layers, sw.Layers, sw.WindowTokens)
            : (model.Layers, 0, double.PositiveInfinity);
    }
}
