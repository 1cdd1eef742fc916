using Infercost.Serving;
using Infercost.Simulation;
using Xunit;

namespace Infercost.Tests.Simulation;

// At low load the simulator must reproduce the step-time model exactly: one request on an idle replica is one prefill
// chunk, then one decode step per token.
public sealed class LowLoadLatencyTests
{
    private static readonly ServingSetup Setup = SimulationFixtures.Llama8BOnH100;
    private static readonly double Window = double.PositiveInfinity; // Llama 3.1 has no sliding window

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(8192)]
    public void Ttft_IdleReplica_IsOneChunkStepTimeFromBatchStepModel(int prompt)
    {
        // Given one request arriving at an idle replica, its prompt within one step's token budget
        var one = new[] { new SimRequest(0, 5.0, prompt, 0, 10) };

        // When it is simulated
        var result = ServingSimulator.Run(Setup, 1, one, SimulationFixtures.Options(), cancellation: TestContext.Current.CancellationToken);

        // Then TTFT is BatchStepModel.Cost(setup, one chunk of `prompt` tokens at offset 0).Total: the mean exactly,
        // the P50 (a histogram estimate) within 1%
        var chunk = new BatchComposition();
        chunk.AddPrefillChunk(prompt, 0, Window);
        var expected = BatchStepModel.Cost(Setup, chunk).Total.Value;
        Assert.Equal(expected, result.TimeToFirstToken.Mean.Value, 12);
        Assert.Equal(expected, result.TimeToFirstToken.P50.Value, expected * 0.01);
    }

    [Fact]
    public void Ttft_IdleReplica_AgreesWithPrefillModelTimeToFirstToken()
    {
        // PrefillModel prices one prompt alone on a TP1 replica the same way (within 1%)
        var result = ServingSimulator.Run(Setup, 1, [new SimRequest(0, 0, 1000, 0, 2)], SimulationFixtures.Options(), cancellation: TestContext.Current.CancellationToken);

        var expected = PrefillModel.Estimate(Setup, 1000).TimeToFirstToken.Value;
        Assert.Equal(expected, result.TimeToFirstToken.Mean.Value, expected * 0.01);
    }

    [Fact]
    public void Ttft_PromptLongerThanBudget_IsTheSumOfItsChunks()
    {
        // Given a 20,000-token prompt and an 8,192-token budget: chunks of 8192, 8192, 3616 at offsets 0, 8192, 16384
        var result = ServingSimulator.Run(Setup, 1, [new SimRequest(0, 0, 20_000, 0, 2)], SimulationFixtures.Options(), cancellation: TestContext.Current.CancellationToken);

        var expected = 0.0;
        foreach (var (tokens, offset) in new[] { (8192, 0), (8192, 8192), (3616, 16384) })
        {
            var chunk = new BatchComposition();
            chunk.AddPrefillChunk(tokens, offset, Window);
            expected += BatchStepModel.Cost(Setup, chunk).Total.Value;
        }

        Assert.Equal(expected, result.TimeToFirstToken.Mean.Value, 12);
    }

    [Fact]
    public void Ttft_CachedPrefix_IsTheUncachedChunkAtItsOffset()
    {
        // Given 3,000 of 4,000 prompt tokens already in the prefix cache
        var result = ServingSimulator.Run(Setup, 1, [new SimRequest(0, 0, 4000, 3000, 2)], SimulationFixtures.Options(), cancellation: TestContext.Current.CancellationToken);

        // Then only the last 1,000 are computed, attending to the 3,000 cached ones
        var chunk = new BatchComposition();
        chunk.AddPrefillChunk(1000, 3000, Window);
        Assert.Equal(BatchStepModel.Cost(Setup, chunk).Total.Value, result.TimeToFirstToken.Mean.Value, 12);
        Assert.Equal(3000, result.CachedPromptTokens.Value);
        Assert.Equal(1000, result.PrefillTokensComputed.Value);
    }

    [Fact]
    public void Tpot_IdleReplica_IsTheMeanOfItsDecodeSteps()
    {
        // Given one request of 500 prompt and 100 output tokens alone
        const int prompt = 500, output = 100;
        var result = ServingSimulator.Run(Setup, 1, [new SimRequest(0, 0, prompt, 0, output)], SimulationFixtures.Options(), cancellation: TestContext.Current.CancellationToken);

        // Then TPOT = mean over tokens 2..100 of BatchStepModel.Cost(one decode at context prompt + k).Total, k = 1..99
        var sum = 0.0;
        for (var k = 1; k < output; k++)
        {
            var step = new BatchComposition();
            step.AddDecode(prompt + k, Window);
            sum += BatchStepModel.Cost(Setup, step).Total.Value;
        }

        var expected = sum / (output - 1);
        Assert.Equal(expected, result.TimePerOutputToken.Mean.Value, expected * 1e-9);
        Assert.Equal(expected, result.TimePerOutputToken.P90.Value, expected * 0.01);
    }
}
