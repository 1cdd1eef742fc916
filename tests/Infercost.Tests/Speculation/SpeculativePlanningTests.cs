using Infercost.Requests;
using Infercost.Search;
using Infercost.Serving;
using Infercost.Speculation;
using Xunit;

namespace Infercost.Tests.Speculation;

// Speculation in the fleet questions: plan sizes a fleet whose simulated replicas decode speculatively, and search
// treats speculation as one more dimension, screened by the same analytic bounds. Both through the request records the
// CLI and the server share.
public sealed class SpeculativePlanningTests
{
    private static readonly Infercost.Catalog.Catalog Catalog = Infercost.Catalog.Catalog.Embedded;

    // Llama 3.3 70B on 4 × H100 with Llama 3.1 8B drafting 4 tokens at 0.8 each (the vocabularies match: 128,256).
    private static readonly PlanRequest Plain = new()
    {
        Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Rate = 10, Input = 1000, Output = 1000, SloTpot = "30ms", MaxGpusPerReplica = 4, TrialTime = "60s",
    };

    private static readonly PlanRequest Drafted = Plain with { DraftModel = "llama-3.1-8b", SpecLength = 4, SpecAcceptance = [0.8] };

    [Fact]
    public void Plan_WithADraft_SaysSoAndSizesTheFleetWithSpeculativeReplicas()
    {
        // Given the same load and a tight TPOT target, planned with and without a draft model
        var plain = (PlanReport)Plain.Answer(Catalog, cancellation: TestContext.Current.CancellationToken);
        var drafted = (PlanReport)Drafted.Answer(Catalog, cancellation: TestContext.Current.CancellationToken);

        // Then the report says speculation was on, with its expected tokens per step (1 + 0.8 + 0.8² + 0.8³ + 0.8⁴)
        Assert.Null(plain.Speculation);
        var spec = drafted.Speculation!;
        Assert.Equal("draft", spec.Method);
        Assert.Equal("llama-3.1-8b", spec.DraftModel);
        Assert.Equal(1 + 0.8 + 0.64 + 0.512 + 0.4096, spec.TokensPerStep, 1e-12);

        // And its replicas decoded speculatively: with a TPOT target that plain decoding meets only on a lightly loaded
        // replica, the draft's 3.4 tokens per step let each replica carry more, so the fleet is smaller
        Assert.True(drafted.Plan.Devices < plain.Plan.Devices, $"drafted {drafted.Plan.Devices} GPUs, plain {plain.Plan.Devices}");
        Assert.True(drafted.Plan.AtPeak.TimePerOutputToken.P90.Value <= 0.030 && plain.Plan.AtPeak.TimePerOutputToken.P90.Value <= 0.030);
        // And the one-fewer fleet, simulated the same way, misses the target
        Assert.NotNull(drafted.Plan.OneFewer);
    }

    public static TheoryData<PlanRequest, string> BadPlans => new()
    {
        { Plain with { SpecMethod = "hydra" }, "specMethod" },
        { Plain with { SpecMethod = "draft" }, "draftModel" },
        { Plain with { SpecLength = 2 }, "specLength" },
        { Plain with { SpecAcceptance = [0.8] }, "specAcceptance" },
        { Plain with { SpecMethod = "mtp", SpecLength = 17 }, "specLength" },
        { Plain with { SpecMethod = "mtp", SpecAcceptance = [1.5] }, "specAcceptance" },
        { Plain with { DraftModel = "no-such-model" }, "draftModel" },
        { Plain with { SpecMethod = "mtp" }, "specMethod" }, // llama-3.3-70b ships no MTP modules
        { Plain with { DraftModel = "llama-3.3-70b" }, "draftModel" }, // the served model itself
    };

    [Theory]
    [MemberData(nameof(BadPlans))]
    public void Plan_BadSpeculation_NamesTheField(PlanRequest request, string field)
    {
        var e = Assert.Throws<InvalidInputException>(() => request.Prepare(request.Resolve(Catalog)));
        Assert.Equal(field, e.Field);
    }

    // The search: llama-3.3-70b on TP4, plain against a draft at k = 2 and 4, and MTP, which it cannot run.
    private static readonly SearchRequest Search = new()
    {
        Model = ["llama-3.3-70b"], Gpu = ["nvidia-h100-sxm"], GpusPerReplica = [4], Layouts = "widest", Rate = 6, SloTpot = "30ms",
        SpecMethod = ["off", "draft", "mtp"], DraftModel = "llama-3.1-8b", SpecLength = [2, 4], SpecAcceptance = [0.8], TrialTime = "20s", TrialRequests = 2000, Top = 5,
    };

