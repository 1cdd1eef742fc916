using Infercost.Models;

namespace Infercost.Speculation;

/// <summary>Where the draft tokens come from.</summary>
public enum SpeculationMethod
{
    /// <summary>Multi-token-prediction modules of the served model (DeepSeek-V3's MTP: one transformer block per extra
    /// depth, sharing the embedding and output head).</summary>
    Mtp,

    /// <summary>A separate, smaller draft model run autoregressively before each verify step.</summary>
    DraftModel,

    /// <summary>Medusa heads (Cai et al. 2024, "Medusa: Simple LLM Inference Acceleration Framework with Multiple Decoding
    /// Heads", arXiv 2401.10774, §2.1.1): head d predicts the token d + 1 positions ahead from the last hidden state, as
    /// softmax(W₂⁽ᵈ⁾ · (SiLU(W₁⁽ᵈ⁾ · h) + h)) with W₁ h × h and W₂ vocabulary × h; all heads run once per step, on the
    /// verify pass's hidden state, and their top candidates form the token tree.</summary>
    Medusa,

    /// <summary>EAGLE (Li et al. 2024, "EAGLE: Speculative Sampling Requires Rethinking Feature Uncertainty", arXiv
    /// 2401.15077, §3; EAGLE-2, arXiv 2406.16858, dynamic draft trees; EAGLE-3, arXiv 2503.01840): one transformer
    /// decoder layer of the served model's shape after a 2h → h projection of (feature, token embedding), sharing the
    /// served model's embedding and output head, run once per tree depth over that depth's frontier.</summary>
    Eagle,
}

