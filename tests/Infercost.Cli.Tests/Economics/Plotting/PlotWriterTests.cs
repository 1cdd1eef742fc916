using Infercost.Cli.Plotting;
using SkiaSharp;

namespace Infercost.Cli.Tests.Economics.Plotting;

public sealed class PlotWriterTests
{
    private static readonly PlotSpec Curve = new("Price decline", "Date", "$/MTok")
    {
        XScale = AxisScale.Date,
        YScale = AxisScale.Log10,
        Series =
        [
            new PointSeries("Frontier", [PlotWriter.DateValue(new DateOnly(2021, 11, 20)), PlotWriter.DateValue(new DateOnly(2024, 10, 3))], [60, 0.07]),
            new LineSeries("Fit", [PlotWriter.DateValue(new DateOnly(2021, 11, 20)), PlotWriter.DateValue(new DateOnly(2024, 10, 3))], [55, 0.05]),
            new BandSeries("Band", [1, 2, 3], [1, 1, 1], [2, 2, 2]),
            new ReferenceLine("Zero is dropped on a log axis", 0),
        ],
    };

    [Fact]
    public void Png_IsAValidNonBlankImage()
    {
        // When a chart is rendered to PNG
        var bytes = PlotWriter.Render(Curve, PlotFormat.Png);

        // Then it has the PNG signature and an IHDR with positive width and height
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes.Take(8));
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        var width = (bytes[16] << 24) | (bytes[17] << 16) | (bytes[18] << 8) | bytes[19];
        var height = (bytes[20] << 24) | (bytes[21] << 16) | (bytes[22] << 8) | bytes[23];
        Assert.Equal((960, 560), (width, height));

        // And, decoded, it has many distinct colours (axes, text, series), not a blank canvas
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        Assert.Equal((960, 560), (bitmap.Width, bitmap.Height));
        var colours = new HashSet<SKColor>();
        for (var y = 0; y < bitmap.Height; y += 2)
        {
            for (var x = 0; x < bitmap.Width; x += 2) colours.Add(bitmap.GetPixel(x, y));
        }

        Assert.True(colours.Count > 10, $"only {colours.Count} distinct colours");
    }

    [Fact]
    public void Svg_IsSvgXml()
    {
        var text = System.Text.Encoding.UTF8.GetString(PlotWriter.Render(Curve, PlotFormat.Svg));

        Assert.Contains("<svg", text, StringComparison.Ordinal);
        Assert.Contains("Price decline", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_PicksTheFormatFromTheExtension()
    {
        var dir = Directory.CreateTempSubdirectory("infercost-plot-");
        try
        {
            var png = PlotWriter.Write(Curve, Path.Combine(dir.FullName, "a.PNG"));
            var svg = PlotWriter.Write(Curve, Path.Combine(dir.FullName, "a.svg"));

            Assert.Equal(0x89, File.ReadAllBytes(png)[0]);
            Assert.StartsWith("<", File.ReadAllText(svg).TrimStart(), StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("chart.jpg")]
    [InlineData("chart")]
    [InlineData("chart.png.txt")]
    public void OtherExtensions_AreRejected(string path)
    {
        var ex = Assert.Throws<InvalidInputException>(() => PlotWriter.FormatOf(path));
        Assert.Equal($"plot must be a file ending in .png or .svg; was '{path}'.", ex.Message);
    }

    [Fact]
    public void UnwritablePath_IsInvalidInput()
    {
        var ex = Assert.Throws<InvalidInputException>(() => PlotWriter.Write(Curve, Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "a.png")));
        Assert.StartsWith("cannot write plot file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Histogram_OnALogAxis_Renders()
    {
        var spec = new PlotSpec("Cost per subscriber", "$/month", "Subscribers")
        {
            XScale = AxisScale.Log10,
            Series = [new BarSeries("Subscribers", [0.1, 1, 10], [1, 10, 100], [5, 20, 3]), new ReferenceLine("Price", 20, Vertical: true)],
        };

        using var bitmap = SKBitmap.Decode(PlotWriter.Render(spec, PlotFormat.Png));

        Assert.True(bitmap.Width > 0 && bitmap.Height > 0);
    }

    [Fact]
    public void MismatchedSeriesLengths_AreAProgrammingError() =>
        Assert.Throws<ArgumentException>(() => PlotWriter.Render(new PlotSpec("t", "x", "y") { Series = [new LineSeries("a", [1, 2], [1])] }, PlotFormat.Png));
}
