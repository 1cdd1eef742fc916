namespace Infercost.Simulation.Traces;

/// <summary>How a trace is replayed: at k× speed, inside a time window, as a random sample, up to a request count.</summary>
/// <param name="Speed">Time runs this many times faster than recorded (2 halves every gap: twice the rate). In [0.001, 1,000,000].</param>
/// <param name="WindowStart">Seconds from the trace's first request where the replay starts (time 0 of the run); null for 0.</param>
/// <param name="WindowEnd">Seconds from the trace's first request where it stops (exclusive); null for the end of the trace.</param>
/// <param name="SampleFraction">Keep each request with this probability (a thinned trace at a lower rate); in (0, 1].</param>
/// <param name="Seed">Seeds the sample.</param>
/// <param name="MaxRequests">Stop after this many requests; null for no limit.</param>
public sealed record TraceReplay(double Speed = 1, double? WindowStart = null, double? WindowEnd = null, double SampleFraction = 1, long Seed = 1,
    long? MaxRequests = null)
{
    /// <summary>Replay the whole trace at its own pace.</summary>
    public static TraceReplay Whole { get; } = new();

    /// <summary>Checks each field, naming it.</summary>
    public TraceReplay Validated()
    {
        Guard.InRange(Speed, 1e-3, 1e6, "traceSpeed");
        if (WindowStart is { } s) Guard.InRange(s, 0, 1e10, "traceWindow");
        if (WindowEnd is { } e && !(e > (WindowStart ?? 0)))
        {
            throw new InvalidInputException("traceWindow", $"traceWindow must end after it starts; was {Guard.Format(WindowStart ?? 0)} s to {Guard.Format(e)} s.");
        }

        if (!(SampleFraction > 0 && SampleFraction <= 1)) throw new InvalidInputException("traceSample", $"traceSample must be in (0, 1]; was {Guard.Format(SampleFraction)}.");
        if (MaxRequests is { } n && (n < 1 || n > 1_000_000_000)) throw new InvalidInputException("requests", $"requests must be in [1, 1000000000]; was {n}.");
        return this;
    }

    /// <summary>The simulator's request stream: the records inside the window, sampled, with times shifted to start at
    /// the window and divided by <see cref="Speed"/>. Lazy: reading stops at the window's end or the request limit.</summary>
    /// <param name="records">The trace in time order (<see cref="TraceReader.Read"/>).</param>
    /// <param name="stats">Receives the emitted count.</param>
    public IEnumerable<SimRequest> Requests(IEnumerable<TraceRecord> records, TraceStats? stats = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        Validated();
        return Iterate(records, stats);
    }

    private IEnumerable<SimRequest> Iterate(IEnumerable<TraceRecord> records, TraceStats? stats)
    {
        var random = new Pcg32(Seed);
        var start = WindowStart ?? 0;
        var end = WindowEnd ?? double.PositiveInfinity;
        var limit = MaxRequests ?? long.MaxValue;
        long id = 0;
        foreach (var r in records)
        {
            if (id >= limit || r.Time >= end) yield break;
            if (r.Time < start) continue;
            if (SampleFraction < 1 && !random.NextBool(SampleFraction)) continue;
            if (stats is not null) stats.Emitted = id + 1;
            yield return new SimRequest(id++, (r.Time - start) / Speed, r.InputTokens, 0, r.OutputTokens, r.PrefixBlocks);
        }
    }
}
