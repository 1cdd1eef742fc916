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
    public static StepCost Cost(ServingSetup setup, in BatchComposition batch) => Work(setup, batch).Cost(setup);

    /// <summary>The work one device does in a step of <paramref name="batch"/>: FLOPs and bytes per kernel class, and the
    /// step's communication.</summary>
    /// <exception cref="InvalidInputException">The batch is empty.</exception>
    public static StepWork Work(ServingSetup setup, in BatchComposition batch)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var tokens = batch.PrefillTokens + batch.DecodeSequences;
        if (tokens <= 0) throw new InvalidInputException("batch", "batch must carry at least one token; was empty.");
        var shape = Shape(setup, tokens, batch.DecodeSequences);
        var (attentionFlops, kvRead) = AttentionWork(setup, batch);
        var (full, _, _) = KvCache.LayerSplit(setup.Model);
        // Causal prefill over a prompt of S tokens attends S/2 pairs per token: S ≈ 2 · pairs / tokens.
        var prefillLength = batch.PrefillTokens > 0 ? 2 * (full > 0 ? batch.PrefillPairsFull : batch.PrefillPairsWindowed) / batch.PrefillTokens : 0;
        return new StepWork(shape.LinearFlops, shape.WeightBytes, attentionFlops, kvRead, tokens, shape.Communication, shape.ExpertsTouchedPerLayer)
        {
            PrefillLength = prefillLength,
            HeadExtraFlops = shape.HeadExtraFlops,
            ImbalanceFlops = shape.ImbalanceFlops,
            ExpertTileFlops = shape.ExpertTileFlops,
        };
    }

    /// <summary>The part of a step's work that depends only on how many tokens it carries and how many of them decode
    /// (not on their contexts): linear-layer FLOPs (the LM head runs for decoding tokens only), weight bytes read, and the
    /// step's collectives. Per device.</summary>
    /// <param name="setup">The resolved setup.</param>
    /// <param name="tokens">Tokens in the step, replica-wide (prompt + decode).</param>
    /// <param name="decodeSequences">Decoding sequences in the step, replica-wide.</param>
    internal static StepShape Shape(ServingSetup setup, double tokens, double decodeSequences)
    {
        var m = setup.Model;
        var p = setup.Parallelism;
        var n = setup.DevicesPerReplica;
        var head = FlopCounter.LmHeadPerToken(m) * (decodeSequences / n);
        var linearFlops = FlopCounter.LinearPerTokenWithoutHead(setup.Parameters) * (tokens / n) + head;
        var weights = setup.WeightBytesReadPerDevice(tokens / p.Pipeline, out var touched);
        var comm = Communication.ForPass(setup, tokens / p.Pipeline / p.AttentionData, 1.0);
        return new StepShape(linearFlops, weights, comm, touched, head * setup.LmHeadExtraTime)
        {
            ImbalanceFlops = Flops.FromFlops(setup.ImbalanceFlopsPerToken * (tokens / n)),
            ExpertTileFlops = Flops.FromFlops(setup.ExpertTileFlops(tokens / p.Pipeline, touched, (double)p.Pipeline / n, (double)p.Pipeline / n)),
        };
    }

    /// <summary>Attention FLOPs and KV bytes read per device in a step of <paramref name="batch"/>: each prompt chunk and
    /// decode against its own context, full and windowed layers each at their own per-pair cost and cache width.</summary>
    internal static (Flops AttentionFlops, Bytes KvBytes) AttentionWork(ServingSetup setup, in BatchComposition batch)
    {
        var m = setup.Model;
        var p = setup.Parallelism;
        var n = setup.DevicesPerReplica;
        var (full, sliding, _) = KvCache.LayerSplit(m);
        // Sparse (top-k) attention caps the full-layer pairs; indexer scoring and recurrent state add work (Models/MixerStepTerms).
        var mixer = MixerStepTerms.For(m, setup.KvFormat, batch.PrefillTokens, batch.PrefillPairsFull,
            batch.DecodeSequences, batch.DecodeContextFull);
        // Full and windowed layers each at their own per-pair cost and cache width (they differ for Gemma 4).
        var attentionFlops = Flops.FromFlops((FlopCounter.FullAttentionPerPairPerLayer(m, absorbed: false) * full * mixer.PrefillPairsFull
            + FlopCounter.AttentionPerPairPerLayer(m, absorbed: false) * sliding * batch.PrefillPairsWindowed
            + FlopCounter.FullAttentionPerPairPerLayer(m, absorbed: true) * full * mixer.DecodePairsFull
            + FlopCounter.AttentionPerPairPerLayer(m, absorbed: true) * sliding * batch.DecodeContextWindowed + mixer.ExtraFlops) / n);

        var kvBytes = setup.KvFormat.BytesPerElement;
        var kvElements = KvCache.FullLayerAttentionElementsPerToken(m) * full * mixer.DecodePairsFull
            + KvCache.AttentionElementsPerTokenPerLayer(m) * sliding * batch.DecodeContextWindowed;
        var kvRead = Bytes.FromBytes((kvElements * kvBytes + mixer.ExtraBytes) / p.AttentionData / (p.Pipeline * setup.KvShard));
        return (attentionFlops, kvRead);
    }
}

