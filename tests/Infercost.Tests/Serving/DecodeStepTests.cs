using Infercost.Models;
using Infercost.Quantities;
using Infercost.Serving;
using Xunit;

namespace Infercost.Tests.Serving;

public class DecodeStepTests
{
    private static ServingSetup Ideal(ModelArchitecture model, int tensor = 1) =>
        Fixtures.Setup(model, Fixtures.H100, new Parallelism(Tensor: tensor), EfficiencyFactors.Ideal);

    [Fact]
    public void StepTime_BatchOne_IsWeightReadTime()
    {
        // Given Llama 3.1 8B on one H100 at the pure roofline, empty context
        var setup = Ideal(Fixtures.Llama8B);
        var parameters = ParameterCounter.Count(Fixtures.Llama8B);

        // When one token is decoded
        var step = DecodeModel.Step(setup, 1, 0);

        // Then the step is every weight except the input embedding (a lookup, not a read of the table) over the bandwidth
        var read = Bytes.FromBytes((parameters.Total - parameters.InputEmbedding) * 2) / Fixtures.H100.MemoryBandwidth;
        Assert.Equal(Bound.Memory, step.Bound);
        Assert.Equal(read.Value, step.StepTime.Value, 1e-15);
        Assert.Equal(Bytes.Zero, step.KvBytesPerDevice);
    }

    [Fact]
    public void StepTime_IsLinearRooflinePlusAttentionRoofline_PlusElementwiseCommunicationAndOverhead()
    {
        // Given the default (calibrated) efficiencies on TP4, at a context where the KV read matters
        var setup = Fixtures.Setup(Fixtures.Llama70B, Fixtures.H100, new Parallelism(Tensor: 4));

        // When a step is estimated
        var step = DecodeModel.Step(setup, 64, 4096);
        var cost = step.Cost!.Value;

        // Then the parts add up as documented: the KV read cannot hide behind the weight read; the overhead is the
        // engine's plus every kernel's fixed latency (GEMMs and decode attention, from the kernel model)
        var kernels = setup.StepKernels!;
        Assert.Equal((EfficiencyFactors.Default.StepOverhead.Value + kernels.GemmFixed + kernels.AttentionFixed), step.Overhead.Value, 1e-15);
        Assert.True(step.CommunicationTime > Seconds.Zero);
        var softness = EfficiencyFactors.Default.RooflineSoftness;
        var expected = StepCost.Knee(cost.LinearCompute, cost.LinearMemory, softness) + StepCost.Knee(cost.AttentionCompute, cost.AttentionMemory, softness)
            + cost.Elementwise + step.CommunicationTime + step.Overhead;
        Assert.Equal(expected.Value, step.StepTime.Value, 1e-15);
        Assert.Equal((cost.LinearMemory + cost.AttentionMemory).Value, step.MemoryTime.Value, 1e-15);
    }

    [Fact]
    public void StepTime_AtIdealEfficiency_IsWeightReadPlusKvRead_WhenMemoryBound()
    {
        // Given the pure roofline and a small batch at a long context
        var setup = Ideal(Fixtures.Llama8B);

        // When a step is estimated
        var step = DecodeModel.Step(setup, 4, 32_768);

        // Then it is (weights + KV) / bandwidth
        var read = (step.WeightBytesPerDevice + step.KvBytesPerDevice) / Fixtures.H100.MemoryBandwidth;
        Assert.Equal(Bound.Memory, step.Bound);
        Assert.Equal(read.Value, step.StepTime.Value, 1e-15);
    }

    [Fact]
    public void TokensPerSecond_IsBatchOverStepTime_AndPerUserIsOneOverStepTime()
    {
        // Given any step
        var step = DecodeModel.Step(Fixtures.Setup(Fixtures.Llama8B, Fixtures.H100), 32, 2048);

        // Then throughput follows from the step time
        Assert.Equal(32 / step.StepTime.Value, step.TokensPerSecond.Value, 1e-9);
        Assert.Equal(1 / step.StepTime.Value, step.TokensPerSecondPerUser.Value, 1e-12);
    }

    [Fact]
    public void Bound_LargeBatchShortContext_IsCompute()
    {
        // Given a batch far past the H100's machine balance (989e12 / 3.35e12 ≈ 295 FLOPs per byte)
        var step = DecodeModel.Step(Ideal(Fixtures.Llama8B), 4096, 0);

        // Then matrix throughput sets the time
        Assert.Equal(Bound.Compute, step.Bound);
        Assert.True(step.ComputeTime > step.MemoryTime);
    }

    [Fact]
    public void WeightRead_TensorParallel_IsSplitAcrossDevices()
    {
        // Given the same model on one and on four devices
        var one = DecodeModel.Step(Ideal(Fixtures.Llama70B, 1), 1, 0);
        var four = DecodeModel.Step(Ideal(Fixtures.Llama70B, 4), 1, 0);

        // Then each device reads a quarter of the weights
        Assert.Equal(0.25, four.WeightBytesPerDevice / one.WeightBytesPerDevice, 1e-12);
    }

