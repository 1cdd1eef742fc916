using Infercost.Models;
using Infercost.Quantities;

namespace Infercost.Reference;

/// <summary>Where a prefill pass computes logits in <see cref="TokenomicsModel"/>.</summary>
public enum LmHeadPositions
{
    /// <summary>The last prompt position only, 2·h·V: the article's text (case 4B, 291.49 TFLOPs at S = 2048).</summary>
    LastOnly,
    /// <summary>Every prompt position, 2·S·h·V: the repository's <c>calculate_prefill_flops</c> (case 4E's throughputs).</summary>
    EveryPosition,
}

/// <summary>The hardware side of <see cref="TokenomicsModel"/>: per-GPU peaks, GPU count, NVLink and utilisations.</summary>
/// <param name="PeakPerGpu">Dense peak per GPU (989 TFLOPS for the H100 in the source).</param>
/// <param name="BandwidthPerGpu">HBM bandwidth per GPU (3,350 GB/s).</param>
/// <param name="Gpus">GPUs in the tensor-parallel group (4 in the source).</param>
/// <param name="NvLink">NVLink bandwidth the communication term divides by (450 GB/s).</param>
/// <param name="ComputeUtilisation">Fraction of peak FLOP/s achieved (repository default 0.6; the article's theory curve uses 1).</param>
/// <param name="MemoryUtilisation">Fraction of peak bandwidth achieved (repository default 0.7; the article's theory curve uses 1).</param>
public sealed record TokenomicsHardware(
    FlopsPerSecond PeakPerGpu,
    BytesPerSecond BandwidthPerGpu,
    int Gpus,
    BytesPerSecond NvLink,
    double ComputeUtilisation,
    double MemoryUtilisation)
{
    /// <summary>Peak × GPUs × compute utilisation.</summary>
    public FlopsPerSecond EffectiveCompute => PeakPerGpu * (Gpus * ComputeUtilisation);

    /// <summary>Bandwidth × GPUs × memory utilisation.</summary>
    public BytesPerSecond EffectiveBandwidth => BandwidthPerGpu * (Gpus * MemoryUtilisation);
}

/// <summary>One decode step of <see cref="TokenomicsModel"/>, every term named.</summary>
/// <param name="ComputeTime">b · FLOPs_decode(S) / effective FLOP/s.</param>
/// <param name="MemoryTime">(weights + KV(S, b)) / effective bandwidth.</param>
/// <param name="CommunicationTime">2 · L · (b · h · 2 B) / NVLink.</param>
/// <param name="Total">max(compute, memory) + communication.</param>
public sealed record TokenomicsDecodeStep(Seconds ComputeTime, Seconds MemoryTime, Seconds CommunicationTime, Seconds Total);

/// <summary>Mazurek &amp; Gabriel's "simple" throughput model for a dense GQA transformer, re-expressed with the core's
/// quantities so that its numbers can be re-run on other models and hardware.</summary>
/// <remarks>Source: Piotr Mazurek and Felix Gabriel, "LLM Inference Economics from First Principles" (Tensor Economics,
/// 2025), and their repository tugot17/tokenomics-from-first-principles, <c>throughput_simulations/tokenomics_model.py</c>.
/// It differs from the engine on purpose: attention is counted as a full S² matrix (not causal), element-wise work
/// (RMSNorm 4Sh, RoPE 6Sh, softmax 5S²·heads) is counted, every weight including the input embedding is read each
/// decode step, and a tensor-parallel sync moves the activation once over NVLink (no ring factor). The weight and KV
/// byte counts coincide with the core's <see cref="ParameterCounter"/> and <see cref="KvCache"/>, so those are reused.
/// Golden cases 4B, 4C and 4E (tests/Infercost.Tests/Golden/MazurekGabrielTests.cs).</remarks>
public sealed class TokenomicsModel
{
    /// <summary>Bytes per element of weights, KV and activations in the source: bf16.</summary>
    public const double BytesPerElement = 2.0;

    private readonly double _h;
    private readonly double _layers;
    private readonly double _heads;
    private readonly double _qWidth;
    private readonly double _kvWidth;
    private readonly double _mlpWidth;
    private readonly double _vocab;

