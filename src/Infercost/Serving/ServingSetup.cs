using Infercost.Hardware;
using Infercost.Kernels;
using Infercost.Models;
using Infercost.Quantities;

namespace Infercost.Serving;

/// <summary>A model on an accelerator with a parallel layout and precisions fixed: everything the step-time formulas
/// need, resolved once so that evaluating a step is a handful of multiplications.</summary>
public sealed class ServingSetup
{
    /// <summary>Resolves precisions, peaks and parameter counts. Does not check memory fit (see <see cref="MemoryPlanner"/>).</summary>
    public ServingSetup(ModelArchitecture model, Accelerator accelerator, Parallelism parallelism, ServingConfig config)
        : this(model, accelerator, parallelism, config, parameters: null)
    {
    }

    /// <summary>This setup with its engine running at <paramref name="speedRatio"/> times the modelled speed (a band end:
    /// <see cref="ServingConfig.SpeedFactor"/>, which only the simulator reads); parameter counts reused.</summary>
    internal ServingSetup AtSpeed(double speedRatio) =>
        new(Model, Accelerator, Parallelism, (Config with { SpeedFactor = speedRatio }).Validated(), Parameters);

    /// <summary>As the public constructor, reusing parameter counts already made for <paramref name="model"/> (the layout
    /// search builds many setups of one model).</summary>
    internal ServingSetup(ModelArchitecture model, Accelerator accelerator, Parallelism parallelism, ServingConfig config, ParameterBreakdown? parameters)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(accelerator);
        ArgumentNullException.ThrowIfNull(config);
        // An engine that ignores sliding windows caches and attends to the full context on every layer.
        Model = config.HonourSlidingWindow || model.SlidingWindow is null ? model : model with { SlidingWindow = null };
        Accelerator = accelerator;
        Parallelism = (parallelism ?? throw new ArgumentNullException(nameof(parallelism))).Validated();
        Config = config;
        Efficiency = config.Efficiency;
        Parameters = parameters ?? ParameterCounter.Count(model);
        WeightPrecision = config.WeightPrecision ?? model.DefaultWeightPrecision;
        ExpertPrecision = config.ExpertWeightPrecision
            ?? (config.WeightPrecision is { } w ? w : model.DefaultExpertPrecision ?? WeightPrecision);
        KvPrecision = config.KvPrecision ?? model.DefaultKvPrecision ?? Precision.Bf16;
        ComputePrecision = config.ComputePrecision ?? DefaultCompute(accelerator, WeightPrecision);
        Peak = accelerator.Peaks.For(ComputePrecision)
            ?? throw new InvalidInputException("computePrecision",
                $"{accelerator.Id} has no published dense peak for {ComputePrecision.Name()}; choose another --compute precision or weight precision.");
        CheckLayout(model, Parallelism, config);
        // An explicit weight precision applies to every non-expert weight, the embedding and head included; without one,
        // each keeps the precision the checkpoint stores it in.
        LmHeadPrecision = config.WeightPrecision ?? model.DefaultLmHeadPrecision ?? WeightPrecision;
        EmbeddingPrecision = model.TieWordEmbeddings ? LmHeadPrecision : config.WeightPrecision ?? model.DefaultEmbeddingPrecision ?? WeightPrecision;
        Scales = ScaleLayouts.For(Model, accelerator.Vendor, config.Fp4Format);
        KvFormat = Scales.Format(KvPrecision);
        var weightBytes = Scales.BytesPerElement(WeightPrecision);
        var embeddingBytes = Scales.BytesPerElement(EmbeddingPrecision);
        // NonExpert·b_w + V·h·(b_emb − b_w) + V·h·(b_head − b_w): the tables at their own precision (each correction is
        // exactly 0 when the table shares b_w, so those setups are unchanged to the last bit).
        NonExpertWeightBytes = Bytes.FromBytes(Parameters.NonExpert * weightBytes
            + Parameters.InputEmbedding * (embeddingBytes - weightBytes)
            + Parameters.LmHead * (Scales.BytesPerElement(LmHeadPrecision) - weightBytes));
        ExpertWeightBytes = Bytes.FromBytes(Parameters.RoutedExpertsTotal * Scales.BytesPerElement(ExpertPrecision));
        LmHeadExtraTime = LmHeadExtraTimeOf(accelerator, config, ComputePrecision, Peak, LmHeadPrecision);
        KvShard = KvShardOf(model, Parallelism.Tensor);
        Architecture = Architectures.Of(accelerator);
        _embeddingBytes = Model.TieWordEmbeddings ? Bytes.Zero : Bytes.FromBytes(Parameters.InputEmbedding * embeddingBytes);
        _denseBytesReadPerDevice = (NonExpertWeightBytes - _embeddingBytes) / Parallelism.Tensor;
        if (Model.Moe is { } moe) _bytesPerExpert = ExpertWeightBytes / ((double)Model.MoeLayers * moe.Experts);
        ActivationBytesPerToken = ActivationBytes(Model, Efficiency);
        if (Efficiency.Kernels is { } kernels) StepKernels = new KernelTerms(this, kernels);
    }

    // The layout search scores dozens of layouts of one model on one device: everything that does not depend on the
    // layout is taken from the first setup instead of being resolved again (the values are the same, so are the results).
    private ServingSetup(ServingSetup prototype, Parallelism parallelism)
    {
        Model = prototype.Model;
        Accelerator = prototype.Accelerator;
        Parallelism = parallelism.Validated();
        Config = prototype.Config;
        Efficiency = prototype.Efficiency;
        Parameters = prototype.Parameters;
        WeightPrecision = prototype.WeightPrecision;
        ExpertPrecision = prototype.ExpertPrecision;
        EmbeddingPrecision = prototype.EmbeddingPrecision;
        LmHeadPrecision = prototype.LmHeadPrecision;
        LmHeadExtraTime = prototype.LmHeadExtraTime;
        KvPrecision = prototype.KvPrecision;
        Scales = prototype.Scales;
        KvFormat = prototype.KvFormat;
        ComputePrecision = prototype.ComputePrecision;
        Peak = prototype.Peak;
        CheckLayout(Model, Parallelism, config: null);
        NonExpertWeightBytes = prototype.NonExpertWeightBytes;
        ExpertWeightBytes = prototype.ExpertWeightBytes;
        KvShard = KvShardOf(Model, Parallelism.Tensor);
        Architecture = prototype.Architecture;
        _embeddingBytes = prototype._embeddingBytes;
        _denseBytesReadPerDevice = (NonExpertWeightBytes - _embeddingBytes) / Parallelism.Tensor;
        _bytesPerExpert = prototype._bytesPerExpert;
        ActivationBytesPerToken = prototype.ActivationBytesPerToken;
        if (prototype.StepKernels is { } kernels) StepKernels = new KernelTerms(kernels, this);
    }

    private static int KvShardOf(ModelArchitecture model, int tensor) =>
        model.Attention == AttentionKind.Gqa ? Math.Min(tensor, model.KvHeads) : 1;

    /// <summary>A lower bound on the decode step time of this setup's model under another layout (tensor × pipeline ×
    /// attention data, expert parallelism <paramref name="expert"/>, <paramref name="devices"/> per replica) with
    /// <paramref name="batch"/> sequences at the context <paramref name="perSequence"/> was taken at, in seconds,
    /// computed without the layout's setup. A step is linear + attention + element-wise + communication + overhead
    /// (<see cref="StepCost.Total"/>), and each is bounded from below:
    /// <list type="bullet">
    /// <item>linear = knee(compute, memory), increasing in both: its FLOPs are exact (every linear layer over the batch,
    /// the LM head, the tiles' work per weight byte read), its weight bytes at least the dense part of
    /// <see cref="WeightBytesReadPerDevice"/> plus, for the experts, E·xt/(1 + xt) ≤ E·(1 − (1 − x)^t) distinct
    /// experts per layer (x = k/E, t tokens per micro-batch, since (1 − x)^t ≤ e^(−xt) ≤ 1/(1 + xt)); a MoE kernel with
    /// token tiles (<see cref="ExpertTileFlops"/>) pads its experts by at least nothing, so their dense padding is left
    /// out;</item>
    /// <item>attention = knee(compute, memory) of this setup's one-sequence FLOPs and KV read × batch, rescaled from
    /// this layout's split (devices; attention data × pipeline × KV shard) to the other's;</item>
    /// <item>element-wise traffic and communication are exact (<see cref="Communication.PassSeconds"/>);</item>
    /// <item>overhead is the engine's step overhead plus, with a kernel model, the fixed latencies of the GEMMs and of
    /// decode attention on one pipeline stage's layers (<see cref="KernelTerms.FixedSeconds"/>).</item>
    /// </list>
    /// Less 10^-6 of the whole for rounding. See docs/methodology.md#layout.</summary>
    internal double DecodeStepFloor(int tensor, int pipeline, int expert, int attentionData, int devices, double batch, DecodeSequenceWork perSequence)
    {
        var bytes = ((NonExpertWeightBytes - _embeddingBytes) / tensor).Value;
        var touched = 0.0;
        var expertBytes = 0.0;
        if (Model.Moe is { } moe)
        {
            var xt = (double)moe.ExpertsPerToken / moe.Experts * (batch / pipeline);
            touched = moe.Experts * xt / (1 + xt);
            expertBytes = _bytesPerExpert.Value * (pipeline * Model.MoeLayers * touched / devices);
            bytes += expertBytes;
        }

        var linearFlops = (FlopCounter.LinearPerTokenWithoutHead(Parameters).Value + ImbalanceFlopsPerToken
            + FlopCounter.LmHeadPerToken(Model).Value * (1 + LmHeadExtraTime)) * (batch / devices);
        // A MoE kernel with token tiles pads its experts by its tiles (≥ 0 rows) instead of M_half: the floor charges
        // them no padding (ExpertTileFlops with the tile rows at the busiest rows).
        if (StepKernels is { ExpertTile: not null } tiles) linearFlops -= tiles.TileFlopsPerWeightByte * expertBytes;
        var attentionFlops = perSequence.AttentionFlops * batch * ((double)DevicesPerReplica / devices);
        var kv = perSequence.KvBytes * batch * ((double)Parallelism.AttentionData * Parallelism.Pipeline * KvShard
            / ((double)attentionData * pipeline * KvShardOf(Model, tensor)));
        // The step's own rooflines (StepCost.LinearTerms and AttentionTerms take rates only, which every layout shares).
        var softness = Efficiency.RooflineSoftness;
        var (linearCompute, linearMemory) = StepCost.LinearTerms(this, Flops.FromFlops(linearFlops), Bytes.FromBytes(bytes));
        var (attentionCompute, attentionMemory) = StepCost.AttentionTerms(this, Flops.FromFlops(attentionFlops), Bytes.FromBytes(kv), prefillLength: 0);
        var linear = StepCost.Knee(linearCompute, linearMemory, softness).Value;
        var attention = StepCost.Knee(attentionCompute, attentionMemory, softness).Value;
        var fixedSeconds = 0.0;
        if (StepKernels is { } k)
        {
            var (attentionFixed, gemmFixed) = k.FixedSeconds(Model, pipeline);
            fixedSeconds = gemmFixed + (kv > 0 ? attentionFixed : 0) + k.ExpertSeconds(Model, pipeline, expert, touched);
        }

        var elementwise = ActivationBytesPerToken.Value * (batch / devices) / Accelerator.MemoryBandwidth.Value;
        var communication = Communication.PassSeconds(this, tensor, expert, batch / pipeline / attentionData, 1.0);
        return (linear + attention + elementwise + communication + fixedSeconds + Efficiency.StepOverhead.Value) * (1 - 1e-6);
    }

    /// <summary>Attention FLOPs and KV bytes one device of this setup spends on one sequence decoding at
    /// <paramref name="contextTokens"/> of context (<see cref="BatchStepModel.AttentionWork"/> of that one decode).</summary>
    internal DecodeSequenceWork DecodeWorkPerSequence(double contextTokens)
    {
        var composition = new BatchComposition();
        composition.AddDecodes(1, contextTokens, KvCache.LayerSplit(Model).Window);
        var (flops, kv) = BatchStepModel.AttentionWork(this, composition);
        return new DecodeSequenceWork(flops.Value, kv.Value);
    }

    /// <summary>The KV cache of one sequence per device under another layout, from its bytes
    /// (<see cref="KvPerDevice(double, double)"/> with batch 1 for that layout's setup).</summary>
    internal Bytes KvPerSequenceWith(int tensor, int pipeline, int attentionData, Bytes sequenceBytes, double contextTokens) =>
        sequenceBytes * (1.0 / attentionData / (pipeline * KvShardOf(Model, tensor)))
        + (Config.Speculation is { } speculation
            ? Speculation.SpeculationMemory.KvPerSequencePerDevice(this, speculation, tensor, pipeline, attentionData, contextTokens)
            : Bytes.Zero);

    /// <summary>This setup with another layout of the same devices (validated as the constructor validates it).</summary>
    internal ServingSetup WithLayout(Parallelism parallelism) => new(this, parallelism ?? throw new ArgumentNullException(nameof(parallelism)));

    // The config's own checks sit between the layout's (their order decides which error a bad request gets); a setup
    // made from another with a new layout passes null, its config having been checked already.
    private static void CheckLayout(ModelArchitecture model, Parallelism parallelism, ServingConfig? config)
    {
        if (parallelism.Tensor > 1 && model.Attention == AttentionKind.Gqa && model.AttentionHeads % parallelism.Tensor != 0)
        {
            throw new InvalidInputException("tensorParallel",
                $"tensorParallel must divide {model.Id}'s {model.AttentionHeads} attention heads; was {parallelism.Tensor}.");
        }

        if (model.Moe is { } routed && parallelism.Expert > routed.Experts)
        {
            // Each expert-parallel rank holds at least one whole expert; more ranks than experts would hold nothing.
            throw new InvalidInputException("ep", $"ep must be at most {model.Id}'s {routed.Experts} routed experts per layer; was {parallelism.Expert}.");
        }

        config?.Engine.CheckChosenMoeKernel(model);

        if (model.Moe is null && config?.ExpertWeightPrecision is { } expert)
        {
            // A dense model has no routed experts: the precision would silently apply to nothing.
            throw Requests.RequestFields.Error("expertWeights", $"{{expertWeights}} {expert.Name()} applies to routed experts; {model.Id} is dense and has none. Use {{weights}}.");
        }

        Guard.InRange(parallelism.Pipeline, 1, model.Layers, "pipelineParallel");
    }

    // Layout-independent parts of WeightBytesReadPerDevice, resolved once.
    private readonly Bytes _embeddingBytes;
    private readonly Bytes _denseBytesReadPerDevice;
    private readonly Bytes _bytesPerExpert;

    /// <summary>The accelerator's generation, which keys the kernel curves.</summary>
    public Architecture Architecture { get; }

    /// <summary>Per-setup constants of the kernel-level time model (null when <see cref="EfficiencyFactors.Kernels"/> is
    /// null and the flat roofline applies): resolved once so that a step costs a handful of multiplications.</summary>
    internal KernelTerms? StepKernels { get; }

    /// <summary>FLOPs per token routing imbalance adds to the linear compute term (<see cref="KernelTerms.ImbalanceFlopsPerToken"/>);
    /// 0 without a kernel model or for a dense model.</summary>
    internal double ImbalanceFlopsPerToken => StepKernels?.ImbalanceFlopsPerToken ?? 0;

    /// <summary>FLOPs the token tiles of a MoE kernel that has them (TRTLLM-Gen, <see cref="KernelTerms.ExpertTile"/>) add
    /// to the linear compute term, in place of the dense padding: 2 × expert elements × (tile rows − busiest rows) −
    /// <see cref="KernelTerms.TileFlopsPerWeightByte"/> × expert bytes, where the busiest rows are ι × tokens·k ÷ touched
    /// and the tile rows their <see cref="TokenTile.PaddedRows"/>. With the linear FLOPs (mean rows), the imbalance
    /// (ι − 1) and the dense padding charged on every weight byte, an expert's compute is then 2·N·K × its tile rows
    /// (<see cref="GroupedGemmCurve.ComputeRows"/>). Negative where the tiles pad less than M_half; 0 for a dense model
    /// or a kernel without tiles. FLOPs, timed, not counted.</summary>
    /// <param name="tokens">Tokens routed through each MoE layer together (a micro-batch, or the pass's prompt tokens).</param>
    /// <param name="touched">Distinct experts those tokens touch per layer.</param>
    /// <param name="computeShare">The share of the whole model's expert work one device computes (P ÷ devices for a
    /// step's micro-batch, 1 ÷ devices for a prefill pass, 1 ÷ TP for one prompt through one tensor-parallel group).</param>
    /// <param name="bytesShare">The same for the expert bytes the step's weight read counts (as
    /// <see cref="WeightBytesReadPerDevice"/> is scaled at the call).</param>
    internal double ExpertTileFlops(double tokens, double touched, double computeShare, double bytesShare)
    {
        if (StepKernels is not { ExpertTile: { } tile } k || Model.Moe is not { } moe || touched <= 0 || tokens <= 0) return 0;
        var busiest = tokens * moe.ExpertsPerToken / touched * k.ExpertImbalance;
        var elements = Parameters.RoutedExpert * Model.MoeLayers * touched;
        return 2 * elements * (tile.PaddedRows(busiest) - busiest) * computeShare
            - k.TileFlopsPerWeightByte * _bytesPerExpert.Value * Model.MoeLayers * touched * bytesShare;
    }

    /// <summary>The model as served (without its sliding window when the engine does not honour it).</summary>
    public ModelArchitecture Model { get; }
    /// <summary>The accelerator.</summary>
    public Accelerator Accelerator { get; }
    /// <summary>The replica's parallel layout.</summary>
    public Parallelism Parallelism { get; }
    /// <summary>The serving configuration this setup was resolved from.</summary>
    public ServingConfig Config { get; }
    /// <summary>Efficiency factors in force.</summary>
    public EfficiencyFactors Efficiency { get; }
    /// <summary>Parameter counts from the shape.</summary>
    public ParameterBreakdown Parameters { get; }
    /// <summary>Precision of non-expert weights.</summary>
    public Precision WeightPrecision { get; }
    /// <summary>Precision of routed-expert weights.</summary>
    public Precision ExpertPrecision { get; }
    /// <summary>Precision of the input embedding table: the weight override if given, else the checkpoint's
    /// (<see cref="ModelArchitecture.DefaultEmbeddingPrecision"/>), else <see cref="WeightPrecision"/>; a tied table
    /// takes <see cref="LmHeadPrecision"/>. Resident in memory only: a lookup reads b rows per step, not the table.</summary>
    public Precision EmbeddingPrecision { get; }
    /// <summary>Precision of the LM head: the weight override if given, else the checkpoint's
    /// (<see cref="ModelArchitecture.DefaultLmHeadPrecision"/>), else <see cref="WeightPrecision"/>. Read whole every decode step.</summary>
    public Precision LmHeadPrecision { get; }

    /// <summary>How much longer the LM head's matrix FLOPs take than the other linear layers' at the same count:
    /// P(compute) / P(head) − 1, dimensionless, where P(head) is the device's dense peak at the precision a head stored
    /// in <see cref="LmHeadPrecision"/> runs at (<see cref="DefaultCompute"/>; a bf16 head beside fp8 weights runs at
    /// the bf16 peak, half the fp8 one on Hopper). 0 when the head runs at <see cref="ComputePrecision"/>, when
    /// --compute sets the matrix precision for every layer, or when the device has no peak for the head's precision.
    /// The step's linear compute term counts the head's FLOPs × (1 + this); the FLOPs reported stay the model's.
    /// Peaks from the accelerator catalog (vendors' spec sheets).</summary>
    public double LmHeadExtraTime { get; }
    /// <summary>Precision of the KV cache.</summary>
    public Precision KvPrecision { get; }
    /// <summary>The block-scale layouts of this setup's 4-bit tensors: the request's fp4 layout (<c>nvfp4</c>,
    /// <c>mxfp4</c>), else the checkpoint's, else the device's default; int4 the checkpoint's groups, else 128. Every
    /// stored byte of weights and KV cache is counted through <see cref="ScaleLayouts.BytesPerElement"/>.</summary>
    public ScaleLayouts Scales { get; }
    /// <summary>The KV cache's stored format (<see cref="KvPrecision"/> with its block scales, if 4-bit).</summary>
    public StorageFormat KvFormat { get; }
    /// <summary>Precision the matrix units run at.</summary>
    public Precision ComputePrecision { get; }
    /// <summary>Dense peak per device at <see cref="ComputePrecision"/>.</summary>
    public FlopsPerSecond Peak { get; }
    /// <summary>All weights except routed experts, whole model, block scales included (<see cref="Scales"/>): NonExpert·b_w with the input embedding at
    /// <see cref="EmbeddingPrecision"/> and the LM head at <see cref="LmHeadPrecision"/>, bytes.</summary>
    public Bytes NonExpertWeightBytes { get; }
    /// <summary>All routed-expert weights, whole model.</summary>
    public Bytes ExpertWeightBytes { get; }
    /// <summary>Devices a sequence's KV cache is split across within one stage: min(TP, KV heads) for GQA (heads are
    /// replicated beyond that), 1 for MLA (the latent is replicated on every tensor-parallel rank).</summary>
    public int KvShard { get; }

    /// <summary>Weight bytes one device reads in a step that carries <paramref name="tokensPerMicroBatch"/> tokens through
    /// each pipeline stage: non-expert weights / TP (the input embedding is a lookup, not read whole; each stage re-reads
    /// its weights for every micro-batch, so pipelining does not shrink this term) plus, for MoE, the expected distinct
    /// experts those tokens touch, E·(1 − (1 − k/E)^tokens) per layer, spread over the replica's devices.</summary>
    public Bytes WeightBytesReadPerDevice(double tokensPerMicroBatch, out double expertsTouchedPerLayer)
    {
        var p = Parallelism;
        var bytes = _denseBytesReadPerDevice;
        expertsTouchedPerLayer = 0;
        if (Model.Moe is { } moe)
        {
            expertsTouchedPerLayer = DecodeModel.ExpectedDistinctExperts(moe.Experts, moe.ExpertsPerToken, tokensPerMicroBatch);
            bytes += _bytesPerExpert * (p.Pipeline * Model.MoeLayers * expertsTouchedPerLayer / DevicesPerReplica);
        }

        return bytes;
    }

    /// <summary>Element-wise activation traffic per token through the whole model:
    /// activation passes × layers × (hidden + active MLP width) × 2 bytes.</summary>
    public Bytes ActivationBytesPerToken { get; }

    private static Bytes ActivationBytes(ModelArchitecture m, EfficiencyFactors efficiency)
    {
        double mlpWidth = m.Moe is { } moe
            ? (moe.ExpertsPerToken + moe.SharedExperts) * (double)moe.ExpertIntermediateSize
            : m.DenseIntermediateSize ?? 0;
        var denseWidth = m.DenseIntermediateSize ?? mlpWidth;
        var perLayer = m.MoeLayers * (m.HiddenSize + mlpWidth) + m.DenseLayers * (m.HiddenSize + denseWidth);
        return Bytes.FromBytes(efficiency.ActivationPasses * perLayer * 2.0);
    }

    /// <summary>Time for the element-wise work of <paramref name="tokens"/> tokens spread over the replica.</summary>
    public Seconds ActivationTime(double tokens) =>
        ActivationBytesPerToken * (tokens / DevicesPerReplica) / Accelerator.MemoryBandwidth;

    /// <summary>Devices per replica.</summary>
    public int DevicesPerReplica => Parallelism.DevicesPerReplica;

    /// <summary>Layout description, for example "2 × 8 nvidia-h100-sxm (TP8 PP2)".</summary>
    public string Layout => $"{DevicesPerReplica} × {Accelerator.Id} ({Parallelism})";

    /// <summary>Resident weight bytes per device: non-expert weights split by tensor and pipeline parallelism
    /// (replicated across attention-data-parallel copies), routed experts split across every device of the replica.</summary>
    public Bytes WeightsPerDevice => WeightsPerDeviceWith(Parallelism.Tensor, Parallelism.Pipeline, DevicesPerReplica);

    /// <summary><see cref="WeightsPerDevice"/> under another layout of this setup's model, precisions and devices.</summary>
    internal Bytes WeightsPerDeviceWith(int tensor, int pipeline, int devices) =>
        NonExpertWeightBytes / (tensor * pipeline) + ExpertWeightBytes / devices
        + (Config.Speculation is { } speculation ? Speculation.SpeculationMemory.WeightsPerDevice(this, speculation, tensor, pipeline, devices) : Bytes.Zero);

    /// <summary>KV-cache bytes per device for <paramref name="batch"/> sequences of <paramref name="contextTokens"/> tokens:
    /// (batch / attention-DP) × bytes per sequence / (pipeline × KV shard).</summary>
    public Bytes KvPerDevice(double batch, double contextTokens)
    {
        var kv = KvCache.BytesPerSequence(Model, KvFormat, contextTokens)
                 * (batch / Parallelism.AttentionData / (Parallelism.Pipeline * KvShard));
        return Config.Speculation is { } speculation
            ? kv + (Speculation.SpeculationMemory.KvPerSequencePerDevice(this, speculation, contextTokens) * batch)
            : kv;
    }

    private static double LmHeadExtraTimeOf(Accelerator accelerator, ServingConfig config, Precision compute, FlopsPerSecond peak, Precision head)
    {
        if (config.ComputePrecision is not null) return 0;
        var headCompute = DefaultCompute(accelerator, head);
        if (headCompute == compute || accelerator.Peaks.For(headCompute) is not { } headPeak || headPeak.Value <= 0) return 0;
        return peak.Value / headPeak.Value - 1;
    }

    /// <summary>The matrix precision used when none is requested: the weight precision where the device has a peak
    /// for it (fp8 on Hopper, fp4 on Blackwell); weight-only formats (int4, or fp4/fp8 without a native path) run at bf16.</summary>
    public static Precision DefaultCompute(Accelerator accelerator, Precision weights)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        if (weights != Precision.Int4 && accelerator.Peaks.For(weights) is not null) return weights;
        if (weights == Precision.Fp4 && accelerator.Peaks.Fp8 is not null) return Precision.Fp8;
        return accelerator.Peaks.Bf16 is not null ? Precision.Bf16 : Precision.Fp16;
    }
}

