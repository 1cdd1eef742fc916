using Infercost.Quantities;
using Infercost.Serving;
using Xunit;

namespace Infercost.Tests.Serving;

public class CommunicationTests
{
    // 70% of link peak and 10 µs per collective, stated here so the arithmetic does not depend on calibration.
    private static readonly EfficiencyFactors Links =
        EfficiencyFactors.Ideal with { LinkEfficiency = 0.7, CollectiveLatency = Seconds.FromMicroseconds(10) };

    private static readonly ServingSetup Setup = Fixtures.Setup(Fixtures.Llama70B, Fixtures.H100, new Parallelism(Tensor: 8), Links);

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-1)]
    public void AllReduce_OneDeviceOrFewer_IsFree(int devices)
    {
        // Given no peer to talk to
        // When an all-reduce is timed
        var time = Communication.AllReduce(Setup, Bytes.FromMegabytes(1), devices);

        // Then it costs nothing, not even latency
        Assert.Equal(Seconds.Zero, time);
    }

    [Theory]
    [InlineData(2, 1.0)]
    [InlineData(4, 1.5)]
    [InlineData(8, 1.75)]
    public void AllReduce_RingMovesTwoTimesNMinusOneOverNOfTheMessage(int devices, double ringFactor)
    {
        // Given a 1 MB message on the NVLink domain (70% of 450 GB/s, 10 µs latency)
        var message = Bytes.FromMegabytes(1);

        // When an all-reduce is timed
        var time = Communication.AllReduce(Setup, message, devices);

        // Then latency + 2(n−1)/n × message / effective link
        var link = BytesPerSecond.FromGigabytesPerSecond(450) * 0.7;
        Assert.Equal((Seconds.FromMicroseconds(10) + message * ringFactor / link).Value, time.Value, 1e-15);
    }

    [Fact]
    public void AllReduce_BeyondTheScaleUpDomain_UsesTheNetwork()
    {
        // Given a 1 GB message (bandwidth-dominated) over 8 devices and over 16, more than an 8-GPU NVLink domain
        var inside = Communication.AllReduce(Setup, Bytes.FromGigabytes(1), 8);
        var outside = Communication.AllReduce(Setup, Bytes.FromGigabytes(1), 16);

        // Then the 50 GB/s NIC, not 450 GB/s NVLink, carries it: 9x slower, times the ring's 1.875/1.75
        var latency = Links.CollectiveLatency;
        Assert.Equal(450.0 / 50 * (1.875 / 1.75), (outside - latency) / (inside - latency), 1e-9);
    }

    [Fact]
    public void ForPass_TensorParallel_IsTwoAllReducesPerLayer()
    {
        // Given TP8 and 100 tokens of activations
        var pass = Communication.ForPass(Setup, tokensPerTensorGroup: 100, layersFraction: 1);

        // Then 2 × 80 all-reduces of 100 × 8192 × 2 B
        var one = Communication.AllReduce(Setup, Bytes.FromBytes(100 * 8192 * 2.0), 8);
        Assert.Equal((one * 160).Value, pass.Value, 1e-15);
    }

    [Fact]
    public void ForPass_SingleDevice_IsFree()
    {
        var single = Fixtures.Setup(Fixtures.Llama8B, Fixtures.H100);
        Assert.Equal(Seconds.Zero, Communication.ForPass(single, 1000, 1));
    }
}
