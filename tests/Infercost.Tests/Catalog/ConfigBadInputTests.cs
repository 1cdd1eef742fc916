using Infercost.Catalog;
using Xunit;

namespace Infercost.Tests.Catalog;

public class ConfigBadInputTests
{
    private static string ReadConfig(string file) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Catalog", "HfConfigs", file));

    [Fact]
    public void MalformedJson_NamesTheOneBasedLineAndColumn()
    {
        // Given a config whose third line has a missing comma
        var json = "{\n  \"num_hidden_layers\": 32,\n  \"hidden_size\": 4096\n  \"vocab_size\": 1000\n}";

        // When it is read
        var e = Assert.Throws<InvalidInputException>(() => HuggingFaceConfig.Parse(json, "x", "x.json"));

        // Then the error points at line 4, column 3, where the unexpected key starts
        Assert.StartsWith("x.json: not valid JSON at line 4, column 3:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Infinity_WhereItMeansNoWindow_IsAccepted()
    {
        // Given a Mistral-shaped config whose sliding_window is Python's float('inf'), and an ignored field that is NaN
        var json = ReadConfig("meta-llama--Llama-3.1-8B_config.json")
            .Replace("\"vocab_size\": 128256", "\"vocab_size\": 128256, \"sliding_window\": Infinity, \"router_jitter_noise\": NaN", StringComparison.Ordinal);

        // When it is read
        var model = HuggingFaceConfig.Parse(json, "l", "llama.json");

        // Then there is no window
        Assert.Null(model.SlidingWindow);
    }

    [Fact]
    public void Infinity_WhereACountIsNeeded_IsRejectedWithItsPath()
    {
        // Given a multimodal config whose text model states Infinity as its head count
        var json = ReadConfig("Qwen--Qwen3-VL-235B-A22B-Thinking_config.json")
            .Replace("\"num_attention_heads\": 64", "\"num_attention_heads\": Infinity", StringComparison.Ordinal);

        // When it is read
        var e = Assert.Throws<InvalidInputException>(() => HuggingFaceConfig.Parse(json, "q", "qwen.json"));

        // Then the field is named with its JSON path inside text_config
        Assert.Contains("text_config.num_attention_heads: must be a finite integer in [1, 16384]; was Infinity", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InfinityInsideAString_IsLeftAlone()
    {
        // Given a config whose name mentions Infinity
        var json = ReadConfig("meta-llama--Llama-3.1-8B_config.json")
            .Replace("\"vocab_size\": 128256", "\"vocab_size\": 128256, \"_name_or_path\": \"Infinity-NaN-8B\"", StringComparison.Ordinal);

        // When it is read
        var model = HuggingFaceConfig.Parse(json, "l", "llama.json");

        // Then it loads as usual
        Assert.Equal(32, model.Layers);
    }
}
