using Infercost.Catalog;
using Infercost.Models;
using Xunit;

namespace Infercost.Tests.Catalog;

// Structures first met in real config.json files (HfConfigs/README.md gives each file's source): Gemma 4's full-attention
// layers with their own head geometry, Gemma 3's configs that leave shape keys at the library defaults, MiniMax's
// per-layer attention-kind list, Nemotron 3's Mamba/MoE/attention blocks, MiMo's Qwen2 attention.
public class PublisherConfigTests
{
    private static string ReadConfig(string file) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Catalog", "HfConfigs", file));

    private static ModelArchitecture Read(string file) => HuggingFaceConfig.Parse(ReadConfig(file), "m", file);

    [Fact]
    public void Gemma4_FullLayers_HaveTheirOwnHeadGeometry()
    {
        // Given Gemma 4 31B: 50 sliding layers (16 KV heads × 256) and 10 full layers (4 KV heads × 512, keys are values)
        var model = Read("google--gemma-4-31B-it_config.json");

        // Then the full layers' geometry is read, and each kind caches its own width
        Assert.Equal(new GlobalAttention(4, 512, SharedKeyValue: true), model.GlobalAttention);
        Assert.Equal(new SlidingWindow(1024, 50), model.SlidingWindow);
        Assert.Equal(4 * 512, KvCache.FullLayerElementsPerToken(model));
        Assert.Equal(2 * 16 * 256, KvCache.ElementsPerTokenPerLayer(model));

        // And at 1M tokens the cache is the full layers' 2,048 elements per token plus 50 windows of 1,024 tokens
        var bytes = KvCache.BytesPerSequence(model, Precision.Bf16, 1_000_000).Value;
        Assert.Equal(2.0 * (10 * 2048 * 1_000_000.0 + 50 * 8192 * 1024.0), bytes, 1e-6);
    }

    [Fact]
    public void Gemma4_FullLayerAttention_CountsOneKeyValueProjection()
    {
        // Given Gemma 4 31B (h = 5,376, 32 query heads)
        var model = Read("google--gemma-4-31B-it_config.json");
        var p = ParameterCounter.Count(model);
        double h = 5376;

        // Then a sliding layer has q, k, v, o at 256 wide and a full layer q, k (= v), o at 512 wide, plus q/k norms
        Assert.Equal(h * (32 + 2 * 16) * 256 + 32 * 256 * h + 2 * 256, p.AttentionPerLayer);
        Assert.Equal(h * (32 + 4) * 512 + 32 * 512 * h + 2 * 512, p.FullAttentionPerLayer);
    }

    [Fact]
    public void Gemma4_FullLayerPairs_CostTheirWiderHeads()
    {
        // Given Gemma 4 31B decoding at 100,000 tokens of context
        var model = Read("google--gemma-4-31B-it_config.json");

        // Then full layers score every key at 4 × 32 × 512 FLOPs and sliding layers the last 1,024 at 4 × 32 × 256
        var expected = 10 * 100_000.0 * 4 * 32 * 512 + 50 * 1024.0 * 4 * 32 * 256;
        Assert.Equal(expected, FlopCounter.DecodeAttentionPerToken(model, 100_000).Value, 1e-6);
    }

