using Infercost.Catalog;
using Infercost.Models;
using Xunit;
using ModelCatalog = Infercost.Catalog.Catalog;

namespace Infercost.Tests.Catalog;

public class HuggingFaceConfigTests
{
    private static string ReadConfig(string file) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Catalog", "HfConfigs", file));

    public static TheoryData<string, string, bool> RealConfigs => new()
    {
        // file (published config.json, see HfConfigs/README.md), catalog id, same context length
        { "meta-llama--Llama-3.1-8B_config.json", "llama-3.1-8b", true },
        { "meta-llama--Llama-3.3-70B-Instruct_config.json", "llama-3.3-70b", true },
        { "mistralai--Mixtral-8x7B-v0.1_config.json", "mixtral-8x7b", true },
        { "deepseek-ai--DeepSeek-R1_config.json", "deepseek-r1", true },
        { "openai--gpt-oss-120b_config.json", "gpt-oss-120b", true },
        { "Qwen--Qwen3-30B-A3B_config.json", "qwen3-30b-a3b", true },
        // The base Qwen2.5-7B allows 131,072 positions; the catalog entry is the Instruct model's 32,768.
        { "Qwen--Qwen2.5-7B_config.json", "qwen2.5-7b", false },
    };

    [Theory]
    [MemberData(nameof(RealConfigs))]
    public void RealConfig_HasTheShapeOfTheCatalogEntry(string file, string id, bool sameContext)
    {
        // Given a published config.json and the catalog entry for the same model
        var expected = ModelCatalog.Embedded.GetModel(id);

        // When the config is read
        var read = HuggingFaceConfig.Parse(ReadConfig(file), id, file);

        // Then, apart from the catalog-only fields (name, published counts, release date, provenance), the shapes are equal
        var comparable = read with
        {
            Name = expected.Name,
            PublishedTotalBillions = expected.PublishedTotalBillions,
            PublishedActiveBillions = expected.PublishedActiveBillions,
            ReleaseDate = expected.ReleaseDate,
            Source = expected.Source,
            MaxContextTokens = sameContext ? read.MaxContextTokens : expected.MaxContextTokens,
            // The catalog carries MTP layers only where speculation uses them (DeepSeek-V3/R1/V3.2); the reader counts
            // them apart from the total (see StructuralConfigTests). Where the catalog has them, the config agrees.
            MtpLayers = expected.MtpLayers,
        };
        Assert.Equal(expected, comparable);
        if (expected.MtpLayers > 0) Assert.Equal(expected.MtpLayers, read.MtpLayers);
        Assert.Equal(ParameterCounter.Count(expected) with { MultiTokenPrediction = 0 }, ParameterCounter.Count(read) with { MultiTokenPrediction = 0 });
    }

    [Fact]
    public void RealConfig_RecordsWhereItCameFrom()
    {
        // Given the gpt-oss-120b config
        // When it is read
        var model = HuggingFaceConfig.Parse(ReadConfig("openai--gpt-oss-120b_config.json"), "my-oss", "oss.json");

        // Then the model carries the id it was given and the file as its source
        Assert.Equal("my-oss", model.Id);
        Assert.Equal(["oss.json"], model.Source.Sources);
        Assert.Equal("user-supplied", model.Source.AsOf);
    }

    [Fact]
    public void UnknownModelType_WithoutAShape_NamesTheFieldsItNeeds()
    {
        // Given a config of a family the reader has never seen, with none of the fields that describe a shape
        // When it is read
        var e = Assert.Throws<InvalidInputException>(() => HuggingFaceConfig.Parse("""{ "model_type": "brand_new" }""", "g", "new.json"));

        // Then each missing field is named, with the other names it is read under
        Assert.Equal("num_hidden_layers", e.Field);
        Assert.Contains("num_hidden_layers: required field is missing (also read as num_layers or n_layer or n_layers)", e.Message, StringComparison.Ordinal);
        Assert.Contains("max_position_embeddings: required field is missing: the longest context the model supports", e.Message, StringComparison.Ordinal);
    }
    [Fact]
    public void MissingAndMalformedKeys_AreReportedWithTheirRanges()
    {
        // Given a Llama config with a key missing, one out of range and one of the wrong type
        var json = ReadConfig("meta-llama--Llama-3.1-8B_config.json")
            .Replace("\"num_hidden_layers\": 32,", "\"num_hidden_layers\": 0,", StringComparison.Ordinal)
            .Replace("\"vocab_size\": 128256", "\"vocab_size\": \"big\"", StringComparison.Ordinal)
            .Replace("\"intermediate_size\": 14336,", "", StringComparison.Ordinal);

        // When it is read
        var e = Assert.Throws<InvalidInputException>(() => HuggingFaceConfig.Parse(json, "l", "llama.json"));

        // Then every problem names its key and the accepted range
        Assert.Equal(
        [
            "num_hidden_layers: must be in [1, 1000]; was 0",
            "vocab_size: must be an integer; was \"big\"",
            "intermediate_size: required field is missing",
        ], e.Problems);
    }

