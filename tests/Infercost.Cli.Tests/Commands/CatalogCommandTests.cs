using System.Text.Json;

namespace Infercost.Cli.Tests.Commands;

public sealed class CatalogCommandTests
{
    [Fact]
    public void List_WithoutKind_ListsModelsAndGpus()
    {
        var run = CliRunner.Run("catalog", "list");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("deepseek-r1", run.Console, StringComparison.Ordinal);
        Assert.Contains("nvidia-h100-sxm", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void List_Gpus_ListsOnlyAccelerators()
    {
        var run = CliRunner.Run("catalog", "list", "gpus");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("amd-mi300x", run.Console, StringComparison.Ordinal);
        Assert.DoesNotContain("deepseek-r1", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void List_WithUserCatalog_IncludesTheUsersGpu()
    {
        var files = new Dictionary<string, string> { ["mine.json"] = CliRunner.AcmeCatalog };

        var run = CliRunner.Run(files, "catalog", "list", "gpus", "--catalog", "mine.json", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var ids = json.RootElement.GetProperty("accelerators").EnumerateArray().Select(a => a.GetProperty("id").GetString()).ToList();
        Assert.Contains("acme-x1", ids);
        Assert.Contains("nvidia-h100-sxm", ids);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("models").ValueKind);
    }

    [Fact]
    public void Show_Model_PrintsFieldsAndComputedParameters()
    {
        var run = CliRunner.Run("catalog", "show", "deepseek-r1");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Parameters (computed from the shape)", run.Console, StringComparison.Ordinal);
        Assert.Matches(@"Total\s+│ 671\.03 B", run.Console);
        Assert.Contains("256 routed experts, 8 per token", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_Accelerator_PrintsItsFigures()
    {
        var run = CliRunner.Run("catalog", "show", "nvidia-h100-sxm");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"Memory bandwidth\s+│ 3\.35 TB/s", run.Console);
        Assert.Matches(@"Dense FP8 / INT8\s+│ 1,979 / 1,979", run.Console);
    }

    [Fact]
    public void Show_Tpu_PrintsItsTorus()
    {
        // v6e: 400 GB/s per chip per direction over a 2D torus's 4 links = 100 GB/s per link
        var run = CliRunner.Run("catalog", "show", "google-tpu-v6e");
        var json = CliRunner.Run("catalog", "show", "google-tpu-v6e", "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("torus", run.Console, StringComparison.Ordinal);
        Assert.Contains("100 GB/s", run.Console, StringComparison.Ordinal);
        Assert.Contains("\"interconnect\": \"torus2d\"", json.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("torus", CliRunner.Run("catalog", "show", "nvidia-h100-sxm").Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_ModelAsJson_CarriesTheParameterBreakdown()
    {
        var run = CliRunner.Run("catalog", "show", "llama-3.1-8b", "--json");

        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("llama-3.1-8b", json.RootElement.GetProperty("model").GetProperty("id").GetString());
        Assert.InRange(json.RootElement.GetProperty("parameters").GetProperty("total").GetDouble(), 8.0e9, 8.1e9);
    }
}
