using Infercost.Economics.Margins;
using Infercost.Economics.Workloads;
using Infercost.Requests;
using Xunit;

namespace Infercost.Tests.Requests;

// The MoE kernel a request chooses (moeKernel, --moe-kernel) reaches every command that prices or sizes a replica the
// way cost does: the self-hosted quotes of margin, workload and breakeven, datacenter's engine rate, check's decode
// reading, dataflow's compared GPU, plan and search. Each is compared with cost on the same replica and kernel, so a
// command that dropped the kernel would price the engine's default (Triton for vLLM) and fail here.
public class MoeKernelRequestTests
{
    private static readonly Infercost.Catalog.Catalog Catalog = Infercost.Catalog.Catalog.Embedded;
    private const string Moe = "qwen3-30b-a3b";
    private const string Gpu = "nvidia-h100-sxm";

    private static CostReport Cost(string? kernel, int gpus, int input = 1000, int output = 1000, int? batch = null) => new CostRequest
    {
        Model = Moe, Gpu = Gpu, Gpus = gpus, GpuPrice = NumberRange.Of(2), Input = input, Output = output, Batch = batch, MoeKernel = kernel,
    }.Answer(Catalog);

    [Theory]
    [InlineData(null)]
    [InlineData("cutlass")]
    [InlineData("triton")]
    public void SelfHostedQuotes_PriceTheChosenKernel_AsCostDoes(string? kernel)
    {
        // Given margin, workload and breakeven over Qwen3-30B-A3B on 2 × H100 with the kernel named
        var (input, output) = SelfHostedPricing.RequestShape(WorkloadProfiles.Chat, WorkloadLevers.None, Catalog.GetModel(Moe));
        var cost = Cost(kernel, 2, input, output);
        var margin = new MarginRequest { PriceModel = "claude-sonnet-4.5", Model = Moe, Gpu = Gpu, Gpus = 2, GpuPrice = 2, Profile = "chat", MoeKernel = kernel }.Answer(Catalog);
        var workload = new WorkloadRequest { Profile = "chat", SelfHost = true, ServeModel = Moe, Gpu = Gpu, Gpus = 2, GpuPrice = 2, MoeKernel = kernel }.Answer(Catalog);
        var breakEven = new BreakEvenRequest { Profile = "chat", ApiModel = "claude-sonnet-4.5", Model = Moe, Gpu = Gpu, Gpus = 2, GpuPrice = 2, MoeKernel = kernel }.Answer(Catalog);

        // Then each prices the cluster cost prices with that kernel
        Assert.Equal(cost.Cost.OutputPerMillion.Value, margin.Cost.Output.Value, 12);
        Assert.Equal(cost.Cost.OutputPerMillion.Value, workload.SelfHostCost!.OutputPerMillion.Value, 12);
        Assert.Equal(cost.Cost.OutputPerMillion.Value, breakEven.SelfHost.RatesAtFullUse.Output.Value, 12);
    }

    [Fact]
    public void TheKernel_ChangesTheSelfHostedCost()
    {
        // CUTLASS's module costs more than Triton's on Hopper (90 µs against 27 µs a layer), so its cluster is dearer
        MarginReport At(string kernel) => new MarginRequest
        {
            PriceModel = "claude-sonnet-4.5", Model = Moe, Gpu = Gpu, Gpus = 2, GpuPrice = 2, Profile = "chat", MoeKernel = kernel,
        }.Answer(Catalog);

        Assert.True(At("cutlass").Cost.Output.Value > At("triton").Cost.Output.Value * 1.02);
    }

    [Fact]
    public void Datacenter_EngineRate_IsCostsPerDeviceRate_WithTheKernel()
    {
        var report = new DatacenterRequest { Gpu = Gpu, Megawatts = 10, Model = Moe, TokensPerUserDay = 20_000, MoeKernel = "cutlass" }.Answer(Catalog);
        var cost = Cost("cutlass", 8);

        Assert.Equal(cost.Serving.ClusterDecodeTokensPerSecond.Value / 8, report.Plan.Throughput!.Decode.Value, 9);
        Assert.NotEqual(Cost(null, 8).Serving.ClusterDecodeTokensPerSecond.Value / 8, report.Plan.Throughput!.Decode.Value, 6);
    }

    [Fact]
    public void Check_DecodeReading_IsCostsClusterWithTheKernel()
    {
        var reading = new CheckRequest { Model = Moe, Gpu = Gpu, Gpus = 2, DecodeTps = 1000, MoeKernel = "cutlass" }.Answer(Catalog).Engine!;
        var cost = new CostRequest { Model = Moe, Gpu = Gpu, Gpus = 2, MoeKernel = "cutlass" }.Answer(Catalog);

        Assert.Equal(cost.Serving.ClusterDecodeTokensPerSecond.Value, reading.AtLargestBatch.Value, 9);
    }

