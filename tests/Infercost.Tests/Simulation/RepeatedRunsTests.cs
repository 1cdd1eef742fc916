using Infercost.Requests;
using Infercost.Serialization;
using Infercost.Simulation;
using Xunit;

namespace Infercost.Tests.Simulation;

// simulate --runs N, wherever its runs run: AnswerAsync with an evaluator (a cluster in production) must give the report
// the local Answer gives, whatever order the runs come back in and however often one is reported.
public sealed class RepeatedRunsTests
{
    private static readonly SimulateRequest Request = new()
    {
        Model = "llama-3.1-8b",
        Gpu = "nvidia-h100-sxm",
        Gpus = 2,
        Rate = 20,
        Requests = 200,
        InputDist = "lognormal:500:1",
        OutputDist = "lognormal:100:0.8",
        Seed = 3,
        Runs = 4,
    };

    private static SimulationSetup Prepare(SimulateRequest request) => request.Prepare(request.Resolve(Infercost.Catalog.Catalog.Embedded));

    [Fact]
    public async Task AnswerAsync_WithPools_RunsThroughJson_GiveTheLocalReportWithRunZerosPools()
    {
        // Given two pools as four seed-runs, each run travelling as its JSON (as from a silo)
        var pooled = Request with { Pool = ["gpu=nvidia-a100-sxm-80gb,gpus=2"] };
        var local = pooled.Answer(Infercost.Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken);
        var s = Prepare(pooled);
        Task Evaluate(IReadOnlyList<int> runs, Action<RunSummary> report, CancellationToken cancellation)
        {
            foreach (var run in runs) report(InfercostJson.Deserialize<RunSummary>(InfercostJson.Serialize(pooled.AnswerRun(s, null, run, cancellation)))!);
            return Task.CompletedTask;
        }

        var report = await pooled.AnswerAsync(s, null, Evaluate, cancellation: TestContext.Current.CancellationToken);

        // Then the report is the local one, its pools included, byte for byte
        Assert.Equal(2, local.Pools!.Count);
        Assert.Equal(InfercostJson.Serialize(local), InfercostJson.Serialize(report));
    }

    [Fact]
    public async Task AnswerAsync_RunsReportedBackwardsAndTwice_GivesTheLocalReport()
    {
        // Given the local report, and an evaluator that runs each run with AnswerRun, last first, reporting each twice
        var local = InfercostJson.Serialize(Request.Answer(Infercost.Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken));
        var s = Prepare(Request);
        Task Evaluate(IReadOnlyList<int> runs, Action<RunSummary> report, CancellationToken cancellation)
        {
            foreach (var run in runs.Reverse())
            {
                // Each run travels as its JSON, as from a silo.
                var line = InfercostJson.Serialize(Request.AnswerRun(s, null, run, cancellation));
                report(InfercostJson.Deserialize<RunSummary>(line)!);
                report(InfercostJson.Deserialize<RunSummary>(line)!);
            }

            return Task.CompletedTask;
        }

        // When the runs are answered through it
        var report = await Request.AnswerAsync(s, null, Evaluate, cancellation: TestContext.Current.CancellationToken);

        // Then the report is the local one, byte for byte (run 0's result and the spread over four seeds)
        Assert.Equal(local, InfercostJson.Serialize(report));
        Assert.Equal(4, report.Spread!.Runs);
    }

    [Fact]
    public async Task AnswerAsync_WithBands_RunsThroughJsonAtEachSpeed_GivesTheLocalBandedReport()
    {
        // Given a banded repeated simulation, and evaluators that run each seed with AnswerRun on the setup at the speed
        // asked for (the slow and fast ends), each run travelling as its JSON, last first
        var banded = Request with { Bands = true };
        var local = InfercostJson.Serialize(banded.Answer(Infercost.Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken));
        var s = Prepare(banded);
        var speeds = new List<double>();
        SimulationRunEvaluator At(double speed) => (runs, report, cancellation) =>
        {
            speeds.Add(speed);
            var at = speed == 1 ? s : SimulateRequest.AtSpeed(s, speed);
            foreach (var run in runs.Reverse()) report(InfercostJson.Deserialize<RunSummary>(InfercostJson.Serialize(banded.AnswerRun(at, null, run, cancellation)))!);
            return Task.CompletedTask;
        };

        var report = await banded.AnswerAsync(s, null, At(1), At, cancellation: TestContext.Current.CancellationToken);

        // Then the report, its bands over the four seeds at three speeds included, is the local one byte for byte
        Assert.Equal(local, InfercostJson.Serialize(report));
        Assert.NotNull(report.Bands);
        Assert.Equal([1, report.Bands.Speed.Low, report.Bands.Speed.High], speeds);
    }

