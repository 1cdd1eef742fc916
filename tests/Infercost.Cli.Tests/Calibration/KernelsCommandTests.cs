using System.Text.Json;

namespace Infercost.Cli.Tests.Calibration;

public class KernelsCommandTests
{
    private const string Header = "id,category,accelerator,precision,shape_or_size,metric,value,peak_reference_if_stated,source_citation,locator,notes";

    // Two H100 BF16 GEMMs (vLLM #49363 rows GEMM-134 and GEMM-143), one all-reduce sweep point, one unknown device.
    private static readonly Dictionary<string, string> Files = new()
    {
        ["k.csv"] = Header + "\n" +
            "GEMM-134,gemm,H100,BF16,\"M=1,N=12288,K=5376\",tflops,2.9,,c,l,torch.mm\n" +
            "GEMM-143,gemm,H100,BF16,\"M=128,N=12288,K=5376\",tflops,352.6,,c,l,torch.mm\n" +
            "COLL-089,collective,H100 SXM5 80GB,FP32,\"all_reduce msg=1MB, 8 GPUs\",gbps,43.70,,c,l,busbw (nccl-tests)\n" +
            "X-1,gemm,TPU v9,BF16,\"M=1,N=1,K=1\",tflops,1,,c,l,n\n",
    };

    [Fact]
    public void Kernels_Json_ReportsErrorPerCategory_AndSkippedRowsWithReasons()
    {
        var run = CliRunner.Run(Files, "kernels", "--data", "k.csv", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var categories = json.RootElement.GetProperty("byCategory").EnumerateArray().Select(e => e.GetProperty("group").GetString()).ToList();
        Assert.Equal(["gemm", "all_reduce"], categories);
        var skipped = Assert.Single(json.RootElement.GetProperty("skipped").EnumerateArray());
        Assert.Equal("X-1", skipped.GetProperty("id").GetString());
        Assert.Contains("no catalog accelerator", skipped.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Kernels_Table_PrintsCurves()
    {
        var run = CliRunner.Run(Files, "kernels", "--data", "k.csv", "--fit");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("gemm hopper/bf16", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Kernels_Json_SaysWhichMoeModulesComputeInTokenTiles()
    {
        var run = CliRunner.Run(Files, "kernels", "--data", "k.csv", "--json");
        using var json = JsonDocument.Parse(run.Out);
        var curves = json.RootElement.GetProperty("curves");
        Assert.EndsWith(", token tiles 8-64 rows", curves.GetProperty("grouped_gemm trtllm-gen").GetString(), StringComparison.Ordinal);
        Assert.EndsWith(", dense padding (M_half)", curves.GetProperty("grouped_gemm cutlass").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Kernels_MissingColumn_ExitsTwo()
    {
        var run = CliRunner.Run(new Dictionary<string, string> { ["bad.csv"] = "id,category\n1,gemm\n" }, "kernels", "--data", "bad.csv");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("missing column(s)", run.Error, StringComparison.Ordinal);
    }
}
