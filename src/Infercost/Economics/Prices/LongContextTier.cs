using Infercost.Quantities;

namespace Infercost.Economics.Prices;

/// <summary>A higher rate charged when a request's prompt is longer than a threshold.</summary>
/// <param name="ThresholdTokens">Prompt tokens (cached and uncached together) above which the tier applies.</param>
/// <param name="Input">Input price above the threshold.</param>
/// <param name="Output">Output price above the threshold.</param>
/// <remarks>Providers bill the whole request at the tier's rates once the prompt exceeds the threshold (Anthropic's
/// and Google's "long context" pricing, litellm's <c>*_above_200k_tokens</c> fields); it is not marginal like a tax bracket.</remarks>
public sealed record LongContextTier(int ThresholdTokens, DollarsPerMillionTokens Input, DollarsPerMillionTokens Output);
