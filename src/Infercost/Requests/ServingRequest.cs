using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Requests;

/// <summary>A deployment plus the request shape, batching and efficiency factors: everything a throughput estimate needs.</summary>
public record ServingRequest : DeploymentRequest
{
    private static readonly ServingConfig Defaults = new() { TotalDevices = 1 };
    private static readonly EfficiencyFactors Factors = EfficiencyFactors.Default;

    /// <summary>Accepted ranges of the request-shape fields.</summary>
    public static readonly WholeField InputField = new("input", 1, 10_000_000), OutputField = new("output", 1, 10_000_000),
        MaxBatchField = new("maxBatch", 1, 1_000_000), PrefillChunkField = new("prefillChunk", 1, 10_000_000);

    /// <summary>Accepted ranges of the efficiency factors.</summary>
    public static readonly NumberField MfuField = new("mfu", 0.001, 1), AttentionMfuField = new("attentionMfu", 0.001, 1),
        MbuField = new("mbu", 0.001, 1), StepOverheadMsField = new("stepOverheadMs", 0, 1000),
        CollectiveLatencyUsField = new("collectiveLatencyUs", 0, 10_000), LinkEfficiencyField = new("linkEfficiency", 0.001, 1),
        ActivationPassesField = new("activationPasses", 0, 1000), RooflineSoftnessField = new("rooflineSoftness", 0, 1);

    /// <summary>Accepted ranges of the speculation fields.</summary>
    public static readonly WholeField SpecLengthField = new("specLength", 1, 16);

    /// <summary>Accepted range of each depth's node count in a token tree.</summary>
    public static readonly WholeField SpecTreeField = new("specTree", 1, Speculation.SpeculationConfig.MaxTreeWidth);

    /// <summary>Accepted range of each acceptance rate.</summary>
    public static readonly NumberField SpecAcceptanceField = new("specAcceptance", 0, 1);

    /// <summary>Accepted range of the node budget of a tree built from top-k accuracies.</summary>
    public static readonly WholeField SpecTreeNodesField = new("specTreeNodes", 1, Speculation.SpeculationConfig.MaxTreeNodes);

    /// <summary>Accepted range of each top-k accuracy.</summary>
    public static readonly NumberField SpecTopkField = new("specTopk", 0, 1);

    /// <summary>Prompt tokens per request.</summary>
    public int Input { get; init; } = Defaults.InputTokens;

    /// <summary>Generated tokens per request.</summary>
    public int Output { get; init; } = Defaults.OutputTokens;

    /// <summary>Cap on the automatic batch (vLLM's max_num_seqs); default the engine's.</summary>
    public int? MaxBatch { get; init; }

    /// <summary>Token budget of one prefill pass; default the engine's (8192 for every built-in profile).</summary>
    public int? PrefillChunk { get; init; }

    /// <summary>Fraction of dense peak that matrix multiplies achieve; default calibrated.</summary>
    public double? Mfu { get; init; }

    /// <summary>Fraction of dense peak attention products achieve when compute-bound.</summary>
    public double? AttentionMfu { get; init; }

    /// <summary>Fraction of peak memory bandwidth achieved streaming weights and KV cache.</summary>
    public double? Mbu { get; init; }

    /// <summary>Fixed time per step, milliseconds.</summary>
    public double? StepOverheadMs { get; init; }

    /// <summary>Fixed latency per collective, microseconds.</summary>
    public double? CollectiveLatencyUs { get; init; }

    /// <summary>Fraction of link peak that collectives achieve.</summary>
    public double? LinkEfficiency { get; init; }

    /// <summary>Element-wise passes over each token's activations per layer.</summary>
    public double? ActivationPasses { get; init; }

    /// <summary>Roofline knee softness: 0 is a hard max, 1 adds the terms.</summary>
    public double? RooflineSoftness { get; init; }

    /// <summary>Speculative decoding (<c>--spec-method</c>): "mtp" (the model's multi-token-prediction modules),
    /// "draft" (a separate draft model, <see cref="DraftModel"/>), "medusa" (Medusa heads) or "eagle" (an EAGLE draft
    /// layer); null decodes one token per step unless <see cref="DraftModel"/> is given, which means "draft".</summary>
    public string? SpecMethod { get; init; }

