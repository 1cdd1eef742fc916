using System.Text.Json;

namespace Infercost.Cli.Tests.Calibration;

public class ValidateCommandTests
{
    private const string Header = "id,source,model,accelerator,gpus,tensor_parallel,pipeline_parallel,expert_parallel,attention_data_parallel,weight_precision,kv_precision,scenario,input_tokens,output_tokens,concurrency,measured_output_tokens_per_s,citation,extra";

    // Two real rows of the calibration file (ids 479, 480), one row with an unknown model, one that does not fit.
    private static readonly string Csv = Header + "\n" +
        "479,TRTLLM-PERF-V0.17,llama-3.1-8b,nvidia-h200-sxm,1,1,1,1,1,fp8,fp8,max-throughput,128,128,,29526.04,c,x\n" +
        "480,TRTLLM-PERF-V0.17,llama-3.1-8b,nvidia-h100-sxm,1,1,1,1,1,fp8,fp8,max-throughput,128,128,,28836.77,c,x\n" +
        "900,MINE,no-such-model,nvidia-h100-sxm,1,1,1,1,1,fp8,fp8,max-throughput,128,128,,100,c,x\n" +
        "901,MINE,llama-3.1-405b,nvidia-h100-sxm,1,1,1,1,1,fp16,fp16,concurrency,128,128,8,100,c,x\n";

    private static readonly Dictionary<string, string> Files = new() { ["runs.csv"] = Csv };

    [Fact]
    public void Validate_Json_CarriesRowsAndTheSummaryObject()
    {
        var run = CliRunner.Run(Files, "validate", "--data", "runs.csv", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var summary = json.RootElement.GetProperty("summary");
        Assert.Equal(4, summary.GetProperty("rows").GetInt32());
        Assert.Equal(2, summary.GetProperty("predicted_rows").GetInt32());
        Assert.True(summary.GetProperty("median_abs_pct_error").GetDouble() >= 0);
        Assert.True(summary.GetProperty("p90_abs_pct_error").GetDouble() >= summary.GetProperty("median_abs_pct_error").GetDouble());
        var rows = json.RootElement.GetProperty("rows");
        Assert.Equal(4, rows.GetArrayLength());
        Assert.Equal("unknown model 'no-such-model'", rows[2].GetProperty("reason").GetString());
        Assert.Contains("does not fit", rows[3].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, rows[3].GetProperty("predictedOutputTokensPerSecond").ValueKind);
    }

    [Fact]
    public void Validate_Table_ShowsEveryRowAndTheGroups()
    {
        var run = CliRunner.Run(Files, "validate", "--data", "runs.csv");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("29,526", run.Console, StringComparison.Ordinal);
        Assert.Contains("unknown model 'no-such-model'", run.Console, StringComparison.Ordinal);
        Assert.Contains("model: llama-3.1-8b", run.Console, StringComparison.Ordinal);
        Assert.Contains("source: TRTLLM-PERF-V0.17", run.Console, StringComparison.Ordinal);
    }

    // A good row, a row with a bad gpus field and one with an unknown engine, then a bf16 row naming vllm.
    private static readonly string MixedCsv = Header + ",engine\n" +
        "479,TRTLLM-PERF-V0.17,llama-3.1-8b,nvidia-h200-sxm,1,1,1,1,1,fp8,fp8,max-throughput,128,128,,29526.04,c,x,\n" +
        "1,S,m,g,0,1,1,1,1,fp8,fp8,max-throughput,128,128,,5,c,x,\n" +
        "2,S,llama-3.1-8b,nvidia-h100-sxm,1,1,1,1,1,fp8,fp8,max-throughput,128,128,,5,c,x,tgi-2\n" +
        "3,S,llama-3.1-8b,nvidia-h100-sxm,1,1,1,1,1,bf16,bf16,concurrency,128,128,8,500,c,x,vllm\n";

    [Fact]
    public void Validate_MalformedRow_IsReportedWithLineAndField_AndTheRestIsPredicted()
    {
        var files = new Dictionary<string, string> { ["mixed.csv"] = MixedCsv };
        var run = CliRunner.Run(files, "validate", "--data", "mixed.csv");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("mixed.csv:3: gpus must be an integer in [1, 1000000]; was '0'.", run.Console, StringComparison.Ordinal);
        Assert.Contains("mixed.csv:4: engine must be one of", run.Console, StringComparison.Ordinal);
        Assert.Contains("29,526", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Json_CountsRejectedRows_AndCarriesEachRowsEngine()
    {
        var files = new Dictionary<string, string> { ["mixed.csv"] = MixedCsv };
        var run = CliRunner.Run(files, "validate", "--data", "mixed.csv", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var summary = json.RootElement.GetProperty("summary");
        Assert.Equal(2, summary.GetProperty("rows").GetInt32());
        Assert.Equal(2, summary.GetProperty("predicted_rows").GetInt32());
        Assert.Equal(2, summary.GetProperty("rejected_rows").GetInt32());
        var rejected = json.RootElement.GetProperty("rejectedRows");
        Assert.Equal(3, rejected[0].GetProperty("line").GetInt32());
        Assert.Equal("gpus", rejected[0].GetProperty("field").GetString());
        Assert.Equal("engine", rejected[1].GetProperty("field").GetString());
        var rows = json.RootElement.GetProperty("rows");
        Assert.Equal(JsonValueKind.Null, rows[0].GetProperty("engine").ValueKind);
        Assert.Equal("vLLM defaults", rows[1].GetProperty("engine").GetString());
    }

    [Fact]
    public void Calibrate_MalformedRow_ExitsTwoNamingLineAndColumn()
    {
        // Fitting on a file with rows silently dropped would change the fit without saying so: calibrate stays strict.
        var files = new Dictionary<string, string> { ["bad.csv"] = Header + "\n1,S,m,g,0,1,1,1,1,fp8,fp8,max-throughput,128,128,,5,c,x\n" };
        var run = CliRunner.Run(files, "calibrate", "--data", "bad.csv");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("bad.csv:2: gpus must be an integer in [1, 1000000]; was '0'.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownEngine_ExitsTwo()
    {
        var run = CliRunner.Run(Files, "validate", "--data", "runs.csv", "--engine", "tgi");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("engine must be one of trtllm, trtllm-0.17, tensorrt-llm, vllm; was 'tgi'.", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void Calibrate_Json_ReportsFitAndHeldOutErrors()
    {
        // Fitting on two rows of two GPUs: enough to exercise the command end to end (the real fit is in the core tests).
        var run = CliRunner.Run(Files, "calibrate", "--data", "runs.csv", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.True(root.GetProperty("fitted").GetProperty("matmulMfu").GetDouble() is > 0 and <= 1);
        Assert.Equal(4, root.GetProperty("leaveOneGpuOut").GetProperty("rows").GetInt32());
        Assert.True(root.GetProperty("throughputBand").GetProperty("low").GetDouble() > 0);
    }
}