/// <summary>The kernel curves of one setup folded into rates and fixed times (see docs/methodology.md#kernels).</summary>
/// <remarks>Per device and step: linear compute = (linear FLOPs + 2·M_half·weight elements read) / (η_max·P·f_mm), which
/// is the sum over the step's GEMMs of 2·N·K·(M + M_half) / (η_max·P); linear memory = weight bytes / (η_bw·BW·f_bw);
/// prefill attention at η(S)·P16·f_att; decode attention KV bytes / (η_dec·BW·f_bw) + t0 per layer; every GEMM pays its
/// fixed latency, every MoE layer the grouped module's. The f's are <see cref="EfficiencyFactors"/>' serving fractions.
/// All GEMMs of a step share M, so the roofline knee over their summed terms equals the sum of their knees.</remarks>
internal sealed class KernelTerms
{
    public KernelTerms(ServingSetup setup, KernelModel kernels)
    {
        var eff = setup.Efficiency;
        var a = setup.Accelerator;
        var arch = setup.Architecture;
        var gemm = kernels.GemmFor(arch, setup.ComputePrecision);
        var weightElements = setup.Parameters.NonExpert + setup.Parameters.RoutedExpertsTotal;
        var weightBytes = setup.NonExpertWeightBytes.Value + setup.ExpertWeightBytes.Value;
        var bytesPerElement = weightElements > 0 ? weightBytes / weightElements : setup.Scales.BytesPerElement(setup.WeightPrecision);
        ComputeRate = gemm.PeakFraction * setup.Peak.Value * eff.MatmulMfu;
        TileFlopsPerWeightByte = 2 * gemm.HalfRows / bytesPerElement;
        WeightBandwidth = gemm.BandwidthFraction * a.MemoryBandwidth.Value * eff.Mbu;
        Prefill = kernels.PrefillFor(arch);
        AttentionPeak = (a.Peaks.For(Precision.Bf16) ?? setup.Peak).Value * eff.AttentionMfu;
        HeadDim = setup.Model.HeadDim;
        _prefillPeakAtHeadDim = Prefill.PeakFraction * Math.Pow(HeadDim / 128, Prefill.HeadDimExponent);
        LongPrefillRate = PrefillRate(1e6);
        var decode = kernels.DecodeFor(arch);
        KvBandwidth = decode.BandwidthFraction * a.MemoryBandwidth.Value * eff.Mbu;
        _kernels = kernels;
        _gemmFixed = gemm.FixedSeconds;
        _decodeFixed = decode.FixedSeconds;
        MoeKernel = setup.Config.Engine.MoeKernelFor(setup.ExpertPrecision, setup.Architecture);
        _moe = kernels.GroupedGemmFor(MoeKernel);
        (AttentionFixed, GemmFixed, Tensor, Expert) = LayoutTerms(setup);
        ExpertSecondsPerTouched = ExpertSeconds(setup.Model, setup.Parallelism.Pipeline, setup.Parallelism.Expert, 1);
        ExpertImbalance = setup.Model.Moe is { } moe ? _moe.ImbalanceFor(moe.Experts, moe.ExpertsPerToken) : 1;
        ImbalanceFlopsPerToken = setup.Model.Moe is { } m
            ? (ExpertImbalance - 1) * 2 * setup.Parameters.RoutedExpert * m.ExpertsPerToken * setup.Model.MoeLayers
            : 0;
        ExpertTile = setup.Model.Moe is null ? null : _moe.Tile;
    }

