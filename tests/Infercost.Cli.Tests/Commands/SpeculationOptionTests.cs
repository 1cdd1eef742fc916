using System.Text.Json;

namespace Infercost.Cli.Tests.Commands;

// --spec-method, --spec-length, --spec-acceptance and --draft-model on cost, sweep, frontier and simulate.
public sealed class SpeculationOptionTests
{
    [Fact]
    public void Cost_ShowsPlainAgainstSpeculativeRatesAndUtilisation()
    {
        var run = CliRunner.Run("cost", "--model", "llama-3.3-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "4", "--tp", "4", "--batch", "8",
            "--draft-model", "llama-3.1-8b", "--spec-length", "4", "--spec-acceptance", "0.8");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Plain → speculative decode", run.Console, StringComparison.Ordinal);
        Assert.Contains("GPU utilisation plain →", run.Console, StringComparison.Ordinal);
        Assert.Contains("3.36 tokens per step", run.Console, StringComparison.Ordinal);
        Assert.Contains("of which speculation", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void CostJson_CarriesTheSpeculationAndItsPrice()
    {
        string[] args = ["cost", "--model", "llama-3.3-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "4", "--tp", "4", "--batch", "8", "--json"];
        using var plain = JsonDocument.Parse(CliRunner.Run(args).Out);
        using var spec = JsonDocument.Parse(CliRunner.Run([.. args, "--draft-model", "llama-3.1-8b", "--spec-length", "4", "--spec-acceptance", "0.8"]).Out);

        var s = spec.RootElement.GetProperty("serving").GetProperty("speculation");
        var speedUp = s.GetProperty("speedUp").GetDouble();
        Assert.True(speedUp > 1.5, $"speed-up {speedUp}");
        double Output(JsonDocument d) => d.RootElement.GetProperty("cost").GetProperty("outputPerMillion").GetDouble();
        Assert.Equal(Output(plain) / speedUp, Output(spec), 1e-6);
        Assert.False(plain.RootElement.GetProperty("serving").TryGetProperty("speculation", out var none) && none.ValueKind != JsonValueKind.Null);
    }

    [Fact]
    public void Sweep_AddsSpeedUpAndUtilisationColumns()
    {
        var run = CliRunner.Run("sweep", "--model", "llama-3.3-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "4", "--tp", "4", "--batches", "1,128",
            "--draft-model", "llama-3.1-8b", "--spec-length", "4");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Speed-up", run.Console, StringComparison.Ordinal);
        Assert.Contains("Speculation (draft llama-3.1-8b, k = 4)", run.Console, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frontier", "--concurrency", "1,8", "--requests", "50")]
    [InlineData("simulate", "--concurrency", "8", "--requests", "50")]
    public void Simulations_SayTheyRanWithSpeculation(string command, params string[] extra)
    {
        var run = CliRunner.Run([command, "--model", "deepseek-v3", "--gpu", "nvidia-h100-sxm", "--gpus", "16", "--input", "500", "--output", "100",
            "--spec-method", "mtp", .. extra]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Speculative decoding: mtp, k = 1, acceptance 0.85: 1.85 tokens per sequence per step", run.Console, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("spec-length must be in [1, 16]; was 0", "--spec-method", "mtp", "--spec-length", "0")]
    [InlineData("--spec-acceptance must be rates in [0, 1]", "--spec-method", "mtp", "--spec-acceptance", "1.5")]
    [InlineData("--draft-model 'llama-9' is not a catalog model", "--draft-model", "llama-9")]
    [InlineData("--draft-model qwen2.5-7b has a vocabulary of 152064 tokens and llama-3.3-70b 128256", "--draft-model", "qwen2.5-7b")]
    [InlineData("--spec-method mtp needs a model whose config has multi-token-prediction layers", "--spec-method", "mtp")]
    [InlineData("--spec-length applies when speculating", "--spec-length", "3")]
    public void BadSpeculation_IsOneLineNamingTheFlag(string message, params string[] extra)
    {
        foreach (var command in new[] { "cost", "sweep" })
        {
            var run = CliRunner.Run([command, "--model", "llama-3.3-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "4", .. extra]);

            Assert.Equal(2, run.ExitCode);
            Assert.Single(run.ErrorLines);
            Assert.Contains(message, run.Error, StringComparison.Ordinal);
        }
    }
}
