namespace Infercost.Models;

/// <summary>Multi-head latent attention dimensions (DeepSeek-V3 config names).</summary>
/// <param name="QLoraRank">Query compression rank (<c>q_lora_rank</c>); 0 when queries are not compressed.</param>
/// <param name="KvLoraRank">Key/value latent width (<c>kv_lora_rank</c>), cached per token per layer.</param>
/// <param name="QkNopeHeadDim">Per-head query/key width without rotary embedding.</param>
/// <param name="QkRopeHeadDim">Per-head rotary key width (<c>qk_rope_head_dim</c>), shared across heads and cached.</param>
/// <param name="VHeadDim">Per-head value width.</param>
public sealed record MlaShape(int QLoraRank, int KvLoraRank, int QkNopeHeadDim, int QkRopeHeadDim, int VHeadDim);