    /// <summary>The terms of <paramref name="prototype"/> for <paramref name="setup"/>, which differs from the prototype's
    /// setup only in its layout: the rates are copied, the per-layout terms computed afresh.</summary>
    public KernelTerms(KernelTerms prototype, ServingSetup setup)
    {
        ComputeRate = prototype.ComputeRate;
        TileFlopsPerWeightByte = prototype.TileFlopsPerWeightByte;
        WeightBandwidth = prototype.WeightBandwidth;
        Prefill = prototype.Prefill;
        AttentionPeak = prototype.AttentionPeak;
        HeadDim = prototype.HeadDim;
        _prefillPeakAtHeadDim = prototype._prefillPeakAtHeadDim;
        LongPrefillRate = prototype.LongPrefillRate;
        KvBandwidth = prototype.KvBandwidth;
        _kernels = prototype._kernels;
        _gemmFixed = prototype._gemmFixed;
        _decodeFixed = prototype._decodeFixed;
        MoeKernel = prototype.MoeKernel;
        _moe = prototype._moe;
        ImbalanceFlopsPerToken = prototype.ImbalanceFlopsPerToken;
        ExpertImbalance = prototype.ExpertImbalance;
        ExpertTile = prototype.ExpertTile;
        (AttentionFixed, GemmFixed, Tensor, Expert) = LayoutTerms(setup);
        ExpertSecondsPerTouched = ExpertSeconds(setup.Model, setup.Parallelism.Pipeline, setup.Parallelism.Expert, 1);
    }

