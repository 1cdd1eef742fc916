using Infercost.Quantities;

namespace Infercost.Economics.Subscriptions;

/// <summary>What one model family costs in subscription credits, per token.</summary>
/// <remarks>Source: she-llac.com/claude-limits (Jan 2026), reverse-engineered from unrounded usage fractions in
/// claude.ai streaming responses. Cache reads cost no credits; cache writes cost the input rate. See
/// docs/economics.md#subscription-value.</remarks>
/// <param name="ModelFamily">Family id the rate applies to, for example <c>opus</c>.</param>
/// <param name="CreditsPerInputToken">Credits charged per uncached input token (Opus: 10/15).</param>
/// <param name="CreditsPerOutputToken">Credits charged per output token (Opus: 50/15).</param>
public sealed record CreditRate(string ModelFamily, double CreditsPerInputToken, double CreditsPerOutputToken)
{
    /// <summary>Credits charged per cache-read token: none.</summary>
    public const double CreditsPerCacheReadToken = 0;

    /// <summary>Family id the rate applies to.</summary>
    public string ModelFamily { get; } = string.IsNullOrWhiteSpace(ModelFamily)
        ? throw new InvalidInputException("modelFamily", "modelFamily must be a non-empty id; was empty.")
        : ModelFamily;

    /// <summary>Credits per uncached input token.</summary>
    public double CreditsPerInputToken { get; } = Guard.Positive(CreditsPerInputToken, "creditsPerInputToken");

    /// <summary>Credits per output token.</summary>
    public double CreditsPerOutputToken { get; } = Guard.Positive(CreditsPerOutputToken, "creditsPerOutputToken");

    /// <summary>Credits per cache-write token: the input rate.</summary>
    public double CreditsPerCacheWriteToken => CreditsPerInputToken;

    /// <summary>Credits a request mix consumes: input × input rate + output × output rate + cache writes × input rate
    /// (cache reads are free).</summary>
    public double Credits(Tokens input, Tokens output, Tokens cacheWrite = default, Tokens cacheRead = default)
    {
        Guard.NonNegative(input.Value, "input");
        Guard.NonNegative(output.Value, "output");
        Guard.NonNegative(cacheWrite.Value, "cacheWrite");
        Guard.NonNegative(cacheRead.Value, "cacheRead");
        return (input.Value * CreditsPerInputToken) + (output.Value * CreditsPerOutputToken)
            + (cacheWrite.Value * CreditsPerCacheWriteToken) + (cacheRead.Value * CreditsPerCacheReadToken);
    }
}
