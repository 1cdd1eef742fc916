using System.Text.Json;

namespace Infercost.Cli.Tests.Commands;

public sealed class SpeculateCommandTests
{
    [Fact]
    public void DeepSeekMtp_PrintsSpeedUpAndUtilisationPerBatch()
    {
        var run = CliRunner.Run("speculate", "--model", "deepseek-v3", "--gpu", "nvidia-h100-sxm", "--gpus", "16", "--batches", "1,128");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("1.85 tokens per step", run.Console, StringComparison.Ordinal);
        Assert.Contains("Speed-up", run.Console, StringComparison.Ordinal);
        Assert.Contains("MTP modules are modelled as 1 block(s)", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_CarriesEveryRow()
    {
        var run = CliRunner.Run("speculate", "--model", "llama-3.3-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "4", "--draft-model", "llama-3.1-8b", "--spec-length", "3",
            "--spec-acceptance", "0.8,0.7,0.6", "--batches", "1,64,100000", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var rows = json.RootElement.GetProperty("rows");
        Assert.Equal(3, rows.GetArrayLength());
        var first = rows[0].GetProperty("step").GetProperty("speedUp").GetDouble();
        var second = rows[1].GetProperty("step").GetProperty("speedUp").GetDouble();
        Assert.True(first > second);
        Assert.False(rows[2].GetProperty("fits").GetBoolean());
    }

    [Fact]
    public void EachRow_HasTheBandOfItsSpeculativeThroughput()
    {
        var (run, doc) = BandedTables.Run("speculate", "--model", "llama-3.3-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "4", "--draft-model", "llama-3.1-8b",
            "--spec-length", "3", "--spec-acceptance", "0.8,0.7,0.6", "--batches", "1,64");
        using var _ = doc;

        Assert.Contains("spec P10–P90", run.Console, StringComparison.Ordinal);
        Assert.Contains("decode batch outside the calibrated 9–2048 at batch 1;", run.Console, StringComparison.Ordinal);
        foreach (var row in doc.RootElement.GetProperty("rows").EnumerateArray())
        {
            var (tps, speed, band) = (row.GetProperty("step").GetProperty("tokensPerSecond").GetDouble(), row.GetProperty("speed"), row.GetProperty("tokensPerSecond"));
            Assert.Equal(tps * speed.GetProperty("low").GetDouble(), band.GetProperty("p10").GetDouble(), 1e-9 * tps);
            Assert.Equal(tps * speed.GetProperty("high").GetDouble(), band.GetProperty("p90").GetDouble(), 1e-9 * tps);
            BandedTables.ShowsRange(run.Console, band.GetProperty("p10").GetDouble(), band.GetProperty("p90").GetDouble());
        }

        // Batch 1 lies outside the calibrated decode batches, so its band is the wider.
        var rows = doc.RootElement.GetProperty("rows");
        Assert.True(rows[0].GetProperty("speed").GetProperty("low").GetDouble() < rows[1].GetProperty("speed").GetProperty("low").GetDouble());
    }

    [Theory]
    [InlineData("spec-acceptance must be rates in [0, 1], comma-separated; was '0.8,2'.", "--spec-acceptance", "0.8,2")]
    [InlineData("spec-length must be in [1, 16]; was 0.", "--spec-length", "0")]
    [InlineData("--draft-model is required when --spec-method is draft.", "--spec-method", "draft")]
    [InlineData("spec-method must be mtp, draft, medusa or eagle; was 'hydra'.", "--spec-method", "hydra")]
    public void BadInput_IsOneLine_ExitTwo(string message, params string[] extra)
    {
        var run = CliRunner.Run(["speculate", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "1", .. extra]);

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }
}
