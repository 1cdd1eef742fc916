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