/// <summary>Speculative decoding: k draft tokens per step, verified in one forward pass of the served model.</summary>
/// <param name="Method">MTP heads or a draft model.</param>
/// <param name="Length">Draft tokens per step (k), in [1, 16].</param>
/// <param name="Acceptance">Per-position acceptance: a_i = P(draft token i accepted | tokens 1..i−1 accepted), each in
/// [0, 1]; shorter than k repeats its last value.</param>
/// <param name="Draft">The draft model (for <see cref="SpeculationMethod.DraftModel"/>).</param>
/// <param name="MtpLayers">Transformer blocks per MTP depth (DeepSeek-V3: 1).</param>
/// <param name="Tree">A token tree instead of a chain: nodes at each depth w_1..w_D (D = <paramref name="Length"/>),
/// verified together in one pass under a tree attention mask (Medusa §2.1.2; SpecInfer, Miao et al. 2024; EAGLE-2).
/// Null is the chain, one node per depth. With a tree, <paramref name="Acceptance"/> is per depth: a_d = P(the accepted
/// path reaches depth d | it reached d − 1), some node at depth d matching.</param>
public sealed record SpeculationConfig(SpeculationMethod Method, int Length, IReadOnlyList<double> Acceptance, ModelArchitecture? Draft = null, int MtpLayers = 1,
    IReadOnlyList<int>? Tree = null)
{
    /// <summary>Most nodes one token tree may hold (EAGLE-2 verifies about 60, Medusa's published trees 64).</summary>
    public const int MaxTreeNodes = 256;

    /// <summary>Most nodes one depth of a token tree may hold (Medusa's published trees take up to 64 candidates per head).</summary>
    public const int MaxTreeWidth = 64;

    /// <summary>Checks every field; messages name the CLI flags.</summary>
    public SpeculationConfig Validated()
    {
        Guard.InRange(Length, 1, 16, "specLength");
        ArgumentNullException.ThrowIfNull(Acceptance);
        if (Acceptance.Count == 0) throw new InvalidInputException("specAcceptance", "specAcceptance must list at least one rate.");
        foreach (var a in Acceptance) Guard.InRange(a, 0, 1, "specAcceptance");
        Guard.InRange(MtpLayers, 1, 16, "mtpLayers");
        if (!Enum.IsDefined(Method)) throw new InvalidInputException("specMethod", $"specMethod must be mtp, draft, medusa or eagle; was {Method}.");
        if (Method == SpeculationMethod.DraftModel && Draft is null)
            throw new InvalidInputException("draftModel", "draftModel is required when specMethod is draft.");
        if (Method != SpeculationMethod.DraftModel && Draft is not null)
            throw new InvalidInputException("draftModel", "draftModel applies when specMethod is draft.");
        if (Tree is { } tree)
        {
            if (tree.Count != Length) throw new InvalidInputException("specTree", $"specTree must list one node count per depth, {Length}; was {tree.Count}.");
            foreach (var w in tree) Guard.InRange(w, 1, MaxTreeWidth, "specTree");
            if (tree.Sum() > MaxTreeNodes) throw new InvalidInputException("specTree", $"specTree must hold at most {MaxTreeNodes} nodes; was {tree.Sum()}.");
        }

        return this;
    }

    /// <summary>Draft tokens the verify pass checks per sequence beside the last accepted one: the tree's nodes Σ w_d, or
    /// k for a chain. The verify pass carries this + 1 tokens per sequence (their FLOPs, their KV written, their share of
    /// the step's token budget); a step still emits at most <see cref="Length"/> + 1, one path of the tree.</summary>
    public int VerifyTokens => Tree?.Sum() ?? Length;

    /// <summary>Nodes at depth <paramref name="depth"/> (1-based; depth 0 is the last accepted token, one node).</summary>
    public int WidthAt(int depth) => depth == 0 ? 1 : Tree is { } tree ? tree[depth - 1] : 1;

    /// <summary>The speculation as reports print it.</summary>
    public SpeculationSpec Spec => new(MethodName, Draft?.Id, Length, [.. Enumerable.Range(1, Length).Select(AcceptanceAt)], ExpectedTokensPerStep)
    {
        Tree = Tree,
        VerifyTokens = VerifyTokens,
    };

    /// <summary>The method as the request field <c>specMethod</c> spells it: "mtp", "draft", "medusa" or "eagle".</summary>
    public string MethodName => NameOf(Method);

    /// <summary>The request's spelling of <paramref name="method"/>.</summary>
    public static string NameOf(SpeculationMethod method) => method switch
    {
        SpeculationMethod.Mtp => "mtp",
        SpeculationMethod.DraftModel => "draft",
        SpeculationMethod.Medusa => "medusa",
        _ => "eagle",
    };

    /// <summary>The method the request's <c>specMethod</c> names; null for an unknown name.</summary>
    public static SpeculationMethod? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "mtp" => SpeculationMethod.Mtp,
        "draft" => SpeculationMethod.DraftModel,
        "medusa" => SpeculationMethod.Medusa,
        "eagle" => SpeculationMethod.Eagle,
        _ => null,
    };

    /// <summary>Checks that this speculation can run beside <paramref name="target"/>: MTP needs a checkpoint that ships
    /// MTP modules (its config's <c>num_nextn_predict_layers</c>, DeepSeek-V3/R1: 1); a draft model must be another model
    /// with the target's vocabulary, since the verify pass compares token ids (Leviathan et al. 2023 assume one
    /// tokenizer; a different vocabulary size means a different tokenizer).</summary>
    /// <exception cref="InvalidInputException">Names <c>specMethod</c> or <c>draftModel</c>.</exception>
    public SpeculationConfig CheckAgainst(ModelArchitecture target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Validated();
        // Medusa heads and an EAGLE layer are trained for one served model and shipped beside it; the catalog does not
        // list them, so any model may take them (their acceptance is the user's figure for that pairing).
        if (Method == SpeculationMethod.Mtp && target.MtpLayers == 0)
        {
            throw Requests.RequestFields.Error("specMethod",
                $"{{specMethod}} mtp needs a model whose config has multi-token-prediction layers (DeepSeek-V3/R1); {target.Id} has none. Use {{specMethod}} draft with {{draftModel}} ID.");
        }

        if (Draft is { } draft)
        {
            if (string.Equals(draft.Id, target.Id, StringComparison.OrdinalIgnoreCase))
            {
                throw Requests.RequestFields.Error("draftModel", $"{{draftModel}} {draft.Id} is the served model itself; a draft must be a smaller model.");
            }

            if (draft.VocabSize != target.VocabSize)
            {
                throw Requests.RequestFields.Error("draftModel",
                    $"{{draftModel}} {draft.Id} has a vocabulary of {draft.VocabSize} tokens and {target.Id} {target.VocabSize}: a draft must share the served model's tokenizer.");
            }
        }

        return this;
    }

    /// <summary>a_i for 1-based position <paramref name="i"/> (the last rate given repeats).</summary>
    public double AcceptanceAt(int i) => Acceptance[Math.Min(i, Acceptance.Count) - 1];

    /// <summary>Expected tokens one sequence gains per verify step: 1 + Σ_{i≤k} Π_{j≤i} a_j.</summary>
    /// <remarks>The verify pass always yields one token from the target model (the correction or the bonus token); draft
    /// token i counts only if it and every earlier one is accepted (Leviathan et al. 2023, "Fast Inference from
    /// Transformers via Speculative Decoding", with per-position rates). For a tree the same sum runs over depths: the
    /// accepted length is the depth the longest matching path reaches, and a_d is the chance it goes one deeper (Medusa's
    /// tree construction counts the expected acceptance length as the sum over nodes of each node's path probability;
    /// summed by depth that is Σ_d Π_{j≤d} a_j). A chain is the tree of width 1, so both give the same figure.</remarks>
    public double ExpectedTokensPerStep
    {
        get
        {
            double expected = 1, run = 1;
            for (var i = 1; i <= Length; i++)
            {
                run *= AcceptanceAt(i);
                expected += run;
            }

            return expected;
        }
    }
}

/// <summary>A speculation as reports print it.</summary>
/// <param name="Method">"mtp", "draft", "medusa" or "eagle".</param>
/// <param name="DraftModel">Catalog id of the draft model; null for MTP.</param>
/// <param name="Length">Draft tokens per step (k).</param>
/// <param name="Acceptance">a_1..a_k.</param>
/// <param name="TokensPerStep">Expected tokens per sequence per step, 1 + Σ_{i≤k} Π_{j≤i} a_j (Leviathan et al. 2023).</param>
public sealed record SpeculationSpec(string Method, string? DraftModel, int Length, IReadOnlyList<double> Acceptance, double TokensPerStep)
{
    /// <summary>Nodes per depth of the token tree; null for a chain.</summary>
    public IReadOnlyList<int>? Tree { get; init; }

    /// <summary>Draft tokens verified per sequence per step (the tree's nodes, or k).</summary>
    public int VerifyTokens { get; init; }

    /// <summary>One line for the CLI and notes: "draft llama-3.1-8b, k = 4, acceptance 0.8, 0.8, 0.8, 0.8: 3.36 tokens per step".</summary>
    public override string ToString() =>
        $"{Method}{(DraftModel is { } d ? " " + d : "")}, k = {Length}" +
        (Tree is { } t ? $", tree {string.Join(",", t)} ({VerifyTokens} nodes verified)" : "") +
        $", acceptance {string.Join(", ", Acceptance.Select(Guard.Format))}: {Guard.Format(Math.Round(TokensPerStep, 3))} tokens per sequence per step";
}
