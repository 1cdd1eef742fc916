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
}

/// <summary>Speculative decoding: k draft tokens per step, verified in one forward pass of the served model.</summary>
/// <param name="Method">MTP heads or a draft model.</param>
/// <param name="Length">Draft tokens per step (k), in [1, 16].</param>
/// <param name="Acceptance">Per-position acceptance: a_i = P(draft token i accepted | tokens 1..i−1 accepted), each in
/// [0, 1]; shorter than k repeats its last value.</param>
/// <param name="Draft">The draft model (for <see cref="SpeculationMethod.DraftModel"/>).</param>
/// <param name="MtpLayers">Transformer blocks per MTP depth (DeepSeek-V3: 1).</param>
public sealed record SpeculationConfig(SpeculationMethod Method, int Length, IReadOnlyList<double> Acceptance, ModelArchitecture? Draft = null, int MtpLayers = 1)
{
    /// <summary>Checks every field; messages name the CLI flags.</summary>
    public SpeculationConfig Validated()
    {
        Guard.InRange(Length, 1, 16, "specLength");
        ArgumentNullException.ThrowIfNull(Acceptance);
        if (Acceptance.Count == 0) throw new InvalidInputException("specAcceptance", "specAcceptance must list at least one rate.");
        foreach (var a in Acceptance) Guard.InRange(a, 0, 1, "specAcceptance");
        Guard.InRange(MtpLayers, 1, 16, "mtpLayers");
        if (Method == SpeculationMethod.DraftModel && Draft is null)
            throw new InvalidInputException("draftModel", "draftModel is required when specMethod is draft.");
        return this;
    }

    /// <summary>The speculation as reports print it.</summary>
    public SpeculationSpec Spec => new(MethodName, Draft?.Id, Length, [.. Enumerable.Range(1, Length).Select(AcceptanceAt)], ExpectedTokensPerStep);

    /// <summary>The method as the request field <c>specMethod</c> spells it: "mtp" or "draft".</summary>
    public string MethodName => Method == SpeculationMethod.Mtp ? "mtp" : "draft";

    /// <summary>Checks that this speculation can run beside <paramref name="target"/>: MTP needs a checkpoint that ships
    /// MTP modules (its config's <c>num_nextn_predict_layers</c>, DeepSeek-V3/R1: 1); a draft model must be another model
    /// with the target's vocabulary, since the verify pass compares token ids (Leviathan et al. 2023 assume one
    /// tokenizer; a different vocabulary size means a different tokenizer).</summary>
    /// <exception cref="InvalidInputException">Names <c>specMethod</c> or <c>draftModel</c>.</exception>
    public SpeculationConfig CheckAgainst(ModelArchitecture target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Validated();
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
    /// Transformers via Speculative Decoding", with per-position rates).</remarks>
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
/// <param name="Method">"mtp" or "draft".</param>
/// <param name="DraftModel">Catalog id of the draft model; null for MTP.</param>
/// <param name="Length">Draft tokens per step (k).</param>
/// <param name="Acceptance">a_1..a_k.</param>
/// <param name="TokensPerStep">Expected tokens per sequence per step, 1 + Σ_{i≤k} Π_{j≤i} a_j (Leviathan et al. 2023).</param>
public sealed record SpeculationSpec(string Method, string? DraftModel, int Length, IReadOnlyList<double> Acceptance, double TokensPerStep)
{
    /// <summary>One line for the CLI and notes: "draft llama-3.1-8b, k = 4, acceptance 0.8, 0.8, 0.8, 0.8: 3.36 tokens per step".</summary>
    public override string ToString() =>
        $"{Method}{(DraftModel is { } d ? " " + d : "")}, k = {Length}, acceptance {string.Join(", ", Acceptance.Select(Guard.Format))}: {Guard.Format(Math.Round(TokensPerStep, 3))} tokens per sequence per step";
}
