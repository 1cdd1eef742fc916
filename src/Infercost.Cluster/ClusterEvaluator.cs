using System.Collections.Concurrent;
using Infercost.Requests;
using Infercost.Search;
using Infercost.Serialization;

namespace Infercost.Cluster;

// The client spreads each wave's units over the active silos, as many at once on each as it says it runs, and takes
// the next unit as one finishes. When a call fails its unit goes back to the queue, and the silo is probed: a failed
// call need not mean a dead silo (calls travel through a gateway, and a gateway that dies fails the calls it carried
// to healthy silos too). A silo is given up when it misses a probe or fails MaxFailures calls; the units it held go
// back to the queue and are sent to the silos left (the core keeps the first outcome reported per index, so
// a late answer from a given-up silo is not counted twice). Outcomes travel as state-file lines: the JSON a resumed
// search reads back, so they are the local outcomes byte for byte.

/// <summary>Runs a search's simulations on an Orleans cluster (the <see cref="SearchEvaluator"/> for <c>--cluster</c>).</summary>
public sealed class ClusterEvaluator
{
    private readonly IClusterClient _client;
    private readonly string _hash, _requestJson, _sources;
    private readonly string? _catalogText;
    private readonly TimeSpan _liveness;
    private readonly Dictionary<SiloAddress, int> _ready = [];
    private readonly HashSet<SiloAddress> _lost = [];
    private int _retried;

    /// <summary>Creates the evaluator for one search.</summary>
    /// <param name="client">A connected client.</param>
    /// <param name="request">The search.</param>
    /// <param name="catalog">The catalog the client uses.</param>
    /// <param name="catalogText">The <c>--catalog</c> file text, or null.</param>
    /// <param name="sources">File names of the input histogram, output histogram and trace.</param>
    /// <param name="liveness">How long a busy silo may take to answer a probe before it is given up.</param>
    public ClusterEvaluator(IClusterClient client, SearchRequest request, Catalog.Catalog catalog, string? catalogText,
        (string? Input, string? Output, string? Trace) sources, TimeSpan liveness)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(catalog);
        _client = client;
        _hash = request.InputsHash(catalog);
        _requestJson = InfercostJson.Serialize(request);
        _catalogText = catalogText;
        _sources = $"{sources.Input}\t{sources.Output}\t{sources.Trace}";
        _liveness = liveness;
    }

    /// <summary>Units sent again because the silo that held them was given up.</summary>
    public int Retried => _retried;

    /// <summary>Silos given up during the search.</summary>
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

    /// <summary>Failed calls after which a silo that still answers its probes is given up anyway (a silo that fails
    /// every unit would otherwise take them back one after another).</summary>
    public const int MaxFailures = 3;

    /// <summary>The evaluator to pass to <see cref="SearchRequest.AnswerAsync"/>.</summary>
    public SearchEvaluator Evaluator => EvaluateAsync;

    private async Task EvaluateAsync(IReadOnlyList<int> wave, Action<CandidateOutcome> report, CancellationToken cancellation)
    {
        var queue = new ConcurrentQueue<int>(wave);
        var done = new ConcurrentDictionary<int, bool>();
        while (done.Count < wave.Count)
        {
            var silos = await ReadySilos(cancellation).ConfigureAwait(false);
            if (silos.Count == 0)
            {
                throw new InvalidOperationException($"no silo of the cluster is left to simulate on ({Lost} given up); {wave.Count - done.Count} candidates of the wave were not simulated.");
            }

            await Task.WhenAll(silos.Select(s => RunOn(s.Silo, s.Threads, queue, done, report, cancellation))).ConfigureAwait(false);
        }
    }

    // Each silo's share: `threads` loops that take units until the queue is empty. A failure or a missed probe gives the
    // silo up: its units in flight go back to the queue.
    private async Task RunOn(SiloAddress silo, int threads, ConcurrentQueue<int> queue, ConcurrentDictionary<int, bool> done,
        Action<CandidateOutcome> report, CancellationToken cancellation)
    {
        var worker = _client.GetGrain<ISearchWorker>(silo.ToParsableString());
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
                    var line = await worker.Evaluate(_hash, index, gone.Token).WaitAsync(gone.Token).ConfigureAwait(false);
                    if (line is null)
                    {
                        // The silo restarted with the same address and lost its prepared searches: prepare again.
                        await Prepare(worker).ConfigureAwait(false);
                        line = await worker.Evaluate(_hash, index, gone.Token).WaitAsync(gone.Token).ConfigureAwait(false)
                            ?? throw new InvalidOperationException($"silo {silo} does not hold the search after preparing it.");
                    }

                    var outcome = InfercostJson.Deserialize<CandidateOutcome>(line) ?? throw new InvalidOperationException($"silo {silo} sent an empty outcome.");
                    report(outcome);
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
                            await worker.Capacity().WaitAsync(_liveness, cancellation).ConfigureAwait(false);
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
                await worker.Capacity().WaitAsync(_liveness, cancellation).ConfigureAwait(false);
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

    // The active silos not given up, each prepared for this search once.
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

            var worker = _client.GetGrain<ISearchWorker>(silo.ToParsableString());
            try
            {
                await Prepare(worker).WaitAsync(cancellation).ConfigureAwait(false);
                var threads = await worker.Capacity().WaitAsync(_liveness, cancellation).ConfigureAwait(false);
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

    private async Task Prepare(ISearchWorker worker)
    {
        if (await worker.Prepare(_hash, _requestJson, _catalogText, _sources).ConfigureAwait(false) is { } refusal)
        {
            throw new InvalidInputException("cluster", "--cluster: " + refusal);
        }
    }
}
