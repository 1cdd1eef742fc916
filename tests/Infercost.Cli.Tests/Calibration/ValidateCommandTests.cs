using Spectre.Console.Testing;
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
        Assert.Equal("vLLM", rows[1].GetProperty("engine").GetString());
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
    public void Calibrate_SeveralMalformedRows_AreOneLine()
    {
        var files = new Dictionary<string, string> { ["bad.csv"] = Header + "\n1,S,m,g,0,1,1,1,1,fp8,fp8,max-throughput,128,128,,5,c,x\n2,S,m,g,1,1,1,1,1,fp3,fp8,max-throughput,128,128,,5,c,x\n" };

        var run = CliRunner.Run(files, "calibrate", "--data", "bad.csv");

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("2 problems in --data: (1) bad.csv:2: gpus must be an integer in [1, 1000000]; was '0'. (2) bad.csv:3: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownEngine_ExitsTwo()
    {
        var run = CliRunner.Run(Files, "validate", "--data", "runs.csv", "--engine", "tgi");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("--engine must be one of trtllm, trtllm-0.17, tensorrt-llm, trtllm-0.14, trtllm-1, vllm, sglang; was 'tgi'.", Assert.Single(run.ErrorLines));
    }

    // Eighteen real rows (Llama 3.1 8B fp8 on one H100 or H200, TensorRT-LLM 0.17): nine per GPU, more than the seven
    // factors calibrate fits, so every leave-one-GPU-out fold has enough rows.
    private static readonly string Eighteen = Header + "\n" +
        "479,TRTLLM-PERF-V0.17,llama-3.1-8b,nvidia-h200-sxm,1,1,1,1,1,fp8,fp8,max-throughput,128,128,,29526.04,c,x\n" +
        "480,TRTLLM-PERF-V0.17,llama-3.1-8b,nvidia-h100-sxm,1,1,1,1,1,fp8,fp8,max-throughput,128,128,,28836.77,c,x\n" +
        "484,TRTLLM-PERF-V0.17,llama-3.1-8b,nvidia-h200-sxm,1,1,1,1,1,fp8,fp8,max-throughput,128,2048,,25398.86,c,x\n" +
        "485,TRTLLM-PERF-V0.17,llama-3.1-8b,nvidia-h100-sxm,1,1,1,1,1,fp8,fp8,max-throughput,128,2048,,21109.38,c,x\n" +
        "489,TRTLLM-PERF-V0.17,llama-3.1-8b,nvidia-h200-sxm,1,1,1,1,1,fp8,fp8,max-throughput,128,4096,,17370.80,c,x\n" +
        "490,TRTLLM-PERF-V0.17,llama-3.1-8b,nvidia-h100-sxm,1,1,1,1,1,fp8,fp8,max-throughput,128,4096,,13593.65,c,x\n" +
        "494,TRTLLM-PERF-V0.17,llama-3.1-8b,nvidia-h200-sxm,1,1,1,1,1,fp8,fp8,max-throughput,500,2000,,21020.81,c,x\n" +
        "495,TRTLLM-PERF-V0.17,llama-3.1-8b,nvidia-h100-sxm,1,1,1,1,1,fp8,fp8,max-throughput,500,2000,,16500.69,c,x\n" +
        "499,TRTLLM-PERF-V0.17,llama-3.1-8b,nvidia-h200-sxm,1,1,1,1,1,fp8,fp8,max-throughput,1000,1000,,17537.96,c,x\n" +
        "500,TRTLLM-PERF-V0.17,llama-3.1-8b,nvidia-h100-sxm,1,1,1,1,1,fp8,fp8,max-throughput,1000,1000,,15244.78,c,x\n" +
        "504,TRTLLM-PERF-V0.17,llama-3.1-8b,nvidia-h200-sxm,1,1,1,1,1,fp8,fp8,max-throughput,2048,128,,3794.14,c,x\n" +
        "505,TRTLLM-PERF-V0.17,llama-3.1-8b,nvidia-h100-sxm,1,1,1,1,1,fp8,fp8,max-throughput,2048,128,,3556.73,c,x\n" +
        "509,TRTLLM-PERF-V0.17,llama-3.1-8b,nvidia-h200-sxm,1,1,1,1,1,fp8,fp8,max-throughput,2048,2048,,11968.50,c,x\n" +
        "510,TRTLLM-PERF-V0.17,llama-3.1-8b,nvidia-h100-sxm,1,1,1,1,1,fp8,fp8,max-throughput,2048,2048,,9488.42,c,x\n" +
        "514,TRTLLM-PERF-V0.17,llama-3.1-8b,nvidia-h200-sxm,1,1,1,1,1,fp8,fp8,max-throughput,5000,500,,3987.79,c,x\n" +
        "515,TRTLLM-PERF-V0.17,llama-3.1-8b,nvidia-h100-sxm,1,1,1,1,1,fp8,fp8,max-throughput,5000,500,,3559.36,c,x\n" +
        "519,TRTLLM-PERF-V0.17,llama-3.1-8b,nvidia-h200-sxm,1,1,1,1,1,fp8,fp8,max-throughput,20000,2000,,1804.10,c,x\n" +
        "520,TRTLLM-PERF-V0.17,llama-3.1-8b,nvidia-h100-sxm,1,1,1,1,1,fp8,fp8,max-throughput,20000,2000,,1401.31,c,x\n";

    [Fact]
    public void Calibrate_Json_ReportsFitAndHeldOutErrors()
    {
        var run = CliRunner.Run(new Dictionary<string, string> { ["runs.csv"] = Eighteen }, "calibrate", "--data", "runs.csv", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.True(root.GetProperty("fitted").GetProperty("matmulMfu").GetDouble() is > 0 and <= 1);
        Assert.Equal(18, root.GetProperty("leaveOneGpuOut").GetProperty("rows").GetInt32());
        Assert.True(root.GetProperty("throughputBand").GetProperty("low").GetDouble() > 0);
        Assert.DoesNotContain("NaN", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Calibrate_FewerRowsThanFactors_IsRefused()
    {
        // Two predictable rows cannot determine seven factors (issue 9 item 5: one row printed NaN .. NaN)
        var run = CliRunner.Run(Files, "calibrate", "--data", "runs.csv");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("calibration fits 7 factors, so it needs at least 7 rows that can be predicted; was 2. Add measured runs.", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void Validate_HeaderOnlyFile_IsInvalidInput()
    {
        var run = CliRunner.Run(new Dictionary<string, string> { ["empty.csv"] = Header + "\n" }, "validate", "--data", "empty.csv");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("--data empty.csv has a header and no rows; nothing to validate.", Assert.Single(run.ErrorLines));
    }
}

// Issue 9 item 14: validate writes each row as it is predicted, in every format, so its memory does not grow with the
// file. A file generated as it is read notes what had been written out when its last row was reached.
public class ValidateStreamingTests
{
    private const string Header = "id,source,model,accelerator,gpus,tensor_parallel,pipeline_parallel,expert_parallel,attention_data_parallel,weight_precision,kv_precision,scenario,input_tokens,output_tokens,concurrency,measured_output_tokens_per_s,citation";

    [Theory]
    [InlineData("json")]
    [InlineData("csv")]
    [InlineData("markdown")]
    [InlineData("table")]
    public void Validate_WritesTheFirstRow_BeforeTheLastIsRead(string format)
    {
        // Given a file of more rows than validate holds before writing (ids r0, r1, ...), produced only as it is read
        var rows = Infercost.Cli.Commands.ValidateCommand.BlockRows + 200;
        using var console = new TestConsole().Width(220);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        string? writtenBeforeLastRow = null;
        var file = new LineReader(Header, i => $"r{i},S,llama-3.1-8b,nvidia-h100-sxm,1,1,1,1,1,fp8,fp8,max-throughput,128,128,,28836.77,c", rows,
            onLastRow: () => writtenBeforeLastRow = stdout.ToString() + console.Output);
        var context = new CliContext(console, stdout, stderr, _ => throw new InvalidOperationException("read whole")) { OpenFile = _ => file };

        // When it is validated
        var code = CliApp.Run(["validate", "--data", "big.csv", "--format", format], context);

        // Then all rows are written, and the first was out before the last was read
        Assert.Equal(0, code);
        Assert.Contains($"r{rows - 1}", stdout.ToString() + console.Output, StringComparison.Ordinal);
        Assert.NotNull(writtenBeforeLastRow);
        Assert.Contains(format == "json" ? "\"id\": \"r0\"" : "r0", writtenBeforeLastRow, StringComparison.Ordinal);
        Assert.DoesNotContain($"r{rows - 1}", writtenBeforeLastRow, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LongFile_WithABadRow_ListsItAfterTheRows()
    {
        // Given a file longer than validate holds, its third row with gpus 0
        var rows = Infercost.Cli.Commands.ValidateCommand.BlockRows + 5;
        var text = new System.Text.StringBuilder(Header + "\n");
        for (var i = 0; i < rows; i++) text.Append($"r{i},S,llama-3.1-8b,nvidia-h100-sxm,{(i == 2 ? 0 : 1)},1,1,1,1,fp8,fp8,max-throughput,128,128,,28836.77,c\n");

        // When it is validated as CSV
        var run = CliRunner.Run(new Dictionary<string, string> { ["long.csv"] = text.ToString() }, "validate", "--data", "long.csv", "--format", "csv");

        // Then the rows are one CSV table and the bad row is listed after it, with its line
        Assert.Equal(0, run.ExitCode);
        var tables = run.Out.Split("\r\n\r\n");
        Assert.StartsWith("Table,id,model", tables[0], StringComparison.Ordinal);
        Assert.Equal(rows, tables[0].Split("\r\n").Length);
        Assert.StartsWith("Table,line,field,problem\r\nRows not read (1),4,gpus,", tables[1], StringComparison.Ordinal);
    }

    // A CSV produced a line at a time; onLastRow runs when the last row's first character is read.
    private sealed class LineReader(string header, Func<int, string> row, int rows, Action onLastRow) : TextReader
    {
        private string _line = header + "\n";
        private int _position;
        private int _emitted = -1;

        public override int Peek() => Advance() ? _line[_position] : -1;

        public override int Read() => Advance() ? _line[_position++] : -1;

        private bool Advance()
        {
            while (_position >= _line.Length)
            {
                if (_emitted + 1 >= rows) return false;
                _emitted++;
                if (_emitted == rows - 1) onLastRow();
                _line = row(_emitted) + "\n";
                _position = 0;
            }

            return true;
        }
    }
}
