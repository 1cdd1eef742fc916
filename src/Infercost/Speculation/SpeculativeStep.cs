using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Speculation;

/// <summary>One speculative step against plain decoding at the same batch and context.</summary>
/// <param name="Config">The speculation.</param>
/// <param name="Batch">Sequences in the replica.</param>
/// <param name="ContextTokens">Context each sequence attends to.</param>
/// <param name="Baseline">The plain decode step (one token per sequence).</param>
/// <param name="Verify">The verify pass: k + 1 tokens per sequence through the served model.</param>
/// <param name="DraftTime">Drafting k tokens per sequence (MTP modules or the draft model's k steps).</param>
/// <param name="StepTime">Verify + draft.</param>
/// <param name="TokensPerStep">Expected tokens per sequence per step: 1 + Σ Π a_j.</param>
/// <param name="TokensPerSecond">Replica output: batch × tokens per step ÷ step time.</param>
/// <param name="TokensPerSecondPerUser">Tokens per step ÷ step time.</param>
/// <param name="SpeedUp">Speculative ÷ plain output tokens per second at this batch.</param>
/// <param name="BaselineMfu">Plain decode: model FLOPs ÷ (step × peak) per device.</param>
/// <param name="Mfu">Speculative: FLOPs of the accepted tokens ÷ (step × peak): useful work.</param>
/// <param name="HardwareFlopsUtilisation">Speculative: every FLOP executed (rejected drafts and draft passes
/// included) ÷ (step × peak).</param>
/// <param name="BaselineBandwidthUtilisation">Plain decode: bytes moved ÷ (step × peak bandwidth).</param>
/// <param name="BaselineComputeBusy">Plain decode: compute time (FLOPs at the calibrated MFU) ÷ step time: the share
/// of the step the matrix units are the binding resource.</param>
/// <param name="ComputeBusy">Speculative: the verify pass's compute time ÷ step time.</param>
/// <param name="VerifyBound">Whether the verify pass is compute- or memory-bound.</param>
/// <param name="DraftKvBytesPerToken">Extra KV cache per context token the draft keeps (MTP blocks' or the draft
/// model's), whole draft; the memory plan takes it per device through <see cref="SpeculationMemory"/>.</param>
public sealed record SpeculativeStep(
    SpeculationConfig Config,
    int Batch,
    double ContextTokens,
    DecodeEstimate Baseline,
    StepCost Verify,
    Seconds DraftTime,
    Seconds StepTime,
    double TokensPerStep,
    TokensPerSecond TokensPerSecond,
    TokensPerSecond TokensPerSecondPerUser,
    double SpeedUp,
    double BaselineMfu,
    double Mfu,
    double HardwareFlopsUtilisation,
    double BaselineBandwidthUtilisation,
    double BaselineComputeBusy,
    double ComputeBusy,
    Bound VerifyBound,
    Bytes DraftKvBytesPerToken)
{
    /// <summary>Weight bytes one device reads in the verify pass.</summary>
    public Bytes VerifyWeightBytesPerDevice { get; init; }

    /// <summary>KV bytes one device reads in the verify pass.</summary>
    public Bytes VerifyKvBytesPerDevice { get; init; }

    /// <summary>FLOPs one device executes in the verify pass (linear, attention and the k extra output-head positions).</summary>
    public Flops VerifyFlopsPerDevice { get; init; }

    /// <summary>Distinct routed experts per MoE layer the verify pass's B(k + 1) tokens touch; 0 for dense.</summary>
    public double ExpertsTouchedPerLayer { get; init; }

    /// <summary>The speculative step as a decode step of the serving model: step time verify + draft; replica tokens/s
    /// B × tokens per step ÷ step; per user tokens per step ÷ step; bandwidth utilisation of the verify pass's bytes over
    /// the whole step; FLOP utilisation the useful (kept) FLOPs, <see cref="Mfu"/>. Costing, sweeps and renderers read
    /// this where they read plain decoding.</summary>
    public DecodeEstimate AsDecode(ServingSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var bandwidth = setup.Accelerator.MemoryBandwidth;
        return new DecodeEstimate(Batch, ContextTokens, VerifyWeightBytesPerDevice, VerifyKvBytesPerDevice, VerifyFlopsPerDevice,
            ExpertsTouchedPerLayer, Verify.ComputeTime, Verify.MemoryTime, Verify.Communication, Verify.Overhead, StepTime,
            VerifyBound, TokensPerSecond, TokensPerSecondPerUser,
            (VerifyWeightBytesPerDevice + VerifyKvBytesPerDevice) / (bandwidth * StepTime), Mfu)
        {
            Cost = Verify,
        };
    }
}
