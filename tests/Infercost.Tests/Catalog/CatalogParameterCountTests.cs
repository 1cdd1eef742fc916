using Infercost.Models;
using Xunit;
using ModelCatalog = Infercost.Catalog.Catalog;

namespace Infercost.Tests.Catalog;

// The computed figures below are params_total_b_computed and params_active_b_computed from
// /work/shared/data/models.json, which were counted from the configs independently of ParameterCounter.
// That file counts "active" with both embedding tables, except for gpt-oss where its note says the
// input embedding is excluded: for gpt-oss the comparison is therefore with ActiveCompute.
public class CatalogParameterCountTests
{
    public static TheoryData<string, double, double, bool> ComputedFigures => new()
    {
        // id, total (B), active (B), active excludes the input embedding
        { "llama-3.1-8b", 8.030, 8.030, false },
        { "llama-3.1-70b", 70.554, 70.554, false },
        { "llama-3.1-405b", 405.853, 405.853, false },
        { "llama-3.3-70b", 70.554, 70.554, false },
        { "mixtral-8x7b", 46.703, 12.880, false },
        { "mixtral-8x22b", 140.621, 39.152, false },
        { "deepseek-v3", 671.026, 37.552, false },
        { "deepseek-r1", 671.026, 37.552, false },
        // DeepSeek-V3 plus the DSA indexer on 61 layers: 1,536 × 8,192 (q) + 7,168 × 128 (k) + 2 × 128 (k LayerNorm)
        // + 7,168 × 64 (head weights) = 13,959,424 per layer, 0.852B in all, every one of them active.
        { "deepseek-v3.2", 671.878, 38.404, false },
        { "gpt-oss-120b", 116.829, 5.133, true },
        { "gpt-oss-20b", 20.915, 3.608, true },
        { "qwen3-235b-a22b", 235.094, 22.191, false },
        { "qwen3-30b-a3b", 30.532, 3.353, false },
        { "qwen2.5-7b", 7.616, 7.616, false },
        { "mistral-7b", 7.242, 7.242, false },
    };

    [Theory]
    [MemberData(nameof(ComputedFigures))]
    public void ParameterCount_EqualsIndependentCount_ToThreeDecimals(string id, double totalB, double activeB, bool excludesInputEmbedding)
    {
        // Given a catalog model and the count made independently from its config (shared/data/models.json)
        var model = ModelCatalog.Embedded.GetModel(id);

        // When ParameterCounter counts it
        var counted = ParameterCounter.Count(model);
        var active = excludesInputEmbedding ? counted.ActiveCompute : counted.Active;

        // Then both agree to the three decimals (millions of parameters) the data prints
        Assert.Equal(totalB, Math.Round(counted.Total / 1e9, 3), 3);
        Assert.Equal(activeB, Math.Round(active / 1e9, 3), 3);
    }

    public static TheoryData<string, double, string> PublishedTolerances => new()
    {
        // id, relative tolerance, why
        { "llama-3.1-8b", 0.01, "the name rounds 8.03B to the integer 8" },
        { "llama-3.1-70b", 0.01, "the name rounds 70.55B to the integer 70" },
        { "llama-3.1-405b", 0.01, "the name rounds 405.85B to the integer 405" },
        { "llama-3.3-70b", 0.01, "the name rounds 70.55B to the integer 70" },
        { "mixtral-8x7b", 0.005, "46.7B/12.9B are printed to three significant figures (half a unit is 0.1% and 0.4%)" },
        { "mixtral-8x22b", 0.01, "141B/39B are integers (half a unit is 0.4% and 1.3% at most); observed 0.3%/0.4%" },
        { "deepseek-v3", 0.02, "37B active is an integer (half a unit is 1.4%) and may be counted without one embedding table; 671B matches to 0.01%" },
        { "deepseek-r1", 0.02, "same architecture and figures as DeepSeek-V3" },
        { "deepseek-v3.2", 0.04, "DeepSeek gives V3's 671B/37B for V3.2; the indexer's 0.85B (all active) is outside the 37B, which puts active 3.8% over" },
        { "gpt-oss-120b", 0.01, "117B/5.1B are rounded to three and two significant figures; active excludes the input embedding" },
        { "gpt-oss-20b", 0.025, "21B/3.6B are two significant figures (half a unit is 2.4% and 1.4%)" },
        { "qwen3-235b-a22b", 0.025, "22B active is two significant figures (half a unit is 2.3%)" },
        { "qwen3-30b-a3b", 0.02, "3.3B active is two significant figures (half a unit is 1.5%); the count is 3.35B, 1.6% above" },
        { "qwen2.5-7b", 0.005, "7.61B is printed to three significant figures" },
        { "mistral-7b", 0.01, "7.3B is the commonly quoted round figure for 7.24B" },
    };

    [Theory]
    [MemberData(nameof(PublishedTolerances))]
    public void ParameterCount_MatchesPublisherFigure_WithinStatedTolerance(string id, double tolerance, string why)
    {
        // Given a catalog model with the publisher's nominal counts
        var model = ModelCatalog.Embedded.GetModel(id);
        var counted = ParameterCounter.Count(model);
        // OpenAI's active figures leave out the input embedding table (a lookup, not a matmul).
        var active = id.StartsWith("gpt-oss", StringComparison.Ordinal) ? counted.ActiveCompute : counted.Active;

        // When the computed counts are compared with the published ones
        var totalError = Math.Abs(counted.Total / 1e9 - model.PublishedTotalBillions!.Value) / model.PublishedTotalBillions.Value;
        var activeError = Math.Abs(active / 1e9 - model.PublishedActiveBillions!.Value) / model.PublishedActiveBillions.Value;

        // Then each lies within the tolerance justified for that model
        Assert.True(totalError <= tolerance, $"{id} total off by {totalError:P2} > {tolerance:P1}: {why}");
        Assert.True(activeError <= tolerance, $"{id} active off by {activeError:P2} > {tolerance:P1}: {why}");
    }
}
