using System.Text.Json;

namespace Infercost.Cli.Tests.Commands;

public sealed class CalibrateDeploymentCommandTests
{
    // The level figures 'infercost measure --sweep concurrency:1,4,16,64 --requests 128 --input 200 --output 64' recorded
    // against 'infercost emulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1' (the built-in vLLM profile), trimmed
    // to the fields the fit reads.
    private const string Measured = """
        {
          "endpoint": "http://127.0.0.1:18437/", "model": "llama-3.1-8b",
          "levels": [
            { "level": "concurrency 1", "requests": 128, "succeeded": 128, "timeToFirstToken": { "mean": 0.012101 }, "timePerOutputToken": { "mean": 0.006504 }, "endToEnd": { "mean": 0.421853 }, "requestsPerSecond": 2.36993, "meanPromptTokens": 200, "meanOutputTokens": 64 },
            { "level": "concurrency 4", "requests": 128, "succeeded": 128, "timeToFirstToken": { "mean": 0.024727 }, "timePerOutputToken": { "mean": 0.006570 }, "endToEnd": { "mean": 0.438649 }, "requestsPerSecond": 9.11671, "meanPromptTokens": 200, "meanOutputTokens": 64 },
            { "level": "concurrency 16", "requests": 128, "succeeded": 128, "timeToFirstToken": { "mean": 0.075481 }, "timePerOutputToken": { "mean": 0.006945 }, "endToEnd": { "mean": 0.513034 }, "requestsPerSecond": 31.1626, "meanPromptTokens": 200, "meanOutputTokens": 64 },
            { "level": "concurrency 64", "requests": 128, "succeeded": 128, "timeToFirstToken": { "mean": 0.249654 }, "timePerOutputToken": { "mean": 0.009285 }, "endToEnd": { "mean": 0.834595 }, "requestsPerSecond": 76.1187, "meanPromptTokens": 200, "meanOutputTokens": 64 }
          ]
        }
        """;

    private static readonly string[] Deployment = ["--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "1"];

    [Fact]
    public void Deployment_FitsTheEmulatorsOwnProfile_AndReportsHeldOutError()
    {
        var run = CliRunner.Run(new Dictionary<string, string> { ["m.json"] = Measured }, ["calibrate", "deployment", "--from", "m.json", .. Deployment, "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Out);
        var profile = doc.RootElement.GetProperty("profile");
        Assert.Equal("infercost-engine-profile/1", profile.GetProperty("format").GetString());
        Assert.Equal("vllm", profile.GetProperty("engine").GetString());
        Assert.Equal(4, profile.GetProperty("levels").GetInt32());
        // The endpoint was the built-in vLLM profile (0.6 ms per step, MBU 1), so the fit lands near it and holds out well
        Assert.InRange(profile.GetProperty("stepOverheadMs").GetDouble(), 0.3, 1.2);
        Assert.InRange(profile.GetProperty("mbu").GetDouble(), 0.9, 1.0);
        Assert.True(profile.GetProperty("heldOut").GetProperty("medianAbsPctError").GetDouble() < 10);
        Assert.Equal(4, doc.RootElement.GetProperty("fit").GetProperty("levels").GetArrayLength());
    }

    [Fact]
    public void EngineProfile_ChangesTheRuntimeCostUses_AndNamesItsSource()
    {
        const string slow = """
            { "format": "infercost-engine-profile/1", "engine": "vllm", "stepOverheadMs": 4, "mbu": 0.6, "model": "llama-3.1-8b",
              "accelerator": "nvidia-h100-sxm", "gpus": 1, "layout": "TP1", "levels": 4, "source": "m.json" }
            """;
        var files = new Dictionary<string, string> { ["slow.json"] = slow };

        var plain = CliRunner.Run(["cost", .. Deployment, "--batch", "1", "--json"]);
        var fitted = CliRunner.Run(files, ["cost", .. Deployment, "--batch", "1", "--engine-profile", "slow.json", "--json"]);

        Assert.Equal(0, fitted.ExitCode);
        double Step(CliRun r) => JsonDocument.Parse(r.Out).RootElement.GetProperty("serving").GetProperty("decode").GetProperty("stepTime").GetDouble();
        double Overhead(CliRun r) => JsonDocument.Parse(r.Out).RootElement.GetProperty("serving").GetProperty("decode").GetProperty("overhead").GetDouble();
        Assert.True(Step(fitted) > 1.5 * Step(plain), $"{Step(fitted)} vs {Step(plain)}");
        Assert.True(Overhead(fitted) - Overhead(plain) > 0.003); // 4 ms of host time instead of 0.6
        Assert.Contains("fitted to m.json", JsonDocument.Parse(fitted.Out).RootElement.GetProperty("serving").GetProperty("engine").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"levels\":[]}", "--from", "0 usable load level(s)")]
    [InlineData("not json", "--from", "not valid JSON at line 1")]
    public void Deployment_BadMeasurements_OneLineNamingFrom(string text, string flag, string message)
    {
        var run = CliRunner.Run(new Dictionary<string, string> { ["m.json"] = text }, ["calibrate", "deployment", "--from", "m.json", .. Deployment]);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains(flag, line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
    }

    [Fact]
    public void EngineProfile_NotAProfile_OneLine()
    {
        var run = CliRunner.Run(new Dictionary<string, string> { ["p.json"] = "{\"format\":\"other\"}" }, ["simulate", .. Deployment, "--engine-profile", "p.json", "--rate", "1", "--requests", "10"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--engine-profile: not an engine profile (format must be 'infercost-engine-profile/1'; was 'other')", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }
}
