using Infercost.Catalog;
using Xunit;

namespace Infercost.Tests.Catalog;

public class CheckpointQuantizationTests
{
    private static string ReadConfig(string file) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Catalog", "HfConfigs", file));

    // Qwen3-30B-A3B's config.json says bfloat16; NVIDIA's NVFP4 release ships the same config with hf_quant_config.json beside it.
    [Fact]
    public void HfQuantConfig_BesideConfig_SetsThePrecision()
    {
        // Given the Qwen3-30B-A3B config and the hf_quant_config.json of nvidia/Qwen3-30B-A3B-NVFP4
        var config = ReadConfig("Qwen--Qwen3-30B-A3B_config.json");
        var quant = ReadConfig("nvidia--Qwen3-30B-A3B-NVFP4_hf_quant_config.json");

        // When both are read
        var model = HuggingFaceConfig.Parse(config, "q", "config.json", quant, "hf_quant_config.json");

        // Then the weights are FP4 (only the routers and lm_head are excluded), and the source names both files
        Assert.Equal(Precision.Fp4, model.DefaultWeightPrecision);
        Assert.Null(model.DefaultExpertPrecision);
        Assert.Equal(["config.json", "hf_quant_config.json"], model.Source.Sources);
        Assert.Contains(model.Source.Notes, n => n.Contains("NVFP4", StringComparison.Ordinal) && n.Contains("lm_head", StringComparison.Ordinal));
    }

    [Fact]
    public void ModelOptWithoutQuantMethod_IsReadAsModelOpt()
    {
        // Given a DeepSeek-R1 config whose quantization_config is a ModelOpt export with quant_algo and no quant_method,
        // excluding attention
        var json = ReadConfig("deepseek-ai--DeepSeek-R1_config.json");
        var start = json.IndexOf("\"quantization_config\"", StringComparison.Ordinal);
        var end = json.IndexOf('}', start) + 1;
        json = json[..start] + "\"quantization_config\": { \"quant_algo\": \"NVFP4\", \"exclude_modules\": [\"model.layers.*.self_attn*\", \"lm_head\"] }" + json[end..];

        // When it is read
        var model = HuggingFaceConfig.Parse(json, "d", "ds.json");

        // Then routed experts are FP4 and attention keeps the checkpoint's bf16
        Assert.Equal(Precision.Bf16, model.DefaultWeightPrecision);
        Assert.Equal(Precision.Fp4, model.DefaultExpertPrecision);
    }

    [Theory]
    [InlineData("""{ "quant_method": "compressed-tensors", "format": "float-quantized", "config_groups": { "group_0": { "weights": { "num_bits": 8, "type": "float" }, "targets": ["Linear"] } }, "ignore": ["lm_head"] }""", Precision.Fp8)]
    [InlineData("""{ "quant_method": "compressed-tensors", "format": "nvfp4-pack-quantized", "config_groups": { "group_0": { "weights": { "num_bits": 4, "type": "float" } } } }""", Precision.Fp4)]
    [InlineData("""{ "quant_method": "awq", "bits": 4, "group_size": 128 }""", Precision.Int4)]
    [InlineData("""{ "quant_method": "gptq", "bits": 8 }""", Precision.Int8)]
    [InlineData("""{ "quant_method": "bitsandbytes", "load_in_4bit": true, "bnb_4bit_quant_type": "nf4" }""", Precision.Int4)]
    [InlineData("""{ "quant_method": "fp8", "weight_block_size": [128, 128] }""", Precision.Fp8)]
    public void CommonQuantizationConfigs_SetTheWeightPrecision(string quantizationConfig, Precision expected)
    {
        // Given a dense config carrying one of the common quantization_config forms
        var json = ReadConfig("meta-llama--Llama-3.1-8B_config.json")
            .Replace("\"vocab_size\": 128256", "\"vocab_size\": 128256, \"quantization_config\": " + quantizationConfig, StringComparison.Ordinal);

        // When it is read
        var model = HuggingFaceConfig.Parse(json, "l", "llama.json");

        // Then the weights have that precision
        Assert.Equal(expected, model.DefaultWeightPrecision);
    }

    [Theory]
    [InlineData("""{ "quant_method": "exl3", "bits": 3 }""", "quantization_config.quant_method")]
    [InlineData("""{ "bits": 4 }""", "quantization_config.quant_method")]
    [InlineData("""{ "quant_method": "gptq", "bits": 3 }""", "quantization_config.bits")]
    public void QuantisationThatCannotBeTold_IsRefusedWithTheFlagThatSetsIt(string quantizationConfig, string field)
    {
        // Given a config that says it is quantised in a way the reader cannot tell
        var json = ReadConfig("meta-llama--Llama-3.1-8B_config.json")
            .Replace("\"vocab_size\": 128256", "\"vocab_size\": 128256, \"quantization_config\": " + quantizationConfig, StringComparison.Ordinal);

        // When it is read
        var e = Assert.Throws<InvalidInputException>(() => HuggingFaceConfig.Parse(json, "l", "llama.json"));

        // Then it is not read as bf16: the field is named with the flag that sets the precision
        Assert.Equal(field, e.Field);
        Assert.Contains("--weights", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MixedPrecisionHfQuantConfig_QuantisesTheListedExperts()
    {
        // Given DeepSeek-V4-Flash's MIXED_PRECISION hf_quant_config.json (NVFP4 experts; attention, shared experts, head
        // and MTP excluded) beside a config the reader can shape (DeepSeek-R1's, whose config.json it cannot be: V4's own
        // config is refused, see below)
        var quant = ReadConfig("nvidia--DeepSeek-V4-Flash-NVFP4_hf_quant_config.json");
        var config = ReadConfig("deepseek-ai--DeepSeek-R1_config.json");
        var start = config.IndexOf("\"quantization_config\"", StringComparison.Ordinal);
        config = config[..start] + "\"torch_dtype\": \"bfloat16\"," + config[(config.IndexOf('}', start) + 2)..];

        // When they are read
        var model = HuggingFaceConfig.Parse(config, "d", "config.json", quant, "hf_quant_config.json");

        // Then the experts are FP4 and the rest keeps bf16
        Assert.Equal(Precision.Fp4, model.DefaultExpertPrecision);
        Assert.Equal(Precision.Bf16, model.DefaultWeightPrecision);
    }

    [Fact]
    public void DeepSeekV4_CompressedAttention_IsRefusedByName()
    {
        // Given nvidia/DeepSeek-V4-Flash-NVFP4's config.json, whose attention compresses the KV cache per layer
        // When it is read
        var e = Assert.Throws<InvalidInputException>(() =>
            HuggingFaceConfig.Parse(ReadConfig("nvidia--DeepSeek-V4-Flash-NVFP4_config.json"), "v4", "config.json"));

        // Then the field that makes it unmodelled is named with what it is
        Assert.Equal("compress_ratios", e.Field);
        Assert.Contains("compressed attention", e.Message, StringComparison.Ordinal);
    }
}
