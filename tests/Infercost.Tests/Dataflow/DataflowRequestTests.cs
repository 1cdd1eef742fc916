using Infercost.Requests;
using Xunit;

namespace Infercost.Tests.Dataflow;

// dataflow as a request: the GPU beside the SRAM machine is the replica cost estimates, at the batch the pipeline holds,
// and its per-user speed carries the estimate's calibrated band (the dataflow side is a bound and carries none).
public class DataflowRequestTests
{
    private static readonly Infercost.Catalog.Catalog Catalog = Infercost.Catalog.Catalog.Embedded;

    [Theory]
    [InlineData(null)]
    [InlineData("trtllm")]
    public void TheComparedGpu_IsCostsReplicaAtThePipelinesSequencesInFlight(string? engine)
    {
        var report = new DataflowRequest { Model = "llama-3.3-70b", Gpu = "groq-lpu-v1", CompareGpu = "nvidia-h100-sxm", Engine = engine }.Answer(Catalog);
        var g = report.Gpu!;

        var cost = new CostRequest
        {
            Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 8, Input = 1000, Output = 1000, Batch = report.Estimate.SequencesInFlight, Engine = engine,
        }.Answer(Catalog);

        Assert.Equal(report.Estimate.SequencesInFlight, g.Batch);
        Assert.Equal(cost.Serving.Decode.TokensPerSecondPerUser.Value, g.TokensPerSecondPerUser.Value, 9);
        Assert.Equal(cost.Serving.Extrapolating, g.Extrapolating);
        var band = cost.Serving.ThroughputBand;
        Assert.Equal(g.TokensPerSecondPerUser.Value * band.Low, g.TokensPerSecondPerUserBand!.P10, 9);
        Assert.Equal(g.TokensPerSecondPerUser.Value * band.High, g.TokensPerSecondPerUserBand.P90, 9);
        Assert.Equal(g.SpeedRatio / band.High, g.SpeedRatioBand!.P10, 12);
        Assert.Equal(g.SpeedRatio / band.Low, g.SpeedRatioBand.P90, 12);
    }

    [Fact]
    public void WithoutAComparedGpu_ItsFieldsAreRefusedByName()
    {
        var e = Assert.Throws<InvalidInputException>(() => new DataflowRequest { Model = "llama-3.3-70b", Gpu = "groq-lpu-v1", CompareGpus = 4 }.Answer(Catalog));
        Assert.Equal("compareGpus", e.Field);
        Assert.Null(new DataflowRequest { Model = "llama-3.3-70b", Gpu = "groq-lpu-v1" }.Answer(Catalog).Gpu);
    }
}
