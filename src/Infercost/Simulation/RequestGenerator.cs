namespace Infercost.Simulation;

/// <summary>A stream of requests: arrivals, prompt and output lengths, optional multi-turn sessions, a seed, and where
/// it stops (a request count, a time horizon, or both). Enumerating it generates requests lazily in arrival order, so
/// memory does not grow with the number of requests (only with the sessions open at once).</summary>
/// <param name="Arrivals">When requests (or, with sessions, new sessions) arrive.</param>
/// <param name="Input">Prompt lengths (of a session's first turn, and of each new user message).</param>
/// <param name="Output">Output lengths.</param>
/// <param name="Seed">Fixes every random draw.</param>
/// <param name="MaxRequests">Stop after this many requests; null for no limit.</param>
/// <param name="Horizon">Stop at the first arrival after this many seconds; null for no limit.</param>
/// <param name="Sessions">Multi-turn sessions; null for independent single-turn requests.</param>
/// <param name="SessionBlockTokens">With sessions: tokens per prefix block. Each turn then carries its prompt's
/// <see cref="SessionBlocks"/> and no cached tokens, so a replica's prefix cache (<see cref="PrefixCacheSpec"/> with
/// this block size) decides what is cached, instead of <see cref="SessionSpec.PrefixHitRate"/>. Null: the rate decides.</param>
public sealed record RequestGenerator(
    ArrivalProcess Arrivals,
    LengthDistribution Input,
    LengthDistribution Output,
    long Seed,
    long? MaxRequests,
    double? Horizon = null,
    SessionSpec? Sessions = null,
    int? SessionBlockTokens = null) : IEnumerable<SimRequest>
{
    /// <summary>Checks the fields; at least one of <see cref="MaxRequests"/> and <see cref="Horizon"/> must be set.</summary>
    public RequestGenerator Validated()
    {
        ArgumentNullException.ThrowIfNull(Arrivals);
        ArgumentNullException.ThrowIfNull(Input);
        ArgumentNullException.ThrowIfNull(Output);
        Arrivals.Validated();
        Sessions?.Validated();
        if (MaxRequests is null && Horizon is null) throw new InvalidInputException("requests", "requests or duration must be given; was neither.");
        if (MaxRequests is { } n && (n < 1 || n > 1_000_000_000)) throw new InvalidInputException("requests", $"requests must be in [1, 1000000000]; was {n}.");
        if (Horizon is { } h) Guard.InRange(h, 1e-6, 365 * 86_400.0, "duration");
        if (SessionBlockTokens is { } b) Guard.InRange(b, 1, 1_000_000, "prefixBlockTokens");
        return this;
    }

    /// <summary>The number of requests to expect (for progress reporting): the limit, or rate × horizon.</summary>
    public double ExpectedRequests
    {
        get
        {
            var byTime = Horizon is { } h ? Arrivals.Rate.Cumulative(h) : double.PositiveInfinity;
            return Math.Max(1, Math.Min(MaxRequests ?? double.PositiveInfinity, byTime));
        }
    }

    /// <inheritdoc />
    public IEnumerator<SimRequest> GetEnumerator()
    {
        Validated();
        return Sessions is null ? Single().GetEnumerator() : WithSessions(Sessions).GetEnumerator();
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerable<SimRequest> Single()
    {
        var random = new Pcg32(Seed);
        long id = 0;
        foreach (var t in Arrivals.Times(random))
        {
            if (Stop(id, t)) yield break;
            yield return new SimRequest(id, t, Input.Sample(random), 0, Output.Sample(random), Session: id);
            id++;
        }
    }

    // New sessions come from the arrival process at rate / mean turns, so requests (all turns) arrive at about the
    // curve's rate. Pending follow-up turns wait in a heap ordered by time; the stream emits whichever is earlier.
    private IEnumerable<SimRequest> WithSessions(SessionSpec sessions)
    {
        var random = new Pcg32(Seed);
        var starts = (Arrivals with { Rate = Arrivals.Rate.Scaled(1 / sessions.MeanTurns) }).Times(random).GetEnumerator();
        var pending = new PriorityQueue<(int Context, long Session), double>();
        var continueProbability = 1 - 1 / sessions.MeanTurns;
        starts.MoveNext();
        long id = 0, opened = 0;
        while (true)
        {
            var nextStart = starts.Current;
            SimRequest request;
            if (pending.TryPeek(out var previous, out var at) && at <= nextStart)
            {
                pending.Dequeue();
                var prompt = previous.Context + Input.Sample(random);
                // The draw is made with a block size too, so the stream's lengths and times do not depend on it.
                var cached = random.NextBool(sessions.PrefixHitRate) ? previous.Context : 0;
                request = SessionBlockTokens is { } b
                    ? new SimRequest(id, at, prompt, 0, Output.Sample(random), new SessionBlocks(previous.Session, prompt / b), previous.Session)
                    : new SimRequest(id, at, prompt, Math.Min(cached, prompt - 1), Output.Sample(random), Session: previous.Session);
                if ((long)prompt + request.OutputTokens > sessions.MaxContextTokens) continue; // the conversation is full
            }
            else
            {
                starts.MoveNext();
                request = new SimRequest(id, nextStart, Input.Sample(random), 0, Output.Sample(random), Session: opened++);
                if (SessionBlockTokens is { } b) request = request with { PrefixBlocks = new SessionBlocks(request.Session, request.PromptTokens / b) };
            }

            if (Stop(id, request.ArrivalTime)) yield break;
            id++;
            yield return request;

            var context = request.PromptTokens + request.OutputTokens;
            if (random.NextBool(continueProbability))
            {
                pending.Enqueue((context, request.Session), request.ArrivalTime + sessions.MeanThinkTimeSeconds * random.NextExponential());
            }
        }
    }

    private bool Stop(long emitted, double time) => emitted >= (MaxRequests ?? long.MaxValue) || time > (Horizon ?? double.PositiveInfinity);
}