    [Fact]
    public async Task AnswerAsync_WithBands_ARunWithoutItsWholeResult_IsRefused_NoSpeedEvaluator_IsRefused()
    {
        var banded = Request with { Bands = true };
        var s = Prepare(banded);

        // A run of the banded request answered as an unbanded one (no whole result for run 1)
        await Assert.ThrowsAsync<ArgumentException>(() => banded.AnswerAsync(s, null, (runs, report, cancellation) =>
        {
            foreach (var run in runs) report(Request.AnswerRun(s, null, run, cancellation));
            return Task.CompletedTask;
        }, _ => throw new InvalidOperationException("not reached"), cancellation: TestContext.Current.CancellationToken));
        var e = await Assert.ThrowsAsync<ArgumentException>(() => banded.AnswerAsync(s, null, (_, _, _) => Task.CompletedTask, cancellation: TestContext.Current.CancellationToken));
        Assert.Equal("atSpeed", e.ParamName);
    }

    [Fact]
    public async Task AnswerAsync_EvaluatorMissesARun_Throws()
    {
        var s = Prepare(Request);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Request.AnswerAsync(s, null, (runs, report, cancellation) =>
        {
            foreach (var run in runs.Where(r => r != 2)) report(Request.AnswerRun(s, null, run, cancellation));
            return Task.CompletedTask;
        }, cancellation: TestContext.Current.CancellationToken));

        Assert.Contains("without runs 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnswerAsync_ARunOfAnotherSeed_IsRefused()
    {
        var s = Prepare(Request);
        var other = Request with { Seed = 4 };
        var o = Prepare(other);

        await Assert.ThrowsAsync<ArgumentException>(() => Request.AnswerAsync(s, null, (runs, report, cancellation) =>
        {
            report(other.AnswerRun(o, null, 1, cancellation));
            return Task.CompletedTask;
        }, cancellation: TestContext.Current.CancellationToken));
    }

    [Fact]
    public void RunSummary_KeepsTheWholeResultOfRunZeroOnly_WithBandsOfEveryRun()
    {
        var s = Prepare(Request);

        var zero = Request.AnswerRun(s, null, 0, TestContext.Current.CancellationToken);
        var one = Request.AnswerRun(s, null, 1, TestContext.Current.CancellationToken);
        var bandedOne = (Request with { Bands = true }).AnswerRun(s, null, 1, TestContext.Current.CancellationToken);

        Assert.NotNull(zero.Result);
        Assert.Equal(3, zero.Seed);
        Assert.Equal(zero.Result.TimeToFirstToken.P99, zero.TimeToFirstTokenP99);
        Assert.Null(one.Result);
        Assert.Equal(ParallelRuns.SeedOf(3, 1), one.Seed);
        Assert.NotNull(bandedOne.Result);
        Assert.Null(bandedOne.Pools);
    }

    [Theory]
    [InlineData(null, -1)]
    [InlineData(1, 0)]
    [InlineData(4, 4)]
    public void AnswerRun_WithoutRunsToSpreadOrOutOfRange_IsRefusedNamingTheField(int? runs, int run)
    {
        var request = Request with { Runs = runs };
        var s = Prepare(request);

        var e = Assert.Throws<InvalidInputException>(() => request.AnswerRun(s, null, run, TestContext.Current.CancellationToken));

        Assert.Equal(runs is > 1 ? "run" : "runs", e.Field);
    }

    [Fact]
    public void InputsHash_SameRequestAfterAJsonRoundTrip_IsTheSame_AnotherSeedIsNot()
    {
        var subject = Request.Resolve(Infercost.Catalog.Catalog.Embedded);
        var copy = InfercostJson.Deserialize<SimulateRequest>(InfercostJson.Serialize(Request))!;

        Assert.Equal(Request.InputsHash(subject), copy.InputsHash(copy.Resolve(Infercost.Catalog.Catalog.Embedded)));
        Assert.NotEqual(Request.InputsHash(subject), (Request with { Seed = 4 }).InputsHash(subject));
    }

    [Fact]
    public void Spread_OfSummariesOutOfRunOrder_IsRefused()
    {
        var s = Prepare(Request);
        var runs = new[] { Request.AnswerRun(s, null, 1, TestContext.Current.CancellationToken), Request.AnswerRun(s, null, 0, TestContext.Current.CancellationToken) };

        Assert.Throws<ArgumentException>(() => SimulationSpread.Of(runs));
    }
}
