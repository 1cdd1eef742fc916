namespace Infercost.Models;

/// <summary>Mixture-of-experts feed-forward shape.</summary>
/// <param name="Experts">Routed experts per MoE layer (E).</param>
/// <param name="ExpertsPerToken">Routed experts each token uses (k).</param>
/// <param name="SharedExperts">Always-active shared experts per MoE layer, each of <paramref name="ExpertIntermediateSize"/> width.</param>
/// <param name="ExpertIntermediateSize">Intermediate width of one expert's gated MLP.</param>
/// <param name="FirstDenseLayers">Leading layers that use the dense MLP instead of experts (DeepSeek: 3).</param>
/// <param name="ExpertBias">Experts carry biases on both projections (gpt-oss).</param>
/// <param name="RouterBias">The router carries a bias (gpt-oss) or correction bias (DeepSeek) per expert.</param>
/// <param name="SharedExpertIntermediateSize">Width of the shared expert when it differs from a routed expert's
/// (Qwen3-Next <c>shared_expert_intermediate_size</c>); null when shared experts are routed-expert width.</param>
public sealed record MoeShape(
    int Experts,
    int ExpertsPerToken,
    int SharedExperts,
    int ExpertIntermediateSize,
    int FirstDenseLayers,
    bool ExpertBias,
    bool RouterBias,
    int? SharedExpertIntermediateSize = null)
{
    /// <summary>Intermediate width of one shared expert.</summary>
    public int SharedWidth => SharedExpertIntermediateSize ?? ExpertIntermediateSize;
}
