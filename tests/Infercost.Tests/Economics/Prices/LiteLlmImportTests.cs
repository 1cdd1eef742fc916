using Infercost.Economics.Prices;
using Xunit;

namespace Infercost.Tests.Economics.Prices;

public class LiteLlmImportTests
{
    // A cut-down model_prices_and_context_window.json in LiteLLM's own format (dollars per token).
    private const string Sample = """
        {
          "sample_spec": {"input_cost_per_token": 0, "output_cost_per_token": 0, "mode": "chat"},
          "claude-sonnet-4-5": {
            "litellm_provider": "anthropic", "mode": "chat", "max_input_tokens": 200000,
            "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05,
            "cache_read_input_token_cost": 3e-07, "cache_creation_input_token_cost": 3.75e-06,
            "input_cost_per_token_above_200k_tokens": 6e-06, "output_cost_per_token_above_200k_tokens": 2.25e-05,
            "input_cost_per_token_batches": 1.5e-06, "output_cost_per_token_batches": 7.5e-06
          },
          "my-finetune": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 4e-06},
          "text-embedding-3-small": {"mode": "embedding", "input_cost_per_token": 2e-08, "output_cost_per_token": 0}
        }
        """;

    [Fact]
    public void FromLiteLlm_ConvertsPerTokenToPerMillion()
    {
        // Given a LiteLLM-format file
        // When it is imported
        var catalog = PriceCatalog.FromLiteLlm(Sample, "litellm-sample.json");

        // Then Sonnet 4.5's per-token prices become $/MTok, keyed by the catalog id its litellm key maps to
        var sonnet = catalog.Get("claude-sonnet-4.5");
        Assert.Equal(3, sonnet.Input.Value, 9);
        Assert.Equal(15, sonnet.Output.Value, 9);
        Assert.Equal(0.3, sonnet.CachedInputRead!.Value.Value, 9);
        Assert.Equal(3.75, sonnet.CacheWrite!.Value.Value, 9);
        Assert.Equal(0.5, sonnet.BatchDiscount!.Value, 9);
        Assert.Equal(new LongContextTier(200_000, Infercost.Quantities.DollarsPerMillionTokens.FromDollarsPerMillionTokens(6),
            Infercost.Quantities.DollarsPerMillionTokens.FromDollarsPerMillionTokens(22.5)), sonnet.LongContextTier);
        Assert.Equal(200_000, sonnet.ContextWindow);
        Assert.Equal("anthropic", sonnet.Provider);
        Assert.Equal("litellm-sample.json", sonnet.Source);
    }

    [Fact]
    public void FromLiteLlm_SkipsNonTextEntriesAndTheSampleSpec()
    {
        var catalog = PriceCatalog.FromLiteLlm(Sample, "litellm-sample.json");
        Assert.Equal(["claude-sonnet-4.5", "my-finetune"], catalog.ModelIds);
    }

    [Fact]
    public void FromLiteLlm_AsOverride_AddsNewModelsAndReplacesKnownOnes()
    {
        var merged = PriceCatalog.Embedded.WithOverrides(PriceCatalog.FromLiteLlm(Sample, "litellm-sample.json"));
        Assert.Equal(4, merged.Get("my-finetune").Output.Value, 9);
        Assert.Equal("litellm-sample.json", merged.Get("claude-sonnet-4.5").Source);
    }

    [Fact]
    public void FromLiteLlm_NonNumericPrice_SkipsTheEntryAndNamesIt()
    {
        // Given a file where one entry's price is text and another is fine
        var (catalog, import) = PriceCatalog.ImportLiteLlm(
            """{"m": {"input_cost_per_token": "cheap", "output_cost_per_token": 1e-6}, "ok": {"input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6}}""",
            "x.json", includeOutliers: false);

        // Then the bad entry is skipped with its key, field and value, and the rest imports
        Assert.Equal(["m.input_cost_per_token: must be a finite number >= 0 (dollars per token); was \"cheap\""], import.Skipped);
        Assert.Equal(["ok"], catalog.ModelIds);
    }

    // The real file (see LiteLlm/README.md) carries entries priced in dollars where micro-dollars are meant ($0.11-0.54
    // per token) and others at $10k-71k/MTok. These entries reproduce that shape; they are not copied from the file.
    private const string WithBadEntries = """
        {
          "provider-a/some-model": {"mode": "chat", "input_cost_per_token": 0.11, "output_cost_per_token": 0.54},
          "provider-b/other-model": {"mode": "chat", "input_cost_per_token": 0.01, "output_cost_per_token": 0.071},
          "llama-x": {"mode": "chat", "input_cost_per_token": 2e-07, "output_cost_per_token": 2e-07},
          "provider-c/llama-x": {"mode": "chat", "input_cost_per_token": 2.2e-07, "output_cost_per_token": 2.2e-07},
          "provider-d/llama-x": {"mode": "chat", "input_cost_per_token": 1.8e-07, "output_cost_per_token": 2.0e-07},
          "provider-e/llama-x": {"mode": "chat", "input_cost_per_token": 2e-07, "output_cost_per_token": 9e-05},
          "gpt-4o": {"mode": "chat", "input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05},
          "gpt-4o-2024-05-13": {"mode": "chat", "input_cost_per_token": 5e-06, "output_cost_per_token": 1.5e-05}
        }
        """;

