using Infercost.Catalog;
using Infercost.Models;
using Infercost.Serving;
using Xunit;

namespace Infercost.Tests.Catalog;

// Quantised checkpoints leave the LM head (and the input embedding, a lookup table) at the checkpoint dtype. The head is
// read whole every decode step, the embedding only held in memory; each is counted at its own precision. The real files
// are in HfConfigs (README.md gives each source).
public class EmbeddingPrecisionTests
{
    private static string ReadConfig(string file) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Catalog", "HfConfigs", file));

    private static ModelArchitecture QwenNvfp4() => HuggingFaceConfig.Parse(ReadConfig("Qwen--Qwen3-30B-A3B_config.json"), "q",
        "config.json", ReadConfig("nvidia--Qwen3-30B-A3B-NVFP4_hf_quant_config.json"), "hf_quant_config.json");

    private static ModelArchitecture WithQuantizationConfig(string file, string anchor, string quantizationConfig) =>
        HuggingFaceConfig.Parse(ReadConfig(file).Replace(anchor, anchor + ", \"quantization_config\": " + quantizationConfig, StringComparison.Ordinal), "m", file);

    [Fact]
    public void Nvfp4Export_ExcludingLmHead_KeepsTheHeadAndEmbeddingInBf16()
    {
        // Given nvidia/Qwen3-30B-A3B-NVFP4's hf_quant_config.json, whose exclude_modules lists the routers and lm_head
        var model = QwenNvfp4();

        // Then the weights are FP4 and both tables keep the config's bfloat16
        Assert.Equal(Precision.Fp4, model.DefaultWeightPrecision);
        Assert.Equal(Precision.Bf16, model.DefaultLmHeadPrecision);
        Assert.Equal(Precision.Bf16, model.DefaultEmbeddingPrecision);
        Assert.Contains(model.Source.Notes, n => n.Contains("lm_head bf16", StringComparison.Ordinal) && n.Contains("input embedding bf16", StringComparison.Ordinal));
    }

    [Fact]
    public void Nvfp4Export_ResidentBytes_CountBothTablesAtTwoBytes()
    {
        // Given the NVFP4 Qwen3-30B-A3B (V = 151,936, h = 2,048, untied) and the same shape with every table at FP4
        var model = QwenNvfp4();
        var allFp4 = model with { DefaultLmHeadPrecision = null, DefaultEmbeddingPrecision = null };
        var setup = Fixtures.Setup(model, Fixtures.H100, new Parallelism(Tensor: 2));
        var plain = Fixtures.Setup(allFp4, Fixtures.H100, new Parallelism(Tensor: 2));

        // Then the non-expert bytes differ by exactly two tables × V × h × (2 − 4.5/8): NVFP4 stores an E4M3 scale per 16
        // elements, 4.5 bits per element
        const double table = 151_936.0 * 2048;
        const double nvfp4 = (4 + (8.0 / 16)) / 8;
        Assert.Equal(2 * table * (2 - nvfp4), setup.NonExpertWeightBytes.Value - plain.NonExpertWeightBytes.Value);
        Assert.Equal(setup.ExpertWeightBytes, plain.ExpertWeightBytes);

        // And the memory plan's weights per device by that over TP
        var weights = MemoryPlanner.Plan(setup, 4096).Weights.Value - MemoryPlanner.Plan(plain, 4096).Weights.Value;
        Assert.Equal(2 * table * (2 - nvfp4) / 2, weights, 1e-6);
    }

    [Fact]
    public void Nvfp4Export_DecodeStepReads_TheHeadAtItsPrecisionButNotTheEmbedding()
    {
        // Given the NVFP4 Qwen3-30B-A3B and the same shape with every table at FP4, on TP 2
        var model = QwenNvfp4();
        var setup = Fixtures.Setup(model, Fixtures.H100, new Parallelism(Tensor: 2));
        var plain = Fixtures.Setup(model with { DefaultLmHeadPrecision = null, DefaultEmbeddingPrecision = null }, Fixtures.H100, new Parallelism(Tensor: 2));

        // When one decode step's weight reads are taken
        var read = setup.WeightBytesReadPerDevice(8, out _).Value;
        var readPlain = plain.WeightBytesReadPerDevice(8, out _).Value;

        // Then only the head's difference is read (a lookup reads b rows of the embedding, not the table):
        // V·h·(2 − 4.5/8) / TP, NVFP4 being 4.5 bits per element with its scales
        Assert.Equal(151_936.0 * 2048 * (2 - (4.5 / 8)) / 2, read - readPlain, 1e-6);
    }

