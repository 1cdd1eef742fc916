using System.Text.Json;
using System.Text.RegularExpressions;

namespace Infercost.Cli.Tests.Commands;

public sealed partial class SweepCommandTests
{
    [Fact]
    public void Sweep_GivenBatches_PrintsOneRowPerBatch()
    {
        var run = CliRunner.Run("sweep", "--model", "llama-3.3-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--tp", "4",
            "--batches", "1,2,4,8,16");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["1", "2", "4", "8", "16"], BatchCells(run.Console));
    }

    [Fact]
    public void Sweep_EachRowHasItsBand_AndTheLineSaysWhichBatchesLieOutsideTheCalibratedRegime()
    {
        var (run, doc) = BandedTables.Run("sweep", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "1", "--batches", "1,64");
        using var _ = doc;

        Assert.Contains("P10–P90", run.Console, StringComparison.Ordinal);
        Assert.Contains("extrapolating: vLLM, decode batch outside the calibrated 9–2048 at batch 1;", run.Console, StringComparison.Ordinal);
        var rows = doc.RootElement.GetProperty("rows");
        foreach (var row in rows.EnumerateArray())
        {
            var band = row.GetProperty("bands").GetProperty("clusterDecodeTokensPerSecond");
            var cluster = row.GetProperty("clusterOutputTokensPerSecond").GetDouble();
            Assert.True(band.GetProperty("p10").GetDouble() < cluster && cluster < band.GetProperty("p90").GetDouble());
            // The printed range is the JSON's.
            BandedTables.ShowsRange(run.Console, band.GetProperty("p10").GetDouble(), band.GetProperty("p90").GetDouble());
        }

        Assert.Equal("batchRegime", rows[0].GetProperty("extrapolating")[1].GetProperty("dimension").GetString());
    }

    [Fact]
    public void Sweep_BatchThatDoesNotFit_IsARowNotAnError()
    {
        var run = CliRunner.Run("sweep", "--model", "llama-3.3-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "2", "--tp", "2",
            "--batches", "1,4096");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["1", "4,096"], BatchCells(run.Console));
        Assert.Matches(@"│\s+4,096 │ does not fit", run.Console);
    }

    [Fact]
    public void Sweep_Default_IsPowersOfTwoUpToTheLargestBatchThatFits()
    {
        var run = CliRunner.Run("sweep", "--model", "llama-3.3-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "4", "--tp", "4", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var max = json.RootElement.GetProperty("maxBatch").GetInt32();
        var batches = json.RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("batch").GetInt32()).ToList();
        var expected = Enumerable.Range(0, 31).Select(i => 1 << i).TakeWhile(b => b <= max).ToList();
        if (expected[^1] != max) expected.Add(max);
        Assert.Equal(expected, batches);
        Assert.All(json.RootElement.GetProperty("rows").EnumerateArray(), r => Assert.True(r.GetProperty("fits").GetBoolean()));
    }

    [Fact]
    public void Sweep_LargerBatch_NeverRaisesTheOutputPrice()
    {
        // Memory-bound decode: a bigger batch shares each weight read among more tokens.
        var run = CliRunner.Run("sweep", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "1", "--batches", "1,4,16,64", "--json");

        using var json = JsonDocument.Parse(run.Out);
        var prices = json.RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("outputPerMillion").GetDouble()).ToList();
        Assert.Equal(prices.OrderByDescending(p => p), prices);
    }

    // The first cell of each data row: "│   1,024 │ ..." (header and border lines do not start with a number).
    private static List<string> BatchCells(string console) =>
        [.. console.Split('\n').Select(line => DataRow().Match(line)).Where(m => m.Success).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"^│\s+([\d,]+) │")]
    private static partial Regex DataRow();
}
