using Xunit;
using ModelCatalog = Infercost.Catalog.Catalog;

namespace Infercost.Tests.Catalog;

public class CatalogLookupTests
{
    [Fact]
    public void GetModel_IgnoresCase()
    {
        // Given an id typed in upper case
        // When it is looked up
        var model = ModelCatalog.Embedded.GetModel("DeepSeek-R1");

        // Then the catalog entry is found
        Assert.Equal("deepseek-r1", model.Id);
    }

    [Fact]
    public void GetModel_UnknownId_SuggestsTheClosestIds()
    {
        // Given a mistyped model id
        // When it is looked up
        var e = Assert.Throws<InvalidInputException>(() => ModelCatalog.Embedded.GetModel("deepsek-r1"));

        // Then the message names the nearest ids by edit distance
        Assert.Equal("unknown model 'deepsek-r1'; did you mean deepseek-r1, deepseek-v3?", e.Message);
        Assert.Equal("model", e.Field);
    }

    [Fact]
    public void GetAccelerator_UnfinishedId_SuggestsItsCompletions()
    {
        // Given an unfinished accelerator id
        // When it is looked up
        var e = Assert.Throws<InvalidInputException>(() => ModelCatalog.Embedded.GetAccelerator("nvidia-h100"));

        // Then the ids it begins are offered, shortest first, before mere near-spellings (nvidia-b200 is 2 edits away)
        Assert.Equal("unknown accelerator 'nvidia-h100'; did you mean nvidia-h100-sxm, nvidia-h100-pcie?", e.Message);
    }

    [Fact]
    public void GetModel_NothingClose_ListsKnownIds()
    {
        // Given an id unlike any known one
        // When it is looked up
        var e = Assert.Throws<InvalidInputException>(() => ModelCatalog.Embedded.GetModel("zzzzzzzzzzzzzzzzzzzz"));

        // Then the known ids are listed instead of a guess
        Assert.StartsWith("unknown model 'zzzzzzzzzzzzzzzzzzzz'; known models: llama-3.1-8b,", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryGetModel_UnknownId_ReturnsFalse()
    {
        // Given an unknown id
        // When it is tried
        var found = ModelCatalog.Embedded.TryGetModel("no-such-model", out var model);

        // Then nothing is found and nothing is thrown
        Assert.False(found);
        Assert.Null(model);
    }

    [Fact]
    public void WithOverrides_ReplacesSameIdInPlace_AndAppendsNewIds()
    {
        // Given the embedded catalog and a user file that re-prices the H100 and adds a model
        var user = ModelCatalog.Parse("""
            {
              "accelerators": [{
                "id": "NVIDIA-H100-SXM", "name": "H100 (my price)", "vendor": "NVIDIA",
                "memoryGB": 80, "memoryBandwidthTBps": 3.35,
                "denseTflops": { "bf16": 989, "fp8": 1979 },
                "scaleUpGBpsPerDirection": 450, "scaleUpDomain": 8, "rentalUsdPerHour": 1.49,
                "sources": ["my-contract"], "asOf": "2026-09-01"
              }],
              "models": [{
                "id": "my-model", "name": "My model", "layers": 2, "hiddenSize": 64, "attentionHeads": 4, "kvHeads": 4,
                "headDim": 16, "denseIntermediateSize": 128, "vocabSize": 100, "maxContextTokens": 512,
                "sources": ["me"], "asOf": "2026-09"
              }]
            }
            """, "mine.json");
        var embedded = ModelCatalog.Embedded;

        // When the user file overrides the embedded catalog
        var merged = embedded.WithOverrides(user);

        // Then the H100 is replaced where it stood, the model is added at the end, and the embedded catalog is unchanged
        Assert.Equal(embedded.Accelerators.Count, merged.Accelerators.Count);
        var index = embedded.Accelerators.ToList().FindIndex(a => a.Id == "nvidia-h100-sxm");
        Assert.Equal("H100 (my price)", merged.Accelerators[index].Name);
        Assert.Equal(1.49, merged.GetAccelerator("nvidia-h100-sxm").RentalPerHour!.Value.Value, 9);
        Assert.Equal(50e9, merged.GetAccelerator("nvidia-h100-sxm").ScaleOutBandwidth.Value, 3);
        Assert.Equal(embedded.Models.Count + 1, merged.Models.Count);
        Assert.Equal("my-model", merged.Models[^1].Id);
        Assert.Equal(2.75, embedded.GetAccelerator("nvidia-h100-sxm").RentalPerHour!.Value.Value, 9);
    }
}