    private readonly KernelModel _kernels;
    // The MoE module curve of the engine's kernel for these experts.
    private readonly GroupedGemmCurve _moe;
    private readonly double _gemmFixed;
    private readonly double _decodeFixed;
    // η_max · (d/128)^γ of the prefill curve: the head dimension is the model's, so the power is taken once.
    private readonly double _prefillPeakAtHeadDim;

    private (double AttentionFixed, double GemmFixed, (double, double) Tensor, (double, double) Expert) LayoutTerms(ServingSetup setup)
    {
        var m = setup.Model;
        var a = setup.Accelerator;
        var eff = setup.Efficiency;
        var (attentionFixed, gemmFixed) = FixedSeconds(m, setup.Parallelism.Pipeline);
        return (attentionFixed, gemmFixed, LinkTerms(_kernels, a, setup.Architecture, setup.Parallelism.Tensor, eff, allToAll: false),
            LinkTerms(_kernels, a, setup.Architecture, setup.Parallelism.Expert, eff, allToAll: true));
    }

    /// <summary>The fixed latencies of one decode step on a device holding <paramref name="model"/>'s layers split over
    /// <paramref name="pipeline"/> stages, seconds: decode attention's t0 per layer, and the GEMMs' t_fixed for four GEMMs
    /// per layer (QKV, output projection, gate-up, down) and the LM head, with each MoE layer's expert GEMMs one grouped
    /// module at its own fixed cost.</summary>
    public (double AttentionFixed, double GemmFixed) FixedSeconds(ModelArchitecture model, int pipeline)
    {
        var layersPerDevice = (double)model.Layers / pipeline;
        var moeLayersPerDevice = (double)model.MoeLayers / pipeline;
        return (_decodeFixed * layersPerDevice,
            _gemmFixed * (4 * layersPerDevice + 1) + _moe.FixedSeconds * moeLayersPerDevice);
    }

