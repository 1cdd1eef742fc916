using Infercost.Hardware;
using Infercost.Quantities;
using Infercost.Serialization;
using Infercost.Serving;
using Xunit;
using ModelCatalog = Infercost.Catalog.Catalog;

namespace Infercost.Tests.Serving;

public class TorusCollectivesTests
{
    private static readonly Accelerator V6e = ModelCatalog.Embedded.GetAccelerator("google-tpu-v6e");
    private static readonly Accelerator V5e = ModelCatalog.Embedded.GetAccelerator("google-tpu-v5e");
    private static readonly Accelerator V7 = ModelCatalog.Embedded.GetAccelerator("google-tpu-v7");

    [Theory]
    [InlineData(2, "1x2")]
    [InlineData(4, "2x2")]
    [InlineData(8, "2x4")]
    [InlineData(16, "4x4")]
    [InlineData(32, "4x8")]
    [InlineData(64, "8x8")]
    [InlineData(128, "8x16")]
    [InlineData(256, "16x16")]
    public void SliceShape_2d_IsGooglesV5eShape(int chips, string shape)
    {
        // Given the v5e page's slice table (1x1, 2x2, 2x4, 4x4, 4x8, 8x8, 8x16, 16x16)
        // Then a group of that many chips gets that shape
        Assert.Equal(shape, TorusCollectives.ShapeText(TorusCollectives.SliceShape(chips, 2)));
    }

    [Theory]
    [InlineData(4, "2x2")]
    [InlineData(8, "2x2x2")]
    [InlineData(32, "2x4x4")]
    [InlineData(64, "4x4x4")]
    [InlineData(128, "4x4x8")]
    public void SliceShape_3d_IsGooglesV5pShape(int chips, string shape)
    {
        // Given the v5p page's slice table (2x2x1, 2x2x2, 2x4x4, 4x4x4, 4x4x8)
        Assert.Equal(shape, TorusCollectives.ShapeText(TorusCollectives.SliceShape(chips, 3)));
    }

    [Theory]
    [InlineData(new[] { 2, 2, 2 }, false)]
    [InlineData(new[] { 2, 4, 4 }, false)]
    [InlineData(new[] { 4, 4, 4 }, true)]
    [InlineData(new[] { 4, 4, 8 }, true)]
    public void Wraps_3d_OnlyFromOneCube(int[] shape, bool wraps) =>
        // v5p page: "All 4x4x4 and larger slices (one cube) have full 3D torus"
        Assert.Equal(wraps, TorusCollectives.Wraps(shape, 3));

    [Fact]
    public void AllReduce_2x2_ByHand()
    {
        // Given a 2x2 v5e slice: 200 GB/s per chip per direction over 4 ports = 50 GB/s per link, rings on both axes
        // (k = 2 links per chip per axis), 1 µs per ring step, and a 1 MB message
        var link = TorusCollectives.LinkBandwidth(BytesPerSecond.FromGigabytesPerSecond(200), 2);
        Assert.Equal(50e9, link.Value, 1e-3);

        // When it is all-reduced
        var time = TorusCollectives.AllReduce(Bytes.FromBytes(1e6), [2, 2], wraps: true, link, Seconds.FromMicroseconds(1));

        // Then axis 1: 2 × 1 MB × 1/2 ÷ (2 × 50 GB/s) = 10 µs + 2 steps; axis 2 on the 0.5 MB shard: 5 µs + 2 steps
        Assert.Equal(10e-6 + 2e-6 + 5e-6 + 2e-6, time.Value, 1e-15);
    }

    [Fact]
    public void AllReduce_4x4_ByHand()
    {
        // Given a 4x4 slice at 50 GB/s per link and 1 µs per step
        var link = BytesPerSecond.FromGigabytesPerSecond(50);
        var time = TorusCollectives.AllReduce(Bytes.FromBytes(1e6), [4, 4], wraps: true, link, Seconds.FromMicroseconds(1));

        // Then axis 1: 2 × 1 MB × 3/4 ÷ 100 GB/s = 15 µs + 6 steps; axis 2 on 0.25 MB: 3.75 µs + 6 steps
        Assert.Equal(15e-6 + 6e-6 + 3.75e-6 + 6e-6, time.Value, 1e-15);
        // and the bandwidth part is the ring over all 16 chips at one axis's links: 2 × 1 MB × 15/16 ÷ 100 GB/s
        Assert.Equal(2 * 1e6 * 15 / 16 / 100e9, time.Value - 12e-6, 1e-15);
    }

