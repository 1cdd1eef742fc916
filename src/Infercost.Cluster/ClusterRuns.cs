using Infercost.Requests;
using Infercost.Serialization;
using Infercost.Simulation;

namespace Infercost.Cluster;

// A simulation's seed-runs are units of a UnitDispatcher, as a search wave's candidates are (ClusterEvaluator): spread
// over the silos, a lost silo's runs sent again elsewhere. Each run's summary travels as its JSON line, whose doubles
// are written round-trip, so the client builds the local spread and keeps the local run 0 byte for byte.

/// <summary>Runs a simulation's <c>--runs</c> on an Orleans cluster (the <see cref="SimulationRunEvaluator"/> for <c>simulate --cluster</c>).</summary>
public sealed class ClusterRuns
{
    private readonly UnitDispatcher _dispatcher;

    /// <summary>Creates the evaluator for one simulation.</summary>
    /// <param name="client">A connected client.</param>
    /// <param name="request">The simulation, with <see cref="SimulateRequest.Runs"/> of 2 or more.</param>
    /// <param name="subject">The model and accelerator the client resolved it to.</param>
    /// <param name="catalogText">The <c>--catalog</c> file text, or null.</param>
    /// <param name="sources">File names of the model config, input histogram, output histogram and rate curve.</param>
    /// <param name="liveness">How long a busy silo may take to answer a probe before it is given up.</param>
    public ClusterRuns(IClusterClient client, SimulateRequest request, Subject subject, string? catalogText,
        (string? ModelConfig, string? Input, string? Output, string? RateCurve) sources, TimeSpan liveness)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(subject);
        var hash = request.InputsHash(subject);
        var requestJson = InfercostJson.Serialize(request);
        var names = $"{sources.ModelConfig}\t{sources.Input}\t{sources.Output}\t{sources.RateCurve}";
        ISimulationWorker Worker(string silo) => client.GetGrain<ISimulationWorker>(silo);
        _dispatcher = new UnitDispatcher(client, new SiloWork(
            silo => Worker(silo).Prepare(hash, requestJson, catalogText, names),
            (silo, run, cancellation) => Worker(silo).Run(hash, run, cancellation),
            silo => Worker(silo).Capacity(),
            silo => Worker(silo).Holding(hash)), "runs", liveness);
    }

    /// <summary>Runs sent again because the silo that held them failed a call or was given up.</summary>
    public int Retried => _dispatcher.Retried;

    /// <summary>Calls sent again because their silo, still answering, no longer held their unit (lost on the way).</summary>
    public int LostCalls => _dispatcher.LostCalls;

    /// <summary>Silos given up during the simulation.</summary>
    public int Lost => _dispatcher.Lost;

    /// <summary>The silos given up, by address (<see cref="SiloAddress.ToParsableString"/>).</summary>
    public IReadOnlyList<string> LostSilos => _dispatcher.LostSilos;

    /// <summary>The evaluator to pass to <see cref="SimulateRequest.AnswerAsync"/>.</summary>
    public SimulationRunEvaluator Evaluator => (runs, report, cancellation) => _dispatcher.RunAsync(runs, (run, line) =>
    {
        var summary = InfercostJson.Deserialize<RunSummary>(line) ?? throw new InvalidOperationException($"a silo sent an empty summary for run {run}.");
        if (summary.Run != run) throw new InvalidOperationException($"a silo sent run {summary.Run} for run {run}.");
        report(summary);
    }, cancellation);
}
