using Infercost.Catalog;
using Infercost.Models;
using Xunit;
using ModelCatalog = Infercost.Catalog.Catalog;

namespace Infercost.Tests.Catalog;

// The embedded entries for current families (issue 10 item 5), checked against the publishers' figures (sources in
// HfConfigs/README.md) and against the config.json each was built from.
public class CurrentFamilyEntryTests
{
    public static TheoryData<string, double, double, bool, string> Published => new()
    {
        // id, total tolerance, active tolerance, active without the embeddings, why
        { "llama-4-scout", 0.01, 0.03, false, "109B/17B integers; the total includes the vision tower (Encoder)" },
        { "llama-4-maverick", 0.01, 0.03, false, "400B/17B integers; the total includes the vision tower" },
        { "qwen3-next-80b-a3b", 0.01, 0.10, true, "80B; 3B is the A3B of the name, counted by Qwen without the embeddings" },
        { "qwen3.5-397b-a17b", 0.01, 0.03, false, "the name's 397B/17B; the total includes the vision tower" },
        { "kimi-k2", 0.10, 0.03, false, "1T is a rounded figure (the name rule); 32B an integer" },
        { "glm-4.7", 0.01, 0.03, true, "355B/32B (GLM-5 report table 1), active without the embeddings" },
        { "glm-5", 0.01, 0.03, true, "744B/40B (GLM-5 report table 1), active without the embeddings" },
        { "deepseek-v3.2", 0.01, 0.04, false, "671B/37B, V3's figures; V3.2 adds the DSA indexer (0.85B, all active), outside the 37B" },
        { "gemma-3-27b", 0.10, 0.10, false, "27B is the name's size; the total includes the vision tower" },
        { "gemma-4-31b", 0.10, 0.10, false, "31B is the name's size; the total includes the vision tower" },
        { "mistral-small-3-24b", 0.10, 0.10, false, "24B is the name's size; the total includes the Pixtral tower" },
        { "minimax-m2.5", 0.01, 0.03, true, "230B total, 10B active (MiniMax-M2 README), active without the embeddings" },
        { "nemotron-3-nano-30b-a3b", 0.01, 0.01, false, "31.6B total, about 3.6B active with the embeddings (NVIDIA)" },
    };

    [Theory]
    [MemberData(nameof(Published))]
    public void Entry_CountsMatchThePublishedFigures(string id, double totalTolerance, double activeTolerance, bool withoutEmbeddings, string why)
    {
        // Given an embedded entry and its publisher's figures
        var model = ModelCatalog.Embedded.GetModel(id);
        var counted = ParameterCounter.Count(model);
        var active = withoutEmbeddings ? counted.Active - counted.InputEmbedding - counted.LmHead : counted.Active;

        // When the counted total (language model + any encoder tower) and active are compared
        var totalError = Math.Abs((counted.Total + counted.Encoder) / 1e9 / model.PublishedTotalBillions!.Value - 1);
        var activeError = Math.Abs(active / 1e9 / model.PublishedActiveBillions!.Value - 1);

        // Then both are within the figure's rounding
        Assert.True(totalError <= totalTolerance, $"{id} total off by {totalError:P2}: {why}");
        Assert.True(activeError <= activeTolerance, $"{id} active off by {activeError:P2}: {why}");
    }

    public static TheoryData<string, string> BuiltFrom => new()
    {
        { "llama-4-scout", "meta-llama--Llama-4-Scout-17B-16E-Instruct_config.json" },
        { "llama-4-maverick", "meta-llama--Llama-4-Maverick-17B-128E-Instruct_config.json" },
        { "qwen3-next-80b-a3b", "Qwen--Qwen3-Next-80B-A3B-Thinking_config.json" },
        { "qwen3.5-397b-a17b", "Qwen--Qwen3.5-397B-A17B_config.json" },
        { "kimi-k2", "moonshotai--Kimi-K2-Instruct_config.json" },
        { "glm-4.7", "zai-org--GLM-4.7-FP8_config.json" },
        { "gemma-3-27b", "google--gemma-3-27b_text-config-copy.json" },
        { "gemma-4-31b", "google--gemma-4-31B-it_config.json" },
        { "mistral-small-3-24b", "mistralai--Mistral-Small-3.x-24B_config.json" },
        { "minimax-m2.5", "MiniMaxAI--MiniMax-M2.5_config.json" },
        { "nemotron-3-nano-30b-a3b", "nvidia--NVIDIA-Nemotron-3-Nano-30B-A3B-BF16_config.json" },
    };

    [Theory]
    [MemberData(nameof(BuiltFrom))]
    public void Entry_HasTheShapeOfItsConfig(string id, string file)
    {
        // Given an entry and the config.json it was built from
        var entry = ModelCatalog.Embedded.GetModel(id);
        var read = HuggingFaceConfig.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Catalog", "HfConfigs", file)), id, file);
        // The trimmed Kimi K2 and GLM-4.7 copies drop topk_method; both route with noaux_tc (a correction bias per expert).
        if (read.Moe is { RouterBias: false } moe && id is "kimi-k2" or "glm-4.7") read = read with { Moe = moe with { RouterBias = true } };

        // When the language-model parameters are counted from both
        // Then they agree to the parameter (MTP layers absent from trimmed copies aside; the tower is an estimate either way)
        Assert.Equal(ParameterCounter.Count(read).Total, ParameterCounter.Count(entry).Total);
        Assert.Equal(read.GlobalAttention, entry.GlobalAttention);
        Assert.Equal(read.SlidingWindow, entry.SlidingWindow);
        Assert.Equal(KvCache.BytesPerToken(read, Precision.Bf16), KvCache.BytesPerToken(entry, Precision.Bf16));
        Assert.Equal(KvCache.StateBytesPerSequence(read), KvCache.StateBytesPerSequence(entry));
    }
}
