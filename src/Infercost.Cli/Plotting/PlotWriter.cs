using ScottPlot;

namespace Infercost.Cli.Plotting;

// Headless ScottPlot (SkiaSharp) rendering. Log axes are done the ScottPlot 5 way: plot log10 of the data and label
// the ticks with 10^tick, with log-spaced minor ticks.

/// <summary>Renders a <see cref="PlotSpec"/> to PNG or SVG.</summary>
/// <remarks>Use from a command: <c>var path = parse.GetValue(plot); if (path is not null) PlotWriter.Write(spec, path);</c>
/// with the option from <see cref="PlotOptions.Plot"/>. The format follows the file extension.</remarks>
public static class PlotWriter
{
    /// <summary>The number a date is plotted at on an <see cref="AxisScale.Date"/> axis (an OLE automation date).</summary>
    public static double DateValue(DateOnly date) => date.ToDateTime(TimeOnly.MinValue).ToOADate();

    /// <summary>The format a path asks for, from its extension (<c>.png</c> or <c>.svg</c>, any case).</summary>
    /// <exception cref="InvalidInputException">Any other extension.</exception>
    public static PlotFormat FormatOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".png" => PlotFormat.Png,
            ".svg" => PlotFormat.Svg,
            _ => throw new InvalidInputException("plot", $"plot must be a file ending in .png or .svg; was '{path}'."),
        };
    }

    /// <summary>Renders <paramref name="spec"/> and writes it to <paramref name="path"/>, format from the extension.</summary>
    /// <returns>The full path written.</returns>
    /// <exception cref="InvalidInputException">Bad extension, or the file cannot be written.</exception>
    public static string Write(PlotSpec spec, string path)
    {
        var bytes = Render(spec, FormatOf(path));
        try
        {
            File.WriteAllBytes(path, bytes);
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidInputException("plot", $"cannot write plot file '{path}': {e.Message}");
        }
    }

    /// <summary>Renders <paramref name="spec"/> to the bytes of a PNG or SVG file.</summary>
    public static byte[] Render(PlotSpec spec, PlotFormat format)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Guard.InRange(spec.Width, 200, 4000, "plotWidth");
        Guard.InRange(spec.Height, 150, 4000, "plotHeight");
        if (spec.YScale == AxisScale.Date) throw new InvalidInputException("plot", "plot's vertical axis cannot be a date axis.");
        using var plot = Build(spec);
        return format == PlotFormat.Png
            ? plot.GetImageBytes(spec.Width, spec.Height, ImageFormat.Png)
            : System.Text.Encoding.UTF8.GetBytes(plot.GetSvgXml(spec.Width, spec.Height));
    }

    private static Plot Build(PlotSpec spec)
    {
        var plot = new Plot();
        plot.Title(spec.Title);
        plot.XLabel(spec.XLabel);
        plot.YLabel(spec.YLabel);
        var palette = new ScottPlot.Palettes.Category10();
        var colourIndex = 0;
        var anyLegend = false;
        foreach (var series in spec.Series)
        {
            var colour = palette.GetColor(colourIndex++);
            anyLegend |= series.Label.Length > 0;
            switch (series)
            {
                case LineSeries line:
                {
                    var (xs, ys) = Points(spec, line.X, line.Y);
                    var s = plot.Add.Scatter(xs, ys, colour);
                    s.LegendText = line.Label;
                    s.LineWidth = 2;
                    s.MarkerSize = line.Markers ? 6 : 0;
                    if (line.Dashed) s.LinePattern = LinePattern.Dashed;
                    break;
                }

                case PointSeries points:
                {
                    var (xs, ys) = Points(spec, points.X, points.Y);
                    var s = plot.Add.Scatter(xs, ys, colour);
                    s.LegendText = points.Label;
                    s.LineWidth = 0;
                    s.MarkerSize = 8;
                    break;
                }

                case BandSeries band:
                {
                    var (xs, lows, highs) = Band(spec, band);
                    var fill = plot.Add.FillY(xs, lows, highs);
                    fill.FillColor = colour.WithAlpha(0.25);
                    fill.LineColor = colour.WithAlpha(0.5);
                    fill.LegendText = band.Label;
                    break;
                }

                case BarSeries bars:
                {
                    var list = Bars(spec, bars, colour);
                    var b = plot.Add.Bars(list);
                    b.LegendText = bars.Label;
                    break;
                }

                case ReferenceLine reference:
                {
                    var scale = reference.Vertical ? spec.XScale : spec.YScale;
                    if (scale == AxisScale.Log10 && !(reference.Value > 0)) break;
                    var at = scale == AxisScale.Log10 ? Math.Log10(reference.Value) : reference.Value;
                    if (reference.Vertical)
                    {
                        var v = plot.Add.VerticalLine(at, 1.5f, colour, LinePattern.Dashed);
                        v.LegendText = reference.Label;
                    }
                    else
                    {
                        var h = plot.Add.HorizontalLine(at, 1.5f, colour, LinePattern.Dashed);
                        h.LegendText = reference.Label;
                    }

                    break;
                }

                default:
                    throw new ArgumentException($"unknown plot series type {series.GetType().Name}.", nameof(spec));
            }
        }

        if (spec.XScale == AxisScale.Date)
        {
            plot.Axes.DateTimeTicksBottom();
            plot.XLabel(spec.XLabel); // the date axis replaces the bottom axis and its label
        }

        if (spec.XScale == AxisScale.Log10) plot.Axes.Bottom.TickGenerator = LogTicks();
        if (spec.YScale == AxisScale.Log10) plot.Axes.Left.TickGenerator = LogTicks();
        if (spec.Series.Any(s => s is BarSeries)) plot.Axes.Margins(bottom: 0);
        if (anyLegend) plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static ScottPlot.TickGenerators.NumericAutomatic LogTicks() => new()
    {
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = v => Label(Math.Pow(10, v)),
    };

    private static string Label(double value) => value switch
    {
        >= 1e6 or < 1e-3 => value.ToString("0.#e0", System.Globalization.CultureInfo.InvariantCulture),
        >= 1 => value.ToString("#,0.##", System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static (double[] X, double[] Y) Points(PlotSpec spec, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        SameLength(x.Count, y.Count);
        var xs = new List<double>(x.Count);
        var ys = new List<double>(y.Count);
        for (var i = 0; i < x.Count; i++)
        {
            if (!Plottable(spec.XScale, x[i]) || !Plottable(spec.YScale, y[i])) continue;
            xs.Add(Transform(spec.XScale, x[i]));
            ys.Add(Transform(spec.YScale, y[i]));
        }

        return ([.. xs], [.. ys]);
    }

    private static (double[] X, double[] Low, double[] High) Band(PlotSpec spec, BandSeries band)
    {
        SameLength(band.X.Count, band.Low.Count);
        SameLength(band.X.Count, band.High.Count);
        var keep = Enumerable.Range(0, band.X.Count)
            .Where(i => Plottable(spec.XScale, band.X[i]) && Plottable(spec.YScale, band.Low[i]) && Plottable(spec.YScale, band.High[i]))
            .ToList();
        return (keep.Select(i => Transform(spec.XScale, band.X[i])).ToArray(),
                keep.Select(i => Transform(spec.YScale, band.Low[i])).ToArray(),
                keep.Select(i => Transform(spec.YScale, band.High[i])).ToArray());
    }

    private static List<Bar> Bars(PlotSpec spec, BarSeries bars, Color colour)
    {
        SameLength(bars.From.Count, bars.To.Count);
        SameLength(bars.From.Count, bars.Height.Count);
        var list = new List<Bar>(bars.From.Count);
        for (var i = 0; i < bars.From.Count; i++)
        {
            if (!Plottable(spec.XScale, bars.From[i]) || !Plottable(spec.XScale, bars.To[i]) || !Plottable(spec.YScale, bars.Height[i])) continue;
            var from = Transform(spec.XScale, bars.From[i]);
            var to = Transform(spec.XScale, bars.To[i]);
            list.Add(new Bar
            {
                Position = (from + to) / 2,
                Size = Math.Abs(to - from),
                Value = Transform(spec.YScale, bars.Height[i]),
                FillColor = colour,
                LineWidth = 0,
            });
        }

        return list;
    }

    private static bool Plottable(AxisScale scale, double value) =>
        double.IsFinite(value) && (scale != AxisScale.Log10 || value > 0);

    private static double Transform(AxisScale scale, double value) => scale == AxisScale.Log10 ? Math.Log10(value) : value;

    private static void SameLength(int a, int b)
    {
        if (a != b) throw new ArgumentException($"plot series must have matching lengths; were {a} and {b}.");
    }
}

/// <summary>Image formats <see cref="PlotWriter"/> writes.</summary>
public enum PlotFormat
{
    /// <summary>Portable Network Graphics (raster).</summary>
    Png,

    /// <summary>Scalable Vector Graphics.</summary>
    Svg,
}
