using SkiaSharp;

namespace Infercost.Cli.Tests.Economics.Plotting;

// margin --plot: gross margin against the cost multiplier, one line per utilisation, from the sensitivity grid.
public sealed class MarginPlotTests
{
    private static readonly string[] Margin = ["margin", "--price-model", "claude-sonnet-4.5", "--cost-in", "0.01", "--cost-out", "3"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Plot_WritesANonBlankPng(bool withProfile)
    {
        var path = Path.Combine(Path.GetTempPath(), $"infercost-{Guid.NewGuid():N}.png");
        try
        {
            // When margin is asked for a plot (output margin, or blended with a workload)
            string[] args = withProfile ? [.. Margin, "--profile", "chat", "--plot", path] : [.. Margin, "--plot", path];
            var run = CliRunner.Run(args);

            // Then it succeeds and says where the plot went
            Assert.Equal(0, run.ExitCode);
            Assert.Contains("Plot written to", run.Console, StringComparison.Ordinal);

            // And the PNG decodes, is non-blank and has several distinct colours (axes, text, one line per utilisation)
            using var bitmap = SKBitmap.Decode(path);
            Assert.NotNull(bitmap);
            Assert.Equal((960, 560), (bitmap.Width, bitmap.Height));
            var colours = new HashSet<SKColor>();
            for (var y = 0; y < bitmap.Height; y += 2)
            {
                for (var x = 0; x < bitmap.Width; x += 2) colours.Add(bitmap.GetPixel(x, y));
            }

            Assert.True(colours.Count > 10, $"only {colours.Count} distinct colours");
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
            var run = CliRunner.Run([.. Margin, "--json", "--plot", path]);

            Assert.Equal(0, run.ExitCode);
            using var json = System.Text.Json.JsonDocument.Parse(run.Out);
            Assert.DoesNotContain("Plot written to", run.Out, StringComparison.Ordinal);
            var svg = File.ReadAllText(path);
            Assert.Contains("<svg", svg, StringComparison.Ordinal);
            Assert.Contains("Break-even", svg, StringComparison.Ordinal);
            Assert.Contains("Utilisation 30.0%", svg, StringComparison.Ordinal);
            Assert.Contains("Utilisation 100.0%", svg, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Plot_BadExtension_IsOneLine_ExitTwo()
    {
        var run = CliRunner.Run([.. Margin, "--plot", "margin.gif"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains("plot must be a file ending in .png or .svg; was 'margin.gif'.", run.Error, StringComparison.Ordinal);
    }
}
