using SkiaSharp;

namespace Infercost.Cli.Tests.Economics.Plotting;

// --plot on the commands that draw: each writes a decodable, non-blank image and says where.
public sealed class CommandPlotTests
{
    [Theory]
    [InlineData("sweep --model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 8 --tp 4")]
    [InlineData("subscription population --plan max-20x --users 5000 --seed 3")]
    [InlineData("price-curve --factor 10 --from-price 60 --years 3 --from-date 2021-11-20 --slow-factor 5 --fast-factor 40")]
    public void Plot_WritesANonBlankPng(string command)
    {
        var args = command.Split(' ');
        var path = Path.Combine(Path.GetTempPath(), $"infercost-{Guid.NewGuid():N}.png");
        try
        {
            var run = CliRunner.Run([.. args, "--plot", path]);

            Assert.Equal(0, run.ExitCode);
            Assert.Contains("Plot written to", run.Console, StringComparison.Ordinal);
            using var bitmap = SKBitmap.Decode(path);
            Assert.True(bitmap.Width > 0 && bitmap.Height > 0);
            Assert.True(bitmap.Pixels.Distinct().Take(3).Count() > 1);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Plot_WithJson_KeepsStdoutPureJson()
    {
        var path = Path.Combine(Path.GetTempPath(), $"infercost-{Guid.NewGuid():N}.svg");
        try
        {
            var run = CliRunner.Run("sweep", "--model", "llama-3.3-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--tp", "4", "--json", "--plot", path);

            Assert.Equal(0, run.ExitCode);
            using var json = System.Text.Json.JsonDocument.Parse(run.Out);
            Assert.Contains("<svg", File.ReadAllText(path), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Plot_BadExtension_IsOneLine_ExitTwo()
    {
        var run = CliRunner.Run("sweep", "--model", "llama-3.3-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--plot", "out.gif");

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains("plot must be a file ending in .png or .svg; was 'out.gif'.", run.Error, StringComparison.Ordinal);
    }
}
