namespace Infercost.Models;

/// <summary>The shape of a decoder-only transformer, enough to count parameters, FLOPs and KV bytes.</summary>
/// <remarks>Field names follow Hugging Face <c>config.json</c> where one exists.</remarks>
public sealed record ModelArchitecture
{
    /// <summary>Catalog id, for example <c>deepseek-r1</c>.</summary>
    public required string Id { get; init; }
    /// <summary>Display name.</summary>
    public required string Name { get; init; }
    /// <summary>Transformer blocks (<c>num_hidden_layers</c>).</summary>
    public required int Layers { get; init; }
    /// <summary>Residual stream width (<c>hidden_size</c>).</summary>
    public required int HiddenSize { get; init; }
    /// <summary>Query heads (<c>num_attention_heads</c>).</summary>
    public required int AttentionHeads { get; init; }
    /// <summary>Key/value heads (<c>num_key_value_heads</c>); equals <see cref="AttentionHeads"/> for MHA. Nominal for MLA.</summary>
    public required int KvHeads { get; init; }
    /// <summary>Per-head width for GQA (<c>head_dim</c>). For MLA, qk_nope + qk_rope.</summary>
    public required int HeadDim { get; init; }
    /// <summary>Dense MLP intermediate width (<c>intermediate_size</c>); null when every layer is MoE.</summary>
    public int? DenseIntermediateSize { get; init; }
    /// <summary>Vocabulary size.</summary>
    public required int VocabSize { get; init; }
    /// <summary>Input embedding and LM head share one matrix.</summary>
    public bool TieWordEmbeddings { get; init; }
    /// <summary>GQA/MHA or MLA.</summary>
    public AttentionKind Attention { get; init; } = AttentionKind.Gqa;
    /// <summary>MLA dimensions; required when <see cref="Attention"/> is <see cref="AttentionKind.Mla"/>.</summary>
    public MlaShape? Mla { get; init; }
    /// <summary>Sliding-window layers, if any.</summary>
    public SlidingWindow? SlidingWindow { get; init; }
    /// <summary>Head geometry of the full-attention layers when it differs from the windowed layers' (Gemma 4); null
    /// when every attention layer has the shape of <see cref="HeadDim"/> and <see cref="KvHeads"/>.</summary>
    public GlobalAttention? GlobalAttention { get; init; }
    /// <summary>Learned per-head attention-sink logits (gpt-oss): one parameter per head per layer.</summary>
    public bool AttentionSinks { get; init; }
    /// <summary>Biases on the Q, K and V projections (Qwen2, gpt-oss).</summary>
    public bool QkvBias { get; init; }
    /// <summary>Bias on the attention output projection (gpt-oss).</summary>
    public bool OutputBias { get; init; }
    /// <summary>Per-head RMSNorm on queries and keys (Qwen3): 2 × head_dim parameters per layer.</summary>
    public bool QkNorm { get; init; }
    /// <summary>Mixture-of-experts shape; null for a dense model.</summary>
    public MoeShape? Moe { get; init; }
    /// <summary>How many layers use the MoE block when that is not "every layer after the leading dense ones"
    /// (Llama 4 Maverick: every second layer; Nemotron-H: the 'E' blocks). Null: <see cref="Layers"/> − first dense layers.</summary>
    public int? MoeLayerCount { get; init; }
    /// <summary>Weight matrices of one MLP or expert: 3 for a gated MLP (gate, up, down: SwiGLU/GeGLU), 2 for a plain one
    /// (up, down: Nemotron-H's squared-ReLU MLP and experts).</summary>
    public int MlpProjections { get; init; } = 3;
    /// <summary>Layers with no MLP at all (Nemotron-H's Mamba and attention blocks, which carry only a mixer).</summary>
    public int MlpFreeLayers { get; init; }
    /// <summary>Layers with no token mixer at all (Nemotron-H's MLP and MoE blocks): no attention, no KV, no state.</summary>
    public int MixerFreeLayers { get; init; }
    /// <summary>Layers that mix through a fixed-size recurrent state (Gated DeltaNet, Mamba-2) instead of attention; null if none.</summary>
    public RecurrentLayers? Recurrent { get; init; }
    /// <summary>Sparse-attention indexer on every attention layer (DeepSeek-V3.2, GLM-5); null for dense attention.</summary>
    public SparseIndexer? Indexer { get; init; }
    /// <summary>Attention output is gated by a sigmoid of a second query-width projection (Qwen3-Next, Qwen3.5): h × n_q × d more per attention layer.</summary>
    public bool AttentionOutputGate { get; init; }
    /// <summary>Multi-token-prediction layers shipped with the checkpoint (DeepSeek <c>num_nextn_predict_layers</c>): counted
    /// apart from <see cref="ParameterBreakdown.Total"/> and not run unless speculative decoding uses them.</summary>
    public int MtpLayers { get; init; }
    /// <summary>Parameters of a vision (or audio) tower a multimodal checkpoint carries beside the language model, when
    /// read from its config; counted apart from the language model, which is what is served.</summary>
    public double? EncoderParameters { get; init; }
    /// <summary>Longest supported context (<c>max_position_embeddings</c>).</summary>
    public required int MaxContextTokens { get; init; }
    /// <summary>Precision of the published weights (DeepSeek-V3: fp8; most others bf16).</summary>
    public Precision DefaultWeightPrecision { get; init; } = Precision.Bf16;
    /// <summary>Precision of the published expert weights when it differs (gpt-oss: MXFP4).</summary>
    public Precision? DefaultExpertPrecision { get; init; }
    /// <summary>Precision of the published input embedding table when it differs from <see cref="DefaultWeightPrecision"/>:
    /// quantised checkpoints keep it at the checkpoint dtype (ModelOpt, compressed-tensors, AWQ/GPTQ, fp8 and bitsandbytes
    /// quantise linear layers only, and an embedding is a lookup table). Null: <see cref="DefaultWeightPrecision"/>. A tied
    /// table is one matrix with the LM head and takes <see cref="DefaultLmHeadPrecision"/>.</summary>
    public Precision? DefaultEmbeddingPrecision { get; init; }
    /// <summary>Precision of the published LM head when it differs from <see cref="DefaultWeightPrecision"/> (NVIDIA's NVFP4
    /// exports list <c>lm_head</c> in <c>exclude_modules</c>; DeepSeek's fp8 checkpoints keep the head in bf16). Null:
    /// <see cref="DefaultWeightPrecision"/>.</summary>
    public Precision? DefaultLmHeadPrecision { get; init; }
    /// <summary>KV-cache precision the checkpoint was calibrated for (ModelOpt <c>kv_cache_quant_algo</c>, compressed-tensors
    /// <c>kv_cache_scheme</c>); the serving default when no KV precision is given. Null: bf16.</summary>
    public Precision? DefaultKvPrecision { get; init; }
    /// <summary>Block-scale layout of the checkpoint's fp4 tensors where its quantisation config names one (ModelOpt NVFP4:
    /// <see cref="BlockScales.Nvfp4"/>; gpt-oss's and compressed-tensors' mxfp4: <see cref="BlockScales.Mxfp4"/>;
    /// bitsandbytes fp4: absmax per 64). Null: the request's layout, else the device's default
    /// (<see cref="ScaleLayouts.DefaultFp4"/>). See docs/methodology.md#precision.</summary>
    public BlockScales? Fp4Scales { get; init; }
    /// <summary>Block-scale layout of the checkpoint's int4 tensors (AWQ/GPTQ group size, compressed-tensors' group and
    /// symmetry, bitsandbytes nf4). Null: groups of <see cref="BlockScales.DefaultIntGroupSize"/> with fp16 scales and
    /// 4-bit zero points.</summary>
    public BlockScales? Int4Scales { get; init; }
    /// <summary>Total parameters as the publisher states them, in billions; for checking the computed count.</summary>
    public double? PublishedTotalBillions { get; init; }
    /// <summary>Active parameters per token as the publisher states them, in billions.</summary>
    public double? PublishedActiveBillions { get; init; }
    /// <summary>Release date (ISO 8601), where sourced.</summary>
    public string? ReleaseDate { get; init; }
    /// <summary>Where the shape comes from.</summary>
    public required Provenance Source { get; init; }

    /// <summary>True for a mixture-of-experts model.</summary>
    public bool IsMoe => Moe is not null;

    /// <summary>Layers that use the MoE block (all layers after <see cref="MoeShape.FirstDenseLayers"/> unless
    /// <see cref="MoeLayerCount"/> says otherwise).</summary>
    public int MoeLayers => Moe is null ? 0 : MoeLayerCount ?? Layers - Moe.FirstDenseLayers;

    /// <summary>Layers that use the dense MLP.</summary>
    public int DenseLayers => Layers - MoeLayers - MlpFreeLayers;

    /// <summary>Layers with attention (full, windowed or chunked): every layer that is neither recurrent nor mixer-free.</summary>
    public int AttentionLayers => Layers - (Recurrent?.Layers ?? 0) - MixerFreeLayers;
}
