using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Speculation;

/// <summary>What speculation does to one decode step of a serving estimate, beside plain decoding at the same batch.</summary>
/// <param name="Method">"mtp", "draft", "medusa" or "eagle" (the request's <c>specMethod</c>).</param>
/// <param name="DraftModel">Catalog id of the draft model; null for MTP.</param>
/// <param name="Length">Draft tokens per step (k).</param>
/// <param name="Acceptance">a_1..a_k, each position's acceptance (the last rate given repeats).</param>
/// <param name="TokensPerStep">Expected tokens per sequence per step, 1 + Σ_{i≤k} Π_{j≤i} a_j (Leviathan et al. 2023).</param>
/// <param name="PlainStepTime">Plain decode step at this batch, seconds.</param>
/// <param name="VerifyTime">Verify pass (k + 1 tokens per sequence through the served model), seconds.</param>
/// <param name="DraftTime">Drafting k tokens per sequence, seconds.</param>
/// <param name="VerifyBound">Whether the verify pass is compute- or memory-bound.</param>
/// <param name="PlainTokensPerSecond">Plain decode output tokens/s of one replica.</param>
/// <param name="PlainTokensPerSecondPerUser">Plain decode tokens/s one sequence sees.</param>
/// <param name="SpeedUp">Speculative ÷ plain output tokens/s at this batch.</param>
/// <param name="PlainComputeBusy">Plain: compute time at the calibrated MFU ÷ step time.</param>
/// <param name="ComputeBusy">Speculative: the verify pass's compute time ÷ step time.</param>
/// <param name="PlainMfu">Plain: model FLOPs ÷ (step × dense peak) per device.</param>
/// <param name="Mfu">Speculative: FLOPs of the kept tokens ÷ (step × dense peak).</param>
/// <param name="HardwareFlopsUtilisation">Speculative: every FLOP executed (rejected drafts, draft passes) ÷ (step × peak).</param>
/// <param name="PlainBandwidthUtilisation">Plain: bytes moved ÷ (step × peak bandwidth).</param>
/// <param name="DraftWeightsPerDevice">Weights the draft (or the MTP modules) keeps on each device, in the memory plan.</param>
/// <param name="DraftKvPerSequence">KV the draft caches per sequence per device at the plan's context, in the memory plan.</param>
public sealed record SpeculationSummary(
    string Method,
    string? DraftModel,
    int Length,
    IReadOnlyList<double> Acceptance,
    double TokensPerStep,
    Seconds PlainStepTime,
    Seconds VerifyTime,
    Seconds DraftTime,
    Bound VerifyBound,
    TokensPerSecond PlainTokensPerSecond,
    TokensPerSecond PlainTokensPerSecondPerUser,
    double SpeedUp,
    double PlainComputeBusy,
    double ComputeBusy,
    double PlainMfu,
    double Mfu,
    double HardwareFlopsUtilisation,
    double PlainBandwidthUtilisation,
    Bytes DraftWeightsPerDevice,
    Bytes DraftKvPerSequence)
{
    /// <summary>Summarises <paramref name="step"/> on <paramref name="setup"/> with the memory its draft takes at
    /// <paramref name="contextTokens"/> tokens per sequence.</summary>
    public static SpeculationSummary Of(ServingSetup setup, SpeculativeStep step, int contextTokens)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(step);
        var c = step.Config;
        return new SpeculationSummary(c.MethodName, c.Draft?.Id, c.Length, [.. Enumerable.Range(1, c.Length).Select(c.AcceptanceAt)],
            step.TokensPerStep, step.Baseline.StepTime, step.Verify.Total, step.DraftTime, step.VerifyBound,
            step.Baseline.TokensPerSecond, step.Baseline.TokensPerSecondPerUser, step.SpeedUp, step.BaselineComputeBusy,
            step.ComputeBusy, step.BaselineMfu, step.Mfu, step.HardwareFlopsUtilisation, step.BaselineBandwidthUtilisation,
            SpeculationMemory.WeightsPerDevice(setup, c), SpeculationMemory.KvPerSequencePerDevice(setup, c, contextTokens));
    }
}
