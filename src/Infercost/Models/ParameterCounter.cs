namespace Infercost.Models;

/// <summary>Counts parameters from a model's shape.</summary>
/// <remarks>Per layer: attention (GQA: h·(n_q + 2·n_kv)·d + n_q·d·h; MLA: the five DeepSeek projections plus two
/// latent norms), two norms of width h, and either a dense gated MLP (3·h·f) or E routed experts, s shared experts
/// and a router (h·E). Biases, q/k norms and sinks where the architecture has them. Full-attention layers with their
/// own geometry (Gemma 4) use it: h·n_q·d_g + h·n_kv,g·d_g (keys that are also values) + n_q·d_g·h.
/// See docs/methodology.md#parameters.</remarks>
public static class ParameterCounter
{
    // The last model counted and its counts. A model is an immutable record, so the same instance always has the same
    // counts; one estimate asks for them several times (the setup, the layout search, the coverage check), and a sweep
    // asks again for every point. One reference read and compare instead of the whole count; the pair is replaced as a
    // unit, so a reader on another thread sees either the old pair or the new one.
    private static Tuple<ModelArchitecture, ParameterBreakdown>? _last;

    /// <summary>Counts the parameters of <paramref name="model"/>.</summary>
    public static ParameterBreakdown Count(ModelArchitecture model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var last = Volatile.Read(ref _last);
        if (last is not null && ReferenceEquals(last.Item1, model)) return last.Item2;
        var counted = CountUncached(model);
        Volatile.Write(ref _last, Tuple.Create(model, counted));
        return counted;
    }

    private static ParameterBreakdown CountUncached(ModelArchitecture model)
    {
        double h = model.HiddenSize;
        double embedding = (double)model.VocabSize * h;
        var lmHead = model.TieWordEmbeddings ? 0.0 : embedding;
        var indexer = IndexerParameters(model);
        var attention = AttentionParameters(model, full: false) + indexer;
        var fullAttention = model.GlobalAttention is null ? attention : AttentionParameters(model, full: true) + indexer;
        var (fullLayers, windowedLayers, _) = KvCache.LayerSplit(model);
        var recurrent = model.Recurrent?.ParametersPerLayer(h) ?? 0.0;
        var recurrentLayers = model.Recurrent?.Layers ?? 0;
        var norms = 2 * h;
        double mats = model.MlpProjections;
        var denseMlp = model.DenseIntermediateSize is { } f ? mats * h * f : 0.0;

        double routedExpert = 0, shared = 0, router = 0, routedTotal = 0, activeMoe = 0;
        if (model.Moe is { } moe)
        {
            double fe = moe.ExpertIntermediateSize;
            routedExpert = mats * h * fe + (moe.ExpertBias ? 2 * fe + h : 0);
            shared = moe.SharedExperts * mats * h * moe.SharedWidth;
            router = h * moe.Experts + (moe.RouterBias ? moe.Experts : 0);
            routedTotal = model.MoeLayers * moe.Experts * routedExpert;
            activeMoe = model.MoeLayers * (moe.ExpertsPerToken * routedExpert + shared + router);
        }

        // One norm before each sub-block that exists: a standard layer has two (mixer, MLP); a Nemotron-H block one.
        var allNorms = h * (2.0 * model.Layers - model.MixerFreeLayers - model.MlpFreeLayers);
        var mixers = windowedLayers * attention + fullLayers * fullAttention + recurrentLayers * recurrent + allNorms;
        var total = embedding + lmHead + h
            + mixers
            + model.DenseLayers * denseMlp
            + model.MoeLayers * (shared + router)
            + routedTotal;
        var activeCompute = lmHead + h + mixers + model.DenseLayers * denseMlp + activeMoe
            + (model.TieWordEmbeddings ? embedding : 0);
        var active = activeCompute + (model.TieWordEmbeddings ? 0 : embedding);

        // An MTP module (DeepSeek-V3 §2.2): two input norms, a 2h → h projection, one transformer layer and a final norm.
        // The published checkpoints store the module's embedding and output head again (DeepSeek-V3: 685B on disk =
        // 671B main model + 14B MTP), so they are counted with it.
        var mtpLayer = model.MtpLayers == 0 ? 0.0
            : 2 * h * h + 3 * h + attention + norms + 2 * embedding
              + (model.Moe is { } m ? m.Experts * routedExpert + shared + router : denseMlp);
        return new ParameterBreakdown(embedding, lmHead, attention, norms, denseMlp, routedExpert, shared, router, h,
            total, routedTotal, active, activeCompute)
        {
            RecurrentPerLayer = recurrent,
            IndexerPerLayer = indexer,
            FullAttentionPerLayer = fullAttention,
            MultiTokenPrediction = model.MtpLayers * mtpLayer,
            Encoder = model.EncoderParameters ?? 0,
        };
    }

    private static double IndexerParameters(ModelArchitecture m)
    {
        if (m.Indexer is not { } ix) return 0;
        double h = m.HiddenSize, width = (double)ix.Heads * ix.HeadDim;
        var q = m.Mla is { QLoraRank: > 0 } mla ? mla.QLoraRank * width : h * width;
        return q + h * ix.HeadDim + 2.0 * ix.HeadDim + h * ix.Heads;
    }

    // full: the layer is a full-attention one of a model whose full layers have their own geometry (Gemma 4).
    private static double AttentionParameters(ModelArchitecture m, bool full)
    {
        double h = m.HiddenSize, nq = m.AttentionHeads;
        var global = full ? m.GlobalAttention : null;
        double headDim = global?.HeadDim ?? m.HeadDim;
        double p;
        if (m.Attention == AttentionKind.Mla)
        {
            var mla = m.Mla ?? throw new InvalidInputException(nameof(m.Mla), $"model '{m.Id}': attention 'mla' needs mla dimensions.");
            double qk = mla.QkNopeHeadDim + mla.QkRopeHeadDim;
            var q = mla.QLoraRank > 0
                ? h * mla.QLoraRank + mla.QLoraRank + mla.QLoraRank * nq * qk
                : h * nq * qk;
            var kv = h * (mla.KvLoraRank + mla.QkRopeHeadDim) + mla.KvLoraRank
                + mla.KvLoraRank * nq * (mla.QkNopeHeadDim + mla.VHeadDim);
            var o = nq * mla.VHeadDim * h;
            p = q + kv + o;
        }
        else
        {
            double d = headDim, nkv = global?.KvHeads ?? m.KvHeads;
            // K and V projections; one when keys double as values (Gemma 4's full layers).
            var kv = global is { SharedKeyValue: true } ? 1 : 2;
            p = h * (nq + kv * nkv) * d + nq * d * h;
            if (m.QkvBias) p += (nq + kv * nkv) * d;
        }

        if (m.AttentionOutputGate) p += h * nq * headDim;
        if (m.OutputBias) p += h;
        if (m.QkNorm) p += 2 * headDim;
        if (m.AttentionSinks) p += nq;
        return p;
    }
}