    [Fact]
    public void AbsurdPrices_AreSkippedAndOutliersKeptApart()
    {
        // Given a file with an impossible price, one over $1,000/MTok and one 450x its peers
        var (catalog, import) = PriceCatalog.ImportLiteLlm(WithBadEntries, "lite.json", includeOutliers: false);

        // Then the impossible entry is skipped (a count of one), the two implausible ones are outliers left out
        Assert.Equal(2, import.Skipped.Count);
        Assert.All(import.Skipped, line => Assert.StartsWith("provider-a/some-model.", line, StringComparison.Ordinal));
        Assert.Equal(2, import.Outliers.Count);
        Assert.Contains(import.Outliers, o => o.StartsWith("provider-b/other-model: $71000/MTok is over $1000/MTok", StringComparison.Ordinal));
        Assert.Contains(import.Outliers, o => o.StartsWith("provider-e/llama-x: output $90/MTok is over 20× the median of 3 other 'llama-x' entries", StringComparison.Ordinal));
        Assert.DoesNotContain("provider-b/other-model", catalog.ModelIds);
        Assert.DoesNotContain("provider-e/llama-x", catalog.ModelIds);
    }

    [Fact]
    public void Outliers_AreKeptWhenAskedFor()
    {
        // Given the same file, imported with outliers kept
        var (catalog, import) = PriceCatalog.ImportLiteLlm(WithBadEntries, "lite.json", includeOutliers: true);

        // Then the outliers are in the catalog, their notes saying why they are suspect
        Assert.Contains("provider-b/other-model", catalog.ModelIds);
        Assert.Contains("Outlier:", catalog.Get("provider-b/other-model").Notes, StringComparison.Ordinal);
        Assert.Equal(2, import.Outliers.Count);
    }

    [Fact]
    public void DatedSnapshot_IsAModelOfItsOwn()
    {
        // Given gpt-4o and its 2024-05-13 snapshot at different prices
        var (catalog, _) = PriceCatalog.ImportLiteLlm(WithBadEntries, "lite.json", includeOutliers: false);

        // Then each is its own model, neither disputing the other
        var snapshot = catalog.Get("gpt-4o-2024-05-13");
        var undated = catalog.Get("gpt-4o");
        Assert.Equal(5, snapshot.Input.Value, 9);
        Assert.Equal(2.5, undated.Input.Value, 9);
        Assert.False(snapshot.Disputed);
        Assert.False(undated.Disputed);
    }

    [Fact]
    public void RealFileSlice_ImportsItsPricedTextModels()
    {
        // Given the first 38 entries of litellm's real file (LiteLlm/README.md)
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Economics", "Prices", "LiteLlm", "model_prices_and_context_window.slice.json"));

        // When it is imported
        var (catalog, import) = PriceCatalog.ImportLiteLlm(json, "slice.json", includeOutliers: false);

        // Then the 14 token-priced chat entries load (sample_spec and 23 image entries are not text models), nothing is
        // skipped or flagged, and the dated Nova 2 Pro preview keeps its own id
        Assert.Empty(import.Skipped);
        Assert.Empty(import.Outliers);
        Assert.Equal(14, import.Prices.Count);
        Assert.Contains("amazon.nova-2-pro-preview-20251202-v1:0", catalog.ModelIds);
        Assert.Equal(17.5, catalog.Get("amazon.nova-2-pro-preview-20251202-v1:0").Output.Value, 9);
    }

    [Fact]
    public void RealWholeFile2024_Imports()
    {
        // Given a whole real litellm price file: the 2024 copy that npm's llm-cost 1.0.5 ships (LiteLlm/README.md)
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Economics", "Prices", "LiteLlm", "model_prices_and_context_window.2024.json"));
        using var doc = System.Text.Json.JsonDocument.Parse(json);

        // Counted independently of the importer: the entries that are text models (mode chat, completion, or none)
        // with a numeric price per input and per output token
        var priced = doc.RootElement.EnumerateObject().Count(e => e.Name != "sample_spec"
            && (!e.Value.TryGetProperty("mode", out var m) || m.GetString() is "chat" or "completion")
            && e.Value.TryGetProperty("input_cost_per_token", out var i) && i.ValueKind == System.Text.Json.JsonValueKind.Number
            && e.Value.TryGetProperty("output_cost_per_token", out var o) && o.ValueKind == System.Text.Json.JsonValueKind.Number);

        // When it is imported
        var (catalog, import) = PriceCatalog.ImportLiteLlm(json, "litellm-2024.json", includeOutliers: false);

        // Then every one of them loads, and what is left out is named
        Assert.Equal(361, priced);
        Assert.Equal(priced, import.Prices.Count);
        Assert.Empty(import.Skipped);
        Assert.Empty(import.Outliers);
        Assert.Equal(5, catalog.Get("gpt-4o").Input.Value, 9);
        Assert.Equal(15, catalog.Get("gpt-4o").Output.Value, 9);
        Assert.Contains("claude-3-5-sonnet-20240620", catalog.ModelIds);
        Assert.Equal(0.1, catalog.Get("together-ai-up-to-4b").Input.Value, 9); // an entry without a mode is a text model
    }
}
