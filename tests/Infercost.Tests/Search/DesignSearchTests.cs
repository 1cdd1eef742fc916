using Infercost.Quantities;
using Infercost.Search;
using Infercost.Serialization;
using Infercost.Serving;
using Infercost.Simulation;
using Xunit;

namespace Infercost.Tests.Search;

public sealed class DesignSearchTests
{
    // Llama 3.1 8B on H100 and A100 80GB, replicas of 1 or 2 GPUs (TP1, TP2, TP1 PP2), two batch caps and two token
    // budgets: 24 candidates, sized for 12 req/s of 1,000/200-token requests with short trials.
    private static readonly SearchSpace Space = new(
        [Fixtures.Llama8B],
        [new SearchDevice(Fixtures.H100, DollarsPerHour.FromDollarsPerHour(2)), new SearchDevice(Fixtures.A100_80, DollarsPerHour.FromDollarsPerHour(1.2))],
        [null], [Precision.Bf16], [1, 2], AllLayouts: true, [32, 256], [1024, 8192], [false]);

    private static readonly SearchWorkload Workload = new(12, new FixedLength(1000), new FixedLength(200));

    private static readonly SearchSettings Settings = new(Slo.Default, new ServingConfig { TotalDevices = 1 }, Top: 3, Wave: 4, TrialSeconds: 20, TrialRequests: 2000);

    private static readonly Lazy<SearchResult> Pruned = new(() => DesignSearch.Run(Space, Workload, Settings));
    private static readonly Lazy<SearchResult> BruteForce = new(() => DesignSearch.Run(Space, Workload, Settings with { Prune = false }));

    [Fact]
    public void Pruning_KeepsTheBestAndTheFront_OfBruteForce()
    {
        // Given the same space searched with and without pruning
        var (pruned, brute) = (Pruned.Value, BruteForce.Value);

        // Then the best three and the front are the same candidates with the same figures
        Assert.Equal(24, pruned.Candidates);
        Assert.Equal(3, brute.Best.Count);
        Assert.Equal(Json(brute.Best), Json(pruned.Best));
        Assert.Equal(Json(brute.Front), Json(pruned.Front));

        // And pruning simulated fewer candidates, each stage's removals adding up to the space
        Assert.True(pruned.Simulated < brute.Simulated, $"pruned simulated {pruned.Simulated}, brute force {brute.Simulated}");
        Assert.Equal(pruned.Candidates, pruned.Stages.Sum(s => s.Removed));
        Assert.True(pruned.Stages.Single(s => s.Stage == SearchStage.Bound).Removed > 0);
        Assert.Equal(0, brute.BoundViolations);
    }

    [Fact]
    public void BruteForce_EveryFeasibleFleetIsAtLeastItsAnalyticLowerBound()
    {
        var feasible = BruteForce.Value.Outcomes.Where(o => o.Feasible).ToList();

        Assert.NotEmpty(feasible);
        Assert.All(feasible, o => Assert.True(o.Gpus >= o.LowerBoundGpus, $"{o.Configuration}: {o.Gpus} GPUs below the bound {o.LowerBoundGpus}"));
    }

    [Fact]
    public void Best_IsRankedByCostPerMillionTokens_AndMeetsTheSlo()
    {
        var best = Pruned.Value.Best;

        Assert.All(best, o => Assert.True(o.P90Ttft <= Slo.Default.TimeToFirstToken && o.P90Tpot <= Slo.Default.TimePerOutputToken));
        Assert.True(best.Zip(best.Skip(1)).All(p => p.First.PerMillionTokens!.Value.Value <= p.Second.PerMillionTokens!.Value.Value));
        // $/MTok is the fleet's $/h over the tokens served per hour at the required rate.
        var first = best[0];
        Assert.Equal(first.FleetPerHour!.Value.Value / (12 * 3600 * 1200 / 1e6), first.PerMillionTokens!.Value.Value, 9);
    }

    [Fact]
    public void Result_DoesNotDependOnTheNumberOfThreads()
    {
        var one = DesignSearch.Run(Space, Workload, Settings, maxParallelism: 1, cancellation: TestContext.Current.CancellationToken);
        var four = DesignSearch.Run(Space, Workload, Settings, maxParallelism: 4, cancellation: TestContext.Current.CancellationToken);

        Assert.Equal(Json(one), Json(four));
        Assert.Equal(Json(Pruned.Value), Json(four));
    }

    [Fact]
    public void Resume_FromAStateFileCutShort_GivesTheIdenticalResult()
    {
        // Given a state file holding half of the simulated candidates, its last line cut off mid-write
        var full = Pruned.Value;
        var simulated = full.Outcomes.Where(o => o.Stage == SearchStage.Simulated).ToList();
        var text = SearchState.HeaderLine("abc", full.Candidates) + string.Concat(simulated.Take(simulated.Count / 2).Select(SearchState.Line));
        text += SearchState.Line(simulated[^1])[..20];

        // When it is read back and the search resumed from it
        var state = SearchState.Read(text, "abc", full.Candidates, "state.jsonl");
        var resumed = DesignSearch.Run(Space, Workload, Settings, state.Finished, cancellation: TestContext.Current.CancellationToken);

        // Then the partial line is dropped, the finished half is reused, the rest simulated, and the answer is the same
        Assert.True(state.DroppedPartialLine);
        Assert.Equal(simulated.Count / 2, state.Finished.Count);
        Assert.Equal(simulated.Count / 2, resumed.Reused);
        Assert.Equal(simulated.Count - simulated.Count / 2, resumed.Simulated);
        Assert.Equal(Json(full.Best), Json(resumed.Best));
        Assert.Equal(Json(full.Front), Json(resumed.Front));
        Assert.Equal(Json(full.Outcomes), Json(resumed.Outcomes));
    }

    [Fact]
    public void State_FromOtherInputs_IsRefusedNamingTheStateFile()
    {
        var text = SearchState.HeaderLine("abc", 24);

        var e = Assert.Throws<InvalidInputException>(() => SearchState.Read(text, "def", 24, "old.jsonl"));

        Assert.Equal("state", e.Field);
        Assert.Contains("old.jsonl was written by a search with different inputs", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RankByGpus_PutsTheFewestGpusFirst()
    {
        var byGpus = DesignSearch.Run(Space, Workload, Settings with { Rank = SearchRank.Gpus }, cancellation: TestContext.Current.CancellationToken);
        var brute = BruteForce.Value.Outcomes.Where(o => o.Feasible).Min(o => o.Gpus);

        Assert.Equal(brute, byGpus.Best[0].Gpus);
    }

    private static string Json<T>(T value) => InfercostJson.Serialize(value);
}
