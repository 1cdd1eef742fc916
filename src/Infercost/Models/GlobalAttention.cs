namespace Infercost.Models;

// Gemma 4 gives its few full-attention layers a different head geometry from its many sliding-window layers: wider
// heads, fewer KV heads, and keys that double as values (no V projection, one cached tensor). The KV cache a long
// context grows is the full layers', so their shape, not the sliding layers', decides the long-context economics.

/// <summary>The head geometry of the full-attention layers of a model whose windowed layers use another (Gemma 4:
/// <c>global_head_dim</c>, <c>num_global_key_value_heads</c>, <c>attention_k_eq_v</c>).</summary>
/// <param name="KvHeads">Key/value heads of a full-attention layer.</param>
/// <param name="HeadDim">Width of each query, key and value head of a full-attention layer.</param>
/// <param name="SharedKeyValue">Keys are also the values: no V projection, and one cached tensor per layer instead of two.</param>
public sealed record GlobalAttention(int KvHeads, int HeadDim, bool SharedKeyValue)
{
    /// <summary>Elements a full-attention layer caches per token: (1 or 2) × KV heads × head width.</summary>
    public double CachedElementsPerToken => (SharedKeyValue ? 1.0 : 2.0) * KvHeads * HeadDim;
}
