using Infercost.Economics.Workloads;
using Infercost.Requests;
using Xunit;

namespace Infercost.Tests.Economics.Workloads;

// The self-hosted cluster of workload, margin and breakeven is the cluster cost prices: the same request path
// (ServingRequest.ToConfig), so the same engine's scheduler defaults and runtime, and the same $/MTok for the
// workload's mean request (docs/economics.md#workloads).
public class SelfHostedEngineTests
{
    private static readonly Infercost.Catalog.Catalog Catalog = Infercost.Catalog.Catalog.Embedded;

    // "default" is no engine given.
    public static TheoryData<string> Engines => ["default", "vllm", "sglang", "trtllm", "trtllm-1"];

    private static CostReport Cost(string? engine, int input, int output) => new CostRequest
    {
        Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 8, GpuPrice = NumberRange.Of(2), Input = input, Output = output, Engine = engine,
    }.Answer(Catalog);

    [Theory]
    [MemberData(nameof(Engines))]
    public void Margin_TrueCostIsCostsPriceAtTheChatProfilesMeanRequest(string name)
    {
        var engine = name == "default" ? null : name;
        // Given margin over Llama 3.3 70B on 8 × H100 at $2/h, served by the engine named
        var report = new MarginRequest
        {
            PriceModel = "claude-sonnet-4.5", Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 8, GpuPrice = 2, Profile = "chat", Engine = engine,
        }.Answer(Catalog);

        // When cost prices the same cluster at the chat profile's mean request
        var (input, output) = SelfHostedPricing.RequestShape(WorkloadProfiles.Chat, WorkloadLevers.None, Catalog.GetModel("llama-3.3-70b"));
        var cost = Cost(engine, input, output);

        // Then the true cost is cost's, rate for rate, and the extrapolation is the same list
        Assert.Equal(cost.Cost.InputPerMillion.Value, report.Cost.Input.Value, 12);
        Assert.Equal(cost.Cost.OutputPerMillion.Value, report.Cost.Output.Value, 12);
        Assert.Equal(cost.Serving.Extrapolating, report.Extrapolating);
    }

    [Fact]
    public void Workload_TheEngineChangesTheSelfHostedCost_AsItChangesCosts()
    {
        WorkloadReport At(string? engine) => new WorkloadRequest
        {
            Profile = "chat", SelfHost = true, ServeModel = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 8, GpuPrice = 2, Engine = engine,
        }.Answer(Catalog);

        var (input, output) = SelfHostedPricing.RequestShape(WorkloadProfiles.Chat, WorkloadLevers.None, Catalog.GetModel("llama-3.3-70b"));
        foreach (var engine in new[] { "vllm", "trtllm" })
        {
            Assert.Equal(Cost(engine, input, output).Cost.OutputPerMillion.Value, At(engine).SelfHostCost!.OutputPerMillion.Value, 12);
        }

        // and the default is vLLM's, as cost's is
        Assert.Equal(At("vllm").SelfHostCost!.OutputPerMillion.Value, At(null).SelfHostCost!.OutputPerMillion.Value, 15);
        Assert.NotEqual(At("vllm").SelfHostCost!.OutputPerMillion.Value, At("trtllm").SelfHostCost!.OutputPerMillion.Value);
    }

    [Fact]
    public void Engine_WithoutACluster_OrUnknown_IsRefusedNamingTheField()
    {
        var stray = Assert.Throws<InvalidInputException>(() => new WorkloadRequest { Profile = "chat", Engine = "vllm" }.Answer(Catalog));
        Assert.Equal("engine", stray.Field);

        var given = Assert.Throws<InvalidInputException>(() => new MarginRequest { PriceModel = "claude-sonnet-4.5", CostIn = 1, CostOut = 2, Engine = "vllm" }.Answer(Catalog));
        Assert.Equal("engine", given.Field);

        var unknown = Assert.Throws<InvalidInputException>(() => new BreakEvenRequest
        {
            ApiModel = "claude-sonnet-4.5", Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 8, Engine = "nope",
        }.Answer(Catalog));
        Assert.Equal("engine", unknown.Field);
        Assert.Contains("was 'nope'", unknown.Message, StringComparison.Ordinal);
    }
}
