using System.Text.Json;

namespace Infercost.Cli.Tests.Simulation;

public sealed class AutoscaleCommandTests
{
    [Fact]
    public void Simulate_Autoscale_ReportsWhatItDid_AndCostsTheReplicasProvisioned()
    {
        string[] common = ["simulate", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "4", "--rate", "3", "--requests", "600", "--json"];
        var plain = CliRunner.Run(common);
        var scaled = CliRunner.Run([.. common, "--autoscale-min", "1", "--cold-start", "60s"]);

        Assert.True(scaled.ExitCode == 0, scaled.Error);
        using var p = JsonDocument.Parse(plain.Out);
        using var s = JsonDocument.Parse(scaled.Out);
        var a = s.RootElement.GetProperty("result").GetProperty("autoscale");
        Assert.True(a.GetProperty("provisionedReplicaSeconds").GetDouble() < a.GetProperty("fleetReplicaSeconds").GetDouble());
        Assert.True(s.RootElement.GetProperty("result").GetProperty("cost").GetDouble() < p.RootElement.GetProperty("result").GetProperty("cost").GetDouble());
        Assert.Equal(JsonValueKind.Null, p.RootElement.GetProperty("result").GetProperty("autoscale").ValueKind);
    }

    [Theory]
    [InlineData("--cold-start", "30s", "--cold-start shapes autoscaling; add --autoscale-min, or drop it.")]
    [InlineData("--scale-target", "8", "--scale-target shapes autoscaling; add --autoscale-min, or drop it.")]
    public void AutoscaleOptionWithoutTheMinimum_OneLineNamingIt(string flag, string value, string message)
    {
        var run = CliRunner.Run(["simulate", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "2", "--rate", "1", flag, value]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(message, Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void AutoscaleMinimumAboveTheFleet_OneLine()
    {
        var run = CliRunner.Run(["simulate", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "2", "--rate", "1", "--autoscale-min", "3"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("autoscale-min must be in [0, 2]", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }
}
