namespace Infercost.Serving;

/// <summary>What the memory reserve fraction is taken of.</summary>
public enum MemoryReserveBasis
{
    /// <summary>Of device capacity: vLLM's gpu_memory_utilization 0.9 leaves 10% of the card unused.</summary>
    Capacity,
    /// <summary>Of the memory left once weights are loaded: TensorRT-LLM's kv_cache_free_gpu_mem_fraction 0.9.</summary>
    FreeAfterWeights,
}