    /// <summary>Binds the model to a dense GQA/MHA architecture and a hardware description.</summary>
    /// <exception cref="InvalidInputException">The architecture is MoE, MLA or has no dense MLP width.</exception>
    public TokenomicsModel(ModelArchitecture model, TokenomicsHardware hardware, LmHeadPositions lmHead = LmHeadPositions.LastOnly)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(hardware);
        if (model.IsMoe || model.Attention != AttentionKind.Gqa || model.DenseIntermediateSize is null)
        {
            throw new InvalidInputException("model", $"the tokenomics model covers dense GQA/MHA transformers only; '{model.Id}' is not one.");
        }

        Guard.InRange(hardware.Gpus, 1, 1024, "gpus");
        Guard.InRange(hardware.ComputeUtilisation, 1e-3, 1, "computeUtilisation");
        Guard.InRange(hardware.MemoryUtilisation, 1e-3, 1, "memoryUtilisation");
        Model = model;
        Hardware = hardware;
        LmHead = lmHead;
        _h = model.HiddenSize;
        _layers = model.Layers;
        _heads = model.AttentionHeads;
        _qWidth = (double)model.AttentionHeads * model.HeadDim;
        _kvWidth = (double)model.KvHeads * model.HeadDim;
        _mlpWidth = model.DenseIntermediateSize.Value;
        _vocab = model.VocabSize;
        WeightBytes = Bytes.FromBytes(ParameterCounter.Count(model).Total * BytesPerElement);
    }

    /// <summary>The model.</summary>
    public ModelArchitecture Model { get; }

    /// <summary>The hardware.</summary>
    public TokenomicsHardware Hardware { get; }

    /// <summary>Where prefill computes logits.</summary>
    public LmHeadPositions LmHead { get; }

    /// <summary>Every parameter at 2 bytes, input embedding included (the source's <c>model_size_bytes</c>).</summary>
    public Bytes WeightBytes { get; }

    /// <summary>One layer's prefill FLOPs over <paramref name="tokens"/> tokens: RMSNorm 4Sh, Q 2Sh·(n·d), K+V 2·2Sh·(n_kv·d),
    /// RoPE 6Sh, QKᵀ 2S²·(n·d), softmax 5S²·n, AV 2S²·(n·d), O 2Sh·(n·d), gated MLP 6Sh·f. For Llama 3.3 70B this is the
    /// article's 10Sh + 25.5Sh² + 4S²h + 5S²·n_heads.</summary>
    public Flops PrefillFlopsPerLayer(double tokens)
    {
        var s = Guard.NonNegative(tokens, "tokens");
        var attention = 4 * s * _h + 2 * s * _h * _qWidth + 2 * s * _h * 2 * _kvWidth + 6 * s * _h
            + 2 * s * s * _qWidth + 5 * s * s * _heads + 2 * s * s * _qWidth + 2 * s * _qWidth * _h;
        var mlp = 6 * s * _h * _mlpWidth;
        return Flops.FromFlops(attention + mlp);
    }

    /// <summary>LM-head FLOPs of a prefill pass over <paramref name="tokens"/> tokens: 2·h·V at the last position, or
    /// 2·S·h·V at every position, per <see cref="LmHead"/>.</summary>
    public Flops PrefillLmHeadFlops(double tokens) =>
        Flops.FromFlops(2 * _h * _vocab * (LmHead == LmHeadPositions.EveryPosition ? Guard.NonNegative(tokens, "tokens") : 1));

    /// <summary>FLOPs to prefill one prompt: L × per-layer + LM head.</summary>
    public Flops PrefillFlops(double tokens) => PrefillFlopsPerLayer(tokens) * _layers + PrefillLmHeadFlops(tokens);

    /// <summary>FLOPs for one new token attending to <paramref name="contextTokens"/> tokens:
    /// L·(4h + 2h·(n·d) + 4h·(n_kv·d) + 6h + 4S·(n·d) + 5S·n + 2(n·d)·h + 6h·f) + 2hV; for Llama 3.3 70B the article's
    /// L·(10h + 25.5h² + 4Sh + 5S·n_heads) + 2hV.</summary>
    public Flops DecodeFlops(double contextTokens)
    {
        var s = Guard.NonNegative(contextTokens, "contextTokens");
        var perLayer = 4 * _h + 2 * _h * _qWidth + 2 * _h * 2 * _kvWidth + 6 * _h
            + 2 * s * _qWidth + 5 * s * _heads + 2 * s * _qWidth + 2 * _qWidth * _h + 6 * _h * _mlpWidth;
        return Flops.FromFlops(_layers * perLayer + 2 * _h * _vocab);
    }

    /// <summary>KV cache of <paramref name="batch"/> sequences of <paramref name="contextTokens"/> tokens at bf16
    /// (2 · 2 B · L · head_dim · n_kv · S · b; the core's <see cref="KvCache.BytesPerSequence(Models.ModelArchitecture, Precision, double)"/>).</summary>
    public Bytes KvBytes(double contextTokens, double batch) =>
        KvCache.BytesPerSequence(Model, Precision.Bf16, contextTokens) * batch;

    /// <summary>Communication of one pass over <paramref name="tokens"/> activations: 2 syncs per layer, each moving
    /// tokens·h·2 B once over NVLink; zero on one GPU.</summary>
    public Seconds CommunicationTime(double tokens) =>
        Hardware.Gpus <= 1
            ? Seconds.Zero
            : Bytes.FromBytes(2 * _layers * tokens * _h * BytesPerElement) / Hardware.NvLink;

    /// <summary>Prefill of <paramref name="batch"/> prompts of <paramref name="tokens"/> tokens:
    /// b·FLOPs_prefill / effective FLOP/s + 2·L·(b·S·h·2 B) / NVLink.</summary>
    public Seconds PrefillTime(double tokens, double batch) =>
        PrefillFlops(tokens) * batch / Hardware.EffectiveCompute + CommunicationTime(tokens * batch);

    /// <summary>One decode step for <paramref name="batch"/> sequences at <paramref name="contextTokens"/> of context.</summary>
    public TokenomicsDecodeStep DecodeStep(double contextTokens, double batch)
    {
        var memory = (WeightBytes + KvBytes(contextTokens, batch)) / Hardware.EffectiveBandwidth;
        var compute = DecodeFlops(contextTokens) * batch / Hardware.EffectiveCompute;
        var comm = CommunicationTime(batch);
        return new TokenomicsDecodeStep(compute, memory, comm, Seconds.Max(compute, memory) + comm);
    }

    /// <summary>Prefill plus <paramref name="outputTokens"/> decode steps, the context growing by one each step from
    /// <paramref name="inputTokens"/>.</summary>
    public Seconds TotalTime(int inputTokens, int outputTokens, int batch)
    {
        Guard.InRange(inputTokens, 1, 10_000_000, "inputTokens");
        Guard.InRange(outputTokens, 0, 10_000_000, "outputTokens");
        Guard.InRange(batch, 1, 1_000_000, "batch");
        var time = PrefillTime(inputTokens, batch);
        for (var i = 0; i < outputTokens; i++) time += DecodeStep(inputTokens + i, batch).Total;
        return time;
    }

    /// <summary>Output tokens per second of the whole batch: b × output tokens / total time.</summary>
    public TokensPerSecond OutputThroughput(int inputTokens, int outputTokens, int batch) =>
        Tokens.FromTokens((double)batch * outputTokens) / TotalTime(inputTokens, outputTokens, batch);

    /// <summary>The article's per-token tensor-parallel estimate (case 4C): 2 syncs per layer × h × 2 B × L ×
    /// (N − 1)/N ÷ NVLink: 4.37 µs for Llama 3.3 70B on 4 GPUs at 450 GB/s.</summary>
    public Seconds ArticleTensorParallelSyncPerToken() =>
        Bytes.FromBytes(2 * BytesPerElement * _h * _layers * (Hardware.Gpus - 1.0) / Hardware.Gpus) / Hardware.NvLink;
}
