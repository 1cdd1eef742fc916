using Infercost.Quantities;

namespace Infercost.Datacenter;

/// <summary>What one accelerator serves per second for a request of <paramref name="InputTokens"/> in and
/// <paramref name="OutputTokens"/> out.</summary>
/// <param name="Prefill">Input tokens/s per accelerator while prefilling (> 0).</param>
/// <param name="Decode">Output tokens/s per accelerator while decoding (> 0).</param>
/// <param name="InputTokens">Prompt tokens per request (>= 0).</param>
/// <param name="OutputTokens">Output tokens per request (> 0).</param>
/// <param name="Basis">Where the rates come from (an engine estimate's setup, or "given").</param>
public sealed record AcceleratorThroughput(TokensPerSecond Prefill, TokensPerSecond Decode, double InputTokens, double OutputTokens, string Basis)
{
    /// <summary>Device-seconds one request takes on one accelerator: I ÷ prefill rate + O ÷ decode rate, in seconds.
    /// Prefill and decode share the device in proportion to their work (the same accounting as CostModel's $/request).</summary>
    public Seconds DeviceTimePerRequest
    {
        get
        {
            Guard.Positive(Prefill.Value, "prefillTps");
            Guard.Positive(Decode.Value, "decodeTps");
            Guard.NonNegative(InputTokens, "input");
            Guard.Positive(OutputTokens, "output");
            return Seconds.FromSeconds((InputTokens / Prefill.Value) + (OutputTokens / Decode.Value));
        }
    }

    /// <summary>Tokens (input + output) one accelerator serves per day at <paramref name="utilisation"/>:
    /// 86,400 s × u ÷ device time per request × (I + O).</summary>
    public Tokens TokensPerDay(double utilisation) =>
        Tokens.FromTokens(86_400 * Guard.InRange(utilisation, 1e-6, 1, "utilisation") / DeviceTimePerRequest.Value * (InputTokens + OutputTokens));

    /// <summary>The same request on accelerators <paramref name="ratio"/> times as fast: both rates × r (a band end).</summary>
    public AcceleratorThroughput Scaled(double ratio) =>
        this with { Prefill = Prefill * Guard.Positive(ratio, "ratio"), Decode = Decode * ratio };
}