    [Fact]
    public void Fp8Checkpoint_WithoutExclusions_KeepsTheHeadInBf16()
    {
        // Given DeepSeek-R1's published config: block fp8, no modules listed (its head is built in the default dtype)
        var model = HuggingFaceConfig.Parse(ReadConfig("deepseek-ai--DeepSeek-R1_config.json"), "r1", "config.json");
        var setup = Fixtures.Setup(model, Fixtures.H100, new Parallelism(Tensor: 8));
        var plain = Fixtures.Setup(model with { DefaultLmHeadPrecision = null, DefaultEmbeddingPrecision = null }, Fixtures.H100, new Parallelism(Tensor: 8));

        // Then both tables are bf16 beside fp8 weights: 2 × V × h × (2 − 1) more bytes
        Assert.Equal(Precision.Fp8, model.DefaultWeightPrecision);
        Assert.Equal(Precision.Bf16, model.DefaultLmHeadPrecision);
        Assert.Equal(Precision.Bf16, model.DefaultEmbeddingPrecision);
        Assert.Equal(2 * 129_280.0 * 7168 * (2 - 1), setup.NonExpertWeightBytes.Value - plain.NonExpertWeightBytes.Value);
    }

    [Fact]
    public void GptOss_Mxfp4Experts_LeaveNothingToSplit()
    {
        // Given gpt-oss-120b: MXFP4 experts; attention, router, embed_tokens and lm_head listed as not converted (bf16)
        var model = HuggingFaceConfig.Parse(ReadConfig("openai--gpt-oss-120b_config.json"), "g", "config.json");

        // Then the tables share the bf16 of the other weights: nothing separate to record
        Assert.Equal(Precision.Bf16, model.DefaultWeightPrecision);
        Assert.Equal(Precision.Fp4, model.DefaultExpertPrecision);
        Assert.Null(model.DefaultLmHeadPrecision);
        Assert.Null(model.DefaultEmbeddingPrecision);
    }

    [Fact]
    public void MixedPrecisionExport_HeadNotListed_KeepsTheDtype()
    {
        // Given DeepSeek-V4-Flash's MIXED_PRECISION file (NVFP4 experts only; "head" excluded) beside a bf16 config
        var quant = ReadConfig("nvidia--DeepSeek-V4-Flash-NVFP4_hf_quant_config.json");
        var config = ReadConfig("deepseek-ai--DeepSeek-R1_config.json");
        var start = config.IndexOf("\"quantization_config\"", StringComparison.Ordinal);
        config = config[..start] + "\"torch_dtype\": \"bfloat16\"," + config[(config.IndexOf('}', start) + 2)..];
        var model = HuggingFaceConfig.Parse(config, "d", "config.json", quant, "hf_quant_config.json");

        // Then the head and embedding are bf16 like every non-expert weight
        Assert.Equal(Precision.Bf16, model.DefaultWeightPrecision);
        Assert.Null(model.DefaultLmHeadPrecision);
        Assert.Null(model.DefaultEmbeddingPrecision);
    }

