using System.Text.Json;

namespace Infercost.Cli.Tests.Commands;

public sealed class SearchCommandTests
{
    // Llama 3.1 8B on one or two H100s at 5 req/s, two batch caps: 6 candidates with short trials.
    private static readonly string[] Small =
    [
        "search", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus-per-replica", "1,2", "--max-batch", "32,256",
        "--rate", "5", "--trial-time", "10s", "--trial-requests", "1000", "--top", "2",
    ];

    [Fact]
    public void Search_SmallSpace_PrintsStagesBestAndFront()
    {
        var run = CliRunner.Run(Small);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Search: 6 candidates", run.Console, StringComparison.Ordinal);
        Assert.Contains("cannot beat the best", run.Console, StringComparison.Ordinal);
        Assert.Contains("Best 2 by $/MTok", run.Console, StringComparison.Ordinal);
        Assert.Contains("Pareto front", run.Console, StringComparison.Ordinal);
        Assert.Contains("held: no simulated fleet came out below its analytic lower bound", run.Console, StringComparison.Ordinal);
        // Each best fleet's calibration coverage: its throughput band and what it extrapolates (vLLM, the default engine).
        Assert.Contains("Calibration coverage of the best", run.Console, StringComparison.Ordinal);
        Assert.Matches(@"│ 1 │ 0\.\d\d–1\.\d\d\s+│ vLLM", run.Console);
    }

    [Theory]
    [InlineData("--top", "0", "top must be in [1, 1000]; was 0.")]
    [InlineData("--gpus-per-replica", "0", "gpus-per-replica must be in [1, 1024]; was 0.")]
    [InlineData("--gpu-price", "2,3", "--gpu-price gives one price per --gpu entry, in order; was 2 prices for 1 GPUs.")]
    [InlineData("--rank", "fast", "rank must be cost, gpus or energy; was 'fast'.")]
    [InlineData("--weights", "fp7", "weights")]
    [InlineData("--disaggregation", "maybe", "disaggregation must be no, yes or both; was 'maybe'.")]
    [InlineData("--max-gpus", "-1", "max-gpus must be in [1, 10000000]; was -1.")]
    [InlineData("--trial-requests", "10", "trial-requests must be in [1000, 200000]; was 10.")]
    public void BadInput_ExitsTwo_NamingTheFlag(string flag, string value, string message)
    {
        var run = CliRunner.Run(With(flag, value));

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void NoRateNorTrace_ExitsTwo_SayingWhatIsRequired()
    {
        var run = CliRunner.Run("search", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("rate is required: give --rate REQ/S, or --trace FILE.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void State_RerunSkipsFinishedCandidates_WithTheSameAnswer_AndOtherInputsAreRefused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"infercost-search-{Guid.NewGuid():N}.jsonl");
        try
        {
            // Given a search that records its state
            var first = Real([.. Small, "--state", path, "--json"]);
            var lines = File.ReadAllLines(path);

            // When it is run again on the same file
            var second = Real([.. Small, "--state", path, "--json"]);

            // Then nothing is simulated again and the answer is the same
            Assert.Equal(0, first.ExitCode);
            Assert.Equal(0, second.ExitCode);
            var (a, b) = (JsonDocument.Parse(first.Out).RootElement, JsonDocument.Parse(second.Out).RootElement);
            Assert.Equal(lines.Length - 1, a.GetProperty("simulatedThisRun").GetInt32());
            Assert.Equal(0, b.GetProperty("simulatedThisRun").GetInt32());
            Assert.Equal(lines.Length - 1, b.GetProperty("reused").GetInt32());
            Assert.Equal(a.GetProperty("best").GetRawText(), b.GetProperty("best").GetRawText());
            Assert.Equal(a.GetProperty("front").GetRawText(), b.GetProperty("front").GetRawText());
            Assert.Equal(lines.Length, File.ReadAllLines(path).Length);

            // And a search with other inputs refuses the file in one line
            var other = Real([.. With("--rate", "6"), "--state", path]);
            Assert.Equal(2, other.ExitCode);
            Assert.Contains("was written by a search with different inputs", other.Error, StringComparison.Ordinal);
            Assert.Single(other.ErrorLines);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static CliRun Real(string[] args) => CliRunner.Run(File.ReadAllText, args);

    // Small with one option's value replaced, or added.
    private static string[] With(string flag, string value)
    {
        var args = Small.ToList();
        var at = args.IndexOf(flag);
        if (at >= 0) args[at + 1] = value;
        else args.AddRange([flag, value]);
        return [.. args];
    }
}
