using Infercost.Simulation;
using Xunit;

namespace Infercost.Tests.Simulation;

public sealed class PreemptionTests
{
    // 79% of the card reserved leaves ~0.7 GB of KV: a few hundred 16-token blocks, far less than 32 sequences need.
    private static readonly Infercost.Serving.ServingSetup Tight = SimulationFixtures.Setup(reserve: 0.79);

    [Fact]
    public void Preemption_KvExhausted_EveryRequestCompletesAndIsCountedOnce()
    {
        // Given 32 concurrent users of 300 + 300 tokens on a replica whose cache holds far fewer
        var blocks = ServingSimulator.KvBlocksPerReplica(Tight, SchedulerConfig.Default);
        Assert.InRange(blocks, 50, 32 * 600 / 16 / 2);

        // When 400 requests run
        var result = ServingSimulator.RunClosedLoop(Tight, 32, new FixedLength(300), new FixedLength(300), 400, 3, SimulationFixtures.Options(), cancellation: TestContext.Current.CancellationToken);

        // Then sequences were preempted, yet each request completed exactly once with all its tokens
        Assert.True(result.Preemptions > 0, "expected preemptions");
        Assert.True(result.PreemptedRequests > 0);
        Assert.Equal(400, result.Arrived);
        Assert.Equal(400, result.Completed);
        Assert.Equal(400, result.TimeToFirstToken.Count);
        Assert.Equal(400, result.TimePerOutputToken.Count);
        Assert.Equal(400 * 300.0, result.OutputTokens.Value);
        Assert.Equal(400 * 300.0, result.PromptTokens.Value);
        // Recomputation shows up as prompt work beyond the prompts themselves
        Assert.True(result.PrefillTokensComputed.Value > result.PromptTokens.Value);
    }

    [Fact]
    public void Rejection_RequestLargerThanTheWholeCache_IsRejectedNotServed()
    {
        var blocks = ServingSimulator.KvBlocksPerReplica(Tight, SchedulerConfig.Default);
        var tooLong = blocks * 16 + 1;

        var result = ServingSimulator.Run(Tight, 1, [new SimRequest(0, 0, 100, 0, 10), new SimRequest(1, 1, tooLong, 0, 10)], SimulationFixtures.Options(), cancellation: TestContext.Current.CancellationToken);

        Assert.Equal(1, result.Completed);
        Assert.Equal(1, result.Rejected);
        Assert.False(result.MeetsSloAtP90);
    }
}
