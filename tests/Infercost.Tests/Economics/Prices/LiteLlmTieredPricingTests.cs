using System.Text.Json;
using Infercost.Economics.Prices;
using Xunit;

namespace Infercost.Tests.Economics.Prices;

// LiteLLM's real file prices some chat models only through tiered_pricing (tiers by prompt length, no top-level price):
// Volcengine's Doubao Seed 2.0 entries. They used to vanish from an import without a word. LiteLlm/README.md gives the
// slice's source.
public class LiteLlmTieredPricingTests
{
    private static string Slice() =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Economics", "Prices", "LiteLlm", "model_prices_and_context_window.tiered-slice.json"));

    [Fact]
    public void RealTieredSlice_ImportsEveryPricedTextModel()
    {
        // Given 24 real entries from two places in the current file: OpenAI chat entries with priority and search fields,
        // realtime, transcription and speech entries, Bedrock Mantle responses entries, and four Volcengine entries priced
        // only in tiers
        var json = Slice();
        using var doc = JsonDocument.Parse(json);

        // Counted independently of the importer: text modes (chat, completion, responses, none) with top-level per-token
        // prices or tiered_pricing
        var priced = doc.RootElement.EnumerateObject().Count(e =>
            (!e.Value.TryGetProperty("mode", out var m) || m.GetString() is "chat" or "completion" or "responses")
            && ((e.Value.TryGetProperty("input_cost_per_token", out _) && e.Value.TryGetProperty("output_cost_per_token", out _))
                || e.Value.TryGetProperty("tiered_pricing", out _)));

        // When it is imported
        var (catalog, import) = PriceCatalog.ImportLiteLlm(json, "tiered-slice.json", includeOutliers: false);

        // Then every one loads and nothing is skipped or flagged
        Assert.Equal(20, priced);
        Assert.Equal(priced, import.Prices.Count);
        Assert.Empty(import.Skipped);
        Assert.Empty(import.Outliers);
        Assert.Contains("volcengine/doubao-seed-2-0-lite-260215", catalog.ModelIds);
    }

    [Fact]
    public void TieredOnlyEntry_TakesTheBaseTierAndTheNextAsLongContext()
    {
        // Given Doubao Seed 2.0 Pro: $0.46 / $2.3 per MTok up to 32K prompt tokens, $0.7 / $3.5 to 128K, $1.4 / $7 to 256K
        var (catalog, _) = PriceCatalog.ImportLiteLlm(Slice(), "tiered-slice.json", includeOutliers: false);
        var pro = catalog.Get("volcengine/doubao-seed-2-0-pro-260215");

        // Then the base price is the first tier's, the long-context tier the second's, and the third is named in the notes
        Assert.Equal(0.46, pro.Input.Value, 9);
        Assert.Equal(2.3, pro.Output.Value, 9);
        Assert.Equal(32_000, pro.LongContextTier!.ThresholdTokens);
        Assert.Equal(0.7, pro.LongContextTier.Input.Value, 9);
        Assert.Equal(3.5, pro.LongContextTier.Output.Value, 9);
        Assert.Contains("3 length tiers", pro.Notes, StringComparison.Ordinal);
        Assert.Contains("from 128,000 tokens $1.4 / $7/MTok", pro.Notes, StringComparison.Ordinal);
    }

    [Fact]
    public void TierPricingOnlyTheInput_TakesTheOutputFromTheEntry()
    {
        // Given the DashScope shape LiteLLM's own tests use: a top-level output price, tiers that price only the input,
        // the last tier open-ended
        const string json = """
            { "dashscope/qwen-tiers": { "litellm_provider": "dashscope", "mode": "chat", "output_cost_per_token": 1.6e-06,
                "tiered_pricing": [ { "range": [0, 256000], "input_cost_per_token": 4e-07 },
                                    { "range": [256000, null], "input_cost_per_token": 1.2e-06 } ] } }
            """;

        // When it is imported
        var (catalog, import) = PriceCatalog.ImportLiteLlm(json, "t.json", includeOutliers: false);
        var q = catalog.Get("dashscope/qwen-tiers");

        // Then input comes from the tier from 0, output from the entry, and the open tier is the long-context one
        Assert.Empty(import.Skipped);
        Assert.Equal(0.4, q.Input.Value, 9);
        Assert.Equal(1.6, q.Output.Value, 9);
        Assert.Equal(256_000, q.LongContextTier!.ThresholdTokens);
        Assert.Equal(1.2, q.LongContextTier.Input.Value, 9);
        Assert.Equal(1.6, q.LongContextTier.Output.Value, 9);
    }

    [Theory]
    [InlineData("""{ "range": [0, 32000], "input_cost_per_token": "4.6e-07", "output_cost_per_token": 2.3e-06 }""", "bad.tiered_pricing[0].input_cost_per_token")]
    [InlineData("""{ "input_cost_per_token": 4.6e-07, "output_cost_per_token": 2.3e-06 }""", "bad.tiered_pricing[0].range")]
    [InlineData("""{ "range": [32000, 0], "input_cost_per_token": 4.6e-07, "output_cost_per_token": 2.3e-06 }""", "bad.tiered_pricing[0].range")]
    [InlineData("""{ "range": [1000, 32000], "input_cost_per_token": 4.6e-07, "output_cost_per_token": 2.3e-06 }""", "bad.tiered_pricing")]
    public void BadTier_SkipsThatEntryAndNamesTheField(string tier, string field)
    {
        // Given a good entry and one whose only tier is wrong
        var json = $$"""
            { "good": { "mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06 },
              "bad": { "mode": "chat", "tiered_pricing": [ {{tier}} ] } }
            """;

        // When it is imported
        var (catalog, import) = PriceCatalog.ImportLiteLlm(json, "t.json", includeOutliers: false);

        // Then the good entry loads, and the bad one is skipped with its key and field
        Assert.Contains("good", catalog.ModelIds);
        Assert.DoesNotContain("bad", catalog.ModelIds);
        var line = Assert.Single(import.Skipped);
        Assert.StartsWith(field + ":", line, StringComparison.Ordinal);
    }
}
