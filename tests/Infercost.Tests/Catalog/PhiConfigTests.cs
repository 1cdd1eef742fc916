using Infercost.Catalog;
using Infercost.Models;
using Xunit;

namespace Infercost.Tests.Catalog;

// Phi-3 (model_type phi3: packed qkv_proj and gate_up_proj, one sliding window on every layer) and Phi-4 (its language
// model, in the flat LLaVA-style config of Phi-4-reasoning-vision-15B). HfConfigs/README.md gives each file's source and
// the published figures.
public class PhiConfigTests
{
    private static ModelArchitecture Read(string file) =>
        HuggingFaceConfig.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Catalog", "HfConfigs", file)), "m", file);

    [Theory]
    // Phi-3 technical report (arXiv 2404.14219): phi-3-mini 3.8B, phi-3-medium 14B parameters.
    [InlineData("microsoft--Phi-3-mini-4k-instruct_config.json", 3.8)]
    [InlineData("microsoft--Phi-3-medium-4k-instruct_config.json", 14.0)]
    public void Phi3_TotalIsThePublishedCount(string file, double publishedBillions)
    {
        // Given a published Phi-3 config.json
        var p = ParameterCounter.Count(Read(file));

        // Then the total is within 1% of the published count
        Assert.InRange(p.Total / 1e9, publishedBillions * 0.99, publishedBillions * 1.01);
    }

    [Fact]
    public void Phi3Mini_IsDenseMhaWithOneWindowOnEveryLayer()
    {
        // Given Phi-3-mini-4k-instruct: 32 layers of 32 heads of 96 (no GQA), sliding_window 2047 and no layer pattern
        var model = Read("microsoft--Phi-3-mini-4k-instruct_config.json");

        // Then it is multi-head attention, bf16, windowed on all 32 layers, untied
        Assert.Equal(32, model.KvHeads);
        Assert.Equal(96, model.HeadDim);
        Assert.Equal(new SlidingWindow(2047, 32), model.SlidingWindow);
        Assert.False(model.TieWordEmbeddings);
        Assert.Equal(Precision.Bf16, model.DefaultWeightPrecision);

        // And each layer counts q, k, v, o at 3,072 and a 3 × 3,072 × 8,192 gated MLP (the packed projections hold the same)
        var p = ParameterCounter.Count(model);
        Assert.Equal(4.0 * 3072 * 3072, p.AttentionPerLayer);
        Assert.Equal(3.0 * 3072 * 8192, p.DenseMlpPerLayer);
    }

    [Fact]
    public void Phi4ReasoningVision_ServesThePhi4LanguageModel_AndCountsItsTowerApart()
    {
        // Given Phi-4-reasoning-vision-15B's config.json: Phi-4's shape (40 layers, 5,120 wide, 40 query and 10 KV heads,
        // 17,920 MLP, 100,352 vocabulary) at the top level, a SigLIP2 tower in vision_config
        var model = Read("microsoft--Phi-4-reasoning-vision-15B_config.json");
        var p = ParameterCounter.Count(model);

        // Then the language model is 14.7B, its tower is counted apart, and the whole checkpoint is the name's 15B within 1%
        Assert.Equal(10, model.KvHeads);
        Assert.Equal(128, model.HeadDim);
        Assert.InRange(p.Total / 1e9, 14.6, 14.7);
        Assert.True(p.Encoder > 0);
        Assert.InRange(p.Checkpoint / 1e9, 15.0 * 0.99, 15.0 * 1.01);
        Assert.Contains(model.Source.Notes, n => n.Contains("beside vision_config", StringComparison.Ordinal));
    }
}