    [Fact]
    public void Search_TriesEachDecodingMode_AndTheBoundHoldsForSpeculativeFleets()
    {
        // Given a search over off, draft (k 2, 4) and mtp (k 2, 4), brute force so every candidate is simulated
        var report = (Search with { Prune = false }).Answer(Catalog, cancellation: TestContext.Current.CancellationToken);

        // Then there are five candidates, one per mode and length
        Assert.Equal(5, report.Candidates);
        var all = report.Simulated.Select(o => o.Speculation).ToList();
        Assert.Equal(["off", "draft llama-3.1-8b k 2", "draft llama-3.1-8b k 4"], all);
        // And MTP on a model without MTP modules is invalid, with the reason
        Assert.Equal(2, report.Stages.Single(s => s.Stage == SearchStage.Invalid).Removed);

        // And the draft candidates carry their expected tokens per step
        var k4 = report.Simulated.Single(o => o.Speculation.EndsWith("k 4", StringComparison.Ordinal));
        Assert.Equal(1 + 0.8 + 0.64 + 0.512 + 0.4096, k4.TokensPerStep, 1e-12);
        Assert.Equal(1, report.Simulated.Single(o => o.Speculation == "off").TokensPerStep);

        // And no simulated speculative fleet came out below its analytic lower bound (the pruning stays exact)
        Assert.Equal(0, report.BoundViolations);
        Assert.All(report.Simulated.Where(o => o.Feasible), o => Assert.True(o.Gpus >= o.LowerBoundGpus, $"{o.Configuration}: {o.Gpus} < {o.LowerBoundGpus}"));

        // And pruning keeps the brute-force best
        var pruned = Search.Answer(Catalog, cancellation: TestContext.Current.CancellationToken);
        Assert.Equal(report.Best.Select(o => (o.Index, o.Gpus)), pruned.Best.Select(o => (o.Index, o.Gpus)));
    }

    public static TheoryData<SearchRequest, string> BadSearches => new()
    {
        { Search with { SpecMethod = ["off", "hydra"] }, "specMethod" },
        { Search with { DraftModel = null }, "draftModel" },
        { Search with { SpecMethod = ["off", "mtp"] }, "draftModel" },
        { Search with { SpecMethod = ["off"], DraftModel = null }, "specLength" },
        { Search with { SpecMethod = null, DraftModel = null, SpecLength = null }, "specAcceptance" },
        { Search with { SpecLength = [0] }, "specLength" },
        { Search with { SpecAcceptance = [0.5, -0.1] }, "specAcceptance" },
        { Search with { DraftModel = "no-such-model" }, "draftModel" },
    };

    [Theory]
    [MemberData(nameof(BadSearches))]
    public void Search_BadSpeculation_NamesTheField(SearchRequest request, string field)
    {
        var e = Assert.Throws<InvalidInputException>(() => request.Prepare(Catalog));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void FastestTimePerToken_IsALoneStepOverTheMostTokensItCanEmit()
    {
        var plain = Fixtures.Setup(Fixtures.Llama70B, Fixtures.H100, new Parallelism(4, 1, 1, 1));
        var config = new SpeculationConfig(SpeculationMethod.DraftModel, 4, [0.8], Fixtures.Llama8B);
        var drafted = new ServingSetup(plain.Model, plain.Accelerator, plain.Parallelism, plain.Config with { Speculation = config });

        // Plain: one decode step of one sequence
        Assert.Equal(DecodeModel.Step(plain, 1, 1001).StepTime.Value, SpeculativeDecoding.FastestTimePerToken(plain, 1001).Value, 1e-9);
        // Speculating: one sequence's verify + draft step over k + 1 tokens (every draft accepted, plus the bonus)
        var step = SpeculativeDecoding.Step(drafted, 1, 1001, config).StepTime.Value;
        Assert.Equal(step / 5, SpeculativeDecoding.FastestTimePerToken(drafted, 1001).Value, 1e-9);
    }

    private static readonly double[] Acceptances = [0.0, 0.5, 0.9];

    [Fact]
    public void MixedThroughput_NothingAccepted_IsBelowPlainDecoding_AndRisesWithAcceptance()
    {
        var plain = Fixtures.Setup(Fixtures.Llama70B, Fixtures.H100, new Parallelism(4, 1, 1, 1));
        ServingSetup With(double a) => new(plain.Model, plain.Accelerator, plain.Parallelism,
            plain.Config with { Speculation = new SpeculationConfig(SpeculationMethod.DraftModel, 2, [a], Fixtures.Llama8B) });

        var baseline = MixedStepModel.Step(plain, 1000, 200, 64, 8192).OutputTokensPerSecond.Value;
        var rates = Acceptances.Select(a => SpeculativeDecoding.MixedThroughput(With(a), 1000, 200, 64, 8192).Value).ToList();

        // A verify of k + 1 tokens plus drafting that keeps one token costs more than a plain step for the same token
        Assert.True(rates[0] < baseline, $"acceptance 0: {rates[0]} tokens/s, plain {baseline}");
        Assert.True(rates[0] < rates[1] && rates[1] < rates[2], string.Join(", ", rates));
    }
}
