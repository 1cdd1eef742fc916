using Infercost.Simulation;
using Xunit;

namespace Infercost.Tests.Simulation;

public sealed class LiveReplicaTests
{
    [Fact]
    public void Abort_RunningRequest_FreesItsPlaceAndTheOthersGoOn()
    {
        // Given two requests decoding together
        var replica = new LiveReplica(SimulationFixtures.Llama8BOnH100, SchedulerConfig.Default);
        replica.Enqueue(1, 0, 500, 1000);
        replica.Enqueue(2, 0, 500, 3);
        replica.Step();
        replica.Step();
        Assert.Equal(2, replica.Outstanding);

        // When the first is aborted mid-decode
        Assert.True(replica.Abort(1));

        // Then it emits nothing more, the second finishes, and aborting again (or an unknown id) is false
        var emitted = new List<TokenEmission>();
        while (replica.HasWork) emitted.AddRange(replica.Step().Tokens);
        Assert.DoesNotContain(emitted, t => t.Id == 1);
        Assert.Contains(emitted, t => t.Id == 2 && t.Last);
        Assert.False(replica.Abort(1));
        Assert.False(replica.Abort(99));
        Assert.Equal(1, replica.Aborted);
    }

    [Fact]
    public void Abort_WaitingRequest_LeavesTheQueueInOrder()
    {
        // Given a replica that runs one sequence at a time, with three queued
        var replica = new LiveReplica(SimulationFixtures.Llama8BOnH100, SchedulerConfig.Default with { MaxRunningSequences = 1 });
        for (var id = 1; id <= 3; id++) replica.Enqueue(id, 0, 100, 2);

        // When the middle one is aborted before it starts
        Assert.True(replica.Abort(2));

        // Then the others finish, first 1 then 3, and 2 never emits
        var last = new List<long>();
        while (replica.HasWork) last.AddRange(replica.Step().Tokens.Where(t => t.Last).Select(t => t.Id));
        Assert.Equal([1L, 3L], last);
    }
}
