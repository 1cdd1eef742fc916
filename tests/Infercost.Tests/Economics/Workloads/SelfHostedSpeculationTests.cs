using Infercost.Costing;
using Infercost.Economics.Workloads;
using Infercost.Quantities;
using Infercost.Requests;
using Infercost.Serving;
using Infercost.Speculation;
using Xunit;

namespace Infercost.Tests.Economics.Workloads;

// A self-hosted workload with speculative decoding: the output rate on the self-hosted price sheet is the cluster's $/h
// over the speculative decode tokens/s at the batch the engine ran the workload's mean request at (CostModel.PerMillion,
// docs/economics.md#workloads), and nothing else moves it.
public class SelfHostedSpeculationTests
{
    private static readonly Infercost.Catalog.Catalog Catalog = Infercost.Catalog.Catalog.Embedded;

    private static WorkloadRequest DeepSeek(string? method = "mtp", double[]? acceptance = null) => new()
    {
        Profile = "chat", SelfHost = true, ServeModel = "deepseek-v3", Gpu = "nvidia-h200-sxm", Gpus = 8, GpuPrice = 3,
        SpecMethod = method, SpecAcceptance = method is null ? null : acceptance ?? [0.85],
    };

    private static PriceSheet Sheet(WorkloadReport report) => report.Pricings.Single().Cost.Prices;

    [Fact]
    public void OutputPrice_IsTheClustersRateOverTheSpeculativeDecodeThroughputAtTheWorkloadsBatch()
    {
        // Given the chat workload self-hosted on 8 H200 with DeepSeek-V3's MTP module at 85% acceptance
        var request = DeepSeek();
        var report = request.Answer(Catalog);

        // When the speculative step is computed directly at the batch the report names, on the layout the engine picks
        var model = Catalog.GetModel("deepseek-v3");
        var gpu = Catalog.GetAccelerator("nvidia-h200-sxm");
        var (input, output) = SelfHostedPricing.RequestShape(report.Workload, request.Levers(), model);
        var spec = new SpeculationConfig(SpeculationMethod.Mtp, 1, [0.85]).CheckAgainst(model);
        var config = new ServingRequest { Gpus = 8, Input = input, Output = output }.ToConfig() with { Speculation = spec };
        var setup = ParallelismPlanner.ChooseSetup(model, gpu, config);
        var batch = report.SelfHostBatch!.Value;
        var step = SpeculativeDecoding.Step(setup, batch, input + (output / 2.0), spec);
        var replicas = 8 / setup.DevicesPerReplica;
        var expected = CostModel.PerMillion(DollarsPerHour.FromDollarsPerHour(3 * 8), step.TokensPerSecond * replicas);

        // Then the sheet's output rate is that price, the summary's speed-up is that step's, and the basis says so
        Assert.Equal(expected.Value, Sheet(report).Output.Value, 1e-9);
        Assert.Equal(step.SpeedUp, report.SelfHostSpeculation!.SpeedUp, 1e-12);
        Assert.True(step.SpeedUp > 1.2, $"MTP at 85% should speed decode up; was {step.SpeedUp}");
        Assert.Contains($"speculative decoding (mtp, k = 1): {Guard.Format(Math.Round(step.SpeedUp, 3))}× decode tokens/s at batch {batch}",
            Sheet(report).Basis, StringComparison.Ordinal);
        Assert.Contains(report.SelfHostNotes!, n => n.StartsWith("Decode speculates with deepseek-v3's MTP module(s)", StringComparison.Ordinal));
    }

    [Fact]
    public void OutputPrice_WithSpeculation_IsThePlainPriceOverTheSpeedUpWhenTheBatchIsTheSame()
    {
        // Given the same cluster plainly and speculating, both at the batch the speculating run chose
        var speculating = DeepSeek().Answer(Catalog);
        var batch = speculating.SelfHostBatch!.Value;
        var model = Catalog.GetModel("deepseek-v3");
        var (input, output) = SelfHostedPricing.RequestShape(speculating.Workload, WorkloadLevers.None, model);
        var config = new ServingRequest { Gpus = 8, Input = input, Output = output }.ToConfig() with
        {
            Speculation = new SpeculationConfig(SpeculationMethod.Mtp, 1, [0.85]).CheckAgainst(model),
        };
        var setup = ParallelismPlanner.ChooseSetup(model, Catalog.GetAccelerator("nvidia-h200-sxm"), config);
        var plain = DecodeModel.Step(setup, batch, input + (output / 2.0));
        var plainPrice = CostModel.PerMillion(DollarsPerHour.FromDollarsPerHour(24), plain.TokensPerSecond * (8 / setup.DevicesPerReplica));

        // Then speculating divides the plain output price at that batch by the speed-up
        Assert.Equal(plainPrice.Value / speculating.SelfHostSpeculation!.SpeedUp, Sheet(speculating).Output.Value, 1e-9);
    }

    [Fact]
    public void WithoutSpeculation_TheSheetAndReportSayNothingOfIt()
    {
        var report = DeepSeek(method: null).Answer(Catalog);
        Assert.Null(report.SelfHostSpeculation);
        Assert.DoesNotContain("speculative", Sheet(report).Basis, StringComparison.Ordinal);
        Assert.NotNull(report.SelfHostBatch);
    }

    [Fact]
    public void HigherAcceptance_NeverRaisesTheOutputPrice()
    {
        var low = Sheet(DeepSeek(acceptance: [0.6]).Answer(Catalog)).Output.Value;
        var high = Sheet(DeepSeek(acceptance: [0.9]).Answer(Catalog)).Output.Value;
        Assert.True(high <= low, $"acceptance 0.9 priced output at {high}, above 0.6's {low}");
    }

    public static TheoryData<string, Func<WorkloadRequest>, string, string> Refusals => new()
    {
        { "speculation without a cluster", () => new WorkloadRequest { Model = "gpt-5", SpecMethod = "mtp" }, "specMethod",
            "specMethod applies to a self-hosted cluster's decoding; add selfHost." },
        { "draft model without a cluster", () => new WorkloadRequest { Model = "gpt-5", DraftModel = "llama-3.1-8b" }, "draftModel",
            "draftModel applies to a self-hosted cluster's decoding; add selfHost." },
        { "acceptance above 1", () => DeepSeek(acceptance: [1.5]), "specAcceptance", "specAcceptance must be in [0, 1]; was 1.5." },
        { "unknown method", () => DeepSeek(method: "lookahead"), "specMethod", "specMethod must be mtp, draft, medusa or eagle; was 'lookahead'." },
        { "MTP on a model without modules", () => DeepSeek() with { ServeModel = "llama-3.3-70b", Gpu = "nvidia-h100-sxm" }, "specMethod",
            "llama-3.3-70b has none" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void BadSpeculation_IsRefusedNamingTheField(string because, Func<WorkloadRequest> request, string field, string message)
    {
        var e = Assert.Throws<InvalidInputException>(() => request().Answer(Catalog));
        Assert.True(e.Field == field, $"{because}: named {e.Field}");
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
