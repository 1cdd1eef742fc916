using Infercost.Requests;
using Xunit;

namespace Infercost.Tests.Requests;

public sealed class RequestValidationTests
{
    private static readonly CostRequest Valid = new() { Model = "llama-3.1-8b", Gpu = "nvidia-h100-sxm", Gpus = 1 };

    [Theory]
    [InlineData("gpuPrice", "gpu-price")]
    [InlineData("maxBatch", "max-batch")]
    [InlineData("prefillTps", "prefill-tps")]
    [InlineData("stepOverheadMs", "step-overhead-ms")]
    [InlineData("gpus", "gpus")]
    public void FieldAndFlag_MapByKebabCase(string field, string flag)
    {
        Assert.Equal(flag, RequestFields.FlagOf(field));
        Assert.Equal(field, RequestFields.FieldOf("--" + flag));
    }

    public static TheoryData<CostRequest, string, string> Invalid => new()
    {
        { Valid with { Gpus = 0 }, "gpus", "gpus must be in [1, 1000000]; was 0." },
        { Valid with { Gpus = null }, "gpus", "gpus is required." },
        { Valid with { GpuPrice = NumberRange.Of(-1) }, "gpuPrice", "gpuPrice must be in [0, 10000]; was -1." },
        { Valid with { GpuPrice = new NumberRange(3, 2) }, "gpuPrice", "gpuPrice range must run from low to high; was '3..2'." },
        { Valid with { Mfu = double.NaN }, "mfu", "mfu must be in [0.001, 1]; was NaN." },
        { Valid with { Utilisation = NumberRange.Of(1.5) }, "utilisation", "utilisation must be in [0.01, 1]; was 1.5." },
        { Valid with { MaxBatch = 0 }, "maxBatch", "maxBatch must be in [1, 1000000]; was 0." },
        { Valid with { PurchasePrice = NumberRange.Of(30_000) }, "purchasePrice", "purchasePrice applies to owned hardware; add owned." },
        { Valid with { Model = null }, "model", "model is required" },
        { Valid with { Gpu = null }, "gpu", "gpu is required" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_NamesTheFieldTheRangeAndTheValue(CostRequest request, string field, string message)
    {
        var e = Assert.Throws<InvalidInputException>(request.Validate);

        Assert.Equal(field, e.Field);
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CrossFieldError_KeepsATemplateSoEachShellNamesTheFieldsItsOwnWay()
    {
        var e = Assert.Throws<InvalidInputException>((Valid with { Electricity = NumberRange.Of(0.1) }).Validate);

        Assert.Equal("{electricity} applies to owned hardware; add {owned}.", e.Template);
        Assert.Equal("--electricity applies to owned hardware; add --owned.",
            RequestFields.Render(e.Template!, f => "--" + RequestFields.FlagOf(f)));
    }

    [Fact]
    public void Answer_ValidRequest_PricesOutputTokens()
    {
        var report = Valid.Answer(Infercost.Catalog.Catalog.Embedded);

        Assert.True(report.Cost.OutputPerMillion.Value > 0);
        Assert.Equal("llama-3.1-8b", report.Serving.ModelId);
    }

    [Fact]
    public void SweepRequest_TooManyBatches_IsRejectedBeforeAnyWork()
    {
        var request = new SweepRequest { Model = "llama-3.1-8b", Gpu = "nvidia-h100-sxm", Gpus = 1, Batches = Enumerable.Range(1, SweepRequest.MaxBatches + 1).ToArray() };

        var e = Assert.Throws<InvalidInputException>(request.Validate);

        Assert.Equal("batches", e.Field);
    }

    [Fact]
    public void FieldNames_AreTheRequestPropertiesInCamelCase()
    {
        Assert.Contains("gpuPrice", RequestFields.Names);
        Assert.Contains("prefillTps", RequestFields.Names);
        Assert.DoesNotContain("equalityContract", RequestFields.Names);
    }
}
