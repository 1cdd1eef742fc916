using System.Text.Json;
using Spectre.Console.Testing;

namespace Infercost.Cli.Tests.Economics.Subscriptions;

public sealed class SubscriptionCommandTests
{
    [Fact]
    public void Value_Max20x_ThirtyDayMonth_Reproduces625PerWeek82_50PerWindow2679PerMonth()
    {
        // Golden 2A (r/ClaudeAI, reconstructed from she-llac.com/claude-limits) at Opus 4.5's $5/$25
        var run = CliRunner.Run("subscription", "value", "--plan", "max-20x", "--api-in", "5", "--api-out", "25");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("$7.50 (API output price", run.Console, StringComparison.Ordinal);
        Assert.Contains("11,000,000 credits = $82.50", run.Console, StringComparison.Ordinal);
        Assert.Contains("83,333,300 credits = $625.00", run.Console, StringComparison.Ordinal);
        Assert.Contains("7.58 allowed by the weekly limit, 33.6 in a week: the weekly limit binds", run.Console, StringComparison.Ordinal);
        Assert.Contains("$2,679 (13.39x the price)", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_DefaultsTheApiPriceFromThePriceCatalog()
    {
        var run = CliRunner.Run("subscription", "value", "--plan", "max-20x");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("claude-opus-4.5 list price", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_AllPlans_FiftyTwoOverTwelve_ReproducesSheLlacCrossTierTable()
    {
        var run = CliRunner.Run("subscription", "value", "--weeks-per-month", "52/12", "--api-in", "5", "--api-out", "25", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var monthly = json.RootElement.GetProperty("values").EnumerateArray().Select(v => Math.Round(v.GetProperty("monthlyValue").GetDouble(), 2)).ToList();
        Assert.Equal([162.50, 1354.17, 2708.33], monthly);
    }

    [Fact]
    public void Cost_AldersonHeavyUser_Is16_89_Markup11_84()
    {
        // Golden 1B/2B: 10M in + 100k out a day at $0.005/$5.13
        var run = CliRunner.Run("subscription", "cost", "--plan", "max-20x", "--input-per-day", "10e6", "--output-per-day", "1e5",
            "--cost-in", "0.005", "--cost-out", "5.13");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"Cost per month\s+│ \$16\.89", run.Console);
        Assert.Matches(@"Markup\s+│ 11\.84x", run.Console);
    }

    [Fact]
    public void Cost_MoeEfficiency0_6_TurnsTheHeadlineInto5_13()
    {
        var run = CliRunner.Run("subscription", "cost", "--plan", "max-20x", "--input-per-day", "10e6", "--output-per-day", "1e5",
            "--moe-efficiency", "0.6");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("$0.00500/MTok in, $5.13/MTok out", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Population_SameSeed_GivesIdenticalJson()
    {
        string[] args = ["subscription", "population", "--plan", "max-20x", "--users", "20000", "--seed", "7", "--json"];

        var a = CliRunner.Run(args);
        var b = CliRunner.Run(args);

        Assert.Equal(0, a.ExitCode);
        Assert.Equal(a.Out, b.Out);
        using var json = JsonDocument.Parse(a.Out);
        Assert.Equal(20000, json.RootElement.GetProperty("result").GetProperty("subscribers").GetInt32());
    }

    [Fact]
    public void Population_AboveTheThreshold_ShowsAProgressBarOnAnInteractiveConsole()
    {
        // Given an interactive console (CliRunner's is not, so the bar would not draw)
        using var console = new TestConsole().Interactive().Width(200);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        // When more than ProgressBarThreshold subscribers are simulated
        var code = CliApp.Run(["subscription", "population", "--plan", "pro", "--users", "200001", "--seed", "1"],
            new CliContext(console, stdout, stderr, File.ReadAllText));

        // Then the bar's task is drawn and the result table follows
        Assert.Equal(0, code);
        Assert.Contains("Simulating 200,001 subscribers", console.Output, StringComparison.Ordinal);
        Assert.Contains("Mean cost per subscriber", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Population_Mixture_IsAccepted()
    {
        var run = CliRunner.Run("subscription", "population", "--plan", "max-5x", "--users", "1000", "--mixture", "0.9:10000:1", "--mixture", "0.1:300000:0.8");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("0.900 × lognormal(median 10.0 k output/day", run.Console, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unknown plan 'max20'; did you mean max-20x, max-5x?", "subscription", "value", "--plan", "max20")]
    [InlineData("users must be in [1, 10000000]; was 0.", "subscription", "population", "--plan", "pro", "--users", "0")]
    [InlineData("seed must be in [0, 2147483647]; was -1.", "subscription", "population", "--plan", "pro", "--seed", "-1")]
    [InlineData("input-per-day must be in [0, 1E+12]; was -5.", "subscription", "cost", "--plan", "pro", "--input-per-day", "-5")]
    [InlineData("api-out must be in (0, 100000]; was 0.", "subscription", "value", "--api-in", "5", "--api-out", "0")]
    [InlineData("--api-in and --api-out go together", "subscription", "value", "--api-in", "5")]
    [InlineData("plot must be a file ending in .png or .svg", "subscription", "population", "--plan", "pro", "--plot", "x.jpg")]
    [InlineData("has no model family 'opsu'; did you mean opus", "subscription", "value", "--model-family", "opsu")]
    public void BadInput_IsOneLine_ExitTwo(string message, params string[] args)
    {
        var run = CliRunner.Run(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }
}
