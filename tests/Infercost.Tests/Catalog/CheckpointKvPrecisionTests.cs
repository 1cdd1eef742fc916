using Infercost.Catalog;
using Infercost.Models;
using Infercost.Serving;
using Xunit;
using ModelCatalog = Infercost.Catalog.Catalog;

namespace Infercost.Tests.Catalog;

// A ModelOpt export names the KV-cache format its scales were calibrated for (kv_cache_quant_algo); compressed-tensors
// says it in kv_cache_scheme. That is the cache the checkpoint is served with unless the user says otherwise.
public class CheckpointKvPrecisionTests
{
    private static string ReadConfig(string file) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Catalog", "HfConfigs", file));

    private static ModelArchitecture Nvfp4Qwen() => HuggingFaceConfig.Parse(ReadConfig("Qwen--Qwen3-30B-A3B_config.json"), "q", "config.json",
        ReadConfig("nvidia--Qwen3-30B-A3B-NVFP4_hf_quant_config.json"), "hf_quant_config.json");

    [Fact]
    public void HfQuantConfig_KvCacheQuantAlgo_IsTheDefaultCachePrecision()
    {
        // Given nvidia/Qwen3-30B-A3B-NVFP4, whose hf_quant_config.json says kv_cache_quant_algo FP8
        var model = Nvfp4Qwen();

        // Then its cache defaults to FP8, and the notes say where from and how to override it
        Assert.Equal(Precision.Fp8, model.DefaultKvPrecision);
        Assert.Contains(model.Source.Notes, n => n == "KV cache fp8 by default, as hf_quant_config.json kv_cache_quant_algo FP8 says (--kv overrides).");
    }

    [Fact]
    public void Serving_UsesTheCheckpointsCache_UnlessAPrecisionIsGiven()
    {
        // Given the NVFP4 checkpoint on one B200
        var model = Nvfp4Qwen();
        var gpu = ModelCatalog.Embedded.GetAccelerator("nvidia-b200");

        // When it is set up without a KV precision, and with bf16 given
        var byDefault = new ServingSetup(model, gpu, Parallelism.Single, new ServingConfig { TotalDevices = 1 });
        var given = new ServingSetup(model, gpu, Parallelism.Single, new ServingConfig { TotalDevices = 1, KvPrecision = Precision.Bf16 });

        // Then the default is the checkpoint's FP8 and a given precision wins; a model that names none stays bf16
        Assert.Equal(Precision.Fp8, byDefault.KvPrecision);
        Assert.Equal(Precision.Bf16, given.KvPrecision);
        var plain = new ServingSetup(ModelCatalog.Embedded.GetModel("qwen3-30b-a3b"), gpu, Parallelism.Single, new ServingConfig { TotalDevices = 1 });
        Assert.Equal(Precision.Bf16, plain.KvPrecision);
    }

    [Theory]
    [InlineData("""{ "quant_method": "compressed-tensors", "format": "float-quantized", "kv_cache_scheme": { "num_bits": 8, "type": "float" } }""", Precision.Fp8)]
    [InlineData("""{ "quant_method": "modelopt", "quant_algo": "FP8", "kv_cache_quant_algo": "FP8" }""", Precision.Fp8)]
    public void QuantizationConfig_KvScheme_IsRead(string quantizationConfig, Precision expected)
    {
        // Given a Llama config carrying the quantisation block inline
        var text = ReadConfig("meta-llama--Llama-3.1-8B_config.json").TrimEnd().TrimEnd('}') + $", \"quantization_config\": {quantizationConfig} }}";

        // When it is read
        var model = HuggingFaceConfig.Parse(text, "l", "config.json");

        // Then the cache precision is the scheme's
        Assert.Equal(expected, model.DefaultKvPrecision);
    }

    [Fact]
    public void UnknownKvAlgo_IsRefusedWithTheFlagThatSetsIt()
    {
        // Given an hf_quant_config.json naming a KV format this reader does not know
        var quant = """{ "quantization": { "quant_algo": "FP8", "kv_cache_quant_algo": "FP6" } }""";

        // When it is read
        var e = Assert.Throws<InvalidInputException>(() => HuggingFaceConfig.Parse(ReadConfig("meta-llama--Llama-3.1-8B_config.json"), "l", "config.json", quant, "hf_quant_config.json"));

        // Then the field and the flag are named
        Assert.Contains("quantization.kv_cache_quant_algo: \"FP6\" is not a KV-cache format this reader knows (accepted: FP8, NVFP4, INT8, or null); set the cache precision with --kv", e.Message, StringComparison.Ordinal);
    }
}
