using Infercost.Catalog;
using Infercost.Models;
using Infercost.Serving;
using Xunit;

namespace Infercost.Tests.Models;

// Block-scaled 4-bit formats store a scale (and, for integer groups, a zero point) beside every block of values. The
// figures here are each format's definition: NVFP4 (NVIDIA: E2M1 values, one FP8 E4M3 scale per 16), MXFP4 (OCP
// Microscaling spec v1.0: E2M1, one E8M0 scale per 32), AWQ/GPTQ int4 (one fp16 scale and one packed 4-bit zero point per
// group, 128 by default). See docs/methodology.md#precision.
public class BlockScaleTests
{
    private static string ReadConfig(string file) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Catalog", "HfConfigs", file));

    private static readonly global::Infercost.Catalog.Catalog Catalog = global::Infercost.Catalog.Catalog.Embedded;

    private static ServingSetup Setup(ModelArchitecture model, string accelerator, ServingConfig config) =>
        new(model, Catalog.GetAccelerator(accelerator), Parallelism.Single, config.Validated());

    public static TheoryData<string, double> Definitions => new()
    {
        // format, (value bits + scale bits / block) / 8
        { "nvfp4", (4 + (8.0 / 16)) / 8 },
        { "mxfp4", (4 + (8.0 / 32)) / 8 },
        { "int4 g128", (4 + ((16.0 + 4) / 128)) / 8 },
        { "int4 g64", (4 + ((16.0 + 4) / 64)) / 8 },
        { "int4 per-channel", 0.5 },
        { "fp8", 1 },
        { "bf16", 2 },
    };

    private static StorageFormat Format(string name) => name switch
    {
        "nvfp4" => StorageFormat.Of(Precision.Fp4, BlockScales.Nvfp4),
        "mxfp4" => StorageFormat.Of(Precision.Fp4, BlockScales.Mxfp4),
        "int4 g128" => StorageFormat.Of(Precision.Int4, BlockScales.IntGroups(128)),
        "int4 g64" => StorageFormat.Of(Precision.Int4, BlockScales.IntGroups(64)),
        "int4 per-channel" => StorageFormat.Of(Precision.Int4, BlockScales.IntGroups(-1)),
        "fp8" => StorageFormat.Of(Precision.Fp8),
        _ => StorageFormat.Of(Precision.Bf16),
    };

    [Theory]
    [MemberData(nameof(Definitions))]
    public void BytesPerElement_IsTheFormatsDefinition(string format, double expected)
    {
        Assert.Equal(expected, Format(format).BytesPerElement, 12);
        Assert.Equal(expected * 8, Format(format).BitsPerElement, 12);
    }

    [Fact]
    public void FourBitPrecision_WithoutALayout_IsRefused()
    {
        // A 4-bit tensor's bytes depend on its scales: there is no silent 0.5 byte
        Assert.Throws<ArgumentException>(() => StorageFormat.Of(Precision.Fp4));
        Assert.Throws<ArgumentException>(() => KvCache.BytesPerToken(Fixtures.Llama70B, Precision.Int4));
    }

    [Theory]
    // device, layout of plain fp4 there, bits per element
    [InlineData("nvidia-b200", "nvfp4", 4.5)]
    [InlineData("amd-mi355x", "mxfp4", 4.25)]
    public void MemoryPlan_Fp4Weights_AreParametersTimesBitsOver8(string device, string layout, double bits)
    {
        // Given Llama 3.1 8B with every weight in fp4 (an explicit --weights applies to the embedding and head too)
        var setup = Setup(Fixtures.Llama8B, device, new ServingConfig { TotalDevices = 1, WeightPrecision = Precision.Fp4 });

        // When memory is planned
        var plan = MemoryPlanner.Plan(setup, 2000);

        // Then the weights are parameters × bits / 8, in the device's default FP4 layout
        Assert.Equal(layout, setup.Scales.Format(Precision.Fp4).Name);
        Assert.Equal(setup.Parameters.Total * bits / 8, plan.Weights.Value, 1e-3);
    }

    [Fact]
    public void MemoryPlan_RequestedLayout_OverridesTheDevicesDefault()
    {
        // Given the same model on a B200 (default NVFP4) with MXFP4 asked for (--weights mxfp4)
        var setup = Setup(Fixtures.Llama8B, "nvidia-b200", new ServingConfig { TotalDevices = 1, WeightPrecision = Precision.Fp4, Fp4Format = Fp4Format.Mxfp4 });

        // Then every weight is 4.25 bits
        Assert.Equal(setup.Parameters.Total * 4.25 / 8, MemoryPlanner.Plan(setup, 2000).Weights.Value, 1e-3);
    }

