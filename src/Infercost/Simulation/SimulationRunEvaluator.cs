namespace Infercost.Simulation;

/// <summary>Runs the seed-runs of a repeated simulation (<c>simulate --runs N</c>) somewhere other than this machine's
/// threads (a cluster): for every run index in <paramref name="runs"/> it reports, through <paramref name="report"/> and
/// from any thread, the <see cref="RunSummary"/> that <see cref="Requests.SimulateRequest.AnswerRun"/> gives for that run
/// of the same request, and completes when all are reported. Reporting a run twice is allowed (the first is kept).</summary>
/// <param name="runs">Run indices to simulate.</param>
/// <param name="report">Receives each run's summary as it finishes.</param>
/// <param name="cancellation">Cancels the runs.</param>
public delegate Task SimulationRunEvaluator(IReadOnlyList<int> runs, Action<RunSummary> report, CancellationToken cancellation);
