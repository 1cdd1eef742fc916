using System.Collections.Concurrent;
using System.Diagnostics;

namespace Infercost.Cluster;

// The client spreads a batch of units (a search wave's candidates, a simulation's seed-runs) over the active silos, as
// many at once on each as it says it runs, and takes the next unit as one finishes. When a call fails its unit goes back
// to the queue, and the silo is probed: a failed call need not mean a dead silo (calls travel through a gateway, and a
// gateway that dies fails the calls it carried to healthy silos too). A silo is given up when it misses a probe or fails
// MaxFailures calls, or once the membership no longer lists it; the units it held go back to the queue and are sent to
// the silos left (the core keeps the first outcome reported per index, so a late answer from a given-up silo is not
// counted twice). A busy silo's probe is the list of units it holds: a call whose unit the silo has not held for a
// liveness period was lost on the way (Orleans can drop a message to a silo it cannot reach without failing the call,
// dotnet/orleans#3824, and the calls here wait an hour), so it is cancelled and sent again. Outcomes travel as JSON
// lines the core reads back, so they are the local outcomes byte for byte.

/// <summary>Sends units to the silos of a cluster, retrying a lost silo's units on the others (the scheduling behind
/// <see cref="ClusterEvaluator"/> and <see cref="ClusterRuns"/>).</summary>
internal sealed class UnitDispatcher
{
    /// <summary>Failed calls after which a silo that still answers its probes is given up anyway (a silo that fails
    /// every unit would otherwise take them back one after another).</summary>
    public const int MaxFailures = 3;

    /// <summary>Times the cluster's list of active silos is asked for before a search or simulation stops for it.</summary>
    private const int HostAttempts = 6;

    private readonly IClusterClient _client;
    private readonly SiloWork _work;
    private readonly string _units;
    private readonly TimeSpan _liveness;
    private readonly Dictionary<SiloAddress, int> _ready = [];
    private readonly HashSet<SiloAddress> _lost = [];
    private int _retried;
    private int _lostCalls;

