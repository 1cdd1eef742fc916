using Infercost.Economics.Workloads;
using Infercost.Requests;
using Infercost.Tests.Economics.BreakEven;
using Xunit;

namespace Infercost.Tests.Economics.Margins;

// margin with the engine's cluster speculating (DeepSeek-V3 with MTP, as DeepSeek's published margin figures assume it
// is served): the true cost's output rate is the plain decode rate at the same batch ÷ the engine's speed-up, prefill is
// untouched, and the output margin rises accordingly (docs/economics.md#margins).
public class MarginSpeculationTests
{
    private static readonly Infercost.Catalog.Catalog Catalog = Infercost.Catalog.Catalog.Embedded;

    private static MarginRequest DeepSeek(string? method = "mtp") => new()
    {
        PriceModel = "deepseek-v3", Model = "deepseek-v3", Gpu = "nvidia-h200-sxm", Gpus = 8, GpuPrice = 3, Profile = "chat",
        SpecMethod = method, SpecAcceptance = method is null ? null : [0.85],
    };

    [Fact]
    public void OutputCost_IsThePlainRateAtTheSameBatchOverTheSpeedUp()
    {
        // Given DeepSeek-V3's list price over 8 H200 serving it with MTP at 85% acceptance
        var report = DeepSeek().Answer(Catalog);

        // When the plain output rate is computed at the batch the engine ran the speculating cluster at
        var plain = BreakEvenSpeculationTests.PlainOutputAtBatch(WorkloadProfiles.Chat, report.SelfHostBatch!.Value);

        // Then the true cost's output rate is that ÷ the speed-up, and the output margin is computed from it
        Assert.Equal(plain.Value / report.SelfHostSpeculation!.SpeedUp, report.Cost.Output.Value, 9);
        Assert.Equal(1 - (report.Cost.Output.Value / report.Price.Output.Value), report.OutputMargin, 12);
        Assert.Contains("speculative decoding (mtp, k = 1)", report.Cost.Basis, StringComparison.Ordinal);
    }

    [Fact]
    public void Speculation_RaisesTheOutputAndBlendedMargins_AndLeavesTheInputMargin()
    {
        var plain = DeepSeek(method: null).Answer(Catalog);
        var spec = DeepSeek().Answer(Catalog);

        Assert.Null(plain.SelfHostSpeculation);
        Assert.Equal(plain.InputMargin, spec.InputMargin, 12);
        Assert.True(spec.OutputMargin > plain.OutputMargin, $"output margin {spec.OutputMargin} against plain {plain.OutputMargin}");
        Assert.True(spec.BlendedMargin > plain.BlendedMargin, $"blended margin {spec.BlendedMargin} against plain {plain.BlendedMargin}");
    }

    [Fact]
    public void GivenCost_ReportsNoSpeculation()
    {
        var report = new MarginRequest { PriceModel = "deepseek-v3", CostIn = 0.1, CostOut = 0.4 }.Answer(Catalog);
        Assert.Null(report.SelfHostSpeculation);
        Assert.Null(report.SelfHostBatch);
    }

    public static TheoryData<string, Func<MarginRequest>, string, string> Refusals => new()
    {
        { "speculation with a given cost", () => new MarginRequest { PriceModel = "deepseek-v3", CostIn = 0.1, CostOut = 0.4, SpecMethod = "mtp" }, "specMethod",
            "give either costIn/costOut or the engine's cluster (specMethod), not both." },
        { "tree with a given cost", () => new MarginRequest { PriceModel = "deepseek-v3", CostIn = 0.1, CostOut = 0.4, SpecTree = [2, 2] }, "specTree",
            "give either costIn/costOut or the engine's cluster (specTree), not both." },
        { "speculation without a cluster", () => new MarginRequest { PriceModel = "deepseek-v3", SpecMethod = "mtp" }, "model",
            "model is required for a self-hosted cluster" },
        { "acceptance above 1", () => DeepSeek() with { SpecAcceptance = [1.5] }, "specAcceptance", "specAcceptance must be in [0, 1]; was 1.5." },
        { "a length without a method", () => DeepSeek(method: null) with { SpecLength = 2 }, "specLength", "specLength applies when speculating" },
        { "a draft of another vocabulary", () => DeepSeek("draft") with { DraftModel = "llama-3.1-8b" }, "draftModel",
            "a draft must share the served model's tokenizer" },
        { "MTP on a model without modules", () => DeepSeek() with { Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm" }, "specMethod", "llama-3.3-70b has none" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void BadSpeculation_IsRefusedNamingTheField(string because, Func<MarginRequest> request, string field, string message)
    {
        var e = Assert.Throws<InvalidInputException>(() => request().Answer(Catalog));
        Assert.True(e.Field == field, $"{because}: named {e.Field}");
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADraftOfAnotherVocabulary_IsRefusedAsCostRefusesIt()
    {
        // Given DeepSeek-V3 drafted by Llama 3.1 8B (129,280 against 128,256 tokens) in cost, breakeven and margin
        var cost = Assert.Throws<InvalidInputException>(() => new CostRequest
        {
            Model = "deepseek-v3", Gpu = "nvidia-h200-sxm", Gpus = 8, SpecMethod = "draft", DraftModel = "llama-3.1-8b",
        }.Answer(Catalog));
        var margin = Assert.Throws<InvalidInputException>(() => (DeepSeek("draft") with { DraftModel = "llama-3.1-8b" }).Answer(Catalog));
        var breakEven = Assert.Throws<InvalidInputException>(() => new BreakEvenRequest
        {
            ApiModel = "deepseek-v3", Model = "deepseek-v3", Gpu = "nvidia-h200-sxm", Gpus = 8, SpecMethod = "draft", DraftModel = "llama-3.1-8b",
        }.Answer(Catalog));

        // Then all three name the field and say the same thing
        Assert.Equal("draftModel", cost.Field);
        Assert.Equal(cost.Message, margin.Message);
        Assert.Equal(cost.Message, breakEven.Message);
        Assert.Equal(cost.Field, breakEven.Field);
    }
}