    [Fact]
    public void KvCache_Fp4_CountsNvfp4Scales()
    {
        // Given Llama 3.3 70B: 80 layers × 2 (K, V) × 8 KV heads × 128 = 163,840 elements per token (327,680 B at bf16,
        // Mazurek & Gabriel 2025), with an fp4 cache on a B200
        var setup = Setup(Fixtures.Llama70B, "nvidia-b200", new ServingConfig { TotalDevices = 1, WeightPrecision = Precision.Fp4, KvPrecision = Precision.Fp4 });
        const double elements = 80 * 2 * 8 * 128;

        // Then a token caches 163,840 × 4.5 / 8 = 92,160 bytes, and a sequence of 2,000 tokens 2,000 times that
        Assert.Equal(elements * 4.5 / 8, MemoryPlanner.Plan(setup, 2000).KvBytesPerToken.Value, 6);
        Assert.Equal(92_160, KvCache.BytesPerToken(Fixtures.Llama70B, setup.KvFormat).Value, 6);
        Assert.Equal(2000 * 92_160.0, setup.KvPerDevice(1, 2000).Value, 3);
    }

    [Fact]
    public void Checkpoints_NameTheirLayout_Mxfp4ForGptOss_Nvfp4ForModelOpt()
    {
        // Given gpt-oss-120b's config (quant_method mxfp4) and nvidia/Qwen3-30B-A3B-NVFP4 (ModelOpt quant_algo NVFP4)
        var gptOss = HuggingFaceConfig.Parse(ReadConfig("openai--gpt-oss-120b_config.json"), "g", "config.json");
        var qwen = HuggingFaceConfig.Parse(ReadConfig("Qwen--Qwen3-30B-A3B_config.json"), "q", "config.json",
            ReadConfig("nvidia--Qwen3-30B-A3B-NVFP4_hf_quant_config.json"), "hf_quant_config.json");

        // Then each carries its own layout
        Assert.Equal(BlockScales.Mxfp4, gptOss.Fp4Scales);
        Assert.Equal(BlockScales.Nvfp4, qwen.Fp4Scales);

        // And on one B200 (whose default is NVFP4) gpt-oss's experts stay MXFP4: routed experts × 4.25 / 8 bytes
        var setup = Setup(gptOss, "nvidia-b200", new ServingConfig { TotalDevices = 1 });
        Assert.Equal(Precision.Fp4, setup.ExpertPrecision);
        Assert.Equal(setup.Parameters.RoutedExpertsTotal * 4.25 / 8, setup.ExpertWeightBytes.Value, 1e-3);

        // And the catalog entry says the same (defaultExpertPrecision "mxfp4")
        Assert.Equal(BlockScales.Mxfp4, Catalog.GetModel("gpt-oss-120b").Fp4Scales);
    }

    [Theory]
    // quantization_config, int4 bits per element
    [InlineData("""{ "quant_method": "awq", "bits": 4, "group_size": 64 }""", 4 + (20.0 / 64))]
    [InlineData("""{ "quant_method": "awq", "bits": 4, "group_size": 128, "zero_point": false }""", 4 + (16.0 / 128))]
    [InlineData("""{ "quant_method": "gptq", "bits": 4, "group_size": -1 }""", 4)]
    [InlineData("""{ "quant_method": "gptq", "bits": 4 }""", 4 + (20.0 / 128))]
    public void Int4Checkpoint_GroupSize_IsRead(string quantizationConfig, double bits)
    {
        // Given Llama 3.1 8B's config with an int4 quantization_config
        var json = ReadConfig("meta-llama--Llama-3.1-8B_config.json");
        var at = json.IndexOf('{', StringComparison.Ordinal) + 1;
        var model = HuggingFaceConfig.Parse(json[..at] + " \"quantization_config\": " + quantizationConfig + "," + json[at..], "m", "config.json");

        // Then its int4 tensors are stored at the group's bits per element
        Assert.Equal(Precision.Int4, model.DefaultWeightPrecision);
        var setup = Setup(model, "nvidia-h100-sxm", new ServingConfig { TotalDevices = 1 });
        Assert.Equal(bits / 8, setup.Scales.BytesPerElement(Precision.Int4), 12);
    }

    [Fact]
    public void PoolSpec_NamesItsLayout_AndRefusesTwo()
    {
        // A pool's weights=mxfp4 is fp4 in MXFP4; weights and kv naming different layouts contradict each other
        var pool = Infercost.Requests.PoolSpec.Parse("gpu=amd-mi355x,gpus=8,weights=mxfp4");
        Assert.Equal(Precision.Fp4, pool.Weights);
        Assert.Equal(Fp4Format.Mxfp4, pool.Fp4Format);
        Assert.Null(Infercost.Requests.PoolSpec.Parse("gpus=8,weights=fp4").Fp4Format);
        var error = Assert.Throws<InvalidInputException>(() => Infercost.Requests.PoolSpec.Parse("gpus=8,weights=mxfp4,kv=nvfp4"));
        Assert.Contains("different FP4 layouts", error.Message, StringComparison.Ordinal);
    }
}