    /// <summary>Creates the dispatcher.</summary>
    /// <param name="client">A connected client.</param>
    /// <param name="work">How a silo is prepared, runs a unit and is probed.</param>
    /// <param name="units">What a batch's units are called in the message when no silo is left ("candidates of the wave").</param>
    /// <param name="liveness">How long a busy silo may take to answer a probe before it is given up.</param>
    public UnitDispatcher(IClusterClient client, SiloWork work, string units, TimeSpan liveness)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(work);
        _client = client;
        _work = work;
        _units = units;
        _liveness = liveness;
    }

    /// <summary>Units sent again because the silo that held them failed a call or was given up.</summary>
    public int Retried => Volatile.Read(ref _retried);

    /// <summary>Calls sent again because the silo, answering its probes, no longer held their unit for a liveness
    /// period: the call or its answer was lost on the way.</summary>
    public int LostCalls => Volatile.Read(ref _lostCalls);

    /// <summary>Silos given up.</summary>
    public int Lost
    {
        get
        {
            lock (_lost) return _lost.Count;
        }
    }

    /// <summary>The silos given up, by address (<see cref="SiloAddress.ToParsableString"/>).</summary>
    public IReadOnlyList<string> LostSilos
    {
        get
        {
            lock (_lost) return [.. _lost.Select(s => s.ToParsableString()).Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Runs every unit of <paramref name="units"/> on some silo, passing each answer line to
    /// <paramref name="accept"/> (which may throw: the call then counts as failed and the unit is sent again).</summary>
    /// <exception cref="InvalidInputException">A silo refused the work (names <c>--cluster</c>).</exception>
    /// <exception cref="InvalidOperationException">No silo is left.</exception>
    public async Task RunAsync(IReadOnlyList<int> units, Action<int, string> accept, CancellationToken cancellation)
    {
        var queue = new ConcurrentQueue<int>(units);
        var done = new ConcurrentDictionary<int, bool>();
        while (done.Count < units.Count)
        {
            var silos = await ReadySilos(cancellation).ConfigureAwait(false);
            if (silos.Count == 0)
            {
                throw new InvalidOperationException($"no silo of the cluster is left to simulate on ({Lost} given up); {units.Count - done.Count} {_units} were not simulated.");
            }

            await Task.WhenAll(silos.Select(s => RunOn(s.Silo, s.Threads, queue, done, accept, cancellation))).ConfigureAwait(false);
        }
    }

    // Each silo's share: `threads` loops that take units until the queue is empty. A failure or a missed probe gives the
    // silo up: its units in flight go back to the queue. Every second a busy silo is asked which of its units it holds:
    // one it has not held for a liveness period (its call or its answer lost on the way, while the silo itself answers)
    // is cancelled and sent again, without counting against the silo.
    private async Task RunOn(SiloAddress silo, int threads, ConcurrentQueue<int> queue, ConcurrentDictionary<int, bool> done,
        Action<int, string> accept, CancellationToken cancellation)
    {
        var key = silo.ToParsableString();
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var inFlight = new ConcurrentDictionary<int, Flight>();
        var failures = 0;
        async Task Loop()
        {
            while (!gone.IsCancellationRequested && queue.TryDequeue(out var index))
            {
                using var call = CancellationTokenSource.CreateLinkedTokenSource(gone.Token);
                var flight = new Flight(call, Stopwatch.GetTimestamp());
                inFlight[index] = flight;
                try
                {
                    var line = await _work.Run(key, index, call.Token).WaitAsync(call.Token).ConfigureAwait(false);
                    if (line is null)
                    {
                        // The silo restarted with the same address and lost what it had prepared: prepare again.
                        await Prepare(key).WaitAsync(call.Token).ConfigureAwait(false);
                        line = await _work.Run(key, index, call.Token).WaitAsync(call.Token).ConfigureAwait(false)
                            ?? throw new InvalidOperationException($"silo {silo} does not hold the work after preparing it.");
                    }

                    accept(index, line);
                    done[index] = true;
                }
                catch (Exception e) when (!cancellation.IsCancellationRequested && e is not InvalidInputException)
                {
                    queue.Enqueue(index);
                    Interlocked.Increment(ref _retried);
                    if (gone.IsCancellationRequested) continue;
                    if (flight.Lost)
                    {
                        Interlocked.Increment(ref _lostCalls);
                        continue;
                    }

                    var alive = Interlocked.Increment(ref failures) < MaxFailures;
                    if (alive)
                    {
                        try
                        {
                            await _work.Capacity(key).WaitAsync(_liveness, cancellation).ConfigureAwait(false);
                        }
                        catch (Exception) when (!cancellation.IsCancellationRequested)
                        {
                            alive = false;
                        }
                    }

                    if (!alive) GiveUp(silo, gone);
                }
                finally
                {
                    inFlight.TryRemove(new KeyValuePair<int, Flight>(index, flight));
                }
            }
        }

        var loops = Enumerable.Range(0, threads).Select(_ => Loop()).ToList();
        var all = Task.WhenAll(loops);
        while (!all.IsCompleted)
        {
            var tick = Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            if (await Task.WhenAny(all, tick).ConfigureAwait(false) == all) break;
            if (inFlight.IsEmpty || gone.IsCancellationRequested) continue;
            int[] held;
            try
            {
                held = await _work.Holding(key).WaitAsync(_liveness, cancellation).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellation.IsCancellationRequested)
            {
                GiveUp(silo, gone);
                continue;
            }

            if (await DeclaredDead(silo, cancellation).ConfigureAwait(false))
            {
                GiveUp(silo, gone);
                continue;
            }

            var now = Stopwatch.GetTimestamp();
            foreach (var (index, flight) in inFlight)
            {
                if (Array.BinarySearch(held, index) >= 0) flight.SeenAt(now);
                else if (Stopwatch.GetElapsedTime(flight.LastSeen, now) > _liveness) flight.GiveUp();
            }
        }

        await all.ConfigureAwait(false);
    }

    // One call in flight: when the silo last said it held the unit (or when it was sent), and whether it was given up as lost.
    private sealed class Flight(CancellationTokenSource call, long sent)
    {
        private long _lastSeen = sent;
        private int _lost;

        public long LastSeen => Interlocked.Read(ref _lastSeen);

        public bool Lost => Volatile.Read(ref _lost) == 1;

        public void SeenAt(long timestamp) => Interlocked.Exchange(ref _lastSeen, timestamp);

        public void GiveUp()
        {
            if (Interlocked.Exchange(ref _lost, 1) == 0)
            {
                try
                {
                    call.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The call ended (and its source was disposed) between the probe and now: nothing to cancel.
                }
            }
        }
    }

    private void GiveUp(SiloAddress silo, CancellationTokenSource gone)
    {
        lock (_lost)
        {
            _lost.Add(silo);
            _ready.Remove(silo);
        }

        gone.Cancel();
    }

    // The active silos not given up, each prepared once.
    private async Task<List<(SiloAddress Silo, int Threads)>> ReadySilos(CancellationToken cancellation)
    {
        var hosts = await ActiveHosts(cancellation).ConfigureAwait(false);
        var list = new List<(SiloAddress, int)>();
        foreach (var silo in hosts.Keys.OrderBy(s => s.ToParsableString(), StringComparer.Ordinal))
        {
            lock (_lost)
            {
                if (_lost.Contains(silo)) continue;
                if (_ready.TryGetValue(silo, out var known))
                {
                    list.Add((silo, known));
                    continue;
                }
            }

            var key = silo.ToParsableString();
            try
            {
                await Prepare(key).WaitAsync(cancellation).ConfigureAwait(false);
                var threads = await _work.Capacity(key).WaitAsync(_liveness, cancellation).ConfigureAwait(false);
                lock (_lost) _ready[silo] = threads;
                list.Add((silo, threads));
            }
            catch (Exception e) when (!cancellation.IsCancellationRequested && e is not InvalidInputException)
            {
                lock (_lost) _lost.Add(silo);
            }
        }

        return list;
    }

    // Whether the membership no longer lists the silo as active (it was declared dead while something of it still answers
    // probes). One question, a liveness period at most; no answer is not taken as death.
    private async Task<bool> DeclaredDead(SiloAddress silo, CancellationToken cancellation)
    {
        try
        {
#pragma warning disable CA2016 // GetHosts takes no token; WaitAsync bounds it.
            var hosts = await _client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(_liveness, cancellation).ConfigureAwait(false);
#pragma warning restore CA2016
            return !hosts.ContainsKey(silo);
        }
        catch (Exception) when (!cancellation.IsCancellationRequested)
        {
            return false;
        }
    }

    // The cluster's active silos. The management grain may live on a silo that was just lost, and a call to it then
    // fails or goes unanswered until the membership moves it: asked again, a liveness period each, up to HostAttempts times.
    private async Task<Dictionary<SiloAddress, SiloStatus>> ActiveHosts(CancellationToken cancellation)
    {
        var management = _client.GetGrain<IManagementGrain>(0);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
#pragma warning disable CA2016 // GetHosts takes no token; WaitAsync bounds it.
                return await management.GetHosts(onlyActive: true).WaitAsync(_liveness, cancellation).ConfigureAwait(false);
#pragma warning restore CA2016
            }
            catch (Exception e) when (!cancellation.IsCancellationRequested && attempt < HostAttempts && e is not InvalidInputException)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellation).ConfigureAwait(false);
            }
        }
    }

    private async Task Prepare(string key)
    {
        if (await _work.Prepare(key).ConfigureAwait(false) is { } refusal)
        {
            throw new InvalidInputException("cluster", "--cluster: " + refusal);
        }
    }
}

/// <summary>What <see cref="UnitDispatcher"/> asks of the silo whose key (its parsable address) it is given.</summary>
/// <param name="Prepare">Prepares the work on the silo: null when ready, else why not (one line).</param>
/// <param name="Run">Runs unit i: its answer line, or null when the silo has not prepared the work (it restarted).</param>
/// <param name="Capacity">Units the silo runs at once.</param>
/// <param name="Holding">The units the silo holds now, ascending (the liveness probe while it runs them).</param>
internal sealed record SiloWork(Func<string, Task<string?>> Prepare, Func<string, int, CancellationToken, Task<string?>> Run, Func<string, Task<int>> Capacity,
    Func<string, Task<int[]>> Holding);
