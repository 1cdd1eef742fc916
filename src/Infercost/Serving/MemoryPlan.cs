using Infercost.Quantities;

namespace Infercost.Serving;

/// <summary>How device memory is spent, per device, and how many sequences fit.</summary>
/// <param name="Capacity">Device memory.</param>
/// <param name="Reserve">Held back for activations, graphs and fragmentation (reserve fraction × capacity).</param>
/// <param name="Weights">Resident weights per device.</param>
/// <param name="KvAvailable">Capacity − reserve − weights: what the KV cache may use (negative when weights do not fit).</param>
/// <param name="KvBytesPerToken">KV bytes per token of context across all layers, whole model (no sliding-window cap).</param>
/// <param name="KvPerSequence">KV bytes per device for one sequence at <paramref name="ContextTokens"/>.</param>
/// <param name="ContextTokens">Context length the plan was made for (input + output).</param>
/// <param name="MaxBatch">Largest number of concurrent sequences per replica whose KV fits at that context.</param>
/// <param name="WeightsFit">True when the weights plus the reserve fit.</param>
public sealed record MemoryPlan(
    Bytes Capacity,
    Bytes Reserve,
    Bytes Weights,
    Bytes KvAvailable,
    Bytes KvBytesPerToken,
    Bytes KvPerSequence,
    int ContextTokens,
    int MaxBatch,
    bool WeightsFit)
{
    /// <summary>True when the weights and at least one sequence at the context fit.</summary>
    public bool Fits => WeightsFit && MaxBatch >= 1;
}