    /// <summary>The time the touched experts add beyond their weight read on one device, seconds: τ (the MoE kernel's
    /// time per touched expert, <see cref="GroupedGemmCurve.PerExpertSeconds"/>) × the experts each of the device's
    /// MoE layers runs, which is <paramref name="touchedPerLayer"/> ÷ the expert-parallel degree <paramref name="expert"/>
    /// (an expert-parallel rank runs only its own experts; tensor-parallel ranks each run a slice of every touched one),
    /// over <paramref name="model"/>'s MoE layers ÷ <paramref name="pipeline"/>.</summary>
    public double ExpertSeconds(ModelArchitecture model, int pipeline, int expert, double touchedPerLayer) =>
        _moe.PerExpertSeconds * touchedPerLayer * model.MoeLayers / ((double)pipeline * expert);

    /// <summary><see cref="ExpertSeconds"/> of this setup's layout per expert touched in each MoE layer, seconds.</summary>
    public double ExpertSecondsPerTouched { get; }

    /// <summary>The FLOPs per token that routing imbalance adds to the linear compute term, FLOP per token:
    /// (ι − 1) × 2 × the routed-expert parameters one token multiplies through (k experts × MoE layers), ι the MoE
    /// kernel's routing imbalance (<see cref="GroupedGemmCurve.ImbalanceFor"/>: fitted to the kernel benchmarks' module
    /// rows, 1 when every token goes to every expert).
    /// A grouped GEMM runs each expert's tiles at once, so its compute time is the busiest expert's rows × every touched
    /// expert's width, ι × the mean rows (the module curve's compute term, <see cref="GroupedGemmCurve.Time"/>).
    /// Timed, not counted: the model's FLOPs stay 2 × active parameters. 0 for a dense model.</summary>
    public double ImbalanceFlopsPerToken { get; }

