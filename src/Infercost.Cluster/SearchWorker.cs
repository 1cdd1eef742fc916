using System.Collections.Concurrent;
using Infercost.Requests;
using Infercost.Search;
using Infercost.Serialization;
using Infercost.Serving;
using Orleans.Concurrency;

namespace Infercost.Cluster;

/// <summary>How many units one silo simulates at once: the slots its worker takes before simulating.</summary>
public sealed class SearchWorkerSlots : IDisposable
{
    /// <summary>Creates <paramref name="threads"/> slots.</summary>
    public SearchWorkerSlots(int threads)
    {
        Guard.InRange(threads, 1, 4096, "threads");
        Threads = threads;
        Slots = new SemaphoreSlim(threads, threads);
    }

    /// <summary>Concurrent simulations (one thread each).</summary>
    public int Threads { get; }

    /// <summary>Taken for each simulation.</summary>
    internal SemaphoreSlim Slots { get; }

    /// <summary>Awaited with the silo's worker key (its address) and the unit's index once a slot is taken and before the
    /// unit runs; null in production. Tests use it to hold a unit on a chosen silo, so that killing that silo is known to
    /// lose work in flight.</summary>
    internal Func<string, int, CancellationToken, Task>? BeforeUnit { get; init; }

    /// <summary>The units this silo has received and not yet answered, by inputs hash and index (waiting for a slot or
    /// simulating): what <see cref="ISearchWorker.Holding"/> and <see cref="ISimulationWorker.Holding"/> report.</summary>
    internal UnitsHeld Held { get; } = new();

    /// <inheritdoc/>
    public void Dispose() => Slots.Dispose();
}

/// <summary>Units a silo holds (received, not yet answered), counted by inputs hash and index: a unit sent again to the
/// same silo while its first call is still there is held twice.</summary>
internal sealed class UnitsHeld
{
    private readonly ConcurrentDictionary<(string Hash, int Unit), int> _held = new();

    /// <summary>Marks unit <paramref name="unit"/> of <paramref name="hash"/> held until the returned scope is disposed.</summary>
    public Scope Hold(string hash, int unit)
    {
        _held.AddOrUpdate((hash, unit), 1, (_, n) => n + 1);
        return new Scope(this, (hash, unit));
    }

    /// <summary>The indices of <paramref name="hash"/>'s units held now, ascending.</summary>
    public int[] Of(string hash) => [.. _held.Where(e => e.Key.Hash == hash && e.Value > 0).Select(e => e.Key.Unit).Order()];

    private void Release((string, int) key)
    {
        while (true)
        {
            if (!_held.TryGetValue(key, out var n)) return;
            if (n <= 1 ? _held.TryRemove(new KeyValuePair<(string, int), int>(key, n)) : _held.TryUpdate(key, n - 1, n)) return;
        }
    }

    /// <summary>Releases its unit when disposed.</summary>
    internal sealed class Scope(UnitsHeld owner, (string, int) key) : IDisposable
    {
        private int _released;

        /// <inheritdoc/>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) owner.Release(key);
        }
    }
}

/// <summary>The silo side of a cluster search (see <see cref="ISearchWorker"/>).</summary>
[OnSiloPlacement]
[Reentrant]
internal sealed class SearchWorker(SearchWorkerSlots slots) : Grain, ISearchWorker
{
    // Prepared searches by inputs hash, for the process (in-process test silos share it; a search is the same anywhere).
    private static readonly ConcurrentDictionary<string, Lazy<Prepared>> Searches = new(StringComparer.Ordinal);

    public Task<string?> Prepare(string inputsHash, string requestJson, string? catalogText, string sources)
    {
        try
        {
            var request = InfercostJson.Deserialize<SearchRequest>(requestJson) ?? throw new InvalidInputException("request", "the request is empty.");
            var catalog = catalogText is null ? Catalog.Catalog.Embedded : Catalog.Catalog.Embedded.WithOverrides(Catalog.Catalog.Parse(catalogText, "--catalog"));
            var hash = request.InputsHash(catalog);
            if (hash != inputsHash)
            {
                return Task.FromResult<string?>($"silo {RuntimeIdentity} computes inputs hash {hash[..12]} for this search, the client {inputsHash[..Math.Min(12, inputsHash.Length)]}: " +
                    "its infercost build or catalog differs; run the same build everywhere.");
            }

            var names = sources.Split('\t');
            string? Name(int i) => names.Length > i && names[i].Length > 0 ? names[i] : null;
            if (Searches.Count > 8) Searches.Clear();
            var prepared = Searches.GetOrAdd(hash, _ => new Lazy<Prepared>(() =>
            {
                var (space, workload, settings, _) = request.Prepare(catalog, (Name(0), Name(1), Name(2)));
                return new Prepared(space.Candidates(), workload, settings);
            })).Value;
            return Task.FromResult<string?>(prepared.Candidates.Count > 0 ? null : "the search has no candidates.");
        }
        catch (Exception e) when (e is InvalidInputException or ModelDoesNotFitException or System.Text.Json.JsonException)
        {
            return Task.FromResult<string?>($"silo {RuntimeIdentity} refuses the search: {e.Message}");
        }
    }

    public async Task<string?> Evaluate(string inputsHash, int index, CancellationToken cancellation)
    {
        if (!Searches.TryGetValue(inputsHash, out var lazy) || !lazy.IsValueCreated) return null;
        var prepared = lazy.Value;
        using var held = slots.Held.Hold(inputsHash, index);
        await slots.Slots.WaitAsync(cancellation).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
        try
        {
            if (slots.BeforeUnit is { } hook) await hook(this.GetPrimaryKeyString(), index, cancellation).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
            // A thread of its own: a simulation takes seconds, and the thread pool stays free for the silo's messages
            // (the liveness probes among them).
            var outcome = await Task.Factory.StartNew(() => DesignSearch.Evaluate(prepared.Candidates[index], prepared.Workload, prepared.Settings, cancellation),
                cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
            return SearchState.Line(outcome);
        }
        finally
        {
            slots.Slots.Release();
        }
    }

    public Task<int> Capacity() => Task.FromResult(slots.Threads);

    public Task<int[]> Holding(string inputsHash) => Task.FromResult(slots.Held.Of(inputsHash));

    private sealed record Prepared(IReadOnlyList<SearchCandidate> Candidates, SearchWorkload Workload, SearchSettings Settings);
}
