using Infercost.Requests;
using Infercost.Search;
using Infercost.Serialization;

namespace Infercost.Cluster;

// Each wave's candidates are units of a UnitDispatcher (it spreads them over the silos and retries a lost silo's units
// elsewhere). Outcomes travel as state-file lines: the JSON a resumed search reads back, so they are the local outcomes
// byte for byte.

/// <summary>Runs a search's simulations on an Orleans cluster (the <see cref="SearchEvaluator"/> for <c>--cluster</c>).</summary>
public sealed class ClusterEvaluator
{
    private readonly UnitDispatcher _dispatcher;

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
        var hash = request.InputsHash(catalog);
        var requestJson = InfercostJson.Serialize(request);
        var names = $"{sources.Input}\t{sources.Output}\t{sources.Trace}";
        ISearchWorker Worker(string silo) => client.GetGrain<ISearchWorker>(silo);
        _dispatcher = new UnitDispatcher(client, new SiloWork(
            silo => Worker(silo).Prepare(hash, requestJson, catalogText, names),
            (silo, index, cancellation) => Worker(silo).Evaluate(hash, index, cancellation),
            silo => Worker(silo).Capacity(),
            silo => Worker(silo).Holding(hash)), "candidates of the wave", liveness);
    }

    /// <summary>Units sent again because the silo that held them was given up.</summary>
    public int Retried => _dispatcher.Retried;

    /// <summary>Calls sent again because their silo, still answering, no longer held their unit (lost on the way).</summary>
    public int LostCalls => _dispatcher.LostCalls;

    /// <summary>Silos given up during the search.</summary>
    public int Lost => _dispatcher.Lost;

    /// <summary>The silos given up, by address (<see cref="SiloAddress.ToParsableString"/>).</summary>
    public IReadOnlyList<string> LostSilos => _dispatcher.LostSilos;

    /// <summary>Failed calls after which a silo that still answers its probes is given up anyway (a silo that fails
    /// every unit would otherwise take them back one after another).</summary>
    public const int MaxFailures = UnitDispatcher.MaxFailures;

    /// <summary>The evaluator to pass to <see cref="SearchRequest.AnswerAsync"/>.</summary>
    public SearchEvaluator Evaluator => (wave, report, cancellation) => _dispatcher.RunAsync(wave, (_, line) =>
        report(InfercostJson.Deserialize<CandidateOutcome>(line) ?? throw new InvalidOperationException("a silo sent an empty outcome.")), cancellation);
}
