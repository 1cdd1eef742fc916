using Infercost.Models;
using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Simulation;

/// <summary>What reloading a cached prefix block from an offload tier costs against recomputing it.</summary>
public static class PrefixReload
{
    /// <summary>Bytes of one prefix block of <paramref name="blockTokens"/> tokens on one device: the block's KV over every
    /// attention layer (windowed layers capped at their window; recurrent state excluded, as it is not per token),
    /// divided over the pipeline stages and the KV shard (<see cref="ServingSetup.KvShard"/>). Unit: bytes.</summary>
    public static Bytes BytesPerBlockPerDevice(ServingSetup setup, int blockTokens)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var block = KvCache.BytesPerSequence(setup.Model, setup.KvFormat, blockTokens) - KvCache.StateBytesPerSequence(setup.Model);
        return block / (setup.Parallelism.Pipeline * setup.KvShard);
    }

    /// <summary>Seconds to reload one block from <paramref name="tier"/>: <see cref="BytesPerBlockPerDevice"/> ÷ the
    /// tier's per-device bandwidth (every device reads its shard over its own link at once). Unit: seconds.</summary>
    public static Seconds ReloadPerBlock(ServingSetup setup, int blockTokens, KvOffloadTier tier)
    {
        ArgumentNullException.ThrowIfNull(tier);
        return Seconds.FromSeconds(BytesPerBlockPerDevice(setup, blockTokens).Value / tier.Bandwidth.Value);
    }

    /// <summary>Seconds the step model adds to a prefill chunk of <paramref name="chunkTokens"/> tokens (starting at
    /// position 0) to prefill one more block after it: the marginal cost of recomputing a block instead of reloading it
    /// (<see cref="BatchStepModel"/>; fixed per-step costs cancel). Unit: seconds.</summary>
    public static Seconds RecomputePerBlock(ServingSetup setup, int blockTokens, int chunkTokens)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var window = KvCache.LayerSplit(setup.Model).Window;
        var before = new BatchComposition();
        before.AddPrefillChunk(chunkTokens, 0, window);
        var after = new BatchComposition();
        after.AddPrefillChunk(chunkTokens + blockTokens, 0, window);
        return BatchStepModel.Cost(setup, after).Total - BatchStepModel.Cost(setup, before).Total;
    }
}
