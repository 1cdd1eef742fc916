using Infercost.Quantities;

namespace Infercost.Reference;

/// <summary>Prices from one measured batch under <see cref="GammaCostModel"/>.</summary>
/// <param name="OutputPerMillion">β: cluster cost of the batch ÷ (batch × (γ × input + output)) tokens.</param>
/// <param name="InputPerMillion">γ·β.</param>
/// <param name="TokensPerSecond">batch × (input + output) ÷ elapsed: input and output tokens together.</param>
public sealed record GammaPrices(DollarsPerMillionTokens OutputPerMillion, DollarsPerMillionTokens InputPerMillion, TokensPerSecond TokensPerSecond);

/// <summary>Mazurek &amp; Gabriel's γ cost model: a measured batch's GPU time is charged to its tokens, an input token
/// costing γ times an output token.</summary>
/// <remarks>β = cost per second × elapsed ÷ (batch × (γ × input tokens + output tokens)); input price = γ·β. γ is a
/// free choice (0.3 in the source, "picked arbitrarily"). Source: "LLM Inference Economics from First Principles"
/// (Tensor Economics, 2025), the cost table (golden case 4D).</remarks>
public static class GammaCostModel
{
    /// <summary>Prices one measured batch.</summary>
    /// <param name="cluster">What the GPUs cost per hour (4 × $2.50 in the source).</param>
    /// <param name="elapsed">Measured wall time of the batch.</param>
    /// <param name="batch">Requests in the batch.</param>
    /// <param name="inputTokens">Prompt tokens per request.</param>
    /// <param name="outputTokens">Generated tokens per request.</param>
    /// <param name="gamma">Cost of an input token relative to an output token, in (0, 1].</param>
    public static GammaPrices Price(DollarsPerHour cluster, Seconds elapsed, int batch, double inputTokens, double outputTokens, double gamma)
    {
        Guard.Positive(elapsed.Value, "elapsed");
        Guard.InRange(batch, 1, 1_000_000, "batch");
        Guard.Positive(inputTokens, "inputTokens");
        Guard.Positive(outputTokens, "outputTokens");
        Guard.InRange(gamma, 1e-6, 1, "gamma");
        var spent = cluster * elapsed;
        var outputPrice = spent / Tokens.FromTokens(batch * (gamma * inputTokens + outputTokens));
        var inputPrice = DollarsPerMillionTokens.FromDollarsPerMillionTokens(gamma * outputPrice.Value);
        var throughput = Tokens.FromTokens(batch * (inputTokens + outputTokens)) / elapsed;
        return new GammaPrices(outputPrice, inputPrice, throughput);
    }
}
