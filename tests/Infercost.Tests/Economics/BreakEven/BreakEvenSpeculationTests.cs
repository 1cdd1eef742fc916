using Infercost.Costing;
using Infercost.Economics.Workloads;
using Infercost.Quantities;
using Infercost.Requests;
using Infercost.Serving;
using Infercost.Speculation;
using Xunit;

namespace Infercost.Tests.Economics.BreakEven;

// breakeven with a speculating cluster (DeepSeek-V3 with its MTP module, as DeepSeek's own cost figures assume it is
// served): the cluster's output rate is the plain decode rate at the same batch ÷ the speed-up the engine reports
// (docs/economics.md#break-even). The break-even volume V* = cluster $/day ÷ API $/request does not depend on how fast
// the cluster is; what speculation moves is one cluster's capacity (C × u_max ÷ s) and the utilisation at break-even
// (s ÷ a), and so whether V* is reachable within one cluster at all.
public class BreakEvenSpeculationTests
{
    private static readonly Infercost.Catalog.Catalog Catalog = Infercost.Catalog.Catalog.Embedded;

    private static BreakEvenRequest DeepSeek(string? method = "mtp", double maxUtilisation = 1) => new()
    {
        Profile = "chat", ApiModel = "deepseek-v3", Model = "deepseek-v3", Gpu = "nvidia-h200-sxm", Gpus = 8, GpuPrice = 3,
        MaxUtilisation = maxUtilisation, SpecMethod = method, SpecAcceptance = method is null ? null : [0.85],
    };

    // The plain (one token per step) output $/MTok on the layout the speculating run chose, at its batch, for 8 × $3/h.
    internal static DollarsPerMillionTokens PlainOutputAtBatch(Workload workload, int batch)
    {
        var model = Catalog.GetModel("deepseek-v3");
        var (input, output) = SelfHostedPricing.RequestShape(workload, WorkloadLevers.None, model);
        // Configured as the request configures the cluster: the default engine's (vLLM's) scheduler and runtime.
        var config = new ServingRequest { Gpus = 8, Input = input, Output = output }.ToConfig() with
        {
            Speculation = new SpeculationConfig(SpeculationMethod.Mtp, 1, [0.85]).CheckAgainst(model),
        };
        var setup = ParallelismPlanner.ChooseSetup(model, Catalog.GetAccelerator("nvidia-h200-sxm"), config);
        var plain = DecodeModel.Step(setup, batch, input + (output / 2.0));
        return CostModel.PerMillion(DollarsPerHour.FromDollarsPerHour(3 * 8), plain.TokensPerSecond * (8 / setup.DevicesPerReplica));
    }

    [Fact]
    public void OutputRate_IsThePlainRateAtTheSameBatchOverTheSpeedUp()
    {
        // Given chat on DeepSeek-V3's API price against 8 H200 serving DeepSeek-V3 with MTP at 85% acceptance
        var result = DeepSeek().Answer(Catalog);

        // When the plain output rate is computed at the batch the engine ran the speculating cluster at
        var speculation = result.SelfHostSpeculation!;
        var plain = PlainOutputAtBatch(WorkloadProfiles.Chat, result.SelfHostBatch!.Value);

        // Then the cluster's output rate at full use is that rate divided by the engine's speed-up, which is real
        Assert.Equal(plain.Value / speculation.SpeedUp, result.SelfHost.RatesAtFullUse.Output.Value, 9);
        Assert.True(speculation.SpeedUp > 1.2, $"MTP at 85% should speed decode up; was {speculation.SpeedUp}");
        Assert.Equal("mtp", speculation.Method);
        Assert.Equal(1, speculation.Length);
    }

