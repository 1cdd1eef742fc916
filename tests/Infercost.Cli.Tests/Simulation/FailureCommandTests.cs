namespace Infercost.Cli.Tests.Simulation;

public sealed class FailureCommandTests
{
    [Fact]
    public void Simulate_WithMtbf_SaysWhatTheFailuresDid()
    {
        var run = CliRunner.Run("simulate", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "4", "--rate", "30", "--requests", "6000",
            "--mtbf", "5m", "--repair-time", "1m");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("• Failures: ", run.Console, StringComparison.Ordinal);
        Assert.Contains("requests interrupted and recomputed elsewhere", run.Console, StringComparison.Ordinal);
        Assert.Contains("6,000 completed of 6,000", run.Console, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--repair-time", "1m", "--repair-time is how long a failed replica stays down; add --mtbf.")]
    [InlineData("--mtbf", "0s", "mtbf must be in [1, 1E+09]")]
    public void BadFailureOptions_ExitTwo_NamingTheFlag(string flag, string value, string message)
    {
        var run = CliRunner.Run("simulate", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "2", "--rate", "5", flag, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }
}
