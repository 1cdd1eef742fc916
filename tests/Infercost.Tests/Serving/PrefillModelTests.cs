using Infercost.Models;
using Infercost.Serving;
using Xunit;

namespace Infercost.Tests.Serving;

public class PrefillModelTests
{
    [Theory]
    [InlineData(1000, 8192, 8)]
    [InlineData(2035, 8192, 4)]
    [InlineData(8192, 8192, 1)]
    [InlineData(20_000, 8192, 1)]
    [InlineData(1, 8192, 8192)]
    public void Sequences_ShortPrompts_ArePackedUpToTheChunkBudget(int prompt, int chunk, int expected)
    {
        // Given a chunk budget of `chunk` tokens per pass
        var setup = Fixtures.Setup(Fixtures.Llama8B, Fixtures.H100, prefillChunkTokens: chunk);

        // When prompts of `prompt` tokens are prefilled
        var estimate = PrefillModel.Estimate(setup, prompt);

        // Then ⌊chunk / prompt⌋ prompts share a pass, never fewer than one
        Assert.Equal(expected, estimate.Sequences);
        Assert.Equal(expected * (double)prompt, estimate.Tokens.Value);
    }

    [Fact]
    public void Time_LongPromptOnOneDeviceAtIdealEfficiency_IsFlopsOverPeak()
    {
        // Given one H100 at the pure roofline and an 8k prompt
        var setup = Fixtures.Setup(Fixtures.Llama8B, Fixtures.H100, efficiency: EfficiencyFactors.Ideal, prefillChunkTokens: 8192);

        // When it is prefilled
        var estimate = PrefillModel.Estimate(setup, 8192);

        // Then it is compute-bound, FLOPs / peak; one prompt alone gives the same time to first token
        var flops = FlopCounter.Prefill(Fixtures.Llama8B, ParameterCounter.Count(Fixtures.Llama8B), 8192);
        var expected = flops / Fixtures.H100.Peaks.Bf16!.Value;
        Assert.Equal(Bound.Compute, estimate.Bound);
        Assert.Equal(flops, estimate.Flops);
        Assert.Equal(expected.Value, estimate.Time.Value, 1e-12);
        Assert.Equal(expected.Value, estimate.TimeToFirstToken.Value, 1e-12);
    }

    [Fact]
    public void Time_DefaultEfficiency_IsSlowerThanTheRoofline()
    {
        // Given the same prompt at the default (calibrated) and the ideal efficiencies
        var real = PrefillModel.Estimate(Fixtures.Setup(Fixtures.Llama8B, Fixtures.H100), 2048);
        var ideal = PrefillModel.Estimate(Fixtures.Setup(Fixtures.Llama8B, Fixtures.H100, efficiency: EfficiencyFactors.Ideal), 2048);

        // Then efficiencies below 1 and overheads only add time
        Assert.True(real.Time > ideal.Time);
        Assert.True(real.TimeToFirstToken > ideal.TimeToFirstToken);
    }

    [Fact]
    public void Time_OneTokenPrompt_IsBoundByReadingTheWeights()
    {
        // Given a one-token prompt and a one-token chunk
        var setup = Fixtures.Setup(Fixtures.Llama70B, Fixtures.H100, new Parallelism(Tensor: 4), EfficiencyFactors.Ideal, prefillChunkTokens: 1);

        // When it is prefilled
        var estimate = PrefillModel.Estimate(setup, 1);

        // Then the weight read dominates
        Assert.Equal(Bound.Memory, estimate.Bound);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100_000_001)]
    [InlineData(int.MinValue)]
    public void Estimate_PromptOutOfRange_IsRejectedNamingInputTokens(int prompt)
    {
        var setup = Fixtures.Setup(Fixtures.Llama8B, Fixtures.H100);
        var error = Assert.Throws<InvalidInputException>(() => PrefillModel.Estimate(setup, prompt));
        Assert.Equal("inputTokens", error.Field);
    }
}
