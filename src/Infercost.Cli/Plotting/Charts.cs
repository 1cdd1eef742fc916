using Infercost.Requests;
using Infercost.Economics.PriceCurves;
using Infercost.Economics.Subscriptions;

namespace Infercost.Cli.Plotting;

/// <summary>The charts Infercost's commands draw, as <see cref="PlotSpec"/>s for <see cref="PlotWriter"/>.</summary>
internal static class Charts
{
    /// <summary>Histogram of monthly cost per subscriber (log dollars), with the plan price, the mean and the flat-out subscriber marked.</summary>
    public static PlotSpec CostDistribution(PopulationResult r, string planName)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new PlotSpec($"{planName}: monthly serving cost per subscriber ({r.Subscribers:N0} simulated, seed {r.Seed})",
            "Serving cost per subscriber ($/month, log scale)", "Subscribers")
        {
            XScale = AxisScale.Log10,
            Series =
            [
                new BarSeries("Subscribers", r.Histogram.Select(b => b.From.Value).ToList(), r.Histogram.Select(b => b.To.Value).ToList(),
                    r.Histogram.Select(b => (double)b.Subscribers).ToList()),
                new ReferenceLine($"Plan price ${r.PlanPrice.Value:N0}", r.PlanPrice.Value, Vertical: true),
                new ReferenceLine($"Mean ${r.MeanCost.Value:N2}", r.MeanCost.Value, Vertical: true),
                new ReferenceLine($"Flat-out ${r.MaxedUser.MonthlyCost.Value:N0}", r.MaxedUser.MonthlyCost.Value, Vertical: true),
            ],
        };
    }

    /// <summary>Dated prices (log $/MTok), the running-minimum frontier, the fitted line and the projection with its band.</summary>
    public static PlotSpec PriceCurve(string title, IReadOnlyList<PricePoint> points, IReadOnlyList<PricePoint> frontier, IReadOnlyList<ProjectedPrice> projection, DeclineFit? fit)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(frontier);
        ArgumentNullException.ThrowIfNull(projection);
        var series = new List<PlotSeries>();
        if (projection.Count > 0)
        {
            series.Add(new BandSeries("Band", projection.Select(p => PlotWriter.DateValue(p.Date)).ToList(),
                projection.Select(p => p.Low.Value).ToList(), projection.Select(p => p.High.Value).ToList()));
        }

        var dropped = points.Except(frontier).ToList();
        if (dropped.Count > 0) series.Add(new PointSeries("Above the frontier", Dates(dropped), Prices(dropped)));
        series.Add(new PointSeries("Frontier", Dates(frontier), Prices(frontier)));
        if (fit is not null)
        {
            var ends = new[] { frontier[0].Date, frontier[^1].Date };
            series.Add(new LineSeries($"Fit: {fit.FactorPerYear:G4}x cheaper per year", ends.Select(PlotWriter.DateValue).ToList(),
                ends.Select(fit.FittedPrice).ToList()));
        }

        if (projection.Count > 0)
        {
            series.Add(new LineSeries("Projection", projection.Select(p => PlotWriter.DateValue(p.Date)).ToList(),
                projection.Select(p => p.Central.Value).ToList(), Dashed: true));
        }

        return new PlotSpec(title, "Date", "Price ($/MTok, log scale)") { XScale = AxisScale.Date, YScale = AxisScale.Log10, Series = series };
    }

    /// <summary>Output price and cluster throughput against batch size (both log scales), batches that fit only.</summary>
    public static PlotSpec BatchSweep(SweepReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var fits = report.Rows.Where(r => r is { Fits: true, OutputPerMillion: not null }).ToList();
        return new PlotSpec($"Decode sweep: {report.ModelId} on {report.AcceleratorId} ×{report.TotalDevices}", "Batch per replica (log scale)", "$/MTok output (log scale)")
        {
            XScale = AxisScale.Log10,
            YScale = AxisScale.Log10,
            Series =
            [
                new LineSeries("$/MTok output", fits.Select(r => (double)r.Batch).ToList(), fits.Select(r => r.OutputPerMillion!.Value.Value).ToList(), Markers: true),
            ],
        };
    }

    private static List<double> Dates(IEnumerable<PricePoint> points) => points.Select(p => PlotWriter.DateValue(p.Date)).ToList();

    private static List<double> Prices(IEnumerable<PricePoint> points) => points.Select(p => p.Price.Value).ToList();
}
