using Infercost.Dataflow;
using Infercost.Quantities;
using Xunit;

namespace Infercost.Tests.Dataflow;

public class DataflowModelTests
{
    private static readonly Infercost.Catalog.Catalog Catalog = Infercost.Catalog.Catalog.Embedded;

    [Fact]
    public void Groq_Llama70B_SpansHundredsOfChips_AndEachStageIsItsOwnRoofline()
    {
        var lpu = Catalog.GetAccelerator("groq-lpu-v1");
        var model = Catalog.GetModel("llama-3.3-70b");
        var e = DataflowModel.Estimate(model, lpu, DataflowParameters.For(lpu), 1, 1500);

        // 141 GB of FP16 weights + 80 sequences' KV over 207 MB of usable SRAM per chip
        var capacity = 0.23e9 * 0.9;
        Assert.Equal((int)Math.Ceiling((e.WeightBytes.Value + e.KvBytes.Value) / capacity), e.Chips);
        Assert.InRange(e.Chips, 600, 1000);
        Assert.Equal(80, e.Stages);
        Assert.Equal(80, e.SequencesInFlight);

        // stage = max(SRAM, compute) + collectives + hop; latency = stages × stage; throughput = micro-batch ÷ stage
        Assert.Equal(Math.Max(e.SramTime.Value, e.ComputeTime.Value) + e.CollectiveTime.Value + e.HopTime.Value, e.StageTime.Value, 1e-15);
        Assert.Equal(80 * e.StageTime.Value, e.TokenLatency.Value, 1e-12);
        Assert.Equal(1 / e.StageTime.Value, e.TokensPerSecond.Value, 1e-6);
        Assert.Equal(e.Chips * 300 / e.TokensPerSecond.Value, e.JoulesPerToken!.Value, 1e-9);
    }

    [Fact]
    public void Wse3_HasNoDensePeak_SoItIsRefusedUntilOneIsGiven()
    {
        var wse = Catalog.GetAccelerator("cerebras-wse-3");
        var model = Catalog.GetModel("llama-3.3-70b");
        var e = Assert.Throws<InvalidInputException>(() => DataflowModel.Estimate(model, wse, DataflowParameters.For(wse), 1, 1500));
        Assert.Equal("peakTflops", e.Field);

        var given = DataflowParameters.For(wse) with { Peak = FlopsPerSecond.FromTeraflops(62_500) };
        var fits = DataflowModel.Estimate(model, wse, given, 1, 1500);
        Assert.Equal(4, fits.Chips);
    }

    [Fact]
    public void Wse3_OnOneWafer_StreamsTheRest_AndStreamingBoundsIt()
    {
        var wse = Catalog.GetAccelerator("cerebras-wse-3");
        var model = Catalog.GetModel("llama-3.3-70b");
        var parameters = DataflowParameters.For(wse) with { Peak = FlopsPerSecond.FromTeraflops(62_500) };

        var refused = Assert.Throws<InvalidInputException>(() => DataflowModel.Estimate(model, wse, parameters, 1, 1500, chips: 1));
        Assert.Equal("chips", refused.Field);

        var streaming = DataflowModel.Estimate(model, wse, parameters with { StreamBandwidth = BytesPerSecond.FromGigabytesPerSecond(150) }, 1, 1500, chips: 1);
        Assert.Equal("weight streaming", streaming.Bound);
        Assert.Equal(streaming.StreamedBytes.Value / 150e9, streaming.StreamTime.Value, 1e-12);
        Assert.True(streaming.TokensPerSecondPerUser.Value < 10);
    }

    [Fact]
    public void MoreChipToChipLatency_NeverSpeedsItUp()
    {
        var lpu = Catalog.GetAccelerator("groq-lpu-v1");
        var model = Catalog.GetModel("llama-3.1-8b");
        var fast = DataflowModel.Estimate(model, lpu, DataflowParameters.For(lpu) with { HopLatency = Seconds.FromMicroseconds(0.5) }, 4, 1000);
        var slow = DataflowModel.Estimate(model, lpu, DataflowParameters.For(lpu) with { HopLatency = Seconds.FromMicroseconds(5) }, 4, 1000);
        Assert.True(slow.TokenLatency > fast.TokenLatency);
    }
}