    [Theory]
    [InlineData("""{ "quant_method": "compressed-tensors", "format": "float-quantized", "config_groups": { "group_0": { "weights": { "num_bits": 8, "type": "float" }, "targets": ["Linear"] } }, "ignore": ["lm_head"] }""", Precision.Fp8, Precision.Bf16)]
    [InlineData("""{ "quant_method": "compressed-tensors", "format": "float-quantized", "config_groups": { "group_0": { "weights": { "num_bits": 8, "type": "float" }, "targets": ["Linear"] } }, "ignore": [] }""", Precision.Fp8, null)]
    [InlineData("""{ "quant_method": "awq", "bits": 4, "group_size": 128 }""", Precision.Int4, Precision.Bf16)]
    [InlineData("""{ "quant_method": "gptq", "bits": 4, "lm_head": true }""", Precision.Int4, null)]
    [InlineData("""{ "quant_method": "bitsandbytes", "load_in_8bit": true }""", Precision.Int8, Precision.Bf16)]
    [InlineData("""{ "quant_method": "modelopt", "quant_algo": "FP8", "exclude_modules": ["lm_head"] }""", Precision.Fp8, Precision.Bf16)]
    [InlineData("""{ "quant_method": "modelopt", "quant_algo": "FP8" }""", Precision.Fp8, null)]
    public void TheHeadFollowsTheExclusionsAndTheFormat(string quantizationConfig, Precision weights, Precision? head)
    {
        // Given Llama 3.1 8B (bfloat16) with one of the common quantization_config forms
        var model = WithQuantizationConfig("meta-llama--Llama-3.1-8B_config.json", "\"vocab_size\": 128256", quantizationConfig);

        // Then the head keeps bf16 where the config excludes it or the format never quantises it, and the embedding is bf16
        Assert.Equal(weights, model.DefaultWeightPrecision);
        Assert.Equal(head, model.DefaultLmHeadPrecision);
        Assert.Equal(Precision.Bf16, model.DefaultEmbeddingPrecision);
    }

    [Fact]
    public void Bf16Model_IsUnchangedToTheLastBit()
    {
        // Given Llama 3.1 8B's bfloat16 config
        var model = HuggingFaceConfig.Parse(ReadConfig("meta-llama--Llama-3.1-8B_config.json"), "l", "config.json");
        var setup = Fixtures.Setup(model, Fixtures.H100);

        // Then no table has a precision of its own, and the bytes are the parameter counts × 2 exactly
        Assert.Null(model.DefaultLmHeadPrecision);
        Assert.Null(model.DefaultEmbeddingPrecision);
        Assert.Equal(setup.Parameters.NonExpert * 2.0, setup.NonExpertWeightBytes.Value);
        Assert.Equal((setup.Parameters.NonExpert * 2.0 - setup.Parameters.InputEmbedding * 2.0) / 1, setup.WeightBytesReadPerDevice(1, out _).Value);
    }

    [Fact]
    public void ExplicitWeightPrecision_SetsTheTablesToo()
    {
        // Given the NVFP4 Qwen3-30B-A3B served with an explicit --weights fp8
        var setup = Fixtures.Setup(QwenNvfp4(), Fixtures.H100, weights: Precision.Fp8);

        // Then the head and embedding take it as every other non-expert weight does
        Assert.Equal(Precision.Fp8, setup.LmHeadPrecision);
        Assert.Equal(Precision.Fp8, setup.EmbeddingPrecision);
        Assert.Equal(setup.Parameters.NonExpert * 1.0, setup.NonExpertWeightBytes.Value);
    }

    [Fact]
    public void ServingEstimate_SaysTheTablesKeepTheirPrecision()
    {
        // Given the NVFP4 Qwen3-30B-A3B on one H100
        var model = QwenNvfp4();
        var estimate = ServingEstimator.Estimate(model, Fixtures.H100, new ServingConfig { TotalDevices = 1, InputTokens = 1000, OutputTokens = 200, Batch = 8 });

        // Then a note names both tables' precision beside the weights'
        Assert.Contains(estimate.Notes, n => n.Contains("the LM head is bf16 and the input embedding bf16 (other weights fp4)", StringComparison.Ordinal));
    }

    [Fact]
    public void CatalogEntry_MayStateTheTablePrecisions()
    {
        // Given a catalog entry with fp8 weights and a bf16 head
        const string json = """
            { "models": [ { "id": "m", "name": "M", "layers": 2, "hiddenSize": 64, "attentionHeads": 4, "kvHeads": 4, "headDim": 16,
              "denseIntermediateSize": 128, "vocabSize": 1000, "maxContextTokens": 4096, "defaultWeightPrecision": "fp8",
              "defaultLmHeadPrecision": "bf16", "defaultEmbeddingPrecision": "bf16", "sources": ["test"], "asOf": "2026-01-01" } ] }
            """;
        var model = CatalogParser.Parse(json, "test.json").Models.Single();

        // Then both are read
        Assert.Equal(Precision.Bf16, model.DefaultLmHeadPrecision);
        Assert.Equal(Precision.Bf16, model.DefaultEmbeddingPrecision);
    }

