using Infercost.Requests;
using Infercost.Serialization;
using Infercost.Simulation;

namespace Infercost.Cluster;

// A simulation's seed-runs are units of a UnitDispatcher, as a search wave's candidates are (ClusterEvaluator): spread
// over the silos, a lost silo's runs sent again elsewhere. Each run's summary travels as its JSON line, whose doubles
// are written round-trip, so the client builds the local spread and keeps the local run 0 byte for byte.

/// <summary>Runs a simulation's <c>--runs</c> on an Orleans cluster (the <see cref="SimulationRunEvaluator"/> for
/// <c>simulate --cluster</c>); with <c>--bands</c> the same runs again at each band end's engine speed
/// (<see cref="EvaluatorAt"/>), each speed its own prepared simulation on the silos.</summary>
public sealed class ClusterRuns
{
    private readonly IClusterClient _client;
    private readonly string _hash, _requestJson, _names;
    private readonly string? _catalogText;
    private readonly TimeSpan _liveness;
    private readonly List<UnitDispatcher> _dispatchers = [];
    private readonly Lock _gate = new();

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
        _client = client;
        _hash = request.InputsHash(subject);
        _requestJson = InfercostJson.Serialize(request);
        _names = $"{sources.ModelConfig}\t{sources.Input}\t{sources.Output}\t{sources.RateCurve}";
        _catalogText = catalogText;
        _liveness = liveness;
        Evaluator = EvaluatorAt(1);
    }

    /// <summary>Runs sent again because the silo that held them failed a call or was given up (every speed's).</summary>
    public int Retried => Each(d => d.Retried);

    /// <summary>Calls sent again because their silo, still answering, no longer held their unit (lost on the way).</summary>
    public int LostCalls => Each(d => d.LostCalls);

    /// <summary>Silos given up during the simulation (at any speed; a silo given up at two speeds counts once).</summary>
    public int Lost => LostSilos.Count;

    /// <summary>The silos given up, by address (<see cref="SiloAddress.ToParsableString"/>).</summary>
    public IReadOnlyList<string> LostSilos
    {
        get
        {
            lock (_gate) return [.. _dispatchers.SelectMany(d => d.LostSilos).Distinct(StringComparer.Ordinal)];
        }
    }

    /// <summary>The evaluator to pass to <see cref="SimulateRequest.AnswerAsync"/>: the runs as modelled.</summary>
    public SimulationRunEvaluator Evaluator { get; }

    /// <summary>The evaluator of the same runs with every step at <paramref name="speedRatio"/> × the modelled engine
    /// speed (<see cref="SimulateRequest.AtSpeed"/>): the <c>atSpeed</c> of <see cref="SimulateRequest.AnswerAsync"/>.
    /// Each call prepares the simulation on the silos again, under its speed's key.</summary>
    public SimulationRunEvaluator EvaluatorAt(double speedRatio)
    {
        var key = SimulationKeys.Of(_hash, speedRatio);
        ISimulationWorker Worker(string silo) => _client.GetGrain<ISimulationWorker>(silo);
        var dispatcher = new UnitDispatcher(_client, new SiloWork(
            silo => Worker(silo).Prepare(_hash, speedRatio, _requestJson, _catalogText, _names),
            (silo, run, cancellation) => Worker(silo).Run(key, run, cancellation),
            silo => Worker(silo).Capacity(),
            silo => Worker(silo).Holding(key)), "runs", _liveness);
        lock (_gate) _dispatchers.Add(dispatcher);
        return (runs, report, cancellation) => dispatcher.RunAsync(runs, (run, line) =>
        {
            var summary = InfercostJson.Deserialize<RunSummary>(line) ?? throw new InvalidOperationException($"a silo sent an empty summary for run {run}.");
            if (summary.Run != run) throw new InvalidOperationException($"a silo sent run {summary.Run} for run {run}.");
            report(summary);
        }, cancellation);
    }

    private int Each(Func<UnitDispatcher, int> count)
    {
        lock (_gate) return _dispatchers.Sum(count);
    }
}
