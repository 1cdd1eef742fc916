using Infercost.Serving;

namespace Infercost.Simulation;

// The emulator's engine: the same scheduler and step times as the simulator's replica, stepped one step at a time by a
// shell that owns the clock. The core never reads the time: the shell enqueues a request at the wall time it arrived,
// calls Step, sleeps until the step's end, and then delivers the tokens the step produced.

/// <summary>One token a step produced for a request.</summary>
/// <param name="Id">The request's id, as enqueued.</param>
/// <param name="Index">1 for the first output token, up to the request's output length.</param>
/// <param name="Last">True when this was the request's last token.</param>
public readonly record struct TokenEmission(long Id, int Index, bool Last);

/// <summary>One scheduler step: when it started, how long it lasts (seconds on the replica's clock) and the tokens it
/// emits at its end.</summary>
/// <param name="Start">Replica clock at the start of the step, in seconds.</param>
/// <param name="Duration">Step time from <see cref="BatchStepModel"/>, in seconds.</param>
/// <param name="Tokens">Tokens emitted at <paramref name="Start"/> + <paramref name="Duration"/>.</param>
public sealed record LiveStep(double Start, double Duration, IReadOnlyList<TokenEmission> Tokens)
{
    /// <summary>When the step's tokens are emitted, on the replica's clock.</summary>
    public double End => Start + Duration;
}

/// <summary>A single replica driven step by step from outside (the emulator): continuous batching, chunked prefill,
/// paged KV cache and preemption exactly as in <see cref="ServingSimulator"/>. Not thread-safe.</summary>
public sealed class LiveReplica
{
    private readonly Replica _replica;
    private readonly List<TokenEmission> _emitted = [];
    private readonly MetricsCollector _metrics;

    /// <summary>A replica of <paramref name="setup"/> with <paramref name="scheduler"/>'s settings.</summary>
    /// <exception cref="ModelDoesNotFitException">The weights, or not even one KV block, fit.</exception>
    public LiveReplica(ServingSetup setup, SchedulerConfig scheduler)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(scheduler);
        scheduler.Validated();
        _metrics = new MetricsCollector(Slo.Default, new TimeSeries(2, 1, 1));
        _replica = new Replica(setup, scheduler, ServingSimulator.KvBlocksPerReplica(setup, scheduler), _metrics,
            onToken: s => _emitted.Add(new TokenEmission(s.Request.Id, s.Generated, s.Generated >= s.Request.OutputTokens)));
    }

    /// <summary>The replica's clock, in seconds.</summary>
    public double Clock => _replica.Clock;

    /// <summary>True while any request waits or runs.</summary>
    public bool HasWork => _replica.HasWork;

    /// <summary>Requests waiting or running.</summary>
    public int Outstanding => _replica.Outstanding;

    /// <summary>True when a request of this size could ever be served (its whole context fits the cache alone).</summary>
    public bool CanEverFit(int promptTokens, int outputTokens) =>
        _replica.CanEverFit(new SimRequest(0, 0, promptTokens, 0, outputTokens));

    /// <summary>Queues a request that arrived at <paramref name="time"/> (an idle replica's clock moves to it).</summary>
    /// <exception cref="InvalidInputException">A length out of range, or a context that can never fit.</exception>
    public void Enqueue(long id, double time, int promptTokens, int outputTokens)
    {
        Guard.InRange(promptTokens, 1, 10_000_000, "promptTokens");
        Guard.InRange(outputTokens, 1, 10_000_000, "maxTokens");
        Guard.NonNegative(time, "time");
        if (!CanEverFit(promptTokens, outputTokens))
        {
            throw new InvalidInputException("maxTokens", $"prompt ({promptTokens}) + max_tokens ({outputTokens}) tokens never fit this replica's KV cache.");
        }

        _replica.Enqueue(new SimRequest(id, time, promptTokens, 0, outputTokens));
    }

    /// <summary>Drops request <paramref name="id"/> (waiting or running) and frees its KV cache, as a serving engine does
    /// when the client disconnects; false when it is not outstanding.</summary>
    public bool Abort(long id) => _replica.Abort(id);

    /// <summary>Requests dropped by <see cref="Abort"/> so far.</summary>
    public long Aborted => _metrics.Aborted;

    /// <summary>Runs one step from <see cref="Clock"/>; the clock moves to its end.</summary>
    /// <exception cref="InvalidOperationException">Nothing to run.</exception>
    public LiveStep Step()
    {
        if (!HasWork) throw new InvalidOperationException("no request is waiting or running.");
        _emitted.Clear();
        var start = Clock;
        _replica.Step();
        return new LiveStep(start, Clock - start, [.. _emitted]);
    }
}
