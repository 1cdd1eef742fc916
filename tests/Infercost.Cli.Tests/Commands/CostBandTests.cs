using System.Text.Json;

namespace Infercost.Cli.Tests.Commands;

public class CostBandTests
{
    private static readonly string[] Base = ["cost", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "1"];

    private static JsonElement Bands(params string[] extra)
    {
        var run = CliRunner.Run([.. Base, .. extra, "--json"]);
        Assert.Equal(0, run.ExitCode);
        return JsonDocument.Parse(run.Out).RootElement.GetProperty("bands").Clone();
    }

    [Fact]
    public void Cost_Json_CarriesP10P90AroundTheCentralEstimate()
    {
        var bands = Bands();
        foreach (var name in new[] { "clusterDecodeTokensPerSecond", "outputPerMillion", "inputPerMillion", "perRequest" })
        {
            var b = bands.GetProperty(name);
            Assert.True(b.GetProperty("p10").GetDouble() < b.GetProperty("value").GetDouble(), name);
            Assert.True(b.GetProperty("p90").GetDouble() > b.GetProperty("value").GetDouble(), name);
        }
    }

    [Fact]
    public void Cost_PriceRange_WidensThePriceBandButNotTheThroughputBand()
    {
        var point = Bands("--gpu-price", "2.5");
        var range = Bands("--gpu-price", "1.5..3.5");

        // The central estimate uses the midpoint, so the centres agree
        Assert.Equal(point.GetProperty("outputPerMillion").GetProperty("value").GetDouble(),
            range.GetProperty("outputPerMillion").GetProperty("value").GetDouble(), 9);
        // The price band spans 1.5 to 3.5 $/GPU-h on top of the model error
        var ratio = range.GetProperty("outputPerMillion").GetProperty("p90").GetDouble() / point.GetProperty("outputPerMillion").GetProperty("p90").GetDouble();
        Assert.Equal(3.5 / 2.5, ratio, 9);
        Assert.Equal(point.GetProperty("clusterDecodeTokensPerSecond").GetProperty("p10").GetDouble(),
            range.GetProperty("clusterDecodeTokensPerSecond").GetProperty("p10").GetDouble(), 9);
    }

    [Fact]
    public void Cost_Table_PrintsTheBands()
    {
        var run = CliRunner.Run([.. Base, "--utilisation", "0.4..0.8"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("[P10-P90 $", run.Console, StringComparison.Ordinal);
        Assert.Contains("prices also span the given input ranges", run.Console, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3.5..1.5", "--gpu-price range must run from low to high; was '3.5..1.5'.")]
    [InlineData("1..2..3", "--gpu-price must be a number or a range LOW..HIGH; was '1..2..3'.")]
    [InlineData("-1..2", "--gpu-price must be in [0, 10000]; was -1.")]
    public void Cost_BadRange_ExitsTwoWithOneLine(string value, string message)
    {
        var run = CliRunner.Run([.. Base, "--gpu-price", value]);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(message, Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }
}

public class CoreFieldMessageTests
{
    [Fact]
    public void LayoutError_NamesTheFlagNotTheCoreField()
    {
        var run = CliRunner.Run("cost", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--tp", "3");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("--tp must divide llama-3.1-8b's 32 attention heads; was 3.", Assert.Single(run.ErrorLines));
    }
}
