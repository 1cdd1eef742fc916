using System.Text.Json;

namespace Infercost.Cli.Tests.Simulation;

// simulate --pool: more pools behind the run's one router (the --gpu/--gpus replicas are pool 1).
public sealed class PoolCommandTests
{
    private static readonly string[] Simulate = ["simulate", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "2", "--rate", "20", "--requests", "1500",
        "--input", "800", "--output", "200", "--router", "least-tokens"];

    [Fact]
    public void Pool_TextShowsEachPool_AndJsonCarriesThem()
    {
        var text = CliRunner.Run([.. Simulate, "--pool", "gpu=nvidia-a100-sxm-80gb,gpus=2,price=1.5"]);
        var json = CliRunner.Run([.. Simulate, "--pool", "gpu=nvidia-a100-sxm-80gb,gpus=2,price=1.5", "--json"]);

        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Contains("Pools (one router over all)", text.Console, StringComparison.Ordinal);
        Assert.Contains("2 of 1 × nvidia-a100-sxm-80gb (TP1)", text.Console, StringComparison.Ordinal);
        Assert.Contains("$3.00/h", text.Console, StringComparison.Ordinal); // the A100 pool at its own price
        using var doc = JsonDocument.Parse(json.Out);
        var pools = doc.RootElement.GetProperty("pools");
        Assert.Equal(2, pools.GetArrayLength());
        Assert.Equal("nvidia-h100-sxm", pools[0].GetProperty("accelerator").GetString());
        Assert.Equal("nvidia-a100-sxm-80gb", pools[1].GetProperty("accelerator").GetString());
        var completed = pools.EnumerateArray().Sum(p => p.GetProperty("result").GetProperty("completed").GetInt64());
        Assert.Equal(doc.RootElement.GetProperty("result").GetProperty("completed").GetInt64(), completed);
        Assert.Equal(4, doc.RootElement.GetProperty("result").GetProperty("replicas").GetInt32());
    }

    [Fact]
    public void PoolOfTheRunsOwnSetup_IsTheRunWithItsReplicasAdded()
    {
        // Two H100 replicas plus a pool of two more of the same kind: the run of four, figure for figure.
        var four = CliRunner.Run([.. Simulate.Select(a => a == "2" ? "4" : a), "--json"]);
        var split = CliRunner.Run([.. Simulate, "--pool", "gpus=2", "--json"]);

        Assert.True(split.ExitCode == 0, split.Error);
        using var a = JsonDocument.Parse(four.Out);
        using var b = JsonDocument.Parse(split.Out);
        Assert.Equal(a.RootElement.GetProperty("result").GetRawText(), b.RootElement.GetProperty("result").GetRawText());
    }

    [Theory]
    [InlineData("gpus=2,tp=0", "--pool 'gpus=2,tp=0': tp must be in [1, 1024]; was 0.")]
    [InlineData("gpus=2,colour=red", "--pool 'gpus=2,colour=red': unknown key 'colour'; the keys are gpu, gpus, replicas, tp, pp, ep, dp, weights, kv, price.")]
    [InlineData("gpus=2,replicas=3", "--pool 'gpus=2,replicas=3': replicas 3 disagrees with gpus 2")]
    [InlineData("gpu=nvidia-a100-sxm-40gb,gpus=1", "--pool 'gpu=nvidia-a100-sxm-40gb,gpus=1'")]
    public void BadPool_OneLineNamingPoolAndTheKey(string spec, string message)
    {
        var model = spec.Contains("40gb", StringComparison.Ordinal) ? "llama-3.1-70b" : "llama-3.1-8b";
        var run = CliRunner.Run(["simulate", "--model", model, "--gpu", "nvidia-h100-sxm", "--gpus", "4", "--rate", "1", "--pool", spec]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(message, Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void PoolWithFailures_IsRefusedNamingBoth()
    {
        var run = CliRunner.Run([.. Simulate, "--pool", "gpus=2", "--mtbf", "24h"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--mtbf", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }
}