    /// <summary>ι: the busiest expert's rows ÷ the mean (<see cref="GroupedGemmCurve.ImbalanceFor"/>); 1 for a dense model.</summary>
    public double ExpertImbalance { get; }

    /// <summary>The MoE kernel's token tiles (<see cref="Kernels.MoeKernels.TokenTileOf"/>), null when it pads each
    /// expert like a dense GEMM (M_half, charged with every weight byte through <see cref="TileFlopsPerWeightByte"/>) or
    /// the model is dense.</summary>
    public TokenTile? ExpertTile { get; }

    /// <summary>The kernel that runs the routed experts: the engine's for the experts' precision
    /// (<see cref="Calibration.ServingSoftware.MoeKernelFor(Precision, Architecture)"/>).</summary>
    public MoeKernel MoeKernel { get; }

    /// <summary>η_max·P·f_mm, FLOP/s.</summary>
    public double ComputeRate { get; }
    /// <summary>2·M_half / bytes per weight element: the tile-quantisation FLOPs charged per weight byte read.</summary>
    public double TileFlopsPerWeightByte { get; }
    /// <summary>η_bw·BW·f_bw, B/s.</summary>
    public double WeightBandwidth { get; }
    /// <summary>The prefill attention curve.</summary>
    public PrefillAttentionCurve Prefill { get; }
    /// <summary>16-bit dense peak × f_att, FLOP/s.</summary>
    public double AttentionPeak { get; }
    /// <summary>Head dimension of the model (attention tiles).</summary>
    public double HeadDim { get; }
    /// <summary>η_dec·BW·f_bw, B/s.</summary>
    public double KvBandwidth { get; }
    /// <summary>Decode-attention fixed time per step per device (t0 × layers on the device), s.</summary>
    public double AttentionFixed { get; }
    /// <summary>GEMM and grouped-GEMM fixed time per step per device, s.</summary>
    public double GemmFixed { get; }
    /// <summary>The tensor-parallel group's collective link.</summary>
    public (double Latency, double Bandwidth) Tensor { get; }
    /// <summary>The expert-parallel group's all-to-all link.</summary>
    public (double Latency, double Bandwidth) Expert { get; }

