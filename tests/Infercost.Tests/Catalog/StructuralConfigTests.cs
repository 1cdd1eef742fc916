using Infercost.Catalog;
using Infercost.Models;
using Xunit;

namespace Infercost.Tests.Catalog;

// Real config.json files of current open models (see HfConfigs/README.md for where each copy came from), read by
// structure. The published figures are the publishers' own (model cards and release notes, cited per row); the
// tolerance is 1% where the figure is given to three or more significant figures, and the rounding of the figure
// otherwise (a total stated as "1T" is within 10% of the name, the rule for sizes stated in a name).
public class StructuralConfigTests
{
    private static string ReadConfig(string file) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Catalog", "HfConfigs", file));

    public static TheoryData<string, double, double, double, double, bool> PublishedCounts => new()
    {
        // file, published total (B), tolerance, published active (B), tolerance, active counted without the embeddings.
        // Totals of multimodal checkpoints include their vision tower; the language model is what is served and counted
        // in Total, the tower in Encoder, so the comparison is with Total + Encoder. Sources in HfConfigs/README.md.
        { "meta-llama--Llama-4-Scout-17B-16E-Instruct_config.json", 109, 0.01, 17, 0.03, false },
        { "meta-llama--Llama-4-Maverick-17B-128E-Instruct_config.json", 400, 0.01, 17, 0.03, false },
        // "80B in total and 3B activated": 3B is the A3B of the name (10%); Qwen counts it without the embeddings.
        { "Qwen--Qwen3-Next-80B-A3B-Thinking_config.json", 80, 0.01, 3, 0.10, true },
        { "Qwen--Qwen3.5-397B-A17B_config.json", 397, 0.01, 17, 0.03, false },
        // "1 trillion total parameters" is a rounded figure (the name rule, 10%); "32 billion activated" an integer.
        { "moonshotai--Kimi-K2-Instruct_config.json", 1000, 0.10, 32, 0.03, false },
        // Zhipu counts active parameters without the embeddings (GLM-4.5: 355B total, 32B active).
        { "zai-org--GLM-4.7-FP8_config.json", 355, 0.01, 32, 0.03, true },
        { "zai-org--GLM-5-FP8_config.json", 744, 0.01, 40, 0.03, true },
        { "Qwen--Qwen3-VL-235B-A22B-Thinking_config.json", 235, 0.01, 22, 0.03, false },
        // NVIDIA: "31.6B total parameters", about 3.6B active including the embeddings (3.2B without the input one).
        { "nvidia--NVIDIA-Nemotron-3-Nano-30B-A3B-BF16_config.json", 31.6, 0.01, 3.6, 0.01, false },
        // MiniMax: "230 billion total parameters with 10 billion active parameters" (MiniMax-M2 README; M2.5 is the same shape).
        { "MiniMaxAI--MiniMax-M2.5_config.json", 230, 0.01, 10, 0.03, true },
        // DeepSeek-V2 paper: 236B total, 21B activated per token.
        { "deepseek-ai--DeepSeek-V2_config.json", 236, 0.01, 21, 0.03, false },
        // Dense models known by the size in their name (the 10% rule): active = total.
        { "mistralai--Mistral-Small-3.x-24B_config.json", 24, 0.10, 24, 0.10, false },
        { "XiaomiMiMo--MiMo-7B_config.json", 7, 0.10, 7, 0.10, false },
        { "google--gemma-3-27b_text-config-copy.json", 27, 0.10, 27, 0.10, false },
        { "google--gemma-3-12b-it_config-copy.json", 12, 0.10, 12, 0.10, false },
        { "google--gemma-4-31B-it_config.json", 31, 0.10, 31, 0.10, false },
    };

    [Theory]
    [MemberData(nameof(PublishedCounts))]
    public void RealConfig_LoadsWithThePublishedCounts(string file, double totalB, double totalTolerance, double activeB,
        double activeTolerance, bool activeWithoutEmbeddings)
    {
        // Given a publisher's config.json
        // When it is read and counted
        var model = HuggingFaceConfig.Parse(ReadConfig(file), "m", file);
        var counted = ParameterCounter.Count(model);
        var active = activeWithoutEmbeddings ? counted.Active - counted.InputEmbedding - counted.LmHead : counted.Active;

        // Then the total and active counts are within the published figures' rounding
        Assert.InRange((counted.Total + counted.Encoder) / 1e9, totalB * (1 - totalTolerance), totalB * (1 + totalTolerance));
        Assert.InRange(active / 1e9, activeB * (1 - activeTolerance), activeB * (1 + activeTolerance));
    }
}
