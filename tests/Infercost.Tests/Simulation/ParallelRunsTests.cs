using Infercost.Serialization;
using Infercost.Simulation;
using Xunit;

namespace Infercost.Tests.Simulation;

public sealed class ParallelRunsTests
{
    private static string[] Runs(int? threads) => ParallelRuns.Run(6, 42, (_, seed) => InfercostJson.Serialize(
        ServingSimulator.Run(SimulationFixtures.Llama8BOnH100, 2, SimulationFixtures.Poisson(10, 400, 60, 600, seed), SimulationFixtures.Options())), threads);

    [Fact]
    public void Run_OnAllCores_GivesTheSameResultsInTheSameOrderAsOneThread()
    {
        var parallel = Runs(null);
        Assert.Equal(Runs(1), parallel);
        Assert.Equal(6, parallel.Distinct().Count()); // each run drew its own seed
    }

    [Fact]
    public void SeedOf_RunZeroKeepsTheSeed_OthersAreDistinctAndNonNegative()
    {
        Assert.Equal(42, ParallelRuns.SeedOf(42, 0));
        var seeds = Enumerable.Range(0, 1000).Select(i => ParallelRuns.SeedOf(42, i)).ToList();
        Assert.Equal(1000, seeds.Distinct().Count());
        Assert.All(seeds, s => Assert.True(s >= 0));
    }

    [Fact]
    public void Run_BadInputInARun_ThrowsItNotAnAggregate()
    {
        var e = Assert.Throws<InvalidInputException>(() => ParallelRuns.Run<int>(4, 1, (_, _) => throw new InvalidInputException("requests", "bad")));
        Assert.Equal("requests", e.Field);
        Assert.Throws<InvalidInputException>(() => ParallelRuns.Run(0, 1, (_, s) => s));
    }
}
