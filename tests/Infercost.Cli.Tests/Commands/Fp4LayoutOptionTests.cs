using System.Text.Json;

namespace Infercost.Cli.Tests.Commands;

// --weights, --expert-weights and --kv accept the two FP4 layouts by name: nvfp4 (E4M3 scale per 16 elements, 4.5 bits)
// and mxfp4 (E8M0 scale per 32, 4.25 bits; OCP Microscaling spec v1.0). Plain fp4 takes the checkpoint's layout, else the
// device's (NVFP4 on NVIDIA). See docs/methodology.md#precision.
public sealed class Fp4LayoutOptionTests
{
    private static readonly string[] Llama8BOnB200 = ["cost", "--model", "llama-3.1-8b", "--gpu", "nvidia-b200", "--gpus", "1", "--json"];

    private static (double Weights, double Parameters) Memory(params string[] extra)
    {
        var run = CliRunner.Run([.. Llama8BOnB200, .. extra]);
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var serving = json.RootElement.GetProperty("serving");
        return (serving.GetProperty("memory").GetProperty("weights").GetDouble(), serving.GetProperty("totalParameters").GetDouble());
    }

    [Theory]
    // value of --weights, bits per weight
    [InlineData("nvfp4", 4.5)]
    [InlineData("mxfp4", 4.25)]
    [InlineData("fp4", 4.5)]
    public void Weights_Fp4Layouts_AreDistinct(string weights, double bits)
    {
        // When Llama 3.1 8B is costed on one B200 with every weight in the layout named
        var (bytes, parameters) = Memory("--weights", weights);

        // Then the weights are parameters × bits / 8 (plain fp4 is NVFP4 on an NVIDIA device)
        Assert.Equal(parameters * bits / 8, bytes, 0);
    }

    [Fact]
    public void Kv_Mxfp4_SetsTheLayoutOfFp4WeightsToo()
    {
        // A setup stores its fp4 tensors in one layout: --kv mxfp4 with --weights fp4 makes both MXFP4
        var (bytes, parameters) = Memory("--weights", "fp4", "--kv", "mxfp4");
        Assert.Equal(parameters * 4.25 / 8, bytes, 0);
    }

    [Theory]
    [InlineData("--weights", "nvfp5")]
    [InlineData("--kv", "mxfp3")]
    [InlineData("--expert-weights", "fp5")]
    public void BadValue_IsOneLineNamingTheFlagAndTheLayouts(string flag, string value)
    {
        var run = CliRunner.Run("cost", "--model", "deepseek-r1", "--gpu", "nvidia-b200", "--gpus", "8", flag, value);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains($"{flag.TrimStart('-')} must be one of fp16, bf16, fp8, int8, int4, fp4, nvfp4, mxfp4; was '{value}'.", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoLayouts_AreRefusedOnOneLine()
    {
        var run = CliRunner.Run("cost", "--model", "deepseek-r1", "--gpu", "nvidia-b200", "--gpus", "8", "--weights", "nvfp4", "--kv", "mxfp4");

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains("--kv mxfp4 and --weights nvfp4 name different FP4 layouts", line, StringComparison.Ordinal);
    }
}
