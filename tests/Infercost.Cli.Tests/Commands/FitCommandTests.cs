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

    [Fact]
    public void Fit_NothingFits_VerdictNamesTheLayoutTheTableAndJsonShow()
    {
        // DeepSeek-R1 (84 GB per device at fp8 on 8 devices) cannot fit 8 × 80 GB H100s in any layout
        var run = CliRunner.Run("fit", "--model", "deepseek-r1", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--json");

        Assert.Equal(1, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var layout = json.RootElement.GetProperty("parallelism");
        Assert.Equal(8, layout.GetProperty("tensor").GetInt32());
        Assert.Equal(1, layout.GetProperty("pipeline").GetInt32());
        Assert.Contains("on 8 × nvidia-h100-sxm (TP8):", json.RootElement.GetProperty("verdict").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, json.RootElement.GetProperty("memory").GetProperty("kvAvailable").GetDouble());
        Assert.True(json.RootElement.GetProperty("memory").GetProperty("shortfall").GetDouble() > 0);

        var table = CliRunner.Run("fit", "--model", "deepseek-r1", "--gpu", "nvidia-h100-sxm", "--gpus", "8");
        Assert.Contains("(TP8)", table.Console, StringComparison.Ordinal);
        Assert.DoesNotContain("PP8", table.Console, StringComparison.Ordinal);
        Assert.Contains("none: does not fit", table.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_ContextBeyondTheModelsMaximum_IsAnErrorUnlessAllowed()
    {
        var run = CliRunner.Run("fit", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--context", "200000");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("--context 200000 exceeds llama-3.1-8b's maximum context of 131072; shorten it, or add --allow-long-context to plan it anyway.",
            Assert.Single(run.ErrorLines));

        var allowed = CliRunner.Run("fit", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--context", "200000", "--allow-long-context");
        Assert.Equal(0, allowed.ExitCode);
    }

    [Fact]
    public void Fit_GptOss120bWithFourBitExperts_AdviceDoesNotSuggestFp8()
    {
        var run = CliRunner.Run("fit", "--model", "gpt-oss-120b", "--gpu", "nvidia-l4", "--gpus", "1");
        Assert.Equal(1, run.ExitCode);
        Assert.DoesNotContain("fp8 weights", run.Console, StringComparison.Ordinal);
    }
}
