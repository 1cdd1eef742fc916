using System.Diagnostics;
using System.Threading.Channels;
using Infercost.Serving;
using Infercost.Simulation;

namespace Infercost.Cli.Emulation;

/// <summary>A token as the emulator releases it: its index (1 = first) and the emulator's clock when released.</summary>
internal readonly record struct Emitted(int Index, double Time, bool Last);

// The real-time driver of the core's LiveReplica: one thread owns the clock. It runs a step (the core says how long it
// lasts), sleeps until the step's end on the wall clock, then releases the step's tokens to the requests' channels.
// Arrivals join at the next step, as in the simulator. If the host falls behind (a step ends in the past), the next
// step starts at once, so the replica's clock catches up with the wall clock instead of drifting.

/// <summary>The emulator's scheduler thread over a <see cref="LiveReplica"/>.</summary>
internal sealed class EmulatorEngine : IDisposable
{
    private readonly LiveReplica _replica;
    private readonly object _gate = new();
    private readonly Dictionary<long, Channel<Emitted>> _requests = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Thread _thread;
    private long _nextId;
    private volatile bool _stopping;

    public EmulatorEngine(ServingSetup setup, SchedulerConfig scheduler)
    {
        _replica = new LiveReplica(setup, scheduler);
        _thread = new Thread(Run) { IsBackground = true, Name = "infercost emulate scheduler" };
        _thread.Start();
    }

    /// <summary>Steps run so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Seconds since the engine started.</summary>
    public double Now => _clock.Elapsed.TotalSeconds;

    /// <summary>True when a request of this size could ever be served.</summary>
    public bool CanEverFit(int prompt, int output)
    {
        lock (_gate) return _replica.CanEverFit(prompt, output);
    }

    /// <summary>Requests waiting or running on the replica.</summary>
    public int Outstanding
    {
        get
        {
            lock (_gate) return _replica.Outstanding;
        }
    }

    /// <summary>Requests aborted because their client went away.</summary>
    public long Aborted
    {
        get
        {
            lock (_gate) return _replica.Aborted;
        }
    }

    /// <summary>Drops request <paramref name="id"/> from the replica (its KV cache is freed at the next step) and
    /// completes its channel; false when it had already finished.</summary>
    public bool Cancel(long id)
    {
        lock (_gate)
        {
            if (_requests.Remove(id, out var channel)) channel.Writer.TryComplete();
            return _replica.Abort(id);
        }
    }

    /// <summary>Queues a request now; its tokens arrive on the returned channel, which completes after the last.</summary>
    public (long Id, ChannelReader<Emitted> Tokens) Submit(int promptTokens, int outputTokens)
    {
        var channel = Channel.CreateUnbounded<Emitted>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        long id;
        lock (_gate)
        {
            id = _nextId++;
            _replica.Enqueue(id, Now, promptTokens, outputTokens);
            _requests[id] = channel;
            Monitor.Pulse(_gate);
        }

        return (id, channel.Reader);
    }

    private void Run()
    {
        while (!_stopping)
        {
            LiveStep step;
            lock (_gate)
            {
                while (!_replica.HasWork && !_stopping) Monitor.Wait(_gate);
                if (_stopping) return;
                step = _replica.Step();
                Steps++;
            }

            var wait = step.End - Now;
            if (wait > 0) Thread.Sleep(TimeSpan.FromSeconds(wait));
            var released = Now;
            lock (_gate)
            {
                foreach (var token in step.Tokens)
                {
                    if (!_requests.TryGetValue(token.Id, out var channel)) continue;
                    channel.Writer.TryWrite(new Emitted(token.Index, released, token.Last));
                    if (token.Last)
                    {
                        channel.Writer.TryComplete();
                        _requests.Remove(token.Id);
                    }
                }
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        lock (_gate) Monitor.PulseAll(_gate);
        _thread.Join(TimeSpan.FromSeconds(5));
        lock (_gate)
        {
            foreach (var channel in _requests.Values) channel.Writer.TryComplete();
            _requests.Clear();
        }
    }
}
