namespace Infercost.Search;

/// <summary>How many candidates one stage of the search removed.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Removed">Candidates that left the search there.</param>
public sealed record StageCount(SearchStage Stage, int Removed);

/// <summary>What a design-space search found.</summary>
/// <param name="Candidates">Configurations in the space.</param>
/// <param name="Stages">Candidates removed by each analytic stage, and simulated (in that order).</param>
/// <param name="Simulated">Candidates simulated in this run.</param>
/// <param name="Reused">Candidates whose outcome came from an earlier run (a state file) instead.</param>
/// <param name="Feasible">Simulated candidates with a fleet that meets the SLO within the GPU limit.</param>
/// <param name="Trials">Simulations run over the simulated and reused candidates (the saturation runs included).</param>
/// <param name="BoundViolations">Feasible candidates whose fleet came out below the analytic lower bound: 0 when the
/// bound held (a non-zero count says the pruning may have removed a better configuration).</param>
/// <param name="Rank">What the best are ranked by.</param>
/// <param name="FrontAxis">The front's second axis.</param>
/// <param name="Best">The best k feasible candidates, best first.</param>
/// <param name="Front">The Pareto front (rank against <paramref name="FrontAxis"/>, both lower is better) of
/// <paramref name="Best"/>, in rank order: exact whatever was pruned, because the best k are.</param>
/// <param name="Outcomes">Every candidate's outcome, by index.</param>
public sealed record SearchResult(
    int Candidates,
    IReadOnlyList<StageCount> Stages,
    int Simulated,
    int Reused,
    int Feasible,
    int Trials,
    int BoundViolations,
    SearchRank Rank,
    SearchFront FrontAxis,
    IReadOnlyList<CandidateOutcome> Best,
    IReadOnlyList<CandidateOutcome> Front,
    IReadOnlyList<CandidateOutcome> Outcomes)
{
    /// <summary>Collects the result from every candidate's outcome.</summary>
    public static SearchResult Of(int candidates, IReadOnlyList<CandidateOutcome> outcomes, SearchSettings settings, int reused, int simulated, int violations)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(settings);
        var stages = Enum.GetValues<SearchStage>().Select(s => new StageCount(s, outcomes.Count(o => o.Stage == s))).ToList();
        var feasible = outcomes.Where(o => o.Feasible).ToList();
        feasible.Sort((a, b) => DesignSearch.Compare(a, b, settings.Rank));
        var best = feasible.Take(settings.Top).ToList();
        var front = new List<CandidateOutcome>();
        var lowest = double.PositiveInfinity;
        // Equal ranks: the lower second axis first, so a dominated twin never enters the front.
        foreach (var o in best.OrderBy(o => o.Metric(settings.Rank)!.Value).ThenBy(o => o.FrontValue(settings.Front)!.Value).ThenBy(o => o.Index))
        {
            var y = o.FrontValue(settings.Front)!.Value;
            if (y >= lowest) continue;
            front.Add(o);
            lowest = y;
        }

        return new SearchResult(candidates, stages, simulated, reused, feasible.Count, outcomes.Sum(o => o.Trials), violations, settings.Rank, settings.Front,
            best, front, outcomes);
    }
}
