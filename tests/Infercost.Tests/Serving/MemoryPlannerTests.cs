using Infercost.Quantities;
using Infercost.Serving;
using Xunit;

namespace Infercost.Tests.Serving;

public class MemoryPlannerTests
{
    [Fact]
    public void MaxBatch_IsFloorOfKvAvailableOverOneSequence()
    {
        // Given Llama 3.3 70B on TP4 with the default 10% reserve
        var setup = Fixtures.Setup(Fixtures.Llama70B, Fixtures.H100, new Parallelism(Tensor: 4));

        // When memory is planned at 4,096 tokens
        var plan = MemoryPlanner.Plan(setup, 4096);

        // Then KV available = capacity − reserve − weights and the batch is how many sequences fit in it
        Assert.Equal((plan.Capacity - plan.Reserve - plan.Weights).Value, plan.KvAvailable.Value, 1e-3);
        Assert.Equal(Math.Floor(plan.KvAvailable / plan.KvPerSequence), plan.MaxBatch);
        Assert.Equal(Bytes.FromGigabytes(8), plan.Reserve);
        Assert.True(plan.Fits);
    }

    [Fact]
    public void Plan_WeightsLargerThanTheDevice_DoNotFit_AndTheErrorNamesTheWayOut()
    {
        // Given Llama 3.3 70B (141 GB at bf16) on one 80 GB H100
        var setup = Fixtures.Setup(Fixtures.Llama70B, Fixtures.H100);

        // When memory is planned and checked
        var plan = MemoryPlanner.Plan(setup, 1000);
        var error = Assert.Throws<ModelDoesNotFitException>(() => MemoryPlanner.EnsureFits(setup, plan, 1));

        // Then nothing fits, and the message gives both figures and what to change
        Assert.False(plan.WeightsFit);
        Assert.Equal(0, plan.MaxBatch);
        Assert.Contains("weights need 141.11 GB per device, 72 GB available", error.Message);
        Assert.Contains("at least 2 devices per replica", error.Message);
        Assert.Contains("fp8 weights halve them", error.Message);
    }

    [Fact]
    public void EnsureFits_BatchPastMaxBatch_SaysWhichBatchFits()
    {
        // Given a plan with a known largest batch
        var setup = Fixtures.Setup(Fixtures.Llama70B, Fixtures.H100, new Parallelism(Tensor: 4));
        var plan = MemoryPlanner.Plan(setup, 131_072);

        // When one more sequence is asked for
        var error = Assert.Throws<ModelDoesNotFitException>(() => MemoryPlanner.EnsureFits(setup, plan, plan.MaxBatch + 1));

        // Then the message says the largest batch that fits
        Assert.Contains($"At most batch {plan.MaxBatch} fits", error.Message);
    }

    [Fact]
    public void Plan_LargerReserve_NeverFitsMore()
    {
        // Given the same setup with 0% and 20% held back
        var none = MemoryPlanner.Plan(Fixtures.Setup(Fixtures.Llama8B, Fixtures.H100, memoryReserve: 0), 8192);
        var some = MemoryPlanner.Plan(Fixtures.Setup(Fixtures.Llama8B, Fixtures.H100, memoryReserve: 0.2), 8192);

        // Then the reserve only takes room away
        Assert.True(some.MaxBatch < none.MaxBatch);
        Assert.Equal(Bytes.FromGigabytes(16), some.Capacity - none.Capacity + some.Reserve);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100_000_001)]
    [InlineData(int.MinValue)]
    public void Plan_ContextOutOfRange_IsRejectedNamingContextTokens(int context)
    {
        var setup = Fixtures.Setup(Fixtures.Llama8B, Fixtures.H100);
        var error = Assert.Throws<InvalidInputException>(() => MemoryPlanner.Plan(setup, context));
        Assert.Equal("contextTokens", error.Field);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100_000_000)]
    public void Plan_ContextAtRangeEnds_IsAccepted(int context)
    {
        var plan = MemoryPlanner.Plan(Fixtures.Setup(Fixtures.Llama8B, Fixtures.H100), context);
        Assert.Equal(context, plan.ContextTokens);
    }
}
