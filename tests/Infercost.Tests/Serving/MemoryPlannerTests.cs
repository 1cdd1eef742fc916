using Infercost.Quantities;
using CatalogData = Infercost.Catalog.Catalog;
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
        Assert.Contains("at fp8 weights they would need 1", error.Message);
    }

    [Fact]
    public void Plan_WeightsAlreadyFourBit_AdviceNeverSuggestsAHigherPrecision()
    {
        // Given gpt-oss-120b, whose routed experts ship in MXFP4 (4.25 bits per element with their E8M0 scales: the bulk
        // of its 65.2 GB) and the rest in bf16, on one 24 GB L4
        var model = CatalogData.Embedded.GetModel("gpt-oss-120b");
        var setup = Fixtures.Setup(model, CatalogData.Embedded.GetAccelerator("nvidia-l4"));

        // When the weights do not fit
        var error = Assert.Throws<ModelDoesNotFitException>(() => MemoryPlanner.EnsureFits(setup, MemoryPlanner.Plan(setup, 2000), 1));

        // Then neither "fp8 weights" (doubling the experts) nor "4-bit" (they are already) is offered
        Assert.Equal(Precision.Fp4, setup.ExpertPrecision);
        Assert.DoesNotContain("fp8", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("4-bit", error.Message, StringComparison.Ordinal);
        // ⌈(non-expert × 2 B + experts × 4.25/8 B) / (24 GB × 0.9)⌉
        var total = (setup.Parameters.NonExpert * 2) + (setup.Parameters.RoutedExpertsTotal * 4.25 / 8);
        var devices = (int)Math.Ceiling(total / (24e9 * 0.9));
        Assert.Equal(4, devices);
        Assert.Contains($"at least {devices} devices per replica", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_WeightsDoNotFit_KvAvailableIsZeroAndTheShortfallIsSaid()
    {
        // Given Llama 3.3 70B (141 GB at bf16) on one 80 GB H100 with 8 GB reserved
        var plan = MemoryPlanner.Plan(Fixtures.Setup(Fixtures.Llama70B, Fixtures.H100), 1000);

        // Then KV available is zero, never negative, and the shortfall is what weights + reserve exceed capacity by
        Assert.Equal(0, plan.KvAvailable.Value);
        Assert.Equal((plan.Weights + plan.Reserve - plan.Capacity).Value, plan.Shortfall.Value, 1e-3);
        Assert.True(plan.Shortfall.Value > 0);
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
