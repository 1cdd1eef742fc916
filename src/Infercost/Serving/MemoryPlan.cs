using Infercost.Quantities;

namespace Infercost.Serving;

/// <summary>How device memory is spent, per device, and how many sequences fit.</summary>
/// <param name="Capacity">Device memory.</param>
/// <param name="Reserve">Held back for activations, graphs and fragmentation (reserve fraction × capacity).</param>
/// <param name="Weights">Resident weights per device.</param>
/// <param name="KvAvailable">Capacity − reserve − weights: what the KV cache may use; zero when the weights and reserve
/// do not fit (<see cref="MemoryPlan.Shortfall"/> says by how much).</param>
/// <param name="KvBytesPerToken">KV bytes per token of context across all layers, whole model (no sliding-window cap).</param>
/// <param name="KvPerSequence">KV bytes per device for one sequence at <paramref name="ContextTokens"/>, averaged over
/// the replica's devices (a sequence lives on one attention-DP rank, so this is its whole cache ÷ every KV split: DP
/// ranks, pipeline stages, KV-head shards). What divides KV available into the max batch; see <see cref="SequenceKv"/>
/// for what one sequence needs.</param>
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
    /// <summary>KV bytes one sequence at <see cref="ContextTokens"/> caches, all layers, before any split across devices.</summary>
    public Bytes SequenceKv { get; init; }

    /// <summary>Of <see cref="Weights"/>, what the speculation's draft model or MTP modules keep per device; zero without
    /// speculation.</summary>
    public Bytes DraftWeights { get; init; }

    /// <summary>Of <see cref="KvPerSequence"/>, what the draft model or MTP modules cache per sequence per device; zero
    /// without speculation.</summary>
    public Bytes DraftKvPerSequence { get; init; }

    /// <summary>By how much weights + reserve exceed capacity per device; zero when they fit.</summary>
    public Bytes Shortfall { get; init; }

    /// <summary>True when the weights and at least one sequence at the context fit.</summary>
    public bool Fits => WeightsFit && MaxBatch >= 1;
}
