using System.Text.Json;

namespace Infercost.Cli.Tests.Commands;

public sealed class FitCommandTests
{
    [Fact]
    public void Fit_SmallModelOnOneGpu_FitsAndExitsZero()
    {
        var run = CliRunner.Run("fit", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "1", "--context", "4096");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("FITS", run.Console, StringComparison.Ordinal);
        Assert.Contains("KV per sequence at 4,096 tokens", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_405BOnOneH100_DoesNotFitAndExitsOne()
    {
        var run = CliRunner.Run("fit", "--model", "llama-3.1-405b", "--gpu", "nvidia-h100-sxm", "--gpus", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("DOES NOT FIT", run.Console, StringComparison.Ordinal);
        Assert.Contains("llama-3.1-405b does not fit on 1 × nvidia-h100-sxm", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_NoLayoutGiven_ChoosesTheSmallestThatFits()
    {
        // 70B in bf16 is ~141 GB: one 80 GB H100 cannot hold it, two can.
        var run = CliRunner.Run("fit", "--model", "llama-3.1-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(2, json.RootElement.GetProperty("parallelism").GetProperty("tensor").GetInt32());
        Assert.Equal(4, json.RootElement.GetProperty("replicas").GetInt32());
        Assert.True(json.RootElement.GetProperty("fits").GetBoolean());
    }

    [Fact]
    public void Fit_BatchLargerThanMemoryAllows_DoesNotFit()
    {
        var run = CliRunner.Run("fit", "--model", "llama-3.1-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "2", "--tp", "2",
            "--context", "8192", "--batch", "64");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("batch 64", run.Console, StringComparison.Ordinal);
    }
}