    /// <summary>A token tree instead of a chain (<c>--spec-tree</c>): nodes at each depth, for example 4,8,8,4; its
    /// length is the depth k (so <see cref="SpecLength"/>, when given, must equal it) and <see cref="SpecAcceptance"/>
    /// is per depth. Every node is verified in one pass; a step keeps one path.</summary>
    public IReadOnlyList<int>? SpecTree { get; init; }

    /// <summary>Draft tokens per step (k), in [1, 16]; default 1 (MTP: DeepSeek-V3's one module) when speculating.</summary>
    public int? SpecLength { get; init; }

    /// <summary>Per-position acceptance a_i = P(draft i accepted | drafts 1..i−1 accepted), each in [0, 1]; the last
    /// repeats to k. Default 0.85: DeepSeek-V3 technical report §5.4.3, "85% to 90%" second-token acceptance (its low end).</summary>
    public IReadOnlyList<double>? SpecAcceptance { get; init; }

    /// <summary>Catalog id of the draft model (with <see cref="SpecMethod"/> "draft"): same vocabulary as the served model.</summary>
    public string? DraftModel { get; init; }

    /// <summary>The drafter's per-depth top-k accuracies (<c>--spec-topk</c>), instead of <see cref="SpecAcceptance"/>:
    /// <c>specTopk[d − 1][i − 1]</c> = a_d^(i), the chance that head (depth) d's i-th ranked candidate is the right token,
    /// each head's list per rank (not cumulative), non-increasing, summing to at most 1. The tree (<see cref="SpecTree"/>,
    /// or the best of <see cref="SpecTreeNodes"/> nodes) takes the top candidates, and its per-depth acceptance and
    /// expected tokens per step follow (Medusa, Cai et al. 2024, §2.3.3: Σ over nodes of Π a_j^(i_j), heads independent).
    /// Without a tree it is a chain of the top-1 candidates, <see cref="SpecLength"/> deep (default: every head).</summary>
    public IReadOnlyList<IReadOnlyList<double>>? SpecTopk { get; init; }

    /// <summary>With <see cref="SpecTopk"/>: build the tree of this many nodes with the greatest expected acceptance
    /// (Medusa §2.3.3's greedy construction; <c>--spec-tree-nodes N</c>), in [1, 256], instead of <see cref="SpecTree"/>;
    /// at most as deep as the heads listed.</summary>
    public int? SpecTreeNodes { get; init; }

    /// <summary>DeepSeek-V3's reported acceptance of the second token with one MTP module, low end of 85-90%
    /// (DeepSeek-V3 technical report, arXiv 2412.19437, §5.4.3): the default when speculating without a rate.</summary>
    public const double DefaultAcceptance = 0.85;

    /// <summary>Whether the request speculates: <see cref="SpecMethod"/> or <see cref="DraftModel"/> given.</summary>
    public virtual bool Speculates => SpecMethod is not null || DraftModel is not null;

    /// <summary>The speculation the request describes, with the draft model resolved in <paramref name="subject"/>'s
    /// catalog and checked against the served model; null when the request does not speculate.</summary>
    /// <exception cref="InvalidInputException">Names <c>specMethod</c>, <c>specLength</c>, <c>specAcceptance</c> or <c>draftModel</c>.</exception>
    public Speculation.SpeculationConfig? ResolveSpeculation(Subject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (!Speculates) return null;
        var method = SpecMethod ?? (DraftModel is not null ? "draft" : "mtp");
        Models.ModelArchitecture? draft = null;
        if (DraftModel is { } id)
        {
            if (!subject.Catalog.TryGetModel(id, out var found))
            {
                throw RequestFields.Error("draftModel", $"{{draftModel}} '{id}' is not a catalog model (see 'infercost catalog list models').");
            }

            draft = found;
        }

        var kind = Speculation.SpeculationConfig.Parse(method) ?? Speculation.SpeculationMethod.Mtp;
        if (SpecTopk is { Count: > 0 } topk)
        {
            return new Speculation.TopKAccuracy(topk).Speculation(kind, draft, SpecTree is { Count: > 0 } shape ? shape : null, SpecTreeNodes, SpecLength)
                .CheckAgainst(subject.Model);
        }

        return new Speculation.SpeculationConfig(
            kind, SpecTree is { Count: > 0 } tree ? tree.Count : SpecLength ?? 1, SpecAcceptance is { Count: > 0 } a ? a : [DefaultAcceptance], draft,
            Tree: SpecTree is { Count: > 0 } t ? t : null).CheckAgainst(subject.Model);
    }