    [Fact]
    public void AllReduce_3dMeshBelowACube_UsesOneLinkPerAxis()
    {
        // Given a 2x2x2 slice without wraparound at 100 GB/s per link
        var time = TorusCollectives.AllReduce(Bytes.FromBytes(1e6), [2, 2, 2], wraps: false, BytesPerSecond.FromGigabytesPerSecond(100), Seconds.FromMicroseconds(1));

        // Then each axis is a line (k = 1): 10 + 5 + 2.5 µs of bandwidth, 2 steps per axis
        Assert.Equal(17.5e-6 + 6e-6, time.Value, 1e-15);
    }

    [Fact]
    public void AllToAll_2x4_IsTheBusiestAxisBisection()
    {
        // Given a 2x4 ring slice at 100 GB/s per link, 1 MB sent per chip
        var time = TorusCollectives.AllToAll(Bytes.FromBytes(1e6), [2, 4], wraps: true, BytesPerSecond.FromGigabytesPerSecond(100), Seconds.FromMicroseconds(1));

        // Then max(1 MB × 4 ÷ (4 × 2 × 100 GB/s), 1 MB × 2 ÷ (8 × 100 GB/s)) = 5 µs, plus a diameter of 2 + 1 hops
        Assert.Equal(5e-6 + 3e-6, time.Value, 1e-15);
    }

    [Fact]
    public void Catalog_TpusAreTori_GpusAreSwitches()
    {
        Assert.Equal(Interconnect.Torus2d, V5e.Interconnect);
        Assert.Equal(Interconnect.Torus2d, V6e.Interconnect);
        Assert.Equal(Interconnect.Torus3d, V7.Interconnect);
        Assert.All(ModelCatalog.Embedded.Accelerators.Where(a => a.Vendor is "NVIDIA" or "AMD"), a => Assert.Equal(Interconnect.Switch, a.Interconnect));
    }

    [Fact]
    public void DecodeStep_V6eTp8_UsesTheTorusNotTheSwitch()
    {
        // Given Llama 70B at TP8 on v6e, and the same chip described as if its ICI were a switch
        var torus = Fixtures.Setup(Fixtures.Llama70B, V6e, new Parallelism(Tensor: 8));
        var switched = Fixtures.Setup(Fixtures.Llama70B, V6e with { Interconnect = Interconnect.Switch }, new Parallelism(Tensor: 8));

        // When a decode step of 64 sequences is priced on each
        var onTorus = DecodeModel.Step(torus, 64, 1500);
        var onSwitch = DecodeModel.Step(switched, 64, 1500);

        // Then the torus step's communication is 2 × 80 all-reduces of 64 × 8192 × 2 B on a 2x4 slice: per all-reduce
        // axis 4: 2·B·3/4 ÷ (2 × 100 GB/s) + 6 µs, axis 2: 2·(B/4)·1/2 ÷ 200 GB/s + 2 µs
        var b = 64 * 8192 * 2.0;
        var one = 2 * b * 0.75 / 200e9 + 6e-6 + 2 * (b / 4) * 0.5 / 200e9 + 2e-6;
        Assert.Equal(160 * one, onTorus.CommunicationTime.Value, 1e-12);
        // and the two steps differ by exactly the difference of their communication (nothing else moved)
        Assert.NotEqual(onSwitch.CommunicationTime.Value, onTorus.CommunicationTime.Value, 6);
        Assert.Equal((onSwitch.CommunicationTime - onTorus.CommunicationTime).Value, (onSwitch.StepTime - onTorus.StepTime).Value, 1e-12);
    }

