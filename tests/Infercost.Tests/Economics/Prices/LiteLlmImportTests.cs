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
    public void FromLiteLlm_NonNumericPrice_IsReportedWithItsPath()
    {
        var e = Assert.Throws<InvalidInputException>(() => PriceCatalog.FromLiteLlm(
            """{"m": {"input_cost_per_token": "cheap", "output_cost_per_token": 1e-6}}""", "x.json"));
        Assert.Contains("m.input_cost_per_token: must be a finite number >= 0 (dollars per token); was \"cheap\"", e.Message, StringComparison.Ordinal);
    }
}
