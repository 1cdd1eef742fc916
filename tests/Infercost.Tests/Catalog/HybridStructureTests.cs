using Infercost.Catalog;
using Infercost.Models;
using Xunit;

namespace Infercost.Tests.Catalog;

public class HybridStructureTests
{
    private static string ReadConfig(string file) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Catalog", "HfConfigs", file));

    [Fact]
    public void Qwen3Next_LinearLayers_KeepAFixedStateAndNoKv()
    {
        // Given Qwen3-Next-80B-A3B: full attention on every fourth layer, Gated DeltaNet on the other 36
        var model = HuggingFaceConfig.Parse(ReadConfig("Qwen--Qwen3-Next-80B-A3B-Thinking_config.json"), "q", "q.json");

        // When its caches are sized
        var perToken = KvCache.BytesPerToken(model, Precision.Bf16);
        var state = KvCache.StateBytesPerSequence(model);

        // Then only the 12 attention layers cache per token: 2 (K, V) × 2 heads × 256 × 12 layers × 2 B = 24,576 B
        Assert.Equal(12, model.AttentionLayers);
        Assert.Equal(36, model.Recurrent!.Layers);
        Assert.Equal(24_576, perToken.Value);
        // and each sequence keeps 36 × (32 heads × 128 × 128 + 3 × (2 × 2048 + 4096)) × 2 B of state, whatever its length
        Assert.Equal(36.0 * (32 * 128 * 128 + 3 * (2 * 2048 + 4096)) * 2, state.Value);
        Assert.Equal(KvCache.BytesPerSequence(model, Precision.Bf16, 1000).Value + 999 * 24_576,
            KvCache.BytesPerSequence(model, Precision.Bf16, 1999).Value, 6);
    }

    [Fact]
    public void Llama4Scout_ChunkedLayers_AreCappedAtTheChunk()
    {
        // Given Llama 4 Scout: 8,192-token chunked attention on three layers of four, a global NoPE layer every fourth
        var model = HuggingFaceConfig.Parse(ReadConfig("meta-llama--Llama-4-Scout-17B-16E-Instruct_config.json"), "s", "s.json");

        // When it is read
        // Then 36 layers are chunked and 12 global, every layer is MoE with one shared expert, and the vision tower is apart
        Assert.Equal(new SlidingWindow(8192, 36, Chunked: true), model.SlidingWindow);
        Assert.Equal(48, model.MoeLayers);
        Assert.Equal(1, model.Moe!.SharedExperts);
        Assert.NotNull(model.EncoderParameters);
        Assert.Contains(model.Source.Notes, n => n.Contains("text_config is served", StringComparison.Ordinal));
    }

    [Fact]
    public void Llama4Maverick_InterleavedMoe_AlternatesDenseAndExpertLayers()
    {
        // Given Llama 4 Maverick: interleave_moe_layer_step 2
        var model = HuggingFaceConfig.Parse(ReadConfig("meta-llama--Llama-4-Maverick-17B-128E-Instruct_config.json"), "m", "m.json");

        // When it is read
        // Then half the layers use experts and the other half the dense MLP of intermediate_size_mlp
        Assert.Equal(24, model.MoeLayers);
        Assert.Equal(24, model.DenseLayers);
        Assert.Equal(16384, model.DenseIntermediateSize);
    }

    [Fact]
    public void NemotronH_BlockPattern_CountsEachBlockKind()
    {
        // Given a Nemotron-H-shaped config (hybrid_override_pattern: M = Mamba-2, * = attention, - = MLP, E = MoE)
        var json = """
            {
              "model_type": "nemotron_h", "num_hidden_layers": 8, "hybrid_override_pattern": "M-M*M-EM",
              "hidden_size": 1024, "num_attention_heads": 8, "num_key_value_heads": 2, "head_dim": 128,
              "intermediate_size": 4096, "vocab_size": 1000, "max_position_embeddings": 8192,
              "mamba_num_heads": 32, "mamba_head_dim": 64, "ssm_state_size": 128, "n_groups": 8, "conv_kernel": 4,
              "mlp_hidden_act": "relu2", "n_routed_experts": 8, "num_experts_per_tok": 2, "moe_intermediate_size": 512
            }
            """;

        // When it is read
        var model = HuggingFaceConfig.Parse(json, "n", "n.json");

        // Then 4 Mamba, 1 attention, 2 MLP and 1 MoE block; plain (two-matrix) MLPs
        Assert.Equal(4, model.Recurrent!.Layers);
        Assert.Equal(RecurrentKind.Mamba2, model.Recurrent.Kind);
        Assert.Equal(1, model.AttentionLayers);
        Assert.Equal(2, model.DenseLayers);
        Assert.Equal(1, model.MoeLayers);
        Assert.Equal(3, model.MixerFreeLayers);
        Assert.Equal(5, model.MlpFreeLayers);
        Assert.Equal(2, model.MlpProjections);
    }

