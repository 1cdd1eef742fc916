using System.Text.Json;

namespace Infercost.Cli.Tests.Economics.ProviderPnl;

// Golden 7: DeepSeek, "Day 6: One More Thing" (2025-03-01).
public sealed class PnlCommandTests
{
    [Fact]
    public void DeepSeekDay6_ReproducesCostRevenueMarginsAndNodeCheck()
    {
        var run = CliRunner.Run("pnl", "deepseek-day6");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("$87,072 (43,536 GPU-hours)", run.Console, StringComparison.Ordinal);
        Assert.Matches(@"Revenue \(list prices\)\s+│ \$562,100", run.Console);
        Assert.Matches(@"Published revenue\s+│ \$562,027", run.Console);
        Assert.Contains("±$1,575", run.Console, StringComparison.Ordinal);
        Assert.Contains("545.6% ((revenue − cost) ÷ cost)", run.Console, StringComparison.Ordinal);
        Assert.Contains("84.5% ((revenue − cost) ÷ revenue)", run.Console, StringComparison.Ordinal);
        Assert.Contains("= 95.5 prefill nodes", run.Console, StringComparison.Ordinal);
        Assert.Contains("= 131.4 decode nodes", run.Console, StringComparison.Ordinal);
        Assert.Contains("226.9 vs 226.75 stated", run.Console, StringComparison.Ordinal);
        Assert.Matches(@"Output on decode nodes\s+│ \$0\.300/MTok", run.Console);
        Assert.Matches(@"Input on prefill nodes\s+│ \$0\.0603/MTok", run.Console);
        Assert.Contains("open-infra-index", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void CustomFigures_MatchTheBuiltInScenario()
    {
        var run = CliRunner.Run("pnl", "--gpus", "1814", "--gpu-price", "2", "--input-tokens", "608e9", "--cached-tokens", "342e9",
            "--output-tokens", "168e9", "--price-in", "0.55", "--price-cached", "0.14", "--price-out", "2.19", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(87_072, json.RootElement.GetProperty("cost").GetDouble(), 6);
        Assert.Equal(562_100, json.RootElement.GetProperty("revenue").GetDouble(), 6);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("nodes").ValueKind);
    }

    [Fact]
    public void TrainingCost_AddsTheLabView()
    {
        var run = CliRunner.Run("pnl", "deepseek-day6", "--training-cost", "5.576e6", "--amortise-years", "1");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Lab view: training paid out of inference", run.Console, StringComparison.Ordinal);
        Assert.Matches(@"Training charge this period\s+│ \$15,277", run.Console);
    }

    [Theory]
    [InlineData("unknown scenario 'deepseek-day-6'; did you mean deepseek-day6?", "pnl", "deepseek-day-6")]
    [InlineData("--gpus cannot change the built-in scenario", "pnl", "deepseek-day6", "--gpus", "8")]
    [InlineData("--price-in is required without a scenario", "pnl", "--gpus", "8")]
    [InlineData("output-tokens must be in [0, 1E+18]; was -1.", "pnl", "--output-tokens", "-1")]
    [InlineData("price-out must be in (0, 100000]; was 0.", "pnl", "--price-out", "0")]
    [InlineData("cached-tokens must be in [0, 1E+06]; was 2E+06.", "pnl", "--gpus", "8", "--gpu-price", "2", "--input-tokens", "1e6", "--cached-tokens", "2e6", "--output-tokens", "1", "--price-in", "1", "--price-out", "1")]
    [InlineData("--amortise-years applies to the lab view; add --training-cost (or --train-params and --train-tokens).", "pnl", "deepseek-day6", "--amortise-years", "3")]
    public void BadInput_IsOneLine_ExitTwo(string message, params string[] args)
    {
        var run = CliRunner.Run(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }
}