    [Theory]
    [InlineData("\"mlp_only_layers\": [],", "\"mlp_only_layers\": [3, 7],", 46)]
    [InlineData("\"decoder_sparse_step\": 1,", "\"decoder_sparse_step\": 2,", 24)]
    public void Qwen3Moe_DenseLayersInsideTheStack_AreCounted(string from, string to, int moeLayers)
    {
        // Given a Qwen3-MoE config whose MoE layers are not every layer
        var json = ReadConfig("Qwen--Qwen3-30B-A3B_config.json").Replace(from, to, StringComparison.Ordinal);

        // When it is read
        var model = HuggingFaceConfig.Parse(json, "q", "qwen.json");

        // Then the other layers use the dense MLP of intermediate_size
        Assert.Equal(moeLayers, model.MoeLayers);
        Assert.Equal(48 - moeLayers, model.DenseLayers);
        Assert.Equal(6144, model.DenseIntermediateSize);
    }

    [Fact]
    public void DeepSeek_MoeLayerFrequencyTwo_PutsExpertsOnEveryOtherLayer()
    {
        // Given a DeepSeek-V3 config with MoE on every other layer after the three dense ones
        var json = ReadConfig("deepseek-ai--DeepSeek-R1_config.json")
            .Replace("\"moe_layer_freq\": 1,", "\"moe_layer_freq\": 2,", StringComparison.Ordinal);

        // When it is read
        var model = HuggingFaceConfig.Parse(json, "d", "ds.json");

        // Then layers 4, 6, ..., 60 (i >= 3 and i % 2 == 0) use experts: 29 of 61
        Assert.Equal(29, model.MoeLayers);
        Assert.Equal(32, model.DenseLayers);
    }
    [Fact]
    public void Mistral_SlidingWindow_AppliesToEveryLayer()
    {
        // Given a Mistral 7B v0.1-shaped config with a 4096-token window
        var json = """
            {
              "model_type": "mistral", "num_hidden_layers": 32, "hidden_size": 4096, "num_attention_heads": 32,
              "num_key_value_heads": 8, "intermediate_size": 14336, "vocab_size": 32000,
              "max_position_embeddings": 32768, "sliding_window": 4096, "torch_dtype": "bfloat16"
            }
            """;

        // When it is read
        var model = HuggingFaceConfig.Parse(json, "mistral-7b", "mistral.json");

        // Then it has the catalog entry's shape, head_dim defaulting to hidden / heads
        var expected = ModelCatalog.Embedded.GetModel("mistral-7b");
        Assert.Equal(128, model.HeadDim);
        Assert.Equal(expected.SlidingWindow, model.SlidingWindow);
        Assert.Equal(ParameterCounter.Count(expected).Total, ParameterCounter.Count(model).Total);
    }

    [Fact]
    public void Qwen2_UseSlidingWindow_CoversLayersFromMaxWindowLayers()
    {
        // Given a Qwen2.5 config with sliding windows switched on above layer 20
        var json = ReadConfig("Qwen--Qwen2.5-7B_config.json")
            .Replace("\"use_sliding_window\": false", "\"use_sliding_window\": true", StringComparison.Ordinal)
            .Replace("\"max_window_layers\": 28", "\"max_window_layers\": 20", StringComparison.Ordinal)
            .Replace("\"sliding_window\": 131072", "\"sliding_window\": 4096", StringComparison.Ordinal);

        // When it is read
        var model = HuggingFaceConfig.Parse(json, "q", "qwen.json");

        // Then the last 8 layers use the window
        Assert.Equal(new SlidingWindow(4096, 8), model.SlidingWindow);
    }

    [Fact]
    public void QuantizationConfig_SetsPrecisions()
    {
        // Given DeepSeek-R1 (fp8 block quantisation) and gpt-oss-120b (mxfp4 experts)
        // When both are read
        var deepseek = HuggingFaceConfig.Parse(ReadConfig("deepseek-ai--DeepSeek-R1_config.json"), "d", "ds.json");
        var oss = HuggingFaceConfig.Parse(ReadConfig("openai--gpt-oss-120b_config.json"), "o", "oss.json");

        // Then DeepSeek's weights are FP8 and gpt-oss keeps BF16 weights with FP4 experts
        Assert.Equal(Precision.Fp8, deepseek.DefaultWeightPrecision);
        Assert.Null(deepseek.DefaultExpertPrecision);
        Assert.Equal(Precision.Bf16, oss.DefaultWeightPrecision);
        Assert.Equal(Precision.Fp4, oss.DefaultExpertPrecision);
    }

    [Fact]
    public void NotJson_IsInvalidInput()
    {
        // Given text that is not JSON
        // When it is read
        var e = Assert.Throws<InvalidInputException>(() => HuggingFaceConfig.Parse("not json", "x", "x.json"));

        // Then the error names the file and the 1-based line and column
        Assert.StartsWith("x.json: not valid JSON at line 1, column 2:", e.Message, StringComparison.Ordinal);
    }
}
