using Infercost.Quantities;

namespace Infercost.Models;

/// <summary>Key/value cache sizes, and the fixed state of recurrent layers.</summary>
/// <remarks>GQA/MHA: 2 (K and V) × kv_heads × head_dim × bytes per attention layer per token; sliding-window and chunked
/// layers hold at most the window. MLA: (kv_lora_rank + qk_rope_head_dim) × bytes per layer per token (one shared latent,
/// no per-head K/V); a sparse-attention indexer adds its own key (index_head_dim) per layer per token. Recurrent layers
/// (Gated DeltaNet, Mamba-2) and mixer-free layers cache nothing per token; a recurrent layer keeps a fixed state per
/// sequence instead (<see cref="RecurrentLayers.StateElementsPerLayer"/>), held at 16 bits. Full-attention layers with
/// their own geometry (Gemma 4, <see cref="GlobalAttention"/>) cache (1 or 2) × their KV heads × their head width.
/// Sources: Mazurek &amp; Gabriel 2025 (327,680 B/token for Llama 3.3 70B at bf16); DeepSeek-V2 paper §2.1 (MLA cache);
/// DeepSeek-V3.2-Exp report §2.1 (indexer keys). See docs/methodology.md#kv-cache.</remarks>
public static class KvCache
{
    /// <summary>Bytes per element of a recurrent layer's state: 16-bit, the model dtype that vLLM's and SGLang's
    /// default (<c>mamba_ssm_cache_dtype auto</c>) keep it in.</summary>
    public const double StateBytesPerElement = 2.0;

    /// <summary>Elements one attention layer caches per token: the attention cache plus any indexer key. For a model
    /// whose full-attention layers have their own geometry, this is a windowed layer's; see <see cref="FullLayerElementsPerToken"/>.</summary>
    public static double ElementsPerTokenPerLayer(ModelArchitecture model) =>
        AttentionElementsPerTokenPerLayer(model) + (model.Indexer?.HeadDim ?? 0);

    /// <summary>Elements one full-attention layer caches per token (its own geometry where it has one, else
    /// <see cref="ElementsPerTokenPerLayer"/>).</summary>
    public static double FullLayerElementsPerToken(ModelArchitecture model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.GlobalAttention is { } g ? g.CachedElementsPerToken + (model.Indexer?.HeadDim ?? 0) : ElementsPerTokenPerLayer(model);
    }

    /// <summary>Elements of the attention cache proper that a full-attention layer reads per key it attends to.</summary>
    public static double FullLayerAttentionElementsPerToken(ModelArchitecture model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.GlobalAttention is { } g ? g.CachedElementsPerToken : AttentionElementsPerTokenPerLayer(model);
    }

    /// <summary>Elements of the attention cache proper (K and V, or the MLA latent) per token per attention layer:
    /// what attention reads for each key it attends to.</summary>
    public static double AttentionElementsPerTokenPerLayer(ModelArchitecture model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Attention == AttentionKind.Mla && model.Mla is { } mla
            ? mla.KvLoraRank + mla.QkRopeHeadDim
            : 2.0 * model.KvHeads * model.HeadDim;
    }

    /// <summary>Bytes per token across all attention layers when no window caps them (the headline "KV bytes per token"),
    /// at <paramref name="kv"/>'s stored bytes per element (block scales included for a 4-bit cache).</summary>
    public static Bytes BytesPerToken(ModelArchitecture model, StorageFormat kv)
    {
        var (full, windowed, _) = LayerSplit(model);
        return Bytes.FromBytes((FullLayerElementsPerToken(model) * full + ElementsPerTokenPerLayer(model) * windowed)
            * kv.BytesPerElement);
    }

    /// <summary><see cref="BytesPerToken(ModelArchitecture, StorageFormat)"/> of a cache with no block scales (16- or 8-bit).</summary>
    /// <exception cref="ArgumentException">A 4-bit precision (its bytes need a layout; pass a <see cref="StorageFormat"/>).</exception>
    public static Bytes BytesPerToken(ModelArchitecture model, Precision kvPrecision) => BytesPerToken(model, StorageFormat.Of(kvPrecision));

    /// <summary>Fixed bytes one sequence holds in recurrent-layer state, whatever its length; zero without recurrent layers.</summary>
    public static Bytes StateBytesPerSequence(ModelArchitecture model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Recurrent is { } r
            ? Bytes.FromBytes(r.StateElementsPerLayer * r.Layers * StateBytesPerElement)
            : Bytes.FromBytes(0);
    }

    /// <summary>Bytes one sequence of <paramref name="contextTokens"/> tokens caches across all layers, with windowed
    /// layers capped at their window, plus the fixed state of recurrent layers.</summary>
    public static Bytes BytesPerSequence(ModelArchitecture model, StorageFormat kv, double contextTokens)
    {
        var bytes = kv.BytesPerElement;
        var (fullLayers, slidingLayers, window) = LayerSplit(model);
        return Bytes.FromBytes(bytes * (FullLayerElementsPerToken(model) * fullLayers * contextTokens
                + ElementsPerTokenPerLayer(model) * slidingLayers * Math.Min(contextTokens, window)))
            + StateBytesPerSequence(model);
    }

    /// <summary><see cref="BytesPerSequence(ModelArchitecture, StorageFormat, double)"/> of a cache with no block scales (16- or 8-bit).</summary>
    /// <exception cref="ArgumentException">A 4-bit precision (its bytes need a layout; pass a <see cref="StorageFormat"/>).</exception>
    public static Bytes BytesPerSequence(ModelArchitecture model, Precision kvPrecision, double contextTokens) =>
        BytesPerSequence(model, StorageFormat.Of(kvPrecision), contextTokens);

    /// <summary>Full-attention layers, windowed (sliding or chunked) layers and the window length. Recurrent and
    /// mixer-free layers are in neither count: they hold no per-token cache.</summary>
    public static (int Full, int Sliding, double Window) LayerSplit(ModelArchitecture model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var attention = model.AttentionLayers;
        return model.SlidingWindow is { } sw
            ? (attention - sw.Layers, sw.Layers, sw.WindowTokens)
            : (attention, 0, double.PositiveInfinity);
    }
}
