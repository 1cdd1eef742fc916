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

    [Fact]
    public void TopK_BuildsTheBestTree_AndPrintsItsDerivedAcceptance()
    {
        // Heads 0.6, 0.15 / 0.4: the 3 likeliest nodes are 0.6, 0.24 and 0.15, a tree of 2, 1 (E = 1.99)
        var run = CliRunner.Run("speculate", "--model", "llama-3.3-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "4", "--tp", "4", "--batches", "1",
            "--spec-method", "medusa", "--spec-topk", "0.6,0.15/0.4", "--spec-tree-nodes", "3");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("tree 2,1: 3 nodes verified", run.Console, StringComparison.Ordinal);
        Assert.Contains("acceptance 0.75, 0.32: 1.99 tokens per step", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void TopK_Chain_IsTheAcceptanceChain()
    {
        string[] args = ["cost", "--model", "llama-3.3-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "4", "--tp", "4", "--batch", "8", "--spec-method", "eagle", "--json"];

        // Three heads give a chain of three (the default length is one per head)
        var topk = CliRunner.Run([.. args, "--spec-topk", "0.8,0.1/0.7,0.2/0.6"]);
        var rates = CliRunner.Run([.. args, "--spec-length", "3", "--spec-acceptance", "0.8,0.7,0.6"]);

        Assert.Equal(0, topk.ExitCode);
        Assert.Equal(rates.Out, topk.Out);
    }

    [Theory]
    [InlineData("--spec-topk head 1's accuracies must sum to at most 1 (the right token has one rank); was 1.1 (0.6, 0.5).", "--spec-topk", "0.6,0.5")]
    [InlineData("--spec-topk gives the acceptance (derived depth by depth); drop --spec-acceptance.", "--spec-topk", "0.6", "--spec-acceptance", "0.8")]
    [InlineData("--spec-tree-nodes must be in [1, 2]: --spec-topk's candidates make at most 2 nodes; was 3.", "--spec-topk", "0.6/0.5", "--spec-tree-nodes", "3")]
    [InlineData("--spec-tree must be 1 to 1 depths deep: --spec-topk lists 1 head; was 2.", "--spec-topk", "0.6,0.2", "--spec-tree", "2,2")]
    public void BadTopK_IsOneLineNamingTheFlag(string message, params string[] extra)
    {
        foreach (var command in new[] { "cost", "sweep", "speculate" })
        {
            var run = CliRunner.Run([command, "--model", "llama-3.3-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "4", "--spec-method", "medusa", .. extra]);

            Assert.Equal(2, run.ExitCode);
            Assert.Single(run.ErrorLines);
            Assert.Contains(message, run.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Search_GivesEachModeItsOwnAcceptance()
    {
        string[] args = ["search", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--rate", "2", "--gpus-per-replica", "1", "--layouts", "widest",
            "--spec-method", "eagle,medusa", "--spec-length", "2", "--spec-acceptance", "0.5", "--spec-acceptance-for", "eagle=0.8,0.7", "--trial-requests", "1000",
            "--trial-time", "10s", "--top", "5", "--json"];

        var run = CliRunner.Run(args);

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = System.Text.Json.JsonDocument.Parse(run.Out);
        var perStep = json.RootElement.GetProperty("simulated").EnumerateArray()
            .GroupBy(o => o.GetProperty("speculation").GetString()!).ToDictionary(g => g.Key, g => g.First().GetProperty("tokensPerStep").GetDouble());
        Assert.Equal(1 + 0.8 + (0.8 * 0.7), perStep["eagle k 2"], 1e-12);
        Assert.Equal(1 + 0.5 + 0.25, perStep["medusa k 2"], 1e-12);
    }

    [Fact]
    public void Search_AcceptanceForAModeNotSearched_IsRefused()
    {
        var run = CliRunner.Run("search", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--rate", "2", "--spec-method", "off,eagle",
            "--spec-acceptance-for", "mtp=0.85");

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains("--spec-acceptance-for must name methods that --spec-method lists (eagle); was 'mtp'.", run.Error, StringComparison.Ordinal);
    }
}
