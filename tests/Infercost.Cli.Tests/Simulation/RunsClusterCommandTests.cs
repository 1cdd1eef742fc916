namespace Infercost.Cli.Tests.Simulation;

// simulate --cluster sends the seed-runs of --runs to an Orleans cluster (tests/Infercost.Cluster.Tests runs it against
// silos); here, the inputs it refuses before connecting: one line on stderr naming --cluster, exit 2.
public sealed class RunsClusterCommandTests
{
    private static readonly string[] Simulate = ["simulate", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "2", "--requests", "200"];

    [Theory]
    [InlineData(null)]
    [InlineData("1")]
    public void Cluster_WithoutRunsToSpread_OneLineExit2(string? runs)
    {
        var run = CliRunner.Run([.. Simulate, "--rate", "10", .. runs is null ? Array.Empty<string>() : ["--runs", runs], "--cluster", "127.0.0.1:30000"]);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Equal($"--cluster spreads the seed-runs of --runs over a cluster; it needs --runs 2 or more (was {runs ?? "1"}). Give --runs N, or drop --cluster.", line);
    }

    [Fact]
    public void Cluster_WithATrace_OneLineExit2()
    {
        var run = CliRunner.Run([.. Simulate, "--trace", "data/traces/mooncake-fast25-conversation.jsonl", "--cluster", "127.0.0.1:30000"]);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Equal("--cluster spreads the --runs of a generated stream over a cluster; it does not apply to --trace. Drop --cluster.", line);
    }

    [Fact]
    public void Cluster_WithRunsOfAClosedLoop_IsRefusedAsRunsAre()
    {
        var run = CliRunner.Run([.. Simulate, "--concurrency", "8", "--runs", "3", "--cluster", "127.0.0.1:30000"]);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains("--runs repeats a generated stream", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Cluster_NotHostPort_OneLineExit2()
    {
        var run = CliRunner.Run([.. Simulate, "--rate", "10", "--runs", "3", "--cluster", "somewhere"]);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("--cluster must be HOST:PORT", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Cluster_RunsOverTheBudget_RefusedBeforeConnecting()
    {
        // One run of 100,000 requests fits the budget, 64 of them do not. No silo listens on the port: the budget is
        // refused at once, not after the connection attempt.
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var run = CliRunner.Run([.. Simulate[..^2], "--rate", "10", "--requests", "100000", "--runs", "64", "--cluster", "127.0.0.1:9"]);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("--runs 64 of 100 k requests each", line, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"took {watch.Elapsed}");
    }
}