    /// <summary>Achieved FLOP/s of causal prefill attention over prompts of <paramref name="sequence"/> tokens.</summary>
    /// <remarks>The curve's efficiency (<see cref="PrefillAttentionCurve.Efficiency"/>) with its head-dimension power
    /// taken once per setup.</remarks>
    public double PrefillRate(double sequence)
    {
        var s = Math.Max(sequence, 1);
        return Math.Min(1, _prefillPeakAtHeadDim * s / (s + Prefill.HalfLengthCausal)) * AttentionPeak;
    }

    /// <summary><see cref="PrefillRate"/> of a step whose prompt length is unknown: long-sequence efficiency (10^6 tokens).</summary>
    public double LongPrefillRate { get; }

    /// <summary>(α, η·B_link·f_link) of a collective over <paramref name="devices"/> devices; α is the engine's
    /// <see cref="EfficiencyFactors.CollectiveLatency"/>.</summary>
    public static (double Latency, double Bandwidth) LinkTerms(KernelModel kernels, Accelerator accelerator, int devices, EfficiencyFactors eff, bool allToAll = false) =>
        devices <= 1 ? (0, 1) : LinkTerms(kernels, accelerator, Architectures.Of(accelerator), devices, eff, allToAll);

    private static (double Latency, double Bandwidth) LinkTerms(KernelModel kernels, Accelerator accelerator, Architecture architecture, int devices, EfficiencyFactors eff, bool allToAll)
    {
        if (devices <= 1) return (0, 1);
        var link = LinkClasses.Of(accelerator, architecture, devices);
        var curve = allToAll ? kernels.AllToAllFor(link) : kernels.AllReduceFor(link);
        return (eff.CollectiveLatency.Value, curve.BandwidthFraction * accelerator.LinkBandwidthFor(devices).Value * eff.LinkEfficiency);
    }
}

/// <summary>One decoding sequence's attention work on one device (<see cref="ServingSetup.DecodeWorkPerSequence"/>).</summary>
/// <param name="AttentionFlops">Attention FLOPs.</param>
/// <param name="KvBytes">KV bytes read.</param>
internal readonly record struct DecodeSequenceWork(double AttentionFlops, double KvBytes);
