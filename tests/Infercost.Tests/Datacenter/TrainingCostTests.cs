using Infercost.Datacenter;
using Infercost.Quantities;
using Xunit;

namespace Infercost.Tests.Datacenter;

public class TrainingCostTests
{
    private static readonly FlopsPerSecond H100Bf16 = FlopsPerSecond.FromTeraflops(989);

    [Fact]
    public void Estimate_IsSixNDOverPeakTimesMfu()
    {
        // Given 1e9 parameters, 1e12 tokens, 989 TFLOP/s at 50% MFU, $2/h, 1,000 GPUs
        var run = new TrainingRun(1e9, 1e12, H100Bf16, 0.5, DollarsPerHour.FromDollarsPerHour(2), 1000);
        var cost = TrainingCost.Estimate(run);

        // Then 6e21 FLOP, 6e21 / 494.5e12 s = 3,370.4 GPU-hours, $6,740.8, 3.37 h of wall clock
        Assert.Equal(6e21, cost.Flops.Value, 1e6);
        Assert.Equal(6e21 / (989e12 * 0.5) / 3600, cost.AcceleratorHours, 1e-9);
        Assert.Equal(cost.AcceleratorHours * 2, cost.Cost.Value, 1e-9);
        Assert.Equal(cost.AcceleratorHours * 3600 / 1000, cost.WallClock!.Value.Value, 1e-6);
    }

    [Fact]
    public void ImpliedMfu_InvertsTheEstimate()
    {
        var run = new TrainingRun(7e10, 2e12, H100Bf16, 0.37, DollarsPerHour.FromDollarsPerHour(1));
        var cost = TrainingCost.Estimate(run);
        Assert.Equal(0.37, TrainingCost.ImpliedMfu(7e10, 2e12, cost.AcceleratorHours, H100Bf16), 1e-12);
    }

    [Theory]
    [InlineData(0.0, "train-mfu")]
    [InlineData(1.5, "train-mfu")]
    public void Run_OutOfRange_NamesTheFlag(double mfu, string field)
    {
        var e = Assert.Throws<InvalidInputException>(() => TrainingCost.Estimate(new TrainingRun(1e9, 1e12, H100Bf16, mfu, DollarsPerHour.FromDollarsPerHour(2))));
        Assert.Equal(field, e.Field);
    }
}
