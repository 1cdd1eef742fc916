using System.Text.Json;

namespace Infercost.Cli.Tests.Economics.PriceCurves;

public sealed class PriceCurveCommandTests
{
    // Golden 6A: Epoch AI (2025-03-12), MMLU threshold GPT-3, from epoch-research/llm-benchmark-efficiency
    private const string MmluGpt3 = """
        date,price,label
        # Epoch AI, MMLU >= GPT-3 (43.9), blended 3:1
        2021-11-20,60.0,GPT-3 davinci
        2022-09-01,20.0
        2023-03-06,2.0
        2023-07-18,0.56
        2023-12-01,0.2
        2024-04-14,0.13
        2024-07-23,0.1
        2024-09-24,0.08
        2024-10-03,0.07
        """;

    private const string GpqaGpt4 = """
        2023-03-14,37.5
        2023-11-06,15.0
        2024-02-26,6.0
        2024-03-04,0.5
        2024-05-10,0.13
        2024-12-13,0.1225
        """;

    [Fact]
    public void Points_EpochMmluGpt3_Is11_7729PerYear()
    {
        var run = CliRunner.Run(new Dictionary<string, string> { ["mmlu.csv"] = MmluGpt3 }, "price-curve", "--points", "mmlu.csv");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("11.7729x cheaper per year", run.Console, StringComparison.Ordinal);
        Assert.Contains("9 of 9", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Points_EpochGpqaGpt4_Is42_019PerYear()
    {
        var run = CliRunner.Run(new Dictionary<string, string> { ["gpqa.csv"] = GpqaGpt4 }, "price-curve", "--points", "gpqa.csv", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(42.019, Math.Round(json.RootElement.GetProperty("factorPerYear").GetDouble(), 3));
    }

    [Fact]
    public void Factor_A16z_60DollarsAt10xForThreeYears_Is6Cents()
    {
        // Golden 6B: a16z "LLMflation" (2024-11-12): 1,000x in 3 years
        var run = CliRunner.Run("price-curve", "--factor", "10", "--from-price", "60", "--years", "3", "--from-date", "2021-11-20");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("$0.0600/MTok on 2024-11-19 (1,000x cheaper)", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_FitsThePriceCatalogHistory()
    {
        var run = CliRunner.Run("price-curve", "--model", "gpt-3.5-turbo", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("fit", json.RootElement.GetProperty("mode").GetString());
        Assert.True(json.RootElement.GetProperty("points").GetArrayLength() >= 3);
    }

    [Fact]
    public void Model_WithATwoPointHistory_IsRefusedNotGivenAZeroWidthBand()
    {
        // gpt-4o's catalog history leaves two frontier points: a line through both, no error to measure (issue 9 item 4)
        var run = CliRunner.Run("price-curve", "--model", "gpt-4o");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("at least 3 on the running-minimum frontier", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void Plot_WritesAPng()
    {
        var path = Path.Combine(Path.GetTempPath(), $"infercost-curve-{Guid.NewGuid():N}.png");
        try
        {
            var run = CliRunner.Run(new Dictionary<string, string> { ["mmlu.csv"] = MmluGpt3 }, "price-curve", "--points", "mmlu.csv", "--plot", path);

            Assert.Equal(0, run.ExitCode);
            Assert.Contains("Plot written to", run.Console, StringComparison.Ordinal);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(path).Take(4));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("2024-01-01,1\n", "points must number at least 2 to fit a curve; one.csv has 1.")]
    [InlineData("2024-01-01,1\n2024-06-01,-2\n", "one.csv:2: price must be > 0; was -2.")]
    [InlineData("2024-01-01,1\n2025-01-01,2\n", "the running-minimum frontier has 1 point")]
    // Two points fit a line exactly: no error to measure, so no band and no projection (issue 9 item 4)
    [InlineData("2024-01-01,10\n2025-01-01,2\n", "points must number at least 3 on the running-minimum frontier to fit a decline with a band; was 2")]
    public void BadPoints_AreOneLine_ExitTwo(string csv, string message)
    {
        var run = CliRunner.Run(new Dictionary<string, string> { ["one.csv"] = csv }, "price-curve", "--points", "one.csv");

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("give exactly one of", "price-curve")]
    [InlineData("give exactly one of", "price-curve", "--factor", "10", "--model", "gpt-4o")]
    [InlineData("--factor needs --from-price", "price-curve", "--factor", "10")]
    [InlineData("from-price must be in (0, 100000]; was 0.", "price-curve", "--factor", "10", "--from-price", "0")]
    [InlineData("cannot read points file 'missing.csv'", "price-curve", "--points", "missing.csv")]
    [InlineData("unknown", "price-curve", "--model", "no-such-model-xyz")]
    public void BadOptions_AreOneLine_ExitTwo(string message, params string[] args)
    {
        var run = CliRunner.Run(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }
}
