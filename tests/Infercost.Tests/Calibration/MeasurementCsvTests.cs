using Infercost.Calibration;
using Xunit;

namespace Infercost.Tests.Calibration;

public class MeasurementCsvTests
{
    private const string Header = "id,source,model,accelerator,gpus,tensor_parallel,pipeline_parallel,expert_parallel,attention_data_parallel,weight_precision,kv_precision,scenario,input_tokens,output_tokens,concurrency,measured_output_tokens_per_s,citation";

    [Fact]
    public void Parse_CalibrationFile_ReadsEveryRow()
    {
        // Given the shipped calibration file (338 runs, see shared/calibration/README.md)
        // When it is parsed
        var rows = CalibrationData.Rows;

        // Then every row is read with its figures intact
        Assert.Equal(338, rows.Count);
        var first = rows[0];
        Assert.Equal("479", first.Id);
        Assert.Equal("llama-3.1-8b", first.ModelId);
        Assert.Equal(Precision.Fp8, first.WeightPrecision);
        Assert.Equal(LoadScenario.MaxThroughput, first.Scenario);
        Assert.Equal(29526.04, first.MeasuredOutputTokensPerSecond);
    }

    [Fact]
    public void Parse_ExtraColumnsAndQuotedCommas_AreHandled()
    {
        var csv = Header + ",extra\n1,S,llama-3.1-8b,nvidia-h100-sxm,1,1,1,1,1,fp8,fp8,concurrency,128,128,16,1000.5,\"a, quoted \"\"citation\"\"\",ignored\n";
        var row = Assert.Single(MeasurementCsv.Parse(csv, "t.csv"));
        Assert.Equal(16, row.Concurrency);
        Assert.Equal(LoadScenario.Concurrency, row.Scenario);
        Assert.Equal("a, quoted \"citation\"", row.Citation);
    }

    [Fact]
    public void Parse_BadValues_ReportsEveryProblemWithLineAndColumn()
    {
        var csv = Header + "\n1,S,m,g,0,1,1,1,1,fp3,fp8,max-throughput,128,128,,NaN,c\n2,S,m,g,1,1,1,1,1,fp8,fp8,burst,128,128,,5,c\n";
        var ex = Assert.Throws<InvalidInputException>(() => MeasurementCsv.Parse(csv, "t.csv"));
        Assert.Contains("t.csv:2: gpus must be an integer in [1, 1000000]; was '0'.", ex.Message);
        Assert.Contains("t.csv:2: weight_precision must be one of", ex.Message);
        Assert.Contains("t.csv:2: measured_output_tokens_per_s must be a number > 0; was 'NaN'.", ex.Message);
        Assert.Contains("t.csv:3: scenario must be max-throughput or concurrency; was 'burst'.", ex.Message);
    }

    [Fact]
    public void Parse_MissingColumn_NamesIt()
    {
        var ex = Assert.Throws<InvalidInputException>(() => MeasurementCsv.Parse("id,source\n1,S\n", "t.csv"));
        Assert.Contains("missing column(s) model, accelerator", ex.Message);
    }

    [Fact]
    public void Parse_ConcurrencyScenarioWithoutConcurrency_IsAnError()
    {
        var csv = Header + "\n1,S,m,g,1,1,1,1,1,fp8,fp8,concurrency,128,128,,5,c\n";
        var ex = Assert.Throws<InvalidInputException>(() => MeasurementCsv.Parse(csv, "t.csv"));
        Assert.Contains("concurrency is required for scenario concurrency", ex.Message);
    }

    [Theory]
    [InlineData("bf16", Precision.Bf16)]
    [InlineData("BF16", Precision.Bf16)]
    [InlineData("bfloat16", Precision.Bf16)]
    [InlineData("fp16", Precision.Fp16)]
    [InlineData("nvfp4", Precision.Fp4)]
    [InlineData("mxfp4", Precision.Fp4)]
    [InlineData("int4", Precision.Int4)]
    [InlineData("int8", Precision.Int8)]
    [InlineData("fp8", Precision.Fp8)]
    public void Read_EveryPrecisionTheCliAccepts_InBothPrecisionColumns(string text, Precision expected)
    {
        var csv = Header + $"\n1,S,m,g,1,1,1,1,1,{text},{text},max-throughput,128,128,,5,c\n";
        var row = Assert.Single(MeasurementCsv.Read(csv, "t.csv").Rows);
        Assert.Equal(expected, row.WeightPrecision);
        Assert.Equal(expected, row.KvPrecision);
    }

    [Fact]
    public void Read_BadRow_IsReportedWithLineAndField_AndTheOthersAreKept()
    {
        var csv = Header + "\n1,S,m,g,1,1,1,1,1,fp8,fp8,max-throughput,128,128,,5,c\n2,S,m,g,1,1,1,1,1,fp3,fp8,max-throughput,128,128,,5,c\n3,S,m,g,1,1,1,1,1,fp8,fp8,max-throughput,128,128,,7,c\n";
        var file = MeasurementCsv.Read(csv, "t.csv");
        Assert.Equal(["1", "3"], file.Rows.Select(r => r.Id));
        var problem = Assert.Single(file.Problems);
        Assert.Equal(3, problem.Line);
        Assert.Equal("weight_precision", problem.Field);
        Assert.Equal(1, file.RejectedRows);
    }

    [Fact]
    public void Read_EngineColumn_NamesTheRowsEngine()
    {
        var csv = Header + ",engine\n1,S,m,g,1,1,1,1,1,fp8,fp8,max-throughput,128,128,,5,c,vllm\n2,S,m,g,1,1,1,1,1,fp8,fp8,max-throughput,128,128,,5,c,\n";
        var rows = MeasurementCsv.Read(csv, "t.csv").Rows;
        Assert.Same(ServingSoftware.Vllm, rows[0].Engine);
        Assert.Null(rows[1].Engine);
    }
}
