using System.Collections.Concurrent;

namespace Infercost.Cluster.Tests;

// The dispatcher's probe for calls lost on the way: a silo that answers its probes but no longer holds a unit it was
// sent (a gateway dropped the call, or the answer never came back; Orleans waits its response timeout, an hour here)
// has that call cancelled and the unit sent again, without the silo being given up. Real silos give the membership;
// the work is scripted, so which call is lost is known.
public sealed class UnitDispatcherTests
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task CallNeverAnswered_WhileTheSiloAnswers_IsSentAgainAndTheSiloKept()
    {
        // Given two silos, and unit 3's first call lost: it never answers and the silo does not hold it
        await using var cluster = await TestSilos.Deploy<TestSilos.OneThreadPerSilo>(2);
        var work = new ScriptedWork(lost: 3);
        var dispatcher = new UnitDispatcher(cluster.Client, work.Work, "units", Liveness);
        var accepted = new ConcurrentDictionary<int, string>();

        // When eight units are dispatched
        await dispatcher.RunAsync([.. Enumerable.Range(0, 8)], (i, line) => accepted[i] = line, TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        // Then every unit is answered once, unit 3 by its second call, and no silo is given up
        Assert.Equal(Enumerable.Range(0, 8), accepted.Keys.Order());
        Assert.All(accepted, e => Assert.Equal($"unit {e.Key}", e.Value));
        Assert.Equal(1, dispatcher.LostCalls);
        Assert.Equal(1, dispatcher.Retried);
        Assert.Equal(0, dispatcher.Lost);
        Assert.Equal(2, work.Calls(3));
    }

    [Fact]
    public async Task UnitHeldLongerThanTheLivenessPeriod_IsNotSentAgain()
    {
        // Given a unit that takes twice the liveness period, which its silo reports holding all along
        await using var cluster = await TestSilos.Deploy<TestSilos.OneThreadPerSilo>(2);
        var work = new ScriptedWork(slow: 1, slowFor: Liveness * 2);
        var dispatcher = new UnitDispatcher(cluster.Client, work.Work, "units", Liveness);
        var accepted = new ConcurrentDictionary<int, string>();

        // When it is dispatched with others
        await dispatcher.RunAsync([.. Enumerable.Range(0, 4)], (i, line) => accepted[i] = line, TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        // Then it is called once: a unit the silo holds is not lost, however long it takes
        Assert.Equal(4, accepted.Count);
        Assert.Equal(1, work.Calls(1));
        Assert.Equal(0, dispatcher.LostCalls);
        Assert.Equal(0, dispatcher.Retried);
    }

    [Fact]
    public void UnitsHeld_CountsAUnitHeldTwiceUntilBothCallsEnd()
    {
        var held = new UnitsHeld();
        var first = held.Hold("h", 2);
        var second = held.Hold("h", 2);
        using (held.Hold("other", 1))
        {
            Assert.Equal([2], held.Of("h"));
            Assert.Equal([1], held.Of("other"));
        }

        first.Dispose();
        first.Dispose();
        Assert.Equal([2], held.Of("h"));
        second.Dispose();
        Assert.Empty(held.Of("h"));
        Assert.Empty(held.Of("other"));
    }

    // Units answered at once ("unit i"), except: the first call of `lost` never answers and is not held (a call lost on
    // the way), and `slow` answers after `slowFor` while held.
    private sealed class ScriptedWork(int lost = -1, int slow = -1, TimeSpan slowFor = default)
    {
        private readonly ConcurrentDictionary<int, int> _calls = new();
        private readonly ConcurrentDictionary<(string Silo, int Unit), int> _held = new();

        public int Calls(int unit) => _calls.GetValueOrDefault(unit);

        public SiloWork Work => new(
            _ => Task.FromResult<string?>(null),
            Run,
            _ => Task.FromResult(1),
            silo => Task.FromResult<int[]>([.. _held.Keys.Where(k => k.Silo == silo).Select(k => k.Unit).Order()]));

        private async Task<string?> Run(string silo, int unit, CancellationToken cancellation)
        {
            var call = _calls.AddOrUpdate(unit, 1, (_, n) => n + 1);
            if (unit == lost && call == 1) return await new TaskCompletionSource<string?>().Task.ConfigureAwait(false);
            _held[(silo, unit)] = 1;
            try
            {
                if (unit == slow) await Task.Delay(slowFor, cancellation).ConfigureAwait(false);
                return $"unit {unit}";
            }
            finally
            {
                _held.TryRemove((silo, unit), out _);
            }
        }
    }
}