    private static ServingSetup DeepSeekOnEightH100(Precision? compute)
    {
        // DeepSeek-R1 as its checkpoint stores it: fp8 weights, bf16 LM head and embedding; the pure roofline (no kernel
        // curves), so a linear compute term is FLOPs / peak exactly
        var model = Fixtures.DeepSeekR1 with { DefaultLmHeadPrecision = Precision.Bf16, DefaultEmbeddingPrecision = Precision.Bf16 };
        var p = new Parallelism(Tensor: 8);
        return new ServingSetup(model, Fixtures.H100, p, new ServingConfig
        {
            TotalDevices = 8, Parallelism = p, ComputePrecision = compute, Efficiency = EfficiencyFactors.Ideal, InputTokens = 1000, OutputTokens = 1000,
        });
    }

    [Fact]
    public void Bf16HeadBesideFp8Weights_MultipliesAtTheBf16Peak()
    {
        // Given DeepSeek-R1 (fp8, bf16 head) on 8 H100s (fp8 1,979, bf16 989 TFLOP/s), and the same with --compute fp8
        var own = DeepSeekOnEightH100(compute: null);
        var allFp8 = DeepSeekOnEightH100(compute: Precision.Fp8);

        // Then the head's FLOPs take 1,979/989 − 1 longer than the other layers'; with --compute they do not
        Assert.Equal(Precision.Fp8, own.ComputePrecision);
        Assert.Equal(1979.0 / 989 - 1, own.LmHeadExtraTime, 1e-12);
        Assert.Equal(0, allFp8.LmHeadExtraTime);

        // And a decode step of 64 sequences is longer in linear compute by exactly 2·V·h·64/8 FLOPs × that / the fp8 peak,
        // while the FLOPs it reports, the bytes it reads and the other terms are the same
        var step = DecodeModel.Step(own, 64, 1500);
        var plain = DecodeModel.Step(allFp8, 64, 1500);
        var headFlopsPerDevice = 2.0 * 129_280 * 7168 * 64 / 8;
        Assert.Equal(headFlopsPerDevice * (1979.0 / 989 - 1) / 1979e12, step.Cost!.Value.LinearCompute.Value - plain.Cost!.Value.LinearCompute.Value, 1e-15);
        Assert.Equal(plain.FlopsPerDevice, step.FlopsPerDevice);
        Assert.Equal(plain.WeightBytesPerDevice, step.WeightBytesPerDevice);
        Assert.Equal(plain.Cost!.Value.AttentionCompute, step.Cost!.Value.AttentionCompute);

        // And prefill computes one head per prompt: its compute time is longer by the same share of one prompt's head
        var prefill = PrefillModel.Estimate(own, 1000);
        var plainPrefill = PrefillModel.Estimate(allFp8, 1000);
        Assert.Equal(plainPrefill.Flops, prefill.Flops);
        Assert.True(prefill.ComputeTime > plainPrefill.ComputeTime);
        Assert.Equal(2.0 * 129_280 * 7168 * prefill.Sequences / 8 * (1979.0 / 989 - 1) / 1979e12,
            prefill.ComputeTime.Value - plainPrefill.ComputeTime.Value, 1e-12);
    }

    [Fact]
    public void HeadAtTheWeightsPrecision_CostsNothingExtra()
    {
        // Given Llama 3.3 70B in bf16 (head bf16) and DeepSeek-R1 with --weights fp8 (the head too)
        var llama = Fixtures.Setup(Fixtures.Llama70B, Fixtures.H100, new Parallelism(Tensor: 4));
        var fp8 = Fixtures.Setup(Fixtures.DeepSeekR1 with { DefaultLmHeadPrecision = Precision.Bf16 }, Fixtures.H100, new Parallelism(Tensor: 8), weights: Precision.Fp8);

        // Then the head multiplies at the step's own precision
        Assert.Equal(0, llama.LmHeadExtraTime);
        Assert.Equal(0, fp8.LmHeadExtraTime);
        Assert.Equal(Precision.Fp8, fp8.LmHeadPrecision);
    }
}
