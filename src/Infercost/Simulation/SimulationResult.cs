using Infercost.Quantities;

namespace Infercost.Simulation;

/// <summary>What a simulated run measured.</summary>
/// <param name="Layout">Replica layout, for example "1 × nvidia-h100-sxm (TP1)".</param>
/// <param name="Replicas">Replicas in the fleet.</param>
/// <param name="DevicesPerReplica">Devices per replica.</param>
/// <param name="TotalDevices">Replicas × devices per replica: the devices paid for.</param>
/// <param name="KvBlocksPerReplica">KV-cache blocks one replica holds (memory plan's KV space ÷ bytes per block).</param>
/// <param name="BlockTokens">Tokens per block.</param>
/// <param name="Arrived">Requests that arrived.</param>
/// <param name="Completed">Requests that finished (each counted once, preempted or not).</param>
/// <param name="Rejected">Requests whose prompt + output could never fit in one replica's KV cache.</param>
/// <param name="Preemptions">Preemption events (a request preempted twice counts twice).</param>
/// <param name="PreemptedRequests">Completed requests that were preempted at least once.</param>
/// <param name="Steps">Forward steps run over all replicas.</param>
/// <param name="WallTime">From time 0 to the last completion (or the stream's horizon, if later): the time paid for.</param>
/// <param name="TimeToFirstToken">Arrival to first output token.</param>
/// <param name="TimePerOutputToken">(Completion − first token) ÷ (output tokens − 1), per request with ≥ 2 output tokens.</param>
/// <param name="EndToEnd">Arrival to completion.</param>
/// <param name="QueueWait">Arrival to first admission.</param>
/// <param name="Slo">Targets used for goodput.</param>
/// <param name="GoodRequests">Completed requests that met both targets.</param>
/// <param name="GoodFraction">Good ÷ arrived.</param>
/// <param name="GoodputRequestsPerSecond">Good ÷ wall time.</param>
/// <param name="RequestsPerSecond">Completed ÷ wall time.</param>
/// <param name="OutputThroughput">Output tokens ÷ wall time, whole fleet.</param>
/// <param name="InputThroughput">Prompt tokens of completed requests ÷ wall time, whole fleet.</param>
/// <param name="BusyFraction">Time replicas spent in steps ÷ (replicas × wall time).</param>
/// <param name="MeanKvUse">Time-averaged fraction of KV blocks in use over the run.</param>
/// <param name="PromptTokens">Prompt tokens of completed requests.</param>
/// <param name="CachedPromptTokens">Of those, tokens found in the prefix cache.</param>
/// <param name="PrefillTokensComputed">Prompt tokens actually computed, recomputation after preemption included.</param>
/// <param name="OutputTokens">Output tokens generated.</param>
/// <param name="ClusterPerHour">Hourly cost of the fleet's devices; null without a cost basis.</param>
/// <param name="Cost">Cluster $/h × wall time: idle time is paid for.</param>
/// <param name="OutputPerMillion">Cost ÷ output tokens × 10⁶.</param>
/// <param name="BlendedPerMillion">Cost ÷ (prompt + output tokens) × 10⁶.</param>
/// <param name="Series">KV use, queue and batch over time, at most the requested number of points.</param>
public sealed record SimulationResult(
    string Layout,
    int Replicas,
    int DevicesPerReplica,
    int TotalDevices,
    int KvBlocksPerReplica,
    int BlockTokens,
    long Arrived,
    long Completed,
    long Rejected,
    long Preemptions,
    long PreemptedRequests,
    long Steps,
    Seconds WallTime,
    LatencySummary TimeToFirstToken,
    LatencySummary TimePerOutputToken,
    LatencySummary EndToEnd,
    LatencySummary QueueWait,
    Slo Slo,
    long GoodRequests,
    double GoodFraction,
    double GoodputRequestsPerSecond,
    double RequestsPerSecond,
    TokensPerSecond OutputThroughput,
    TokensPerSecond InputThroughput,
    double BusyFraction,
    double MeanKvUse,
    Tokens PromptTokens,
    Tokens CachedPromptTokens,
    Tokens PrefillTokensComputed,
    Tokens OutputTokens,
    DollarsPerHour? ClusterPerHour,
    Dollars? Cost,
    DollarsPerMillionTokens? OutputPerMillion,
    DollarsPerMillionTokens? BlendedPerMillion,
    IReadOnlyList<TimeSeriesPoint> Series)
{
    /// <summary>What the prefix cache did (trace replay with prefix block ids); null when the run had no prefix cache.</summary>
    public PrefixCacheUsage? PrefixCache { get; init; }

    /// <summary>What replica failures did (runs with <see cref="SimulationOptions.Failures"/>); null otherwise.</summary>
    public FailureUsage? Failures { get; init; }

    /// <summary>With autoscaling: what the autoscaler did, and the replica-seconds the cost fields are then based on.</summary>
    public AutoscaleUsage? Autoscale { get; init; }

    /// <summary>The router policy's name (<see cref="RouterPolicies.Name"/>).</summary>
    public string Router { get; init; } = RouterPolicies.Name(RouterPolicy.LeastRequests);

    /// <summary>True when every request was served and P90 time to first token and P90 time per output token are
    /// within the SLO: the planner's criterion.</summary>
    public bool MeetsSloAtP90 =>
        Completed > 0 && Rejected == 0
        && TimeToFirstToken.P90 <= Slo.TimeToFirstToken
        && (TimePerOutputToken.Count == 0 || TimePerOutputToken.P90 <= Slo.TimePerOutputToken);
}
