using System.Text.Json;

namespace Infercost.Cli.Tests.Calibration;

public class CalibrateOnlineCommandTests
{
    private const string Header = "id,model,accelerator,tensor_parallel,pipeline_parallel,weight_precision,kv_precision,input_tokens,output_tokens,requests," +
        "offered_requests_per_s,measured_output_tokens_per_s,mean_ttft_ms,mean_itl_ms";

    // Four real rows of data/calibration/online-serving.csv (ids 882, 884, 918, 920: Llama 3.1 8B, 202 in / 214 out, 2 and
    // 8 req/s, on one H100 and one H200), so the command fits on both GPUs and once without each.
    private static readonly string Four = Header + "\n" +
        "882,llama-3.1-8b,nvidia-h100-sxm,1,1,bf16,bf16,202,214,500,2,416,19,7\n" +
        "884,llama-3.1-8b,nvidia-h100-sxm,1,1,bf16,bf16,202,214,500,8,1568,21,9\n" +
        "918,llama-3.1-8b,nvidia-h200-sxm,1,1,bf16,bf16,202,214,500,2,418,17,6\n" +
        "920,llama-3.1-8b,nvidia-h200-sxm,1,1,bf16,bf16,202,214,500,8,1589,19,7\n";

    [Fact]
    public void CalibrateOnline_FourRows_PrintsTheFitsAndTheLeaveOneGpuOutErrors()
    {
        var run = CliRunner.Run(new Dictionary<string, string> { ["four.csv"] = Four }, "calibrate-online", "--data", "four.csv", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.Equal(4, root.GetProperty("fitted").GetProperty("fittedRows").GetInt32());
        Assert.True(root.GetProperty("fitted").GetProperty("hostStepTimeMs").GetDouble() > 0);
        Assert.Equal(0, root.GetProperty("withoutRequestLatency").GetProperty("requestLatencyMs").GetDouble());
        Assert.Equal(["nvidia-h100-sxm", "nvidia-h200-sxm"], root.GetProperty("leaveOneGpuOut").EnumerateArray().Select(s => s.GetProperty("heldOut").GetString()));
        var splits = root.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("split").GetString()).ToList();
        Assert.Contains("nvidia-h200-sxm out, unsaturated", splits);
        var inSample = root.GetProperty("errors")[0].GetProperty("summary").GetProperty("ttft");
        Assert.Equal(4, inSample.GetProperty("rows").GetInt32());
        Assert.True(inSample.GetProperty("p90AbsPctError").GetDouble() >= inSample.GetProperty("medianAbsPctError").GetDouble());
    }

    [Fact]
    public void ValidateOnline_Json_SummaryCarriesTheFigures()
    {
        var run = CliRunner.Run(new Dictionary<string, string> { ["four.csv"] = Four }, "validate-online", "--data", "four.csv", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var ttft = json.RootElement.GetProperty("summary").GetProperty("ttft");
        Assert.Equal(4, ttft.GetProperty("rows").GetInt32());
        Assert.True(ttft.GetProperty("medianAbsPctError").GetDouble() >= 0);
        Assert.Equal(2, json.RootElement.GetProperty("byOfferedRate")[0].GetProperty("summary").GetProperty("itl").GetProperty("rows").GetInt32());
        // Each row carries its P10–P90 from the runs at the band's engine speeds, and the summary the share inside.
        var row = json.RootElement.GetProperty("rows")[0].GetProperty("band");
        var ttftBand = row.GetProperty("meanTtftSeconds");
        Assert.True(ttftBand.GetProperty("p10").GetDouble() <= ttftBand.GetProperty("value").GetDouble());
        Assert.True(ttftBand.GetProperty("p90").GetDouble() > ttftBand.GetProperty("value").GetDouble());
        var coverage = json.RootElement.GetProperty("summary").GetProperty("bandCoveragePct").GetProperty("ttft").GetDouble();
        Assert.InRange(coverage, 0, 100);
    }

    [Fact]
    public void CalibrateOnline_MissingFile_IsOneLineAndExitTwo()
    {
        var run = CliRunner.Run(new Dictionary<string, string>(), "calibrate-online", "--data", "nowhere.csv");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--data", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void CalibrateOnline_OnlyBursts_SaysNothingIsBelowSaturation()
    {
        var bursts = Header + "\n857,llama-3.1-70b,nvidia-h100-sxm,4,1,bf16,bf16,467,256,500,inf,4103,9123,85\n";

        var run = CliRunner.Run(new Dictionary<string, string> { ["bursts.csv"] = bursts }, "calibrate-online", "--data", "bursts.csv");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("no row is below saturation", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void CalibrateOnline_BadField_NamesLineAndColumn()
    {
        var bad = Header + "\n882,llama-3.1-8b,nvidia-h100-sxm,1,1,bf16,bf16,202,214,500,2,416,-19,7\n";

        var run = CliRunner.Run(new Dictionary<string, string> { ["bad.csv"] = bad }, "calibrate-online", "--data", "bad.csv");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("bad.csv:2: mean_ttft_ms must be a number > 0; was '-19'.", Assert.Single(run.ErrorLines));
    }
}
