using Infercost.Models;
using Infercost.Serving;
using Xunit;

namespace Infercost.Tests.Serving;

public class BatchStepModelTests
{
    private static ServingSetup Setup(ModelArchitecture model, int tp) =>
        new(model, Fixtures.H100, new Parallelism(tp), new ServingConfig { TotalDevices = tp, InputTokens = 1000, OutputTokens = 500 });

    [Theory]
    [InlineData(1, 100)]
    [InlineData(64, 2000)]
    [InlineData(256, 8000)]
    public void DecodeOnlyBatch_CostsWhatDecodeModelSays(int batch, int context)
    {
        // Given a batch of decoding sequences, all at the same context
        var setup = Setup(Fixtures.Llama70B, 4);
        var composition = new BatchComposition();
        for (var i = 0; i < batch; i++) composition.AddDecode(context, double.PositiveInfinity);

        // When the general batch model and the decode model cost it
        var general = BatchStepModel.Cost(setup, composition);
        var decode = DecodeModel.Step(setup, batch, context);

        // Then they agree: one physics, two entry points
        Assert.Equal(decode.StepTime.Value, general.Total.Value, 12);
    }

    [Fact]
    public void SteadyMixedStep_IsTheBatchModelOfItsAverageComposition()
    {
        // Given the steady-state mix the max-throughput model assumes: d decodes at the mean context I + O/2 and d·I/O
        // prompt tokens spread evenly over prompt positions
        var setup = Setup(Fixtures.Llama8B, 1);
        var step = MixedStepModel.Step(setup, inputTokens: 1000, outputTokens: 1000, sequencesInFlight: 64, tokenBudget: 8192);
        var composition = new BatchComposition();
        composition.AddDecodes(64, 1500, double.PositiveInfinity);
        composition.AddPrefillShare(64, 1000, double.PositiveInfinity);

        // When the general batch model costs that composition
        var general = BatchStepModel.Cost(setup, composition);

        // Then the two agree, and the prompt tokens made the step longer than decoding alone
        Assert.Equal(step.StepTime.Value, general.Total.Value, 12);
        var decodeOnly = new BatchComposition();
        decodeOnly.AddDecodes(64, 1500, double.PositiveInfinity);
        Assert.True(general.Total > BatchStepModel.Cost(setup, decodeOnly).Total);
    }

    [Fact]
    public void PrefillChunk_PairsFollowCausalCount()
    {
        var c = new BatchComposition();
        c.AddPrefillChunk(tokens: 4, cachedTokens: 0, window: double.PositiveInfinity);
        Assert.Equal(10, c.PrefillPairsFull); // 1+2+3+4
        c.AddPrefillChunk(tokens: 2, cachedTokens: 4, window: 5);
        Assert.Equal(10 + 5 + 6, c.PrefillPairsFull);
        Assert.Equal(10 + 5 + 5, c.PrefillPairsWindowed); // first chunk unwindowed: 1+2+3+4; the second chunk's 5 and 6 keys are capped at 5
    }

    [Fact]
    public void EmptyBatch_IsRejected()
    {
        var ex = Assert.Throws<InvalidInputException>(() => BatchStepModel.Cost(Setup(Fixtures.Llama8B, 1), new BatchComposition()));
        Assert.Contains("batch must carry at least one token", ex.Message);
    }
}
