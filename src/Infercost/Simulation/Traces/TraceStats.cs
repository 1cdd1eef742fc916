namespace Infercost.Simulation.Traces;

/// <summary>What reading a trace found, filled in as it is enumerated (so it is complete once the stream has been read
/// to the end).</summary>
public sealed class TraceStats
{
    /// <summary>Most problems kept for the report; the rest are only counted.</summary>
    public const int KeptProblems = 20;

    private readonly List<TraceProblem> _problems = [];

    /// <summary>The format read (the detected one for <see cref="TraceFormat.Auto"/>).</summary>
    public TraceFormat Format { get; internal set; }

    /// <summary>Lines read, header and blank lines included.</summary>
    public long Lines { get; internal set; }

    /// <summary>Requests accepted from the trace (before any window or sample).</summary>
    public long Records { get; internal set; }

    /// <summary>Bad lines skipped under <see cref="BadLinePolicy.Skip"/>.</summary>
    public long BadLines { get; internal set; }

    /// <summary>Rows with zero generated tokens (BurstGPT logs failed requests that way): skipped and counted here,
    /// since a request without output has no decode to simulate.</summary>
    public long ZeroOutput { get; internal set; }

    /// <summary>The first <see cref="KeptProblems"/> bad lines.</summary>
    public IReadOnlyList<TraceProblem> Problems => _problems;

    /// <summary>Seconds from the first to the last accepted request.</summary>
    public double Span { get; internal set; }

    /// <summary>Requests the replay emitted (after the window, the sample and the request limit).</summary>
    public long Emitted { get; internal set; }

    internal void Add(TraceProblem problem)
    {
        BadLines++;
        if (_problems.Count < KeptProblems) _problems.Add(problem);
    }
}
