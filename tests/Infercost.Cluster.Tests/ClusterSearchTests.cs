using Infercost.Requests;
using Infercost.Serialization;
using Orleans.TestingHost;

namespace Infercost.Cluster.Tests;

// The cluster search is the local search with its simulations elsewhere: the same report, byte for byte, from three
// in-process silos (Orleans TestingHost), and again when a silo is killed while it holds units.
public sealed class ClusterSearchTests
{
    // 2 GPUs × 1-2 GPUs per replica (every layout) × 2 batch caps: a few waves of 3 (one unit per silo at a time).
    internal static readonly SearchRequest Request = new()
    {
        Model = ["llama-3.1-8b"],
        Gpu = ["nvidia-h100-sxm", "nvidia-a100-sxm-80gb"],
        GpusPerReplica = [1, 2],
        MaxBatch = [64, 256],
        Rate = 20,
        Top = 3,
        Wave = 3,
        TrialTime = "20s",
    };

    private static readonly SearchRequest Slow = Request with { TrialTime = "300s" };

    [Fact]
    public async Task ThreeSilos_GiveTheLocalReport()
    {
        var local = InfercostJson.Serialize(Request.Answer(Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken));
        await using var cluster = await Deploy(3);
        var evaluator = Evaluator(cluster);

        var report = await Request.AnswerAsync(Catalog.Catalog.Embedded, evaluator.Evaluator, cancellation: TestContext.Current.CancellationToken);

        Assert.Equal(local, InfercostJson.Serialize(report));
        Assert.Equal(0, evaluator.Lost);
    }

    [Fact]
    public async Task SiloKilledMidSearch_StillGivesTheLocalReport()
    {
        // Longer trials (about a second a unit) so that the killed silo holds a unit when it goes.
        var local = InfercostJson.Serialize(Slow.Answer(Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken));
        await using var cluster = await Deploy(3);
        var evaluator = Evaluator(cluster, Slow);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reported = new HashSet<int>();
        var twice = 0;

        var search = Slow.AnswerAsync(Catalog.Catalog.Embedded, evaluator.Evaluator, onFinished: o =>
        {
            lock (reported) if (!reported.Add(o.Index)) twice++;
            first.TrySetResult();
        }, cancellation: TestContext.Current.CancellationToken);
        await first.Task.WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        await cluster.KillSiloAsync(cluster.SecondarySilos[0], TestContext.Current.CancellationToken);
        var report = await TestSilos.Within(search, TimeSpan.FromMinutes(3),
            () => $"silos given up [{string.Join(", ", evaluator.LostSilos)}], units retried {evaluator.Retried}, calls lost {evaluator.LostCalls}");

        Assert.Equal(local, InfercostJson.Serialize(report));
        Assert.Equal(0, twice);
        Assert.Equal(report.SimulatedThisRun, reported.Count);
        // Whether the killed silo held a unit at that moment depends on timing (a run alone gave 1 given up, beside the
        // other tests 0), so the loss itself is reported, not asserted; the answer is asserted either way.
        TestContext.Current.SendDiagnosticMessage($"silos given up {evaluator.Lost}, units retried {evaluator.Retried}");
    }

    [Fact]
    public async Task SiloKilledWhileHoldingAUnit_IsGivenUpAndTheUnitIsRetriedElsewhere()
    {
        // Deterministic: the chosen silo holds the first unit it is given (its hook waits), and is killed only once it
        // does. So the kill is known to lose a unit in flight, and the search must finish it on the other two.
        var local = InfercostJson.Serialize(Request.Answer(Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken));
        var held = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        string? victim = null;
        using var release = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        HoldingSilos.Hook = async (silo, index, cancellation) =>
        {
            if (silo != Volatile.Read(ref victim)) return;
            held.TrySetResult(index);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellation, release.Token);
            await Task.Delay(Timeout.Infinite, either.Token).ConfigureAwait(false);
        };
        try
        {
            await using var cluster = await Deploy<HoldingSilos>(3);
            var handle = cluster.SecondarySilos[0];
            Volatile.Write(ref victim, handle.SiloAddress.ToParsableString());
            var evaluator = Evaluator(cluster);
            var reported = new HashSet<int>();
            var twice = 0;

            var search = Request.AnswerAsync(Catalog.Catalog.Embedded, evaluator.Evaluator, onFinished: o =>
            {
                lock (reported) if (!reported.Add(o.Index)) twice++;
            }, cancellation: TestContext.Current.CancellationToken);
            var index = await held.Task.WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
            Assert.DoesNotContain(index, reported);
            await cluster.KillSiloAsync(handle, TestContext.Current.CancellationToken);
            var report = await TestSilos.Within(search, TimeSpan.FromMinutes(3),
                () => $"silos given up [{string.Join(", ", evaluator.LostSilos)}], units retried {evaluator.Retried}, calls lost {evaluator.LostCalls}");

            Assert.Equal(local, InfercostJson.Serialize(report));
            // The killed silo is given up. A healthy silo is kept when a call to it fails only because it went through
            // the killed silo's gateway, but on a loaded machine it can also miss a probe, so the count is not asserted.
            Assert.Contains(victim, evaluator.LostSilos);
            Assert.True(evaluator.Retried >= 1, $"units retried: {evaluator.Retried}");
            TestContext.Current.SendDiagnosticMessage($"silos given up {evaluator.Lost}, units retried {evaluator.Retried}");
            Assert.Equal(0, twice);
            Assert.Contains(index, reported);
            Assert.Equal(report.SimulatedThisRun, reported.Count);
        }
        finally
        {
            release.Cancel();
            HoldingSilos.Hook = null;
        }
    }

    private static ClusterEvaluator Evaluator(TestCluster cluster, SearchRequest? request = null) =>
        new(cluster.Client, request ?? Request, Catalog.Catalog.Embedded, null, default, TimeSpan.FromSeconds(5));

    private static Task<TestCluster> Deploy(short silos) => Deploy<TestSilos.OneThreadPerSilo>(silos);

    private static Task<TestCluster> Deploy<TConfigurator>(short silos)
        where TConfigurator : ISiloConfigurator, new() => TestSilos.Deploy<TConfigurator>(silos);

    // One thread per silo, each unit passed to Hook first (set by the test that uses these silos, null otherwise).
    private sealed class HoldingSilos : ISiloConfigurator
    {
        public static Func<string, int, CancellationToken, Task>? Hook { get; set; }

        public void Configure(ISiloBuilder siloBuilder) =>
            ClusterHosting.AddSearchWorkers(siloBuilder, threads: 1, (silo, index, cancellation) => Hook?.Invoke(silo, index, cancellation) ?? Task.CompletedTask);
    }
}
