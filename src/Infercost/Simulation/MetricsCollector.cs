namespace Infercost.Simulation;

/// <summary>Everything a run counts, shared by the replicas of a fleet; constant memory whatever the request count.
/// Requests that arrived before <paramref name="warmUpSeconds"/> are served and counted but kept out of the latency
/// histograms and the good count (the run starts empty, so they would flatter the steady state). A client sees each
/// first token <paramref name="requestPathSeconds"/> after the engine makes it (the serving front end's request path:
/// <see cref="Calibration.EngineRuntime.RequestLatency"/>), so that is added to every TTFT and end-to-end time, and the
/// SLO is judged on what the client sees; it changes no scheduling.</summary>
internal sealed class MetricsCollector(Slo slo, TimeSeries series, double warmUpSeconds = 0, double requestPathSeconds = 0)
{
    private readonly double _sloTtft = slo.TimeToFirstToken.Value;
    private readonly double _sloTpot = slo.TimePerOutputToken.Value;

    public LogHistogram Ttft { get; } = new();
    public LogHistogram Tpot { get; } = new();
    public LogHistogram EndToEnd { get; } = new();
    public LogHistogram QueueWait { get; } = new();
    /// <summary>Disaggregated serving: prefill end → first token delivered (decode admission, link queue, transfer).</summary>
    public LogHistogram Handoff { get; } = new();
    public TimeSeries Series { get; } = series;

    public long Arrived;
    public long Completed;
    public long Rejected;
    public long Good;
    public long Preemptions;

    /// <summary>Requests dropped before they finished (the client went away: <see cref="Replica.Abort"/>).</summary>
    public long Aborted;
    public long PreemptedRequests;
    public long Steps;

    /// <summary>Steps run by the decode fast-forward (included in <see cref="Steps"/>).</summary>
    public long FastForwardedSteps;

    /// <summary>Regular steps whose decodes ran as one group from the fast-forward's totals (Replica.DecodesAsGroup;
    /// included in <see cref="Steps"/>).</summary>
    public long GroupedSteps;
    public double BusyTime;
    public double PromptTokens;
    public double CachedTokens;
    public double PrefillTokensComputed;
    public double OutputTokens;
    public double LastCompletion;
    public long PrefixBlocksLookedUp;
    public long PrefixBlocksHit;

    public void Complete(Sequence s, double now)
    {
        var r = s.Request;
        Completed++;
        PromptTokens += r.PromptTokens;
        CachedTokens += s.CachedTokens;
        if (s.Preemptions > 0) PreemptedRequests++;
        LastCompletion = Math.Max(LastCompletion, now);
        if (r.ArrivalTime < warmUpSeconds) return;

        var ttft = s.FirstTokenTime - r.ArrivalTime + requestPathSeconds;
        Ttft.Add(ttft);
        var meetsTpot = true;
        if (r.OutputTokens > 1)
        {
            var tpot = (now - s.FirstTokenTime) / (r.OutputTokens - 1);
            Tpot.Add(tpot);
            meetsTpot = tpot <= _sloTpot;
        }

        EndToEnd.Add(now - r.ArrivalTime + requestPathSeconds);
        if (ttft <= _sloTtft && meetsTpot) Good++;
    }
}
