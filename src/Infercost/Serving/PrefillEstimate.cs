using Infercost.Quantities;

namespace Infercost.Serving;

/// <summary>One prefill pass of a replica: prompts packed up to the chunk budget.</summary>
/// <param name="Sequences">Prompts in the pass.</param>
/// <param name="Tokens">Prompt tokens in the pass.</param>
/// <param name="Flops">Total FLOPs of the pass (linear + causal attention + LM head for each last position).</param>
/// <param name="ComputeTime">Linear + attention compute terms per device (see <see cref="StepCost"/>).</param>
/// <param name="MemoryTime">Weight bytes read per device / (bandwidth × MBU).</param>
/// <param name="CommunicationTime">Tensor-parallel all-reduces and expert all-to-alls.</param>
/// <param name="Overhead">Fixed per-pass overhead.</param>
/// <param name="Time">Linear roofline + attention + element-wise + communication + overhead.</param>
/// <param name="Bound">Which of compute and memory was larger.</param>
/// <param name="TokensPerSecond">Prompt tokens per second for the replica: tokens / time.</param>
/// <param name="TimeToFirstToken">Prefill time of one prompt alone on an idle replica (no queueing), seconds; in a
/// <see cref="ServingEstimate"/> plus the engine's request path latency (<see cref="Calibration.EngineRuntime"/>; only
/// TensorRT-LLM 0.14's is not zero).</param>
/// <param name="FlopUtilisation">Achieved FLOP/s as a fraction of the replica's peak.</param>
public sealed record PrefillEstimate(
    int Sequences,
    Tokens Tokens,
    Flops Flops,
    Seconds ComputeTime,
    Seconds MemoryTime,
    Seconds CommunicationTime,
    Seconds Overhead,
    Seconds Time,
    Bound Bound,
    TokensPerSecond TokensPerSecond,
    Seconds TimeToFirstToken,
    double FlopUtilisation)
{
    /// <summary>The pass's time kernel class by kernel class.</summary>
    public StepCost? Cost { get; init; }
}