/// <summary>The context-independent part of a step's work (see <see cref="BatchStepModel.Shape"/>), per device.</summary>
/// <param name="LinearFlops">Linear-layer FLOPs.</param>
/// <param name="WeightBytes">Weight bytes read.</param>
/// <param name="Communication">Collectives of the step.</param>
/// <param name="ExpertsTouchedPerLayer">Expected distinct routed experts per MoE layer per micro-batch; 0 for dense.</param>
/// <param name="HeadExtraFlops">The LM head's FLOPs × <see cref="ServingSetup.LmHeadExtraTime"/>: what its slower
/// matrix precision adds to the linear compute term, in FLOPs at the step's rate; 0 when the head runs at it.</param>
internal readonly record struct StepShape(Flops LinearFlops, Bytes WeightBytes, Seconds Communication, double ExpertsTouchedPerLayer,
    Flops HeadExtraFlops)
{
    /// <summary>What routing imbalance adds to the linear compute term, in FLOPs at the step's rate
    /// (<see cref="ServingSetup.ImbalanceFlopsPerToken"/> × tokens per device); 0 for a dense model.</summary>
    public Flops ImbalanceFlops { get; init; }

    /// <summary>What a MoE kernel's token tiles add to the linear compute term in place of the dense padding
    /// (<see cref="ServingSetup.ExpertTileFlops"/>; negative where they pad less); 0 without them.</summary>
    public Flops ExpertTileFlops { get; init; }

    /// <summary>The FLOPs the linear compute term is charged for: <see cref="LinearFlops"/> + <see cref="HeadExtraFlops"/>
    /// + <see cref="ImbalanceFlops"/> + <see cref="ExpertTileFlops"/>.</summary>
    public Flops TimedLinearFlops => LinearFlops + HeadExtraFlops + ImbalanceFlops + ExpertTileFlops;
}

/// <summary>What one device does in one step, before it is turned into time.</summary>
/// <param name="LinearFlops">Linear-layer FLOPs per device.</param>
/// <param name="WeightBytes">Weight bytes read per device.</param>
/// <param name="AttentionFlops">Attention FLOPs per device.</param>
/// <param name="KvBytes">KV bytes read per device.</param>
/// <param name="Tokens">Tokens carried by the step (prompt + decode) in the replica.</param>
/// <param name="Communication">Collectives of the step.</param>
/// <param name="ExpertsTouchedPerLayer">Expected distinct routed experts per MoE layer per micro-batch; 0 for dense.</param>
public readonly record struct StepWork(
    Flops LinearFlops,
    Bytes WeightBytes,
    Flops AttentionFlops,
    Bytes KvBytes,
    double Tokens,
    Seconds Communication,
    double ExpertsTouchedPerLayer)
{
    /// <summary>Length of the prompts the step's prefill attention runs over (tokens; 0 without prompts), for the
    /// attention kernel's efficiency curve.</summary>
    public double PrefillLength { get; init; }

    /// <summary>What the LM head's slower matrix precision adds to the linear compute term, in FLOPs at the step's
    /// rate (head FLOPs × <see cref="ServingSetup.LmHeadExtraTime"/>); not in <see cref="LinearFlops"/>, which counts
    /// the model's FLOPs.</summary>
    public Flops HeadExtraFlops { get; init; }

    /// <summary>What routing imbalance adds to the linear compute term, in FLOPs at the step's rate (the busiest expert's
    /// extra rows, <see cref="ServingSetup.ImbalanceFlopsPerToken"/>); not in <see cref="LinearFlops"/>.</summary>
    public Flops ImbalanceFlops { get; init; }

    /// <summary>What a MoE kernel's token tiles add to the linear compute term in place of the dense padding
    /// (<see cref="ServingSetup.ExpertTileFlops"/>); not in <see cref="LinearFlops"/>.</summary>
    public Flops ExpertTileFlops { get; init; }

    /// <summary>The FLOPs the linear compute term is charged for: <see cref="LinearFlops"/> + <see cref="HeadExtraFlops"/>
    /// + <see cref="ImbalanceFlops"/> + <see cref="ExpertTileFlops"/>.</summary>
    public Flops TimedLinearFlops => LinearFlops + HeadExtraFlops + ImbalanceFlops + ExpertTileFlops;

    /// <summary>The step's time on <paramref name="setup"/> (see <see cref="StepCost"/>).</summary>
    public StepCost Cost(ServingSetup setup) =>
        StepCost.Of(setup, TimedLinearFlops, WeightBytes, AttentionFlops, KvBytes, Tokens, Communication, PrefillLength,
            ExpertsTouchedPerLayer);
}