    [Fact]
    public void Estimate_Tpu_SaysWhichConstantsAreGpuFitted()
    {
        // Given a v6e TP8 estimate
        var config = new ServingConfig { TotalDevices = 8, Parallelism = new Parallelism(Tensor: 8), Batch = 64 };
        var estimate = ServingEstimator.Estimate(Fixtures.Llama70B, V6e, config);

        // Then its JSON and notes name the GPU-fitted constants and the torus its all-reduces ran on
        Assert.NotNull(estimate.GpuDerivedConstants);
        Assert.Contains(estimate.GpuDerivedConstants, c => c.StartsWith("GEMM curve (hopper", StringComparison.Ordinal));
        Assert.Contains(estimate.GpuDerivedConstants, c => c.StartsWith("matmulMfu", StringComparison.Ordinal));
        Assert.DoesNotContain(estimate.GpuDerivedConstants, c => c.Contains("collectiveLatency", StringComparison.Ordinal));
        Assert.Contains(estimate.Notes, n => n.Contains("2x4 ICI torus2d slice", StringComparison.Ordinal));
        Assert.Contains(estimate.Notes, n => n.Contains("fitted on GPUs enter its step", StringComparison.Ordinal));
        Assert.Contains("\"gpuDerivedConstants\"", InfercostJson.Serialize(estimate), StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_Tpu_BeyondItsSlice_NamesTheGpuLinkTerms()
    {
        // Given a user's torus part whose domain is 4 chips, at TP8: the all-reduce leaves the torus for the network
        var small = V6e with { ScaleUpDomain = 4 };
        var config = new ServingConfig { TotalDevices = 8, Parallelism = new Parallelism(Tensor: 8), Batch = 8 };
        var estimate = ServingEstimator.Estimate(Fixtures.Llama70B, small, config);

        // Then the GPU-fitted link terms price it, and the list says so
        Assert.Contains(estimate.GpuDerivedConstants!, c => c.StartsWith("collectiveLatency", StringComparison.Ordinal));
        Assert.DoesNotContain(estimate.Notes, n => n.Contains("ICI torus2d slice", StringComparison.Ordinal));
    }

    [Fact]
    public void Estimate_Gpu_HasNoGpuDerivedListAndNoInterconnectInJson()
    {
        // Given an H100 estimate
        var config = new ServingConfig { TotalDevices = 8, Parallelism = new Parallelism(Tensor: 8), Batch = 64 };
        var estimate = ServingEstimator.Estimate(Fixtures.Llama70B, Fixtures.H100, config);

        // Then nothing new appears in its JSON or its accelerator's
        Assert.Null(estimate.GpuDerivedConstants);
        Assert.DoesNotContain("gpuDerivedConstants", InfercostJson.Serialize(estimate), StringComparison.Ordinal);
        var gpu = InfercostJson.Serialize(ModelCatalog.Embedded.GetAccelerator("nvidia-h100-sxm"));
        Assert.DoesNotContain("interconnect", gpu, StringComparison.Ordinal);
        Assert.DoesNotContain("hopLatency", gpu, StringComparison.Ordinal);
        Assert.Contains("\"interconnect\": \"torus2d\"", InfercostJson.Serialize(V6e), StringComparison.Ordinal);
    }

    private const string UserTorus = """
        { "accelerators": [{
          "id": "my-tpu", "name": "My TPU", "vendor": "Example",
          "memoryGB": 32, "memoryBandwidthTBps": 1.6,
          "denseTflops": { "fp16": null, "bf16": 900, "fp8": null, "int8": null, "int4": null, "fp4": null },
          "scaleUpGBpsPerDirection": 600, "scaleUpDomain": 64, "interconnect": "torus3d", "hopLatencyUs": 2,
          "sources": ["test"], "asOf": "2026-12"
        }], "models": [] }
        """;

    [Fact]
    public void UserCatalog_TorusEntry_IsPricedOnItsTorus()
    {
        // Given a user's own accelerator that says it is a 3D torus with 2 µs hops
        var a = ModelCatalog.Parse(UserTorus, "mine.json").GetAccelerator("my-tpu");
        Assert.Equal(Interconnect.Torus3d, a.Interconnect);
        Assert.Equal(2e-6, a.HopLatency!.Value.Value, 1e-15);

        // When a TP8 pass is priced: a 2x2x2 mesh (below a cube), 600 ÷ 6 = 100 GB/s per link, one link per axis
        var setup = Fixtures.Setup(Fixtures.Llama70B, a, new Parallelism(Tensor: 8));
        var pass = Communication.ForPass(setup, tokensPerTensorGroup: 10, layersFraction: 1);

        // Then each of the 160 all-reduces of 10 × 8192 × 2 B takes (B + B/2 + B/4) ÷ 100 GB/s + 6 steps of 2 µs
        var b = 10 * 8192 * 2.0;
        Assert.Equal(160 * (1.75 * b / 100e9 + 12e-6), pass.Value, 1e-12);
    }

    [Theory]
    [InlineData("\"interconnect\": \"ring\"", "accelerators[0].interconnect: must be one of switch, torus2d, torus3d; was \"ring\"")]
    [InlineData("\"interconnect\": \"switch\", \"hopLatencyUs\": 1", "accelerators[0].hopLatencyUs: applies only to a torus interconnect")]
    [InlineData("\"interconnect\": \"torus2d\", \"hopLatencyUs\": -1", "accelerators[0].hopLatencyUs:")]
    public void UserCatalog_BadInterconnect_NamesTheField(string fields, string expected)
    {
        var json = UserTorus.Replace("\"interconnect\": \"torus3d\", \"hopLatencyUs\": 2", fields, StringComparison.Ordinal);
        var e = Assert.Throws<InvalidInputException>(() => ModelCatalog.Parse(json, "mine.json"));
        Assert.Contains(e.Problems, p => p.StartsWith(expected, StringComparison.Ordinal));
    }
}
