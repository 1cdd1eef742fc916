namespace Infercost.Models;

/// <summary>How attention keys and values are cached.</summary>
public enum AttentionKind
{
    /// <summary>Multi-head or grouped-query attention: each layer caches K and V for every KV head.</summary>
    Gqa,
    /// <summary>Multi-head latent attention (DeepSeek-V2/V3): each layer caches one compressed latent plus a RoPE key.</summary>
    Mla,
}
