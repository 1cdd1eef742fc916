using Infercost.Quantities;

namespace Infercost.Simulation;

/// <summary>One closed-loop run at a fixed concurrency: how much the replica produces and how fast each user sees it.</summary>
/// <param name="Concurrency">Users, each sending a request the moment the previous one completes.</param>
/// <param name="OutputPerGpu">Output tokens per second per device.</param>
/// <param name="PerUser">Output tokens per second one user sees while decoding: 1 ÷ mean time per output token.</param>
/// <param name="TimeToFirstTokenP50">Median time to first token.</param>
/// <param name="TimePerOutputTokenP50">Median time per output token.</param>
/// <param name="TimePerOutputTokenP90">90th-percentile time per output token.</param>
/// <param name="BusyFraction">Fraction of the run spent in steps.</param>
/// <param name="Preemptions">Preemptions in the run.</param>
/// <param name="OutputPerMillion">Replica cost over the run ÷ output tokens × 10⁶; null without a cost basis.</param>
/// <param name="MeanDecodeBatch">Decode sequences per step on average (output tokens ÷ steps, ÷ the tokens a sequence
/// emits per step when speculating): the batch regime the run ran in.</param>
public sealed record FrontierPoint(
    int Concurrency,
    TokensPerSecond OutputPerGpu,
    TokensPerSecond PerUser,
    Seconds TimeToFirstTokenP50,
    Seconds TimePerOutputTokenP50,
    Seconds TimePerOutputTokenP90,
    double BusyFraction,
    long Preemptions,
    DollarsPerMillionTokens? OutputPerMillion,
    double MeanDecodeBatch);

/// <summary>The throughput–interactivity frontier of one replica.</summary>
/// <param name="Layout">The replica's layout.</param>
/// <param name="DevicesPerReplica">Devices per replica (output is reported per device).</param>
/// <param name="RequestsPerPoint">Requests each point ran (0: 10 × concurrency, at least 200).</param>
/// <param name="Points">One point per concurrency, in the order asked.</param>
public sealed record FrontierResult(string Layout, int DevicesPerReplica, long RequestsPerPoint, IReadOnlyList<FrontierPoint> Points);
