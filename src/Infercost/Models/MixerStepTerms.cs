namespace Infercost.Models;

// The serving step model (Serving/BatchStepModel) sums attention work from per-batch aggregates: query-key pairs on
// full-attention layers and decode context summed over sequences. Sparse attention and recurrent layers change that
// work in ways that depend only on the model and those aggregates, so the change is computed here, next to the shapes,
// and the step model adds it as a delimited term.

/// <summary>How sparse (top-k) attention and recurrent layers change one step's attention work.</summary>
/// <param name="PrefillPairsFull">Prompt query-key pairs per full-attention layer after the top-k cap (the input unchanged without an indexer).</param>
/// <param name="DecodePairsFull">Decode query-key pairs per full-attention layer after the top-k cap.</param>
/// <param name="ExtraFlops">Indexer scoring over every key plus recurrent state updates, all layers, for the whole batch.</param>
/// <param name="ExtraBytes">Bytes read beyond the main KV cache: indexer keys over the whole context, and each decoding
/// sequence's recurrent state read and written back once per step.</param>
public readonly record struct MixerStepTerms(double PrefillPairsFull, double DecodePairsFull, double ExtraFlops, double ExtraBytes)
{
    /// <summary>The terms for a step carrying <paramref name="prefillTokens"/> prompt tokens with <paramref name="prefillPairsFull"/>
    /// pairs per full layer, and <paramref name="decodeSequences"/> decoding sequences whose contexts sum to <paramref name="decodeContextFull"/>.</summary>
    /// <remarks>The top-k cap is applied to the batch's mean pairs per query (min(mean, k) × queries): exact when
    /// the sequences are of similar length, an over-estimate of the capped work otherwise (min is concave).</remarks>
    public static MixerStepTerms For(ModelArchitecture model, StorageFormat kv, double prefillTokens, double prefillPairsFull,
        double decodeSequences, double decodeContextFull)
    {
        ArgumentNullException.ThrowIfNull(model);
        var full = KvCache.LayerSplit(model).Full;
        double prefillPairs = prefillPairsFull, decodePairs = decodeContextFull, flops = 0, bytes = 0;
        if (model.Indexer is { } ix)
        {
            prefillPairs = Capped(prefillPairsFull, prefillTokens, ix.TopK);
            decodePairs = Capped(decodeContextFull, decodeSequences, ix.TopK);
            flops += FlopCounter.IndexerPerPairPerLayer(model) * full * (prefillPairsFull + decodeContextFull);
            bytes += ix.HeadDim * kv.BytesPerElement * full * decodeContextFull;
        }

        flops += FlopCounter.RecurrentPerTokenAllLayers(model) * (prefillTokens + decodeSequences);
        bytes += 2 * KvCache.StateBytesPerSequence(model).Value * decodeSequences;
        return new MixerStepTerms(prefillPairs, decodePairs, flops, bytes);
    }

    private static double Capped(double pairs, double queries, int topK) =>
        queries <= 0 ? 0 : queries * Math.Min(pairs / queries, topK);
}
