using System.Text.Json;

namespace Infercost.Cli.Tests.Simulation;

public sealed class FleetCommandTests
{
    private static readonly string[] Simulate = ["simulate", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "4"];

    [Fact]
    public void Router_NamedOnTheFleetLine_AndDefaultIsLeastRequests()
    {
        var p2c = CliRunner.Run([.. Simulate, "--rate", "8", "--requests", "300", "--router", "p2c"]);
        var plain = CliRunner.Run([.. Simulate, "--rate", "8", "--requests", "300", "--json"]);

        Assert.Equal(0, p2c.ExitCode);
        Assert.Contains("p2c router", p2c.Console);
        using var json = JsonDocument.Parse(plain.Out);
        Assert.Equal("least-requests", json.RootElement.GetProperty("result").GetProperty("router").GetString());
    }

    [Fact]
    public void Router_Unknown_OneLineExit2()
    {
        var run = CliRunner.Run([.. Simulate, "--rate", "8", "--router", "fastest"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("router must be least-requests, round-robin, least-tokens, p2c, session or prefix; was 'fastest'.", run.Error);
    }

    [Fact]
    public void Runs_SpreadOverSeeds_RunZeroIsTheSingleRun()
    {
        string[] args = [.. Simulate, "--rate", "20", "--requests", "400", "--input-dist", "lognormal:500:1", "--output-dist", "lognormal:100:0.8", "--seed", "3", "--json"];

        var single = CliRunner.Run(args);
        var four = CliRunner.Run([.. args, "--runs", "4"]);

        Assert.Equal(0, four.ExitCode);
        using var one = JsonDocument.Parse(single.Out);
        using var many = JsonDocument.Parse(four.Out);
        Assert.Equal(one.RootElement.GetProperty("result").GetRawText(), many.RootElement.GetProperty("result").GetRawText());
        var spread = many.RootElement.GetProperty("spread");
        Assert.Equal(4, spread.GetProperty("runs").GetInt32());
        Assert.Equal(3, spread.GetProperty("seeds")[0].GetInt64());
        var p99 = spread.GetProperty("timeToFirstTokenP99");
        Assert.True(p99.GetProperty("min").GetDouble() < p99.GetProperty("max").GetDouble()); // other seeds, other draws
        Assert.InRange(p99.GetProperty("mean").GetDouble(), p99.GetProperty("min").GetDouble(), p99.GetProperty("max").GetDouble());
    }

    [Fact]
    public void Runs_WithATrace_IsRefused()
    {
        var run = CliRunner.Run([.. Simulate, "--trace", "data/traces/mooncake-fast25-conversation.jsonl", "--runs", "2"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--runs repeats a generated stream", run.Error);
    }
}
