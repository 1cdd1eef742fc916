using System.Collections.Concurrent;

namespace Infercost.Cluster;

// The client spreads a batch of units (a search wave's candidates, a simulation's seed-runs) over the active silos, as
// many at once on each as it says it runs, and takes the next unit as one finishes. When a call fails its unit goes back
// to the queue, and the silo is probed: a failed call need not mean a dead silo (calls travel through a gateway, and a
// gateway that dies fails the calls it carried to healthy silos too). A silo is given up when it misses a probe or fails
// MaxFailures calls; the units it held go back to the queue and are sent to the silos left (the core keeps the first
// outcome reported per index, so a late answer from a given-up silo is not counted twice). Outcomes travel as JSON
// lines the core reads back, so they are the local outcomes byte for byte.

/// <summary>Sends units to the silos of a cluster, retrying a lost silo's units on the others (the scheduling behind
/// <see cref="ClusterEvaluator"/> and <see cref="ClusterRuns"/>).</summary>
internal sealed class UnitDispatcher
{
    /// <summary>Failed calls after which a silo that still answers its probes is given up anyway (a silo that fails
    /// every unit would otherwise take them back one after another).</summary>
    public const int MaxFailures = 3;

    private readonly IClusterClient _client;
    private readonly SiloWork _work;
    private readonly string _units;
    private readonly TimeSpan _liveness;
    private readonly Dictionary<SiloAddress, int> _ready = [];
    private readonly HashSet<SiloAddress> _lost = [];
    private int _retried;

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
    // silo up: its units in flight go back to the queue.
    private async Task RunOn(SiloAddress silo, int threads, ConcurrentQueue<int> queue, ConcurrentDictionary<int, bool> done,
        Action<int, string> accept, CancellationToken cancellation)
    {
        var key = silo.ToParsableString();
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var busy = 0;
        var failures = 0;
        async Task Loop()
        {
            while (!gone.IsCancellationRequested && queue.TryDequeue(out var index))
            {
                Interlocked.Increment(ref busy);
                try
                {
                    var line = await _work.Run(key, index, gone.Token).WaitAsync(gone.Token).ConfigureAwait(false);
                    if (line is null)
                    {
                        // The silo restarted with the same address and lost what it had prepared: prepare again.
                        await Prepare(key).ConfigureAwait(false);
                        line = await _work.Run(key, index, gone.Token).WaitAsync(gone.Token).ConfigureAwait(false)
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
                    Interlocked.Decrement(ref busy);
                }
            }
        }

        var loops = Enumerable.Range(0, threads).Select(_ => Loop()).ToList();
        var all = Task.WhenAll(loops);
        while (!all.IsCompleted)
        {
            var tick = Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            if (await Task.WhenAny(all, tick).ConfigureAwait(false) == all) break;
            if (Volatile.Read(ref busy) == 0 || gone.IsCancellationRequested) continue;
            try
            {
                await _work.Capacity(key).WaitAsync(_liveness, cancellation).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellation.IsCancellationRequested)
            {
                GiveUp(silo, gone);
            }
        }

        await all.ConfigureAwait(false);
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
        var management = _client.GetGrain<IManagementGrain>(0);
#pragma warning disable CA2016 // GetHosts takes no token; WaitAsync bounds it.
        var hosts = await management.GetHosts(onlyActive: true).WaitAsync(_liveness, cancellation).ConfigureAwait(false);
#pragma warning restore CA2016
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
/// <param name="Capacity">Units the silo runs at once; answers while it runs them (the liveness probe).</param>
internal sealed record SiloWork(Func<string, Task<string?>> Prepare, Func<string, int, CancellationToken, Task<string?>> Run, Func<string, Task<int>> Capacity);
