using Infercost.Quantities;

namespace Infercost.Serving;

/// <summary>One decode step of a replica: every sequence in the batch advances one token.</summary>
/// <param name="Batch">Concurrent sequences in the replica.</param>
/// <param name="ContextTokens">Context length each sequence attends to in this step.</param>
/// <param name="WeightBytesPerDevice">Weight bytes one device reads per step (for MoE: only the experts the batch touches).</param>
/// <param name="KvBytesPerDevice">KV bytes one device reads per step.</param>
/// <param name="FlopsPerDevice">FLOPs one device executes per step.</param>
/// <param name="ExpertsTouchedPerLayer">Expected distinct routed experts per MoE layer per micro-batch, E·(1−(1−k/E)^b); 0 for dense.</param>
/// <param name="ComputeTime">Linear + attention compute terms (see <see cref="StepCost"/>).</param>
/// <param name="MemoryTime">Weight + KV memory terms.</param>
/// <param name="CommunicationTime">All-reduces and all-to-alls of the step.</param>
/// <param name="Overhead">Fixed per-step overhead.</param>
/// <param name="StepTime">Linear roofline + attention roofline + element-wise + communication + overhead: the time per output token.</param>
/// <param name="Bound">Which of compute and memory was larger.</param>
/// <param name="TokensPerSecond">Output tokens per second for the replica: batch / step time.</param>
/// <param name="TokensPerSecondPerUser">Output tokens per second one sequence sees: 1 / step time.</param>
/// <param name="BandwidthUtilisation">Bytes moved per device / (step time × peak bandwidth).</param>
/// <param name="FlopUtilisation">FLOPs per device / (step time × peak).</param>
public sealed record DecodeEstimate(
    int Batch,
    double ContextTokens,
    Bytes WeightBytesPerDevice,
    Bytes KvBytesPerDevice,
    Flops FlopsPerDevice,
    double ExpertsTouchedPerLayer,
    Seconds ComputeTime,
    Seconds MemoryTime,
    Seconds CommunicationTime,
    Seconds Overhead,
    Seconds StepTime,
    Bound Bound,
    TokensPerSecond TokensPerSecond,
    TokensPerSecond TokensPerSecondPerUser,
    double BandwidthUtilisation,
    double FlopUtilisation)
{
    /// <summary>The step's time kernel class by kernel class.</summary>
    public StepCost? Cost { get; init; }
}