    [Fact]
    public void Gemma3_SlidingWindowPattern_LeavesEverySixthLayerGlobal()
    {
        // Given a Gemma 3-shaped text config with sliding_window_pattern 6 and no tie_word_embeddings key
        var json = """
            {
              "model_type": "gemma3_text", "num_hidden_layers": 62, "hidden_size": 5376, "num_attention_heads": 32,
              "num_key_value_heads": 16, "head_dim": 128, "intermediate_size": 21504, "vocab_size": 262208,
              "max_position_embeddings": 131072, "sliding_window": 1024, "sliding_window_pattern": 6
            }
            """;

        // When it is read
        var model = HuggingFaceConfig.Parse(json, "g", "g.json");

        // Then 52 of 62 layers slide over 1,024 tokens, embeddings are tied (Gemma's default) and q/k are normed
        Assert.Equal(new SlidingWindow(1024, 52), model.SlidingWindow);
        Assert.True(model.TieWordEmbeddings);
        Assert.True(model.QkNorm);
    }

    [Fact]
    public void Glm5_IsMlaWithExpertsAfterThreeDenseLayers()
    {
        // Given GLM-5 (model_type glm_moe_dsa): MLA attention, 256 experts, three leading dense layers
        var model = HuggingFaceConfig.Parse(ReadConfig("zai-org--GLM-5-FP8_config.json"), "g", "g.json");

        // When it is read
        // Then attention is MLA and 75 of 78 layers use experts
        Assert.Equal(AttentionKind.Mla, model.Attention);
        Assert.Equal(75, model.MoeLayers);
    }

    [Fact]
    public void SparseIndexer_CapsAttentionAtTopKAndAddsItsKeys()
    {
        // Given GLM-5's shape with DeepSeek-V3.2's indexer fields (64 heads × 128, top 2,048)
        var json = ReadConfig("zai-org--GLM-5-FP8_config.json")
            .Replace("\"use_cache\": true,", "\"use_cache\": true, \"index_topk\": 2048, \"index_n_heads\": 64, \"index_head_dim\": 128,", StringComparison.Ordinal);
        var dense = HuggingFaceConfig.Parse(ReadConfig("zai-org--GLM-5-FP8_config.json"), "g", "g.json");
        var sparse = HuggingFaceConfig.Parse(json, "g", "g.json");

        // When decode attention at 100,000 tokens of context is counted
        var denseFlops = FlopCounter.DecodeAttentionPerToken(dense, 100_000).Value;
        var sparseFlops = FlopCounter.DecodeAttentionPerToken(sparse, 100_000).Value;

        // Then the sparse model attends to 2,048 keys and scores all 100,000 with the indexer
        var perPair = FlopCounter.AttentionPerPairPerLayer(dense, absorbed: true);
        Assert.Equal(78 * (perPair * 2048 + 2.0 * 64 * 128 * 100_000), sparseFlops, 3);
        Assert.Equal(78 * perPair * 100_000, denseFlops, 3);
        // and caches its 128-wide key beside the 576-wide latent
        Assert.Equal(KvCache.BytesPerToken(dense, Precision.Bf16).Value * (576 + 128) / 576, KvCache.BytesPerToken(sparse, Precision.Bf16).Value, 6);
        Assert.True(ParameterCounter.Count(sparse).IndexerPerLayer > 0);
    }
}
