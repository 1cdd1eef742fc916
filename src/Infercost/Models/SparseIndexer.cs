namespace Infercost.Models;

/// <summary>A sparse-attention indexer (DeepSeek Sparse Attention, DeepSeek-V3.2 and GLM-5): a small multi-head scorer
/// picks the <paramref name="TopK"/> cached tokens each query attends to; the main attention then runs over those only.</summary>
/// <remarks>Per layer the indexer has a query projection from the query latent (q_lora_rank × heads × head_dim), one key
/// projection h × head_dim with its LayerNorm, and per-head weights h × heads; it caches one key of head_dim per token.
/// It scores every cached token (2 × heads × head_dim FLOPs per query-key pair), which is cheap next to MLA attention but
/// grows with the whole context. Source: DeepSeek-V3.2-Exp technical report §2.1; its inference/model.py Indexer.
/// See docs/methodology.md#sparse-attention.</remarks>
/// <param name="Heads">Indexer heads (<c>index_n_heads</c>).</param>
/// <param name="HeadDim">Indexer head width (<c>index_head_dim</c>), also the cached indexer key width.</param>
/// <param name="TopK">Tokens each query attends to (<c>index_topk</c>).</param>
public sealed record SparseIndexer(int Heads, int HeadDim, int TopK);
