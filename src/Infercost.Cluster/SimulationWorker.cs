using System.Collections.Concurrent;
using System.Text.Json;
using Infercost.Requests;
using Infercost.Serialization;
using Infercost.Serving;
using Orleans.Concurrency;

namespace Infercost.Cluster;

/// <summary>The silo side of <c>simulate --runs N --cluster</c> (see <see cref="ISimulationWorker"/>).</summary>
[OnSiloPlacement]
[Reentrant]
internal sealed class SimulationWorker(SearchWorkerSlots slots) : Grain, ISimulationWorker
{
    // Prepared simulations by inputs hash, for the process (in-process test silos share it; a simulation is the same anywhere).
    private static readonly ConcurrentDictionary<string, Lazy<Prepared>> Simulations = new(StringComparer.Ordinal);

    // One line, as the client's state lines are: the summary's JSON without indentation.
    private static readonly JsonSerializerOptions Compact = new(InfercostJson.Options) { WriteIndented = false };

    public Task<string?> Prepare(string inputsHash, double speedRatio, string requestJson, string? catalogText, string sources)
    {
        try
        {
            var request = InfercostJson.Deserialize<SimulateRequest>(requestJson) ?? throw new InvalidInputException("request", "the request is empty.");
            var catalog = catalogText is null ? Catalog.Catalog.Embedded : Catalog.Catalog.Embedded.WithOverrides(Catalog.Catalog.Parse(catalogText, "--catalog"));
            var names = sources.Split('\t');
            string? Name(int i) => names.Length > i && names[i].Length > 0 ? names[i] : null;
            var subject = request.Resolve(catalog, Name(0));
            var hash = request.InputsHash(subject);
            if (hash != inputsHash)
            {
                return Task.FromResult<string?>($"silo {RuntimeIdentity} computes inputs hash {hash[..12]} for this simulation, the client {inputsHash[..Math.Min(12, inputsHash.Length)]}: " +
                    "its infercost build or catalog differs; run the same build everywhere.");
            }

            // A banded simulation prepares three keys (the modelled speed and the band's two ends).
            if (Simulations.Count > 24) Simulations.Clear();
            var prepared = Simulations.GetOrAdd(SimulationKeys.Of(hash, speedRatio), _ => new Lazy<Prepared>(() =>
            {
                var setup = request.Prepare(subject, (Name(1), Name(2)));
                // The runs and their budget are checked here, so a refusal comes back from Prepare and not from every run.
                request.CheckRuns(setup, Name(3));
                return new Prepared(request, speedRatio == 1 ? setup : SimulateRequest.AtSpeed(setup, speedRatio), Name(3));
            })).Value;
            return Task.FromResult<string?>(null);
        }
        catch (Exception e) when (e is InvalidInputException or ModelDoesNotFitException or JsonException)
        {
            return Task.FromResult<string?>($"silo {RuntimeIdentity} refuses the simulation: {e.Message}");
        }
    }

    public async Task<string?> Run(string key, int run, CancellationToken cancellation)
    {
        if (!Simulations.TryGetValue(key, out var lazy) || !lazy.IsValueCreated) return null;
        var prepared = lazy.Value;
        using var held = slots.Held.Hold(key, run);
        await slots.Slots.WaitAsync(cancellation).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
        try
        {
            if (slots.BeforeUnit is { } hook) await hook(this.GetPrimaryKeyString(), run, cancellation).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
            // A thread of its own: a run takes seconds, and the thread pool stays free for the silo's messages (the
            // liveness probes among them).
            var summary = await Task.Factory.StartNew(() => prepared.Request.AnswerRun(prepared.Setup, prepared.RateCurveSource, run, cancellation),
                cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
            return JsonSerializer.Serialize(summary, Compact);
        }
        finally
        {
            slots.Slots.Release();
        }
    }

    public Task<int> Capacity() => Task.FromResult(slots.Threads);

    public Task<int[]> Holding(string key) => Task.FromResult(slots.Held.Of(key));

    private sealed record Prepared(SimulateRequest Request, SimulationSetup Setup, string? RateCurveSource);
}
