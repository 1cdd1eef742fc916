namespace Infercost.Cli.Tests.Commands;

// "LPUs: 10× faster, 1/10th the energy" made checkable: the dataflow bound beside a calibrated H100 replica.
public sealed class DataflowCommandTests
{
    [Fact]
    public void Groq_BesideH100_PrintsSpeedAndEnergyRatios()
    {
        var run = CliRunner.Run("dataflow", "--model", "llama-3.3-70b", "--gpu", "groq-lpu-v1", "--compare-gpu", "nvidia-h100-sxm");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("SRAM dataflow pipeline", run.Console, StringComparison.Ordinal);
        Assert.Contains("bound: chip-to-chip links", run.Console, StringComparison.Ordinal);
        Assert.Matches(@"the dataflow bound is [\d,.]+x", run.Console);
        Assert.Matches(@"dataflow uses [\d.]+x of it", run.Console);
        Assert.Contains("A bound, not a prediction", run.Console, StringComparison.Ordinal);
        Assert.Matches(@"the dataflow bound is [\d,.]+x that\s+\[P10-P90\s+[\d,.]+x \.\. [\d,.]+x\]", run.Console);
        Assert.Contains("nvidia-h100-sxm: extrapolating: vLLM", run.Console, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("peak-tflops is required: the catalog has no dense fp16 peak for cerebras-wse-3", "dataflow", "--model", "llama-3.3-70b", "--gpu", "cerebras-wse-3")]
    [InlineData("chips must be at least 4", "dataflow", "--model", "llama-3.3-70b", "--gpu", "cerebras-wse-3", "--peak-tflops", "62500", "--chips", "1")]
    [InlineData("--engine describes the compared GPU; add --compare-gpu.", "dataflow", "--model", "llama-3.3-70b", "--gpu", "groq-lpu-v1", "--engine", "vllm")]
    [InlineData("sram-usable must be in [0.01, 1]; was 2.", "dataflow", "--model", "llama-3.3-70b", "--gpu", "groq-lpu-v1", "--sram-usable", "2")]
    public void BadInput_IsOneLine_ExitTwo(string message, params string[] args)
    {
        var run = CliRunner.Run(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }
}