    [Fact]
    public void Dataflow_ComparedGpu_IsCostsReplicaWithTheKernel()
    {
        var report = new DataflowRequest { Model = Moe, Gpu = "groq-lpu-v1", CompareGpu = Gpu, MoeKernel = "cutlass" }.Answer(Catalog);
        var g = report.Gpu!;
        var cost = new CostRequest { Model = Moe, Gpu = Gpu, Gpus = g.Gpus, Input = 1000, Output = 1000, Batch = g.Batch, MoeKernel = "cutlass" }.Answer(Catalog);

        Assert.Equal(cost.Serving.Decode.TokensPerSecondPerUser.Value, g.TokensPerSecondPerUser.Value, 9);
    }

    [Fact]
    public void Plan_RefusesAKernelTheModelOrGpuCannotRun_BeforeTryingLayouts()
    {
        var dense = Assert.Throws<InvalidInputException>(() => new PlanRequest { Model = "llama-3.1-8b", Gpu = Gpu, Rate = 1, MoeKernel = "triton" }.Answer(Catalog, cancellation: TestContext.Current.CancellationToken));
        Assert.Equal("moeKernel", dense.Field);
        Assert.Contains("is dense", dense.Message, StringComparison.Ordinal);

        var hopper = Assert.Throws<InvalidInputException>(() => new PlanRequest { Model = Moe, Gpu = Gpu, Rate = 1, MoeKernel = "trtllm-gen" }.Answer(Catalog, cancellation: TestContext.Current.CancellationToken));
        Assert.Equal("moeKernel", hopper.Field);
        Assert.Contains("Blackwell", hopper.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Search_RefusesAKernelWithNoMoeModel()
    {
        var e = Assert.Throws<InvalidInputException>(() => new SearchRequest
        {
            Model = ["llama-3.1-8b"], Gpu = [Gpu], Rate = 1, MoeKernel = "triton",
        }.Prepare(Catalog));
        Assert.Equal("moeKernel", e.Field);
    }

    [Fact]
    public void Search_AppliesTheKernelToTheMoeModels_AndLeavesTheDenseOnesFeasible()
    {
        // Given a chosen kernel and a dense model's candidate
        var settings = new SearchRequest { Model = ["llama-3.1-8b", Moe], Gpu = [Gpu], Rate = 1, MoeKernel = "cutlass" };
        var (space, workload, search, _) = settings.Prepare(Catalog);
        var dense = space.Candidates().First(c => !c.Model.IsMoe);

        // When it is screened, Then it is not pruned for the kernel (a dense model has no experts for it to run)
        var screen = Infercost.Search.CandidateBounds.Screen(dense, workload, search, latencyFloor: false);
        Assert.DoesNotContain("moeKernel", screen.Reason ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void TheKernel_WhereItDoesNotApply_IsRefusedNamingTheField()
    {
        Assert.Equal("moeKernel", Assert.Throws<InvalidInputException>(() => new WorkloadRequest { Profile = "chat", MoeKernel = "cutlass" }.Answer(Catalog)).Field);
        Assert.Equal("moeKernel", Assert.Throws<InvalidInputException>(() =>
            new MarginRequest { PriceModel = "claude-sonnet-4.5", CostIn = 1, CostOut = 2, MoeKernel = "cutlass" }.Answer(Catalog)).Field);
        Assert.Equal("moeKernel", Assert.Throws<InvalidInputException>(() =>
            new DatacenterRequest { Gpu = Gpu, Megawatts = 10, MoeKernel = "cutlass" }.Answer(Catalog)).Field);
        Assert.Equal("moeKernel", Assert.Throws<InvalidInputException>(() =>
            new DataflowRequest { Model = Moe, Gpu = "groq-lpu-v1", MoeKernel = "cutlass" }.Answer(Catalog)).Field);
        Assert.Equal("moeKernel", Assert.Throws<InvalidInputException>(() =>
            new CheckRequest { Model = Moe, Gpu = Gpu, Gpus = 8, PrefillTps = 1e6, MoeKernel = "cutlass" }.Answer(Catalog)).Field);
        var unknown = Assert.Throws<InvalidInputException>(() =>
            new BreakEvenRequest { ApiModel = "claude-sonnet-4.5", Model = Moe, Gpu = Gpu, Gpus = 2, MoeKernel = "nope" }.Answer(Catalog));
        Assert.Equal("moeKernel", unknown.Field);
        Assert.Contains("was 'nope'", unknown.Message, StringComparison.Ordinal);
    }
}
