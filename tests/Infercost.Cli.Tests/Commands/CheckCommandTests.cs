using System.Text.Json;

namespace Infercost.Cli.Tests.Commands;

public sealed class CheckCommandTests
{
    // Alderson 2025 claimed 1.44 M prompt tokens/s for DeepSeek-R1 on 8 H100s; the HN critique of that post showed it
    // needs 6.7× the H100's dense FP8 peak (2 × 37e9 × 1.44e6 / 8 = 13.3 PFLOP/s per GPU against 1,979 TFLOP/s).
    private static readonly string[] Alderson =
        ["check", "--model", "deepseek-r1", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--prefill-tps", "1440000", "--active-params", "37e9", "--precision", "fp8"];

    [Fact]
    public void Check_AldersonPrefillClaim_IsImpossibleAtAbout6Point7x()
    {
        var run = CliRunner.Run(Alderson);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("IMPOSSIBLE", run.Console, StringComparison.Ordinal);
        Assert.Matches(@"Factor over compute ceiling\s+│ 6\.73x", run.Console);
    }

    [Fact]
    public void Check_AldersonPrefillClaim_Json_HasTheVerdict()
    {
        var run = CliRunner.Run([.. Alderson, "--json"]);

        using var json = JsonDocument.Parse(run.Out);
        var verdict = json.RootElement.GetProperty("verdict");
        Assert.False(verdict.GetProperty("possible").GetBoolean());
        Assert.Equal(6.73, verdict.GetProperty("factorOverCompute").GetDouble(), 2);
        Assert.Equal("prefillTokensPerSecond", json.RootElement.GetProperty("claim").GetProperty("kind").GetString());
    }

    [Fact]
    public void Check_ClaimWithinThePeak_IsPossible()
    {
        var run = CliRunner.Run("check", "--model", "deepseek-r1", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--prefill-tps", "100000");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("POSSIBLE", run.Console, StringComparison.Ordinal);
        Assert.DoesNotContain("IMPOSSIBLE", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_DecodeClaimWithBatch_AddsTheBandwidthCeiling()
    {
        // 8 H100s read Llama 3.1 70B's ~139 GB of bf16 weights at most 8 × 3.35 TB/s ÷ 139 GB ≈ 193 times a second:
        // at batch 64 that is ~12,300 tok/s, so 20,000 tok/s is impossible although compute allows ~114,000.
        var run = CliRunner.Run("check", "--model", "llama-3.1-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "8",
            "--decode-tps", "20000", "--batch", "64", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var verdict = json.RootElement.GetProperty("verdict");
        Assert.False(verdict.GetProperty("possible").GetBoolean());
        Assert.InRange(verdict.GetProperty("bandwidthCeiling").GetDouble(), 11_000, 13_500);
        Assert.True(verdict.GetProperty("factorOverCompute").GetDouble() < 1);
        Assert.NotEqual(JsonValueKind.Null, json.RootElement.GetProperty("weightBytesMethod").ValueKind);
    }

    [Fact]
    public void Check_Batch_IsSaidToBeTheWholeClustersConcurrency()
    {
        var run = CliRunner.Run("check", "--model", "llama-3.1-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "8",
            "--decode-tps", "20000", "--batch", "64");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("decode 20,000 tok/s at batch 64 (whole cluster) on 8 × nvidia-h100-sxm", run.Console, StringComparison.Ordinal);
        Assert.Contains("full bandwidth of all 8 devices, 64 sequences in the cluster", run.Console, StringComparison.Ordinal);
        Assert.Contains("across the whole cluster", CliRunner.Run("check", "--help").Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_PriceClaim_ReportsTheFloorPrice()
    {
        var run = CliRunner.Run("check", "--model", "llama-3.1-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "8",
            "--output-price", "0.01", "--gpu-price", "2", "--batch", "64");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("IMPOSSIBLE", run.Console, StringComparison.Ordinal);
        Assert.Matches(@"Floor price\s+│ \$[0-9.]+/MTok", run.Console);
    }
}