    [Fact]
    public void KvRead_ScalesWithBatchTimesContext()
    {
        // Given a dense GQA model
        var setup = Ideal(Fixtures.Llama8B);

        // When batch × context doubles either way
        var baseline = DecodeModel.Step(setup, 8, 1000).KvBytesPerDevice;
        var moreBatch = DecodeModel.Step(setup, 16, 1000).KvBytesPerDevice;
        var moreContext = DecodeModel.Step(setup, 8, 2000).KvBytesPerDevice;

        // Then the KV read doubles, and equals batch × the cache of one sequence
        Assert.Equal(2.0, moreBatch / baseline, 1e-12);
        Assert.Equal(2.0, moreContext / baseline, 1e-12);
        Assert.Equal(KvCache.BytesPerSequence(Fixtures.Llama8B, Precision.Bf16, 1000) * 8, baseline);
    }

    [Fact]
    public void ExpertsTouched_BatchOne_IsExpertsPerToken_AndApproachesAllExperts()
    {
        // Given DeepSeek R1 (top-8 of 256) on TP8
        var setup = Ideal(Fixtures.DeepSeekR1, 8);

        // When batch 1 and a very large batch decode
        var one = DecodeModel.Step(setup, 1, 0);
        var many = DecodeModel.Step(setup, 4096, 0);

        // Then one token touches its 8 experts, and a large batch touches nearly all 256
        Assert.Equal(8, one.ExpertsTouchedPerLayer, 1e-9);
        Assert.InRange(many.ExpertsTouchedPerLayer, 255.99, 256);
    }

    [Theory]
    [InlineData(256, 8, 0, 0)]
    [InlineData(256, 8, 1, 8)]
    [InlineData(256, 256, 1, 256)]
    [InlineData(1, 1, 1, 1)]
    public void ExpectedDistinctExperts_Boundaries(int experts, int perToken, double tokens, double expected)
    {
        // Given E experts, k per token and a token count at a boundary
        // When the expected distinct experts are computed
        var touched = DecodeModel.ExpectedDistinctExperts(experts, perToken, tokens);

        // Then no tokens touch none; one token touches k; k = E touches all
        Assert.Equal(expected, touched, 1e-12);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(10_000_001)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void Step_BatchOutOfRange_IsRejectedNamingBatch(int batch)
    {
        // Given a setup
        var setup = Ideal(Fixtures.Llama8B);

        // When a batch outside [1, 10,000,000] is asked for
        var error = Assert.Throws<InvalidInputException>(() => DecodeModel.Step(setup, batch, 100));

        // Then the message names the field and its range
        Assert.Equal("batch", error.Field);
        Assert.StartsWith("batch must be in [1, 10000000]; was ", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10_000_000)]
    public void Step_BatchAtRangeEnds_IsAccepted(int batch)
    {
        var step = DecodeModel.Step(Ideal(Fixtures.Llama8B), batch, 0);
        Assert.Equal(batch, step.Batch);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(-1.0)]
    [InlineData(1e9 + 1)]
    public void Step_ContextOutOfRange_IsRejectedNamingContext(double context)
    {
        // Given a setup
        var setup = Ideal(Fixtures.Llama8B);

        // When a context that is not a finite length in [0, 1e9] is asked for
        var error = Assert.Throws<InvalidInputException>(() => DecodeModel.Step(setup, 1, context));

        // Then it is rejected where it enters
        Assert.Equal("contextTokens", error.Field);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(1e9)]
    public void Step_ContextAtRangeEnds_IsAccepted(double context)
    {
        var step = DecodeModel.Step(Ideal(Fixtures.Llama8B), 1, context);
        Assert.Equal(context, step.ContextTokens);
    }

    [Theory]
    [InlineData(0.0, 3.0)]                 // hard roofline: max(3, 2)
    [InlineData(1.0, 5.0)]                 // fully soft: the terms add
    [InlineData(0.5, 3.605551275463989)]   // p = 2: sqrt(3² + 2²)
    public void Knee_BlendsComputeAndMemoryBySoftness(double softness, double expectedMs)
    {
        var t = StepCost.Knee(Seconds.FromMilliseconds(3), Seconds.FromMilliseconds(2), softness);
        Assert.Equal(expectedMs, t.Milliseconds, 9);
    }

    [Fact]
    public void Knee_AtTheRidge_CostsRootTwoTimesEitherTerm()
    {
        var t = StepCost.Knee(Seconds.FromMilliseconds(10), Seconds.FromMilliseconds(10), 0.5);
        Assert.Equal(10 * Math.Sqrt(2), t.Milliseconds, 9);
        Assert.Equal(Seconds.Zero, StepCost.Knee(Seconds.Zero, Seconds.Zero, 0.5));
    }
}

public sealed class StepCostBoundTests
{
    private static StepCost Step(double compute, double memory, double communication, double overhead) => new(
        Seconds.FromMilliseconds(compute), Seconds.FromMilliseconds(memory), Seconds.Zero, Seconds.Zero, Seconds.Zero,
        Seconds.FromMilliseconds(communication), Seconds.FromMilliseconds(overhead));

    [Theory]
    [InlineData(14.5, 8.4, 95.3, 4.6, Bound.Communication)] // DeepSeek-R1 on 72 H100s, decode
    [InlineData(30, 10, 5, 4.6, Bound.Compute)]
    [InlineData(3, 10, 5, 4.6, Bound.Memory)]
    [InlineData(0.1, 0.2, 0.1, 4.6, Bound.Overhead)]
    public void Bound_NamesTheLargestTerm_CommunicationAndOverheadIncluded(double compute, double memory, double communication, double overhead, Bound expected)
    {
        Assert.Equal(expected, Step(compute, memory, communication, overhead).Bound);
    }
}