    [Fact]
    public void Gemma4_ExpertBlockBesideTheMlp_IsRefusedByName()
    {
        // Given a Gemma 4 text config whose layers run a dense MLP and an expert block side by side (26B-A4B)
        var text = ReadConfig("google--gemma-4-31B-it_config.json").Replace("\"enable_moe_block\": false", "\"enable_moe_block\": true", StringComparison.Ordinal);

        // When it is read
        var e = Assert.Throws<InvalidInputException>(() => HuggingFaceConfig.Parse(text, "m", "gemma4.json"));

        // Then the field is named with why
        Assert.Contains("text_config.enable_moe_block: layers that run a dense MLP and an expert block side by side", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gemma4_PerLayerEmbeddings_AreRefusedOnlyWhenTheyHaveAWidth()
    {
        // Given the 31B config (hidden_size_per_layer_input: 0) and the same with a per-layer embedding width (E2B/E4B)
        var text = ReadConfig("google--gemma-4-31B-it_config.json").Replace("\"hidden_size_per_layer_input\": 0", "\"hidden_size_per_layer_input\": 256", StringComparison.Ordinal);

        // When each is read
        var e = Assert.Throws<InvalidInputException>(() => HuggingFaceConfig.Parse(text, "m", "gemma4.json"));

        // Then 0 loads and 256 is refused with the accepted value
        Assert.NotNull(Read("google--gemma-4-31B-it_config.json"));
        Assert.Contains("text_config.hidden_size_per_layer_input: per-layer input embeddings (Gemma 3n, Gemma 4 E2B/E4B) are not modelled; accepted: 0; was 256", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gemma3_KeysLeftAtTheLibraryDefaults_AreFilledAndNoted()
    {
        // Given Gemma 3 12B's text_config, which gives no vocab_size, max_position_embeddings, head_dim or window pattern
        var model = Read("google--gemma-3-12b-it_config-copy.json");

        // Then Gemma3TextConfig's defaults are used, the pattern is five local layers to one global, and the notes say so
        Assert.Equal(262_208, model.VocabSize);
        Assert.Equal(131_072, model.MaxContextTokens);
        Assert.Equal(256, model.HeadDim);
        Assert.Equal(new SlidingWindow(1024, 40), model.SlidingWindow);
        Assert.True(model.TieWordEmbeddings);
        Assert.Contains(model.Source.Notes, n => n.StartsWith("vocab_size is not in the config; Gemma 3's default 262,208", StringComparison.Ordinal));
    }

    [Fact]
    public void MissingVocabulary_OfAFamilyWithoutDefaults_IsStillRequired()
    {
        // Given a Llama config without vocab_size
        var text = """{ "model_type": "llama", "num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 128, "max_position_embeddings": 512 }""";

        // When it is read
        var e = Assert.Throws<InvalidInputException>(() => HuggingFaceConfig.Parse(text, "m", "llama.json"));

        // Then the missing field is named: no default is borrowed from another family
        Assert.Contains("vocab_size: required field is missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MiniMaxM2_AllSoftmaxLayers_Load()
    {
        // Given MiniMax-M2.5, whose attn_type_list marks all 62 layers 1 (softmax attention)
        var model = Read("MiniMaxAI--MiniMax-M2.5_config.json");

        // Then it is a plain GQA MoE: 256 experts, 8 per token, no shared expert, a routing bias per expert
        Assert.Null(model.SlidingWindow);
        Assert.Equal(new MoeShape(256, 8, 0, 1536, 0, ExpertBias: false, RouterBias: true), model.Moe);
        Assert.Equal(62, model.AttentionLayers);
    }

    [Fact]
    public void MiniMaxLightningLayers_AreRefusedAtTheFirstOne()
    {
        // Given the same config with layer 3 marked 0 (lightning attention, as in MiniMax-01)
        var list = string.Join(",", Enumerable.Range(0, 62).Select(i => i == 3 ? "0" : "1"));
        var text = System.Text.RegularExpressions.Regex.Replace(ReadConfig("MiniMaxAI--MiniMax-M2.5_config.json"),
            @"""attn_type_list"": \[[^\]]*\]", $"\"attn_type_list\": [{list}]");

        // When it is read
        var e = Assert.Throws<InvalidInputException>(() => HuggingFaceConfig.Parse(text, "m", "m1.json"));

        // Then the entry is named with why and what is accepted
        Assert.Contains("attn_type_list[3]: lightning (linear) attention layers of MiniMax-01/M1 are not modelled; accepted: 1 (softmax attention); was 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nemotron3Nano_IsAMambaMoeHybrid()
    {
        // Given Nemotron 3 Nano: 23 Mamba-2 blocks, 23 MoE blocks, 6 attention blocks
        var model = Read("nvidia--NVIDIA-Nemotron-3-Nano-30B-A3B-BF16_config.json");

        // Then only the 6 attention layers grow a cache (2 KV heads × 128), the Mamba layers keep a fixed state
        Assert.Equal(RecurrentKind.Mamba2, model.Recurrent!.Kind);
        Assert.Equal(23, model.Recurrent.Layers);
        Assert.Equal(23, model.MoeLayers);
        Assert.Equal(6, model.AttentionLayers);
        Assert.Equal(2, model.MlpProjections);
        Assert.Equal(6 * 2 * 2 * 128 * 2.0, KvCache.BytesPerToken(model, Precision.Bf16).Value);
    }

    [Fact]
    public void MiMo_HasQwen2Biases_OnQueryKeyValueOnly()
    {
        // Given MiMo-7B (attention_bias: true on Qwen2's attention module) with two MTP layers
        var model = Read("XiaomiMiMo--MiMo-7B_config.json");

        // Then q/k/v carry biases and the output projection does not; the MTP layers are counted apart
        Assert.True(model.QkvBias);
        Assert.False(model.OutputBias);
        Assert.Equal(2, model.MtpLayers);
        Assert.Null(model.SlidingWindow);
    }
}
