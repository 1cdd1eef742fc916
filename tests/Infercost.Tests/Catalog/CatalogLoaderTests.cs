using Xunit;
using ModelCatalog = Infercost.Catalog.Catalog;

namespace Infercost.Tests.Catalog;

public class CatalogLoaderTests
{
    private const string Accelerator = """
        {
          "id": "test-gpu", "name": "Test GPU", "vendor": "Test",
          "memoryGB": 80, "memoryBandwidthTBps": 3.35,
          "denseTflops": { "fp16": 989, "bf16": 989, "fp8": 1979, "int8": null, "int4": null, "fp4": null },
          "tdpW": 700, "scaleUpGBpsPerDirection": 450, "scaleUpDomain": 8, "scaleOutGBpsPerDirection": 50,
          "rentalUsdPerHour": 2.5, "purchaseUsd": 25000,
          "sources": ["test"], "asOf": "2026-08-21", "notes": []
        }
        """;

    private const string Model = """
        {
          "id": "test-moe", "name": "Test MoE",
          "layers": 4, "hiddenSize": 512, "attentionHeads": 8, "kvHeads": 2, "headDim": 64,
          "vocabSize": 1000, "maxContextTokens": 4096,
          "moe": { "experts": 8, "expertsPerToken": 2, "expertIntermediateSize": 256 },
          "sources": ["test"], "asOf": "2026-08"
        }
        """;

    private static string Document(string accelerators, string models) =>
        $$"""{ "accelerators": [{{accelerators}}], "models": [{{models}}] }""";

    private static InvalidInputException Rejects(string json) =>
        Assert.Throws<InvalidInputException>(() => ModelCatalog.Parse(json, "test.json"));

    private static string[] Lines(InvalidInputException e) => [.. e.Problems];

    [Fact]
    public void Loader_ValidDocument_BuildsRecordsInCanonicalUnits()
    {
        // Given a well-formed document with one accelerator and one model
        // When it is parsed
        var catalog = ModelCatalog.Parse(Document(Accelerator, Model), "test.json");

        // Then the figures arrive in canonical units and absent optional fields take their defaults
        var a = catalog.GetAccelerator("test-gpu");
        Assert.Equal(3.35e12, a.MemoryBandwidth.Value, 3);
        Assert.Equal(450e9, a.ScaleUpBandwidth!.Value.Value, 3);
        Assert.Null(a.Peaks.Int8);
        var m = catalog.GetModel("test-moe");
        Assert.Equal(0, m.Moe!.SharedExperts);
        Assert.Null(m.DenseIntermediateSize);
        Assert.Equal(Precision.Bf16, m.DefaultWeightPrecision);
        Assert.Equal("2026-08", m.Source.AsOf);
    }

    [Fact]
    public void Loader_EitherArrayOptional_InAUserFile()
    {
        // Given a user file with only models
        // When it is parsed
        var catalog = ModelCatalog.Parse($$"""{ "models": [{{Model}}] }""", "mine.json");

        // Then it holds the models and no accelerators
        Assert.Empty(catalog.Accelerators);
        Assert.Single(catalog.Models);
    }

