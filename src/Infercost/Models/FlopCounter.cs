using Infercost.Quantities;

namespace Infercost.Models;

/// <summary>Floating-point operations of a forward pass. Matmuls count 2·m·n·k (one multiply and one add).</summary>
/// <remarks>Linear layers: 2 FLOPs per active parameter per token (Kaplan et al. 2020; kipply 2022). Attention scores
/// and weighted values: per query-key pair and layer, 2·n_heads·d_qk + 2·n_heads·d_v. MLA decode uses the absorbed
/// form (d_qk = kv_lora + rope, d_v = kv_lora, as DeepSeek's inference code does); MLA prefill uses the expanded
/// per-head widths. Sparse (DSA) layers attend to at most top-k keys and add the indexer's scoring of every key;
/// recurrent layers add their state update per token instead of attention. Element-wise work (norms, RoPE, softmax) is left out: under 1% of FLOPs at the sizes served.
/// See docs/methodology.md#flops.</remarks>
public static class FlopCounter
{
    /// <summary>Linear-layer FLOPs for one token through every layer, without the LM head: 2 × (active compute parameters − LM head).</summary>
    public static Flops LinearPerTokenWithoutHead(ParameterBreakdown parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var head = parameters.LmHead > 0 ? parameters.LmHead : parameters.InputEmbedding;
        return Flops.FromFlops(2 * (parameters.ActiveCompute - head));
    }

    /// <summary>LM-head FLOPs for one token's logits: 2 × vocabulary × hidden.</summary>
    public static Flops LmHeadPerToken(ModelArchitecture model) => Flops.FromFlops(2.0 * model.VocabSize * model.HiddenSize);

    /// <summary>Attention FLOPs per query-key pair per layer.</summary>
    /// <param name="model">The model.</param>
    /// <param name="absorbed">For MLA: the weight-absorbed decode form (true) or the expanded prefill form (false).</param>
    public static double AttentionPerPairPerLayer(ModelArchitecture model, bool absorbed)
    {
        ArgumentNullException.ThrowIfNull(model);
        double heads = model.AttentionHeads;
        if (model.Attention == AttentionKind.Mla && model.Mla is { } mla)
        {
            return absorbed
                ? 2 * heads * (mla.KvLoraRank + mla.QkRopeHeadDim) + 2 * heads * mla.KvLoraRank
                : 2 * heads * (mla.QkNopeHeadDim + mla.QkRopeHeadDim) + 2 * heads * mla.VHeadDim;
        }

        return 4 * heads * model.HeadDim;
    }

    /// <summary>Attention FLOPs per query-key pair on a full-attention layer: <see cref="AttentionPerPairPerLayer"/>
    /// unless the model's full layers have their own head width (Gemma 4: 4 · n_q · global_head_dim).</summary>
    public static double FullAttentionPerPairPerLayer(ModelArchitecture model, bool absorbed)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.GlobalAttention is { } g ? 4.0 * model.AttentionHeads * g.HeadDim : AttentionPerPairPerLayer(model, absorbed);
    }

    /// <summary>Attention FLOPs for one new token attending to <paramref name="contextTokens"/> cached tokens (decode):
    /// attention over the context (capped at the window on windowed layers and at the indexer's top-k on sparse layers),
    /// the indexer's scoring of the whole context, and the recurrent layers' state update.</summary>
    public static Flops DecodeAttentionPerToken(ModelArchitecture model, double contextTokens)
    {
        var (full, sliding, window) = KvCache.LayerSplit(model);
        var topK = model.Indexer?.TopK ?? double.PositiveInfinity;
        return Flops.FromFlops(FullAttentionPerPairPerLayer(model, absorbed: true) * full * Math.Min(contextTokens, topK)
            + AttentionPerPairPerLayer(model, absorbed: true) * sliding * Math.Min(contextTokens, window)
            + IndexerPerPairPerLayer(model) * full * contextTokens
            + RecurrentPerTokenAllLayers(model));
    }

    /// <summary>Sparse-attention indexer FLOPs per query-key pair per layer: 2 × index heads × index head width (the
    /// scores; the per-head weighting is negligible); 0 without an indexer.</summary>
    public static double IndexerPerPairPerLayer(ModelArchitecture model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Indexer is { } ix ? 2.0 * ix.Heads * ix.HeadDim : 0;
    }

    /// <summary>State-update FLOPs of every recurrent layer for one token (beyond their projections, which the linear term counts).</summary>
    public static double RecurrentPerTokenAllLayers(ModelArchitecture model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Recurrent is { } r ? r.StateFlopsPerTokenPerLayer * r.Layers : 0;
    }

    /// <summary>Query-key pairs in causal attention over a prompt of <paramref name="tokens"/> tokens, per layer:
    /// S(S+1)/2 for full layers; Σ min(i, W) for windowed layers; Σ min(i, k) for sparse (top-k) layers. Returned summed over layers.</summary>
    public static double CausalPairs(ModelArchitecture model, double tokens)
    {
        var (full, sliding, window) = KvCache.LayerSplit(model);
        var topK = model.Indexer?.TopK ?? double.PositiveInfinity;
        return full * CappedCausalPairs(tokens, topK) + sliding * CappedCausalPairs(tokens, window);
    }

    /// <summary>Σ_{i=1..S} min(i, cap): causal pairs of a prompt of <paramref name="tokens"/> when each query sees at most <paramref name="cap"/> keys.</summary>
    public static double CappedCausalPairs(double tokens, double cap)
    {
        var fullPairs = tokens * (tokens + 1) / 2;
        return tokens <= cap ? fullPairs : cap * (cap + 1) / 2 + (tokens - cap) * cap;
    }

    /// <summary>Total FLOPs to prefill one prompt of <paramref name="tokens"/> tokens: linear layers for every token,
    /// causal attention, and the LM head for the last position only (the only logits prefill needs).</summary>
    public static Flops Prefill(ModelArchitecture model, ParameterBreakdown parameters, double tokens) =>
        LinearPerTokenWithoutHead(parameters) * tokens
        + Flops.FromFlops(PrefillAttention(model, tokens)
            + IndexerPerPairPerLayer(model) * KvCache.LayerSplit(model).Full * tokens * (tokens + 1) / 2
            + RecurrentPerTokenAllLayers(model) * tokens)
        + LmHeadPerToken(model);

    // Causal attention of a prompt, full and windowed layers each at their own per-pair cost.
    private static double PrefillAttention(ModelArchitecture model, double tokens)
    {
        var (full, sliding, window) = KvCache.LayerSplit(model);
        var topK = model.Indexer?.TopK ?? double.PositiveInfinity;
        return FullAttentionPerPairPerLayer(model, absorbed: false) * full * CappedCausalPairs(tokens, topK)
            + AttentionPerPairPerLayer(model, absorbed: false) * sliding * CappedCausalPairs(tokens, window);
    }

    /// <summary>Total FLOPs for one decode token at <paramref name="contextTokens"/> of context: linear layers, attention
    /// over the context, and the LM head.</summary>
    public static Flops DecodePerToken(ModelArchitecture model, ParameterBreakdown parameters, double contextTokens) =>
        LinearPerTokenWithoutHead(parameters) + DecodeAttentionPerToken(model, contextTokens) + LmHeadPerToken(model);
}
