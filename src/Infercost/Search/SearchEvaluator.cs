namespace Infercost.Search;

/// <summary>Simulates the candidates of one wave of a search somewhere other than this machine's threads (a cluster):
/// for every index in <paramref name="wave"/> it reports, through <paramref name="report"/> and from any thread, the
/// outcome that <see cref="DesignSearch.Evaluate"/> gives for that candidate of the same space, workload and settings,
/// and completes when all are reported. Reporting an index twice is allowed (the first is kept).</summary>
/// <param name="wave">Candidate indices to simulate.</param>
/// <param name="report">Receives each outcome as it finishes.</param>
/// <param name="cancellation">Cancels the wave.</param>
public delegate Task SearchEvaluator(IReadOnlyList<int> wave, Action<CandidateOutcome> report, CancellationToken cancellation);