    [Fact]
    public void Loader_UnknownField_NamesItsPathAndTheAcceptedFields()
    {
        // Given a model entry with a field the format does not define
        var json = Document(Accelerator, Model.Replace("\"layers\": 4", "\"layers\": 4, \"foo\": 1", StringComparison.Ordinal));

        // When it is parsed
        var e = Rejects(json);

        // Then the problem names the field's path and lists the accepted ones
        Assert.Equal("models[0].foo", e.Field);
        Assert.StartsWith("models[0].foo: unknown field; accepted: id, name, hfRepo, layers,", Lines(e)[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_UnknownTopLevelField_IsRejected()
    {
        // Given a document with a misspelt top-level array
        // When it is parsed
        var e = Rejects("""{ "model": [] }""");

        // Then the field is named
        Assert.Equal("model: unknown field; accepted: accelerators, models", Lines(e)[0]);
    }

    [Fact]
    public void Loader_NegativeBandwidth_NamesPathAndValue()
    {
        // Given an accelerator with a negative bandwidth, fourth in its array
        var bad = Accelerator.Replace("3.35", "-1", StringComparison.Ordinal).Replace("test-gpu", "bad-gpu", StringComparison.Ordinal);
        var others = string.Join(",", Enumerable.Range(0, 3).Select(i => Accelerator.Replace("test-gpu", $"gpu-{i}", StringComparison.Ordinal)));

        // When it is parsed
        var e = Rejects(Document(others + "," + bad, Model));

        // Then the line has the documented shape
        Assert.Equal(["accelerators[3].memoryBandwidthTBps: must be > 0; was -1"], Lines(e));
    }

    [Theory]
    [InlineData("\"NaN\"", "must be a number; was \"NaN\"")]
    [InlineData("\"Infinity\"", "must be a number; was \"Infinity\"")]
    [InlineData("1e400", "must be a finite number; was 1e400")]
    [InlineData("0", "must be > 0; was 0")]
    [InlineData("null", "required; was null")]
    public void Loader_NonFiniteOrMissingMemory_IsRejected(string value, string message)
    {
        // Given an accelerator whose memory is NaN written as a string, an overflowing number, zero or null
        var json = Document(Accelerator.Replace("\"memoryGB\": 80", $"\"memoryGB\": {value}", StringComparison.Ordinal), Model);

        // When it is parsed
        var e = Rejects(json);

        // Then the value is rejected with its path
        Assert.Equal([$"accelerators[0].memoryGB: {message}"], Lines(e));
    }

    [Fact]
    public void Loader_MissingId_IsReported()
    {
        // Given a model without an id
        var json = Document(Accelerator, Model.Replace("\"id\": \"test-moe\",", "", StringComparison.Ordinal));

        // When it is parsed
        var e = Rejects(json);

        // Then the missing field is named
        Assert.Equal(["models[0].id: required field is missing"], Lines(e));
    }

    [Fact]
    public void Loader_ExpertsPerTokenAboveExperts_ShowsTheRange()
    {
        // Given a MoE that routes each token to more experts than it has
        var json = Document(Accelerator, Model.Replace("\"expertsPerToken\": 2", "\"expertsPerToken\": 9", StringComparison.Ordinal));

        // When it is parsed
        var e = Rejects(json);

        // Then the range is bounded by the expert count
        Assert.Equal(["models[0].moe.expertsPerToken: must be in [1, 8]; was 9"], Lines(e));
    }

    [Fact]
    public void Loader_ZeroExpertsPerToken_ShowsTheRange()
    {
        // Given a DeepSeek-sized MoE with zero experts per token
        var json = Document(Accelerator, Model
            .Replace("\"experts\": 8", "\"experts\": 256", StringComparison.Ordinal)
            .Replace("\"expertsPerToken\": 2", "\"expertsPerToken\": 0", StringComparison.Ordinal));

        // When it is parsed
        var e = Rejects(json);

        // Then the message is the documented one
        Assert.Equal(["models[0].moe.expertsPerToken: must be in [1, 256]; was 0"], Lines(e));
    }

    [Fact]
    public void Loader_SeveralProblems_AreReportedTogether()
    {
        // Given a document with problems in two entries and several fields
        var badAccelerator = Accelerator
            .Replace("\"memoryGB\": 80", "\"memoryGB\": -80", StringComparison.Ordinal)
            .Replace("\"fp8\": 1979", "\"fp8\": \"fast\"", StringComparison.Ordinal)
            .Replace("\"scaleUpDomain\": 8", "\"scaleUpDomain\": 0", StringComparison.Ordinal);
        var badModel = Model
            .Replace("\"layers\": 4", "\"layers\": 0", StringComparison.Ordinal)
            .Replace("\"kvHeads\": 2", "\"kvHeads\": 3", StringComparison.Ordinal)
            .Replace("\"asOf\": \"2026-08\"", "\"asOf\": \"last week\"", StringComparison.Ordinal);

        // When it is parsed
        var e = Rejects(Document(badAccelerator, badModel));

        // Then one exception lists every problem, in document order, under a header naming the file
        Assert.StartsWith("test.json: 6 problems: (1) accelerators[0].memoryGB: must be > 0; was -80; (2) ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(
        [
            "accelerators[0].memoryGB: must be > 0; was -80",
            "accelerators[0].denseTflops.fp8: must be a number; was \"fast\"",
            "accelerators[0].scaleUpDomain: must be in [1, 1000000]; was 0",
            "models[0].layers: must be in [1, 1000]; was 0",
            "models[0].asOf: must be an ISO 8601 date (2026-08-21, 2026-08 or 2026); was \"last week\"",
            "models[0].kvHeads: must divide attentionHeads (8) for gqa attention; was 3",
        ], Lines(e));
        Assert.Equal("accelerators[0].memoryGB", e.Field);
    }

    [Fact]
    public void Loader_DuplicateIds_AreRejected()
    {
        // Given two models with the same id in different case
        var json = Document(Accelerator, Model + "," + Model.Replace("test-moe", "TEST-MOE", StringComparison.Ordinal));

        // When it is parsed
        var e = Rejects(json);

        // Then the second is named as the duplicate of the first
        Assert.Equal(["models[1].id: duplicates models[0].id; ids must be unique (case-insensitive); was \"TEST-MOE\""], Lines(e));
    }

    [Fact]
    public void Loader_BadPrecisionName_ListsTheAcceptedNames()
    {
        // Given a model with an unknown weight precision
        var json = Document(Accelerator, Model.Replace("\"layers\": 4", "\"layers\": 4, \"defaultWeightPrecision\": \"fp6\"", StringComparison.Ordinal));

        // When it is parsed
        var e = Rejects(json);

        // Then the accepted names are listed
        Assert.Equal(["models[0].defaultWeightPrecision: must be one of fp16, bf16, fp8, int8, int4, fp4; was \"fp6\""], Lines(e));
    }

    [Fact]
    public void Loader_MalformedJson_IsInvalidInput()
    {
        // Given text that is not JSON
        // When it is parsed
        var e = Rejects("{ \"models\": [ ");

        // Then the failure is an input error naming the source
        Assert.StartsWith("test.json: not valid JSON:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_DenseModelWithoutMlpWidth_IsRejected()
    {
        // Given a dense model (no moe) without denseIntermediateSize
        var json = Document(Accelerator, Model.Replace("\"moe\": { \"experts\": 8, \"expertsPerToken\": 2, \"expertIntermediateSize\": 256 },", "", StringComparison.Ordinal));

        // When it is parsed
        var e = Rejects(json);

        // Then the missing width is named
        Assert.Equal(["models[0].denseIntermediateSize: required for a dense model (moe is null); was missing or null"], Lines(e));
    }

    [Fact]
    public void Loader_GlobalAttention_NeedsWindowedLayersAndDividesTheHeads()
    {
        // Given a model with full-layer geometry but no sliding window, and one whose global KV heads do not divide the heads
        var noWindow = Model.Replace("\"maxContextTokens\": 4096,", "\"maxContextTokens\": 4096, \"globalAttention\": { \"kvHeads\": 2, \"headDim\": 128 },", StringComparison.Ordinal);
        var badHeads = Model.Replace("\"maxContextTokens\": 4096,", "\"maxContextTokens\": 4096, \"slidingWindow\": { \"windowTokens\": 512, \"layers\": 3 }, \"globalAttention\": { \"kvHeads\": 3, \"headDim\": 128, \"extra\": 1 },", StringComparison.Ordinal);

        // When each is parsed
        var e1 = Rejects(Document(Accelerator, noWindow));
        var e2 = Rejects(Document(Accelerator, badHeads));

        // Then each problem is named with its path
        Assert.Contains("models[0].globalAttention: needs slidingWindow (the windowed layers keep headDim and kvHeads); was given without one", Lines(e1));
        Assert.Contains(Lines(e2), l => l.StartsWith("models[0].globalAttention.extra", StringComparison.Ordinal));
        Assert.Contains("models[0].globalAttention.kvHeads: must divide attentionHeads (8); was 3", Lines(e2));
    }
}
