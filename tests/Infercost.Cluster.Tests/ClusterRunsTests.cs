using Infercost.Requests;
using Infercost.Serialization;
using Infercost.Simulation;
using Orleans.TestingHost;

namespace Infercost.Cluster.Tests;

// simulate --runs N on a cluster is the local --runs N with its seed-runs elsewhere: the same report, byte for byte,
// from three in-process silos (Orleans TestingHost), and again when a silo is killed while it holds a run.
public sealed class ClusterRunsTests
{
    // Six seed-runs of a short lognormal stream on two replicas: a fraction of a second each, two per silo.
    internal static readonly SimulateRequest Request = new()
    {
        Model = "llama-3.1-8b",
        Gpu = "nvidia-h100-sxm",
        Gpus = 2,
        Rate = 20,
        Requests = 300,
        InputDist = "lognormal:500:1",
        OutputDist = "lognormal:100:0.8",
        Seed = 3,
        Runs = 6,
    };

    private static SimulationSetup Prepared => Request.Prepare(Request.Resolve(Catalog.Catalog.Embedded));

    private static string Local => InfercostJson.Serialize(Request.Answer(Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken));

    [Fact]
    public async Task ThreeSilos_GiveTheLocalReport()
    {
        var local = Local;
        await using var cluster = await Deploy<TestSilos.OneThreadPerSilo>(3);
        var runs = Runs(cluster);
        var reports = new int[Request.Runs!.Value];
        var progress = new List<double>();

        var report = await Request.AnswerAsync(Prepared, null, Counting(runs.Evaluator, reports), progress: new SynchronousProgress(p =>
        {
            lock (progress) progress.Add(p);
        }), cancellation: TestContext.Current.CancellationToken);

        Assert.Equal(local, InfercostJson.Serialize(report));
        Assert.NotNull(report.Spread);
        Assert.Equal(6, report.Spread.Runs);
        Assert.All(reports, n => Assert.Equal(1, n));
        Assert.Equal(0, runs.Lost);
        Assert.Equal(6, progress.Count);
        Assert.Equal(1.0, progress.Max());
    }

    [Fact]
    public async Task TwoSilos_WithPools_GiveTheLocalReportWithItsPools()
    {
        // Given a fleet of two pools (H100 and A100) as six seed-runs
        var pooled = Request with { Pool = ["gpu=nvidia-a100-sxm-80gb,gpus=2"] };
        var subject = pooled.Resolve(Catalog.Catalog.Embedded);
        var local = InfercostJson.Serialize(pooled.Answer(Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken));
        await using var cluster = await Deploy<TestSilos.OneThreadPerSilo>(2);
        var runs = new ClusterRuns(cluster.Client, pooled, subject, null, default, TimeSpan.FromSeconds(5));

        // When the silos simulate them
        var report = await pooled.AnswerAsync(pooled.Prepare(subject), null, runs.Evaluator, cancellation: TestContext.Current.CancellationToken);

        // Then the report is the local one, run 0's pools included
        Assert.Equal(2, report.Pools!.Count);
        Assert.Equal(local, InfercostJson.Serialize(report));
    }

    [Fact]
    public async Task TwoSilos_WithBands_GiveTheLocalBandedReport()
    {
        // Given six seed-runs with bands: each seed at the modelled speed and again at the band's two ends
        var banded = Request with { Bands = true };
        var subject = banded.Resolve(Catalog.Catalog.Embedded);
        var local = InfercostJson.Serialize(banded.Answer(Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken));
        await using var cluster = await Deploy<TestSilos.OneThreadPerSilo>(2);
        var runs = new ClusterRuns(cluster.Client, banded, subject, null, default, TimeSpan.FromSeconds(5));
        var progress = new List<double>();

        // When the silos simulate all eighteen, one speed after the other
        var report = await banded.AnswerAsync(banded.Prepare(subject), null, runs.Evaluator, runs.EvaluatorAt, new SynchronousProgress(p =>
        {
            lock (progress) progress.Add(p);
        }), TestContext.Current.CancellationToken);

        // Then the report, its bands over the seeds at three speeds included, is the local one byte for byte
        Assert.NotNull(report.Bands);
        Assert.Equal(local, InfercostJson.Serialize(report));
        Assert.Equal(0, runs.Lost);
        Assert.Equal(18, progress.Count);
        Assert.Equal(1.0, progress.Max(), 12);
    }

