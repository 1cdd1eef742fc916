namespace Infercost.Models;

/// <summary>What kind of fixed-state mixer a recurrent layer uses.</summary>
public enum RecurrentKind
{
    /// <summary>Gated DeltaNet linear attention (Qwen3-Next, Qwen3.5): q, k, v, gate and two per-head scalars projected
    /// from the residual stream; a short causal convolution over q, k, v.</summary>
    GatedDeltaNet,
    /// <summary>Mamba-2 state-space layer (Nemotron-H): x, z, B, C and dt projected from the residual stream; a short
    /// causal convolution over x, B, C.</summary>
    Mamba2,
}

/// <summary>Layers that mix tokens through a fixed-size recurrent state instead of a growing KV cache.</summary>
/// <remarks>Both kinds share one shape: <paramref name="KeyHeads"/> × <paramref name="KeyHeadDim"/> is the key width
/// (Mamba-2: n_groups × ssm_state_size, the B and C width), <paramref name="ValueHeads"/> × <paramref name="ValueHeadDim"/>
/// the value width (Mamba-2: mamba_num_heads × mamba_head_dim, d_inner). Each value head keeps a key-dim × value-dim
/// state matrix, so the state is ValueHeads × KeyHeadDim × ValueHeadDim elements per sequence per layer, plus
/// (ConvKernel − 1) × (2 × key width + value width) elements of convolution history. Sources: Yang et al. 2024 (Gated
/// DeltaNet); Dao &amp; Gu 2024 (Mamba-2); transformers' Qwen3NextGatedDeltaNet and NemotronHMamba2Mixer.
/// See docs/methodology.md#recurrent-layers.</remarks>
/// <param name="Kind">Gated DeltaNet or Mamba-2.</param>
/// <param name="Layers">How many layers use this mixer.</param>
/// <param name="KeyHeads">Key heads (<c>linear_num_key_heads</c>; Mamba-2 <c>n_groups</c>).</param>
/// <param name="KeyHeadDim">Key head width (<c>linear_key_head_dim</c>; Mamba-2 <c>ssm_state_size</c>).</param>
/// <param name="ValueHeads">Value heads (<c>linear_num_value_heads</c>; Mamba-2 <c>mamba_num_heads</c>).</param>
/// <param name="ValueHeadDim">Value head width (<c>linear_value_head_dim</c>; Mamba-2 <c>mamba_head_dim</c>).</param>
/// <param name="ConvKernel">Causal convolution length (<c>linear_conv_kernel_dim</c>; Mamba-2 <c>conv_kernel</c>).</param>
public sealed record RecurrentLayers(
    RecurrentKind Kind,
    int Layers,
    int KeyHeads,
    int KeyHeadDim,
    int ValueHeads,
    int ValueHeadDim,
    int ConvKernel)
{
    /// <summary>Key width: heads × head width.</summary>
    public double KeyWidth => (double)KeyHeads * KeyHeadDim;

    /// <summary>Value width: heads × head width.</summary>
    public double ValueWidth => (double)ValueHeads * ValueHeadDim;

    /// <summary>Channels the causal convolution runs over: q and k (or B and C) and v (or x).</summary>
    public double ConvChannels => 2 * KeyWidth + ValueWidth;

    /// <summary>State elements one sequence keeps in one layer: the recurrent matrix plus the convolution history.</summary>
    public double StateElementsPerLayer => (double)ValueHeads * KeyHeadDim * ValueHeadDim + (ConvKernel - 1) * ConvChannels;

    /// <summary>Parameters of one layer's mixer, for a residual stream of <paramref name="hidden"/>.</summary>
    /// <remarks>Gated DeltaNet: in-projection h × (2·key + 2·value) for q, k, v, z plus h × 2·n_v for the b and a scalars;
    /// convolution channels × kernel (no bias); dt bias and A per value head; a gated RMSNorm of one value head; out-projection
    /// value × h. Mamba-2: in-projection h × (2·value + 2·key + n_v) for z, x, B, C, dt; convolution channels × (kernel + 1)
    /// (with bias); dt bias, A and D per head; a gated RMSNorm over the value width; out-projection value × h.</remarks>
    public double ParametersPerLayer(double hidden) => Kind switch
    {
        RecurrentKind.GatedDeltaNet => hidden * (2 * KeyWidth + 2 * ValueWidth) + hidden * 2 * ValueHeads
            + ConvChannels * ConvKernel + 2.0 * ValueHeads + ValueHeadDim + ValueWidth * hidden,
        _ => hidden * (2 * ValueWidth + 2 * KeyWidth + ValueHeads) + ConvChannels * (ConvKernel + 1)
            + 3.0 * ValueHeads + ValueWidth + ValueWidth * hidden,
    };

    /// <summary>FLOPs one token spends updating and reading the state in one layer (beyond its projections): decay,
    /// the delta-rule (or SSM) update and the read-out each touch the whole key-dim × value-dim matrix of every value head,
    /// about 3 multiply-adds per element, plus the convolution.</summary>
    public double StateFlopsPerTokenPerLayer => 6.0 * ValueHeads * KeyHeadDim * ValueHeadDim + 2 * ConvKernel * ConvChannels;
}
