namespace Infercost.Cli.Plotting;

// A chart is described as data (title, axes, series) and rendered by PlotWriter, so commands never touch ScottPlot
// and a test can check what a command would draw without decoding an image.

/// <summary>A chart to render: title, axis labels and scales, and its series, drawn in order.</summary>
/// <param name="Title">Chart title.</param>
/// <param name="XLabel">Horizontal axis label, with its unit.</param>
/// <param name="YLabel">Vertical axis label, with its unit.</param>
public sealed record PlotSpec(string Title, string XLabel, string YLabel)
{
    /// <summary>Series, drawn in order (later on top).</summary>
    public IReadOnlyList<PlotSeries> Series { get; init; } = [];

    /// <summary>How the horizontal axis is scaled and labelled.</summary>
    public AxisScale XScale { get; init; } = AxisScale.Linear;

    /// <summary>How the vertical axis is scaled and labelled (<see cref="AxisScale.Date"/> is not allowed here).</summary>
    public AxisScale YScale { get; init; } = AxisScale.Linear;

    /// <summary>Image width in pixels, in [200, 4000].</summary>
    public int Width { get; init; } = 960;

    /// <summary>Image height in pixels, in [150, 4000].</summary>
    public int Height { get; init; } = 560;
}

/// <summary>Axis scaling.</summary>
public enum AxisScale
{
    /// <summary>Plain numbers.</summary>
    Linear,

    /// <summary>Logarithmic, base 10: values are plotted as log10 and labelled with the original numbers; values
    /// &lt;= 0 are left out.</summary>
    Log10,

    /// <summary>Dates: X values are <see cref="PlotWriter.DateValue(DateOnly)"/> numbers, labelled as dates.</summary>
    Date,
}

/// <summary>One thing drawn on a chart.</summary>
/// <param name="Label">Legend text; empty keeps it out of the legend.</param>
public abstract record PlotSeries(string Label);

/// <summary>Points joined by a line, optionally with markers.</summary>
/// <param name="Label">Legend text.</param>
/// <param name="X">Horizontal values.</param>
/// <param name="Y">Vertical values, as many as <paramref name="X"/>.</param>
/// <param name="Markers">Draw a marker at each point.</param>
/// <param name="Dashed">Draw the line dashed (projections, references).</param>
public sealed record LineSeries(string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y, bool Markers = false, bool Dashed = false) : PlotSeries(Label);

/// <summary>Markers only, no line.</summary>
/// <param name="Label">Legend text.</param>
/// <param name="X">Horizontal values.</param>
/// <param name="Y">Vertical values, as many as <paramref name="X"/>.</param>
public sealed record PointSeries(string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y) : PlotSeries(Label);

/// <summary>A shaded band between a low and a high curve.</summary>
/// <param name="Label">Legend text.</param>
/// <param name="X">Horizontal values.</param>
/// <param name="Low">Lower edge, as many as <paramref name="X"/>.</param>
/// <param name="High">Upper edge, as many as <paramref name="X"/>.</param>
public sealed record BandSeries(string Label, IReadOnlyList<double> X, IReadOnlyList<double> Low, IReadOnlyList<double> High) : PlotSeries(Label);

/// <summary>Bars spanning [From, To) with a height each: a histogram.</summary>
/// <param name="Label">Legend text.</param>
/// <param name="From">Left edge of each bar.</param>
/// <param name="To">Right edge of each bar.</param>
/// <param name="Height">Height of each bar.</param>
public sealed record BarSeries(string Label, IReadOnlyList<double> From, IReadOnlyList<double> To, IReadOnlyList<double> Height) : PlotSeries(Label);

/// <summary>A reference line across the chart at a fixed value.</summary>
/// <param name="Label">Legend text.</param>
/// <param name="Value">Where the line crosses its axis.</param>
/// <param name="Vertical">True for a vertical line at X = value; false for a horizontal line at Y = value.</param>
public sealed record ReferenceLine(string Label, double Value, bool Vertical = false) : PlotSeries(Label);
