namespace Infercost.Models;

/// <summary>Counts parameters from a model's shape.</summary>
/// <remarks>Per layer: attention (GQA: h·(n_q + 2·n_kv)·d + n_q·d·h; MLA: the five DeepSeek projections plus two
/// latent norms), two norms of width h, and either a dense gated MLP (3·h·f) or E routed experts, s shared experts
/// and a router (h·E). Biases, q/k norms and sinks where the architecture has them.
/// See docs/methodology.md#parameters.</remarks>
public static class ParameterCounter
{
    /// <summary>Counts the parameters of <paramref name="model"/>.</summary>
    public static ParameterBreakdown Count(ModelArchitecture model)
    {
        ArgumentNullException.ThrowIfNull(model);
        double h = model.HiddenSize;
        double embedding = (double)model.VocabSize * h;
        var lmHead = model.TieWordEmbeddings ? 0.0 : embedding;
        var attention = AttentionParameters(model);
        var norms = 2 * h;
        var denseMlp = model.DenseIntermediateSize is { } f ? 3 * h * f : 0.0;

        double routedExpert = 0, shared = 0, router = 0, routedTotal = 0, activeMoe = 0;
        if (model.Moe is { } moe)
        {
            double fe = moe.ExpertIntermediateSize;
            routedExpert = 3 * h * fe + (moe.ExpertBias ? 2 * fe + h : 0);
            shared = moe.SharedExperts * 3 * h * fe;
            router = h * moe.Experts + (moe.RouterBias ? moe.Experts : 0);
            routedTotal = model.MoeLayers * moe.Experts * routedExpert;
            activeMoe = model.MoeLayers * (moe.ExpertsPerToken * routedExpert + shared + router);
        }

        var perLayerCommon = attention + norms;
        var total = embedding + lmHead + h
            + model.Layers * perLayerCommon
            + model.DenseLayers * denseMlp
            + model.MoeLayers * (shared + router)
            + routedTotal;
        var activeCompute = lmHead + h + model.Layers * perLayerCommon + model.DenseLayers * denseMlp + activeMoe
            + (model.TieWordEmbeddings ? embedding : 0);
        var active = activeCompute + (model.TieWordEmbeddings ? 0 : embedding);
        return new ParameterBreakdown(embedding, lmHead, attention, norms, denseMlp, routedExpert, shared, router, h,
            total, routedTotal, active, activeCompute);
    }

    private static double AttentionParameters(ModelArchitecture m)
    {
        double h = m.HiddenSize, nq = m.AttentionHeads;
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
            double d = m.HeadDim, nkv = m.KvHeads;
            p = h * (nq + 2 * nkv) * d + nq * d * h;
            if (m.QkvBias) p += (nq + 2 * nkv) * d;
        }

        if (m.OutputBias) p += h;
        if (m.QkNorm) p += 2 * m.HeadDim;
        if (m.AttentionSinks) p += nq;
        return p;
    }
}