    /// <summary><see cref="ToConfig()"/> with the speculation resolved for <paramref name="subject"/>.</summary>
    public ServingConfig ToConfig(Subject subject) => ToConfig() with { Speculation = ResolveSpeculation(subject) };

    /// <summary>Estimate a context (input + output) longer than the model's published maximum instead of refusing it.</summary>
    public bool AllowLongContext { get; init; }

    /// <summary>Refuses input + output beyond <paramref name="model"/>'s maximum context unless
    /// <see cref="AllowLongContext"/> says the caller means it: such a request cannot be served as the model ships.</summary>
    /// <exception cref="InvalidInputException">The context is too long and not allowed.</exception>
    public void EnsureContext(Models.ModelArchitecture model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var context = (long)Input + Output;
        if (context <= model.MaxContextTokens || AllowLongContext) return;
        throw RequestFields.Error("input",
            $"{{input}} {Input} + {{output}} {Output} = {context} tokens exceeds {model.Id}'s maximum context of {model.MaxContextTokens}; " +
            "shorten them, or add {allowLongContext} to estimate it anyway.");
    }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        InputField.Check(Input);
        OutputField.Check(Output);
        MaxBatchField.Check(MaxBatch);
        PrefillChunkField.Check(PrefillChunk);
        MfuField.Check(Mfu);
        AttentionMfuField.Check(AttentionMfu);
        MbuField.Check(Mbu);
        StepOverheadMsField.Check(StepOverheadMs);
        CollectiveLatencyUsField.Check(CollectiveLatencyUs);
        LinkEfficiencyField.Check(LinkEfficiency);
        ActivationPassesField.Check(ActivationPasses);
        RooflineSoftnessField.Check(RooflineSoftness);
        ValidateSpeculation();
    }

    /// <summary>Checks the speculation fields alone (<see cref="SpecMethod"/>, <see cref="SpecLength"/>,
    /// <see cref="SpecAcceptance"/>, <see cref="DraftModel"/>): the one check behind every request that speculates,
    /// <c>plan</c>'s included.</summary>
    /// <exception cref="InvalidInputException">Names the speculation field.</exception>
    public void ValidateSpeculation()
    {
        if (SpecMethod is not null and not ("mtp" or "draft" or "medusa" or "eagle"))
        {
            throw RequestFields.Error("specMethod", $"{{specMethod}} must be mtp, draft, medusa or eagle; was '{SpecMethod}'.");
        }

        if (SpecMethod == "draft" && DraftModel is null) throw RequestFields.Error("draftModel", "{draftModel} is required when {specMethod} is draft.");
        if (SpecMethod is "mtp" or "medusa" or "eagle" && DraftModel is not null) throw RequestFields.Error("draftModel", "{draftModel} applies when {specMethod} is draft.");
        CheckTree(SpecTree, SpecLength, Speculates);
        if (!Speculates && SpecLength is not null) throw RequestFields.Error("specLength", "{specLength} applies when speculating: give {specMethod} mtp or {draftModel} ID.");
        if (!Speculates && SpecAcceptance is not null) throw RequestFields.Error("specAcceptance", "{specAcceptance} applies when speculating: give {specMethod} mtp or {draftModel} ID.");
        if (SpecLength is { } k) SpecLengthField.Check(k);
        if (SpecAcceptance is { } rates)
        {
            if (rates.Count is 0 or > 16) throw RequestFields.Error("specAcceptance", $"{{specAcceptance}} must list 1 to 16 rates; was {rates.Count}.");
            foreach (var a in rates) SpecAcceptanceField.Check(a);
        }

        CheckTopK(SpecTopk, SpecTreeNodes, SpecAcceptance is not null, SpecTree, SpecLength is { } length ? [length] : null, Speculates);
    }

    /// <summary>Checks the top-k fields: <paramref name="topk"/> (each accuracy in [0, 1], per head non-increasing and
    /// summing to at most 1) only when speculating and not beside a given acceptance; <paramref name="treeNodes"/> in
    /// [1, 256] only with top-k accuracies, not beside a tree or a length, and no more nodes than the candidates form;
    /// a tree no deeper than the heads and no wider at a depth than the nodes above it × that head's candidates; each
    /// of <paramref name="lengths"/> no longer than the heads. The one check behind every request that speculates.</summary>
    /// <exception cref="InvalidInputException">Names <c>specTopk</c>, <c>specTreeNodes</c>, <c>specTree</c> or <c>specLength</c>.</exception>
    public static void CheckTopK(IReadOnlyList<IReadOnlyList<double>>? topk, int? treeNodes, bool acceptanceGiven, IReadOnlyList<int>? tree,
        IReadOnlyList<int>? lengths, bool speculates)
    {
        SpecTreeNodesField.Check(treeNodes);
        if (topk is not { Count: > 0 })
        {
            if (treeNodes is not null) throw RequestFields.Error("specTreeNodes", "{specTreeNodes} builds the tree from the heads' accuracies: give {specTopk} too.");
            return;
        }

        if (!speculates) throw RequestFields.Error("specTopk", "{specTopk} applies when speculating: give {specMethod} or {draftModel} ID.");
        if (acceptanceGiven) throw RequestFields.Error("specTopk", "{specTopk} gives the acceptance (derived depth by depth); drop {specAcceptance}.");
        var accuracy = new Speculation.TopKAccuracy(topk).Validated();
        if (treeNodes is { } nodes)
        {
            if (tree is { Count: > 0 }) throw RequestFields.Error("specTreeNodes", "{specTreeNodes} chooses the tree; drop {specTree}.");
            if (lengths is { Count: > 0 }) throw RequestFields.Error("specTreeNodes", "{specTreeNodes} chooses the tree and its depth (at most one per head of {specTopk}); drop {specLength}.");
            accuracy.Best(nodes);
            return;
        }

        if (tree is { Count: > 0 })
        {
            accuracy.Tree(tree);
            return;
        }

        foreach (var k in lengths ?? []) accuracy.Speculation(Speculation.SpeculationMethod.Medusa, null, null, null, k);
    }

    /// <summary>Checks a token tree field: each depth's node count in [1, 64], at most
    /// <see cref="Speculation.SpeculationConfig.MaxTreeNodes"/> nodes, at most 16 depths, as deep as
    /// <paramref name="length"/> when that is given, and only when <paramref name="speculates"/>.</summary>
    /// <exception cref="InvalidInputException">Names <c>specTree</c>.</exception>
    public static void CheckTree(IReadOnlyList<int>? tree, int? length, bool speculates)
    {
        if (tree is not { Count: > 0 }) return;
        if (!speculates) throw RequestFields.Error("specTree", "{specTree} applies when speculating: give {specMethod} or {draftModel} ID.");
        foreach (var w in tree) SpecTreeField.Check(w);
        if (tree.Count > SpecLengthField.High) throw RequestFields.Error("specTree", $"{{specTree}} must list 1 to {SpecLengthField.High} depths; was {tree.Count}.");
        if (tree.Sum() > Speculation.SpeculationConfig.MaxTreeNodes)
        {
            throw RequestFields.Error("specTree", $"{{specTree}} must hold at most {Speculation.SpeculationConfig.MaxTreeNodes} nodes; was {tree.Sum()}.");
        }

        if (length is { } k && k != tree.Count)
        {
            throw RequestFields.Error("specTree", $"{{specTree}} lists {tree.Count} depths and {{specLength}} is {k}: the tree's depth is the draft length; drop {{specLength}}.");
        }
    }

    /// <inheritdoc />
    public override ServingConfig ToConfig()
    {
        var config = base.ToConfig();
        var factors = config.Efficiency;
        return config with
        {
        InputTokens = Input,
        OutputTokens = Output,
        MaxBatch = MaxBatch ?? config.MaxBatch,
        PrefillChunkTokens = PrefillChunk ?? config.PrefillChunkTokens,
        Efficiency = factors with
        {
            MatmulMfu = Mfu ?? factors.MatmulMfu,
            AttentionMfu = AttentionMfu ?? factors.AttentionMfu,
            Mbu = Mbu ?? factors.Mbu,
            StepOverhead = StepOverheadMs is { } ms ? Seconds.FromMilliseconds(ms) : factors.StepOverhead,
            CollectiveLatency = CollectiveLatencyUs is { } us ? Seconds.FromMicroseconds(us) : factors.CollectiveLatency,
            LinkEfficiency = LinkEfficiency ?? factors.LinkEfficiency,
            ActivationPasses = ActivationPasses ?? factors.ActivationPasses,
            RooflineSoftness = RooflineSoftness ?? factors.RooflineSoftness,
        },
        };
    }
}
