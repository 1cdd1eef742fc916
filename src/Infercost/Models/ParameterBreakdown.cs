namespace Infercost.Models;

/// <summary>Parameter counts of a model, computed from its shape, by where they live.</summary>
/// <param name="InputEmbedding">Vocabulary × hidden; a lookup table, not a matmul (no FLOPs, only B rows read per step).</param>
/// <param name="LmHead">Vocabulary × hidden, zero when tied to the input embedding.</param>
/// <param name="AttentionPerLayer">Attention projections, biases, q/k norms and sinks in one layer.</param>
/// <param name="NormsPerLayer">The two RMSNorm/LayerNorm weight vectors of one layer.</param>
/// <param name="DenseMlpPerLayer">Gated MLP of one dense layer (3 × hidden × intermediate).</param>
/// <param name="RoutedExpert">One routed expert (gated MLP plus biases where present).</param>
/// <param name="SharedExpertsPerLayer">All shared experts of one MoE layer.</param>
/// <param name="RouterPerLayer">Router weights (and bias) of one MoE layer.</param>
/// <param name="FinalNorm">Final norm before the LM head.</param>
/// <param name="Total">Every parameter the checkpoint holds (MTP heads excluded).</param>
/// <param name="RoutedExpertsTotal">All routed experts of all MoE layers: the part expert parallelism shards.</param>
/// <param name="Active">Parameters one token touches, both embedding tables included (the usual published convention).</param>
/// <param name="ActiveCompute">Parameters one token multiplies through: <paramref name="Active"/> without the input embedding. 2 × this is the linear FLOPs per token.</param>
public sealed record ParameterBreakdown(
    double InputEmbedding,
    double LmHead,
    double AttentionPerLayer,
    double NormsPerLayer,
    double DenseMlpPerLayer,
    double RoutedExpert,
    double SharedExpertsPerLayer,
    double RouterPerLayer,
    double FinalNorm,
    double Total,
    double RoutedExpertsTotal,
    double Active,
    double ActiveCompute)
{
    /// <summary>Mixer of one recurrent (Gated DeltaNet / Mamba-2) layer; 0 when the model has none.</summary>
    public double RecurrentPerLayer { get; init; }

    /// <summary>Sparse-attention indexer of one attention layer; 0 without one. Included in <see cref="AttentionPerLayer"/>.</summary>
    public double IndexerPerLayer { get; init; }

    /// <summary>Attention of one full-attention layer: <see cref="AttentionPerLayer"/> unless the model's full layers have
    /// their own head geometry (<see cref="ModelArchitecture.GlobalAttention"/>, Gemma 4), when <see cref="AttentionPerLayer"/>
    /// is the windowed layers'.</summary>
    public double FullAttentionPerLayer { get; init; }

    /// <summary>Multi-token-prediction layers shipped with the checkpoint; not in <see cref="Total"/> (the usual published
    /// convention: DeepSeek-V3 is 671B, 685B with its MTP module).</summary>
    public double MultiTokenPrediction { get; init; }

    /// <summary>Vision/audio tower of a multimodal checkpoint, when known; not in <see cref="Total"/>.</summary>
    public double Encoder { get; init; }

    /// <summary>Everything the checkpoint holds: <see cref="Total"/> plus MTP layers and any encoder tower.</summary>
    public double Checkpoint => Total + MultiTokenPrediction + Encoder;

    /// <summary>Everything except routed experts: attention, norms, dense MLPs, shared experts, routers, embeddings.</summary>
    public double NonExpert => Total - RoutedExpertsTotal;
}