    [Fact]
    public async Task SiloKilledWhileHoldingARun_IsGivenUpAndTheRunIsRetriedElsewhere()
    {
        // Deterministic: the chosen silo holds the first run it is given (its hook waits), and is killed only once it
        // does. So the kill is known to lose a run in flight, and the runs must finish on the other two.
        var local = Local;
        var held = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        string? victim = null;
        using var release = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        HoldingSilos.Hook = async (silo, run, cancellation) =>
        {
            if (silo != Volatile.Read(ref victim)) return;
            held.TrySetResult(run);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellation, release.Token);
            await Task.Delay(Timeout.Infinite, either.Token).ConfigureAwait(false);
        };
        try
        {
            await using var cluster = await Deploy<HoldingSilos>(3);
            var handle = cluster.SecondarySilos[0];
            Volatile.Write(ref victim, handle.SiloAddress.ToParsableString());
            var runs = Runs(cluster);
            var reports = new int[Request.Runs!.Value];

            var simulation = Request.AnswerAsync(Prepared, null, Counting(runs.Evaluator, reports), cancellation: TestContext.Current.CancellationToken);
            var lostRun = await held.Task.WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
            lock (reports) Assert.Equal(0, reports[lostRun]);
            await cluster.KillSiloAsync(handle, TestContext.Current.CancellationToken);
            var report = await TestSilos.Within(simulation, TimeSpan.FromMinutes(3),
                () => $"silos given up [{string.Join(", ", runs.LostSilos)}] (victim {victim}), runs retried {runs.Retried}, calls lost {runs.LostCalls}, reports [{string.Join(", ", reports)}]");

            Assert.Equal(local, InfercostJson.Serialize(report));
            Assert.Contains(victim, runs.LostSilos);
            Assert.True(runs.Retried >= 1, $"runs retried: {runs.Retried}");
            TestContext.Current.SendDiagnosticMessage($"silos given up {runs.Lost}, runs retried {runs.Retried}");
            // Every run reported once: the held run by another silo, none twice.
            Assert.All(reports, n => Assert.Equal(1, n));
        }
        finally
        {
            release.Cancel();
            HoldingSilos.Hook = null;
        }
    }

    [Fact]
    public async Task SiloWithAnotherCatalog_RefusesNamingTheCluster()
    {
        // The client sends a --catalog whose H100 has other bandwidth than the embedded one it resolved: the silos
        // compute another inputs hash and refuse, and the client stops with one message naming --cluster.
        await using var cluster = await Deploy<TestSilos.OneThreadPerSilo>(2);
        const string OtherH100 = """
            {
              "accelerators": [
                {
                  "id": "nvidia-h100-sxm", "name": "H100 with other bandwidth", "vendor": "NVIDIA",
                  "memoryGB": 80, "memoryBandwidthTBps": 2,
                  "denseTflops": { "fp16": 989, "bf16": 989, "fp8": 1979, "int8": 1979, "int4": null, "fp4": null },
                  "tdpW": 700, "scaleUpGBpsPerDirection": 450, "scaleUpDomain": 8, "scaleOutGBpsPerDirection": 50,
                  "rentalUsdPerHour": 2.5, "purchaseUsd": 25000,
                  "sources": ["test"], "asOf": "2026-01-01", "notes": []
                }
              ]
            }
            """;
        var runs = new ClusterRuns(cluster.Client, Request, Request.Resolve(Catalog.Catalog.Embedded), OtherH100, default, TimeSpan.FromSeconds(5));

        var e = await Assert.ThrowsAsync<InvalidInputException>(() => Request.AnswerAsync(Prepared, null, runs.Evaluator, cancellation: TestContext.Current.CancellationToken));

        Assert.StartsWith("--cluster: silo ", e.Message, StringComparison.Ordinal);
        Assert.Contains("inputs hash", e.Message, StringComparison.Ordinal);
    }

    // Counts each run's reports (the evaluator's, before the core keeps the first).
    private static SimulationRunEvaluator Counting(SimulationRunEvaluator inner, int[] counts) => (runs, report, cancellation) => inner(runs, r =>
    {
        lock (counts) counts[r.Run]++;
        report(r);
    }, cancellation);

    private static ClusterRuns Runs(TestCluster cluster) =>
        new(cluster.Client, Request, Request.Resolve(Catalog.Catalog.Embedded), null, default, TimeSpan.FromSeconds(5));

    private static Task<TestCluster> Deploy<TConfigurator>(short silos)
        where TConfigurator : ISiloConfigurator, new() => TestSilos.Deploy<TConfigurator>(silos);

    // One thread per silo, each run passed to Hook first (set by the test that uses these silos, null otherwise).
    private sealed class HoldingSilos : ISiloConfigurator
    {
        public static Func<string, int, CancellationToken, Task>? Hook { get; set; }

        public void Configure(ISiloBuilder siloBuilder) =>
            ClusterHosting.AddSearchWorkers(siloBuilder, threads: 1, (silo, run, cancellation) => Hook?.Invoke(silo, run, cancellation) ?? Task.CompletedTask);
    }

    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
