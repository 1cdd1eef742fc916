using Infercost.Models;
using Infercost.Quantities;

namespace Infercost.Serving;

/// <summary>Time of one step of an arbitrary batch (the building block of the serving simulator): the same physics as
/// <see cref="DecodeModel"/> and <see cref="MixedStepModel"/>, for whatever mix of prompt chunks and decoding
/// sequences the scheduler put in it.</summary>
public static class BatchStepModel
{
    /// <summary>Costs one step of <paramref name="batch"/> on one replica of <paramref name="setup"/>.</summary>
    /// <exception cref="InvalidInputException">The batch is empty.</exception>
    public static StepCost Cost(ServingSetup setup, in BatchComposition batch)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var tokens = batch.PrefillTokens + batch.DecodeSequences;
        if (tokens <= 0) throw new InvalidInputException("batch", "batch must carry at least one token; was empty.");
        var m = setup.Model;
        var p = setup.Parallelism;
        var n = setup.DevicesPerReplica;
        var (full, sliding, _) = KvCache.LayerSplit(m);

        var linearFlops = FlopCounter.LinearPerTokenWithoutHead(setup.Parameters) * (tokens / n)
            + FlopCounter.LmHeadPerToken(m) * (batch.DecodeSequences / n);
        var prefillPairs = full * batch.PrefillPairsFull + sliding * batch.PrefillPairsWindowed;
        var decodePairs = full * batch.DecodeContextFull + sliding * batch.DecodeContextWindowed;
        var attentionFlops = Flops.FromFlops((FlopCounter.AttentionPerPairPerLayer(m, absorbed: false) * prefillPairs
            + FlopCounter.AttentionPerPairPerLayer(m, absorbed: true) * decodePairs) / n);

        var kvPerTokenPerLayer = KvCache.ElementsPerTokenPerLayer(m) * setup.KvPrecision.BytesPerElement();
        var kvRead = Bytes.FromBytes(kvPerTokenPerLayer * decodePairs / p.AttentionData / (p.Pipeline * setup.KvShard));
        var weights = setup.WeightBytesReadPerDevice(tokens / p.Pipeline, out _);
        var comm = Communication.ForPass(setup, tokens / p.Pipeline / p.AttentionData, 1.0);
        return StepCost.Of(setup, linearFlops, weights, attentionFlops, kvRead, tokens, comm);
    }
}