    [Fact]
    public void Speculation_RaisesCapacityAndLowersTheBreakEvenUtilisation_NotTheBreakEvenVolume()
    {
        // Given the same cluster plainly and speculating
        var plain = DeepSeek(method: null).Answer(Catalog);
        var spec = DeepSeek().Answer(Catalog);

        // Then the API cost and the cluster's day are the same, so the break-even volume C ÷ a is too
        Assert.Equal(plain.ApiPerRequest.Value, spec.ApiPerRequest.Value, 15);
        Assert.Equal(plain.ClusterPerDay.Value, spec.ClusterPerDay.Value, 9);
        Assert.Equal(spec.ClusterPerDay.Value / spec.ApiPerRequest.Value, spec.BreakEvenRequestsPerDay!.Value, 6);
        Assert.Equal(plain.BreakEvenRequestsPerDay!.Value, spec.BreakEvenRequestsPerDay!.Value, 6);

        // and the speculating cluster's cost per request is the plain sheet's with only the output rate replaced by the
        // speculative one (prefill does not speculate), from which its capacity and break-even utilisation follow
        Assert.Equal(plain.SelfHost.RatesAtFullUse.Input.Value, spec.SelfHost.RatesAtFullUse.Input.Value, 12);
        var output = PlainOutputAtBatch(WorkloadProfiles.Chat, spec.SelfHostBatch!.Value) / spec.SelfHostSpeculation!.SpeedUp;
        var sheet = plain.SelfHost.RatesAtFullUse with { Output = output };
        var s = WorkloadCosting.Cost(WorkloadProfiles.Chat.WithRequestsPerDay(1), sheet).PerDay.Value;
        Assert.Equal(s, spec.SelfHostPerRequestAtFullUse.Value, 12);
        Assert.Equal(spec.ClusterPerDay.Value / s, spec.CapacityRequestsPerDay, 3);
        Assert.Equal(s / spec.ApiPerRequest.Value, spec.BreakEvenUtilisation!.Value, 9);
        Assert.True(spec.CapacityRequestsPerDay > plain.CapacityRequestsPerDay, $"capacity {spec.CapacityRequestsPerDay} against plain {plain.CapacityRequestsPerDay}");
        Assert.True(spec.BreakEvenUtilisation < plain.BreakEvenUtilisation, $"break-even at {spec.BreakEvenUtilisation} against plain {plain.BreakEvenUtilisation}");
        Assert.Null(plain.SelfHostSpeculation);
    }

    [Fact]
    public void WithHeadroomBetweenTheTwoBreakEvenUtilisations_OnlyTheSpeculatingClusterBreaksEven()
    {
        // Given a cap on utilisation halfway between the plain and the speculating cluster's break-even utilisation
        var plainAtFull = DeepSeek(method: null).Answer(Catalog).BreakEvenUtilisation!.Value;
        var specAtFull = DeepSeek().Answer(Catalog).BreakEvenUtilisation!.Value;
        var cap = (plainAtFull + specAtFull) / 2;

        // When both are analysed under that cap
        var plain = DeepSeek(method: null, maxUtilisation: cap).Answer(Catalog);
        var spec = DeepSeek(maxUtilisation: cap).Answer(Catalog);

        // Then the plain cluster never beats the API within one cluster, and the speculating one does
        Assert.Null(plain.BreakEvenRequestsPerDay);
        Assert.NotNull(spec.BreakEvenRequestsPerDay);
        Assert.Contains(plain.Notes, n => n.StartsWith("Self-hosting never wins", StringComparison.Ordinal));
    }

    public static TheoryData<string, Func<BreakEvenRequest>, string, string> Refusals => new()
    {
        { "acceptance above 1", () => DeepSeek() with { SpecAcceptance = [1.5] }, "specAcceptance", "specAcceptance must be in [0, 1]; was 1.5." },
        { "unknown method", () => DeepSeek("lookahead"), "specMethod", "specMethod must be mtp, draft, medusa or eagle; was 'lookahead'." },
        { "a draft of another vocabulary", () => DeepSeek("draft") with { DraftModel = "llama-3.1-8b" }, "draftModel",
            "a draft must share the served model's tokenizer" },
        { "an unknown draft", () => DeepSeek("draft") with { DraftModel = "no-such-model" }, "draftModel", "draftModel 'no-such-model' is not a catalog model" },
        { "MTP on a model without modules", () => DeepSeek() with { Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm" }, "specMethod", "llama-3.3-70b has none" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void BadSpeculation_IsRefusedNamingTheField(string because, Func<BreakEvenRequest> request, string field, string message)
    {
        var e = Assert.Throws<InvalidInputException>(() => request().Answer(Catalog));
        Assert.True(e.Field == field, $"{because}: named {e.Field}");
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
