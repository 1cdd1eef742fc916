using System.Text.Json;

namespace Infercost.Cli.Tests.Commands;

public sealed class CompareCommandTests
{
    private static readonly string[] Base = ["compare", "--model", "llama-3.3-70b", "--gpu", "nvidia-a100-sxm-80gb", "--gpus", "8"];

    [Fact]
    public void H100AgainstA100_PrintsRegimesAndTheClaimVerdict()
    {
        var run = CliRunner.Run([.. Base, "--versus", "nvidia-h100-sxm", "--claim-ratio", "4"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("decode-batch-1", run.Console, StringComparison.Ordinal);
        Assert.Contains("hbm-bandwidth", run.Console, StringComparison.Ordinal);
        Assert.Contains("Claim nvidia-h100-sxm ≈ 4.00× nvidia-a100-sxm-80gb: does not hold", run.Console, StringComparison.Ordinal);
        Assert.Contains("output tokens per dollar of nvidia-a100-sxm-80gb", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_CarriesFiguresPairsAndGenerations()
    {
        var run = CliRunner.Run([.. Base, "--versus", "nvidia-h100-sxm,nvidia-b200", "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(3, json.RootElement.GetProperty("figures").GetArrayLength());
        Assert.Equal(2, json.RootElement.GetProperty("pairs").GetArrayLength());
        Assert.Equal(2, json.RootElement.GetProperty("generations").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("claim").ValueKind);
    }

    [Theory]
    [InlineData("--versus has an empty item", "--versus", "nvidia-h100-sxm,,nvidia-b200")]
    [InlineData("--versus: unknown accelerator 'h100'", "--versus", "h100")]
    [InlineData("--versus names nvidia-a100-sxm-80gb twice", "--versus", "nvidia-a100-sxm-80gb")]
    [InlineData("claim-ratio must be in [0.001, 1000]; was 0.", "--versus", "nvidia-h100-sxm", "--claim-ratio", "0")]
    public void BadInput_IsOneLine_ExitTwo(string message, params string[] extra)
    {
        var run = CliRunner.Run([.. Base, .. extra]);

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckDecodeClaim_SaysWhichBatchItImplies()
    {
        var run = CliRunner.Run("check", "--model", "llama-3.3-70b", "--gpu", "nvidia-a100-sxm-80gb", "--gpus", "4", "--decode-tps", "556");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("it reaches the claim at a batch of", run.Console.Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
