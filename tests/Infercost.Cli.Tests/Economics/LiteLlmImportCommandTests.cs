namespace Infercost.Cli.Tests.Economics;

public class LiteLlmImportCommandTests
{
    // Entries shaped like the real file's bad ones (see Infercost.Tests Economics/Prices/LiteLlm/README.md).
    private const string Lite = """
        {
          "provider-a/some-model": {"mode": "chat", "input_cost_per_token": 0.11, "output_cost_per_token": 0.54},
          "provider-b/other-model": {"mode": "chat", "input_cost_per_token": 0.01, "output_cost_per_token": 0.071},
          "my-model": {"mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 4e-06}
        }
        """;

    [Fact]
    public void BadEntries_AreListedAndCountedAndTheRestImports()
    {
        // Given a LiteLLM file with one impossible and one implausible entry
        var files = new Dictionary<string, string> { ["lite.json"] = Lite };

        // When prices reads it
        var run = CliRunner.Run(files, "prices", "--litellm", "lite.json", "--model", "my-model");

        // Then the command succeeds, and stderr lists each entry left out and the counts
        Assert.Equal(0, run.ExitCode);
        Assert.Contains(run.ErrorLines, l => l.StartsWith("--litellm lite.json: skipped provider-a/some-model.input_cost_per_token:", StringComparison.Ordinal));
        Assert.Contains(run.ErrorLines, l => l.StartsWith("--litellm lite.json: outlier provider-b/other-model: $71000/MTok", StringComparison.Ordinal));
        Assert.Equal("--litellm lite.json: imported 1 priced text models; skipped 2 bad entries; 1 outliers left out (--include-outliers keeps them).", run.ErrorLines[^1]);
    }

    [Fact]
    public void On_WithUndatedImportedRows_SaysWhatItDid()
    {
        // Given the same file and a date
        var files = new Dictionary<string, string> { ["lite.json"] = Lite };

        // When prices is read on that date for a model the embedded catalog dates
        var run = CliRunner.Run(files, "prices", "--litellm", "lite.json", "--on", "2026-01-01", "--model", "gpt-4o");

        // Then stderr says the imported rows are undated and not used for the date
        Assert.Contains(run.ErrorLines, l => l == "--litellm lite.json: its 1 rows carry no date, so --on 2026-01-01 does not use them; prices on that date come from the embedded catalog's dated rows.");
    }
}
