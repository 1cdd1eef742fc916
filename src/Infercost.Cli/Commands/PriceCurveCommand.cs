using System.CommandLine;
using System.Globalization;
using Infercost.Cli.Inputs;
using Infercost.Cli.Plotting;
using Infercost.Cli.Rendering;
using Infercost.Economics.PriceCurves;
using Infercost.Economics.Prices;
using Infercost.Requests;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost price-curve</c>: how fast prices fall, from dated prices (Epoch's estimator) or a constant
/// factor per year (a16z), and where that takes them.</summary>
internal static class PriceCurveCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var points = new Option<string?>("--points")
        {
            Description = "CSV of dated prices: date,price[,label] per line (ISO dates, $/MTok; a header line and # comments are allowed).",
            HelpName = "FILE.csv",
        };
        var model = new Option<string?>("--model")
        {
            Description = "Fit the dated price history of this price-catalog model instead of a file (see 'infercost prices').",
            HelpName = "ID",
        };
        var kind = new Option<string>("--price-kind")
        {
            Description = "With --model: which price to fit: blended (Epoch's 3 input : 1 output), input or output. Default: blended.",
            HelpName = "blended|input|output",
            DefaultValueFactory = _ => "blended",
        };
        kind.AcceptOnlyFromAmong("blended", "input", "output");
        var factor = CliOptions.OptionalDouble(PriceCurveRequest.FactorField, "Constant mode: prices fall this many times per year (a16z: 10).", "X");
        var fromPrice = CliOptions.OptionalDouble(PriceCurveRequest.FromPriceField, "Constant mode: starting price per million tokens.", "$/MTok");
        var years = CliOptions.OptionalDouble(PriceCurveRequest.YearsField, "Constant mode: years to project. Default: 3.", "YEARS");
        var fromDate = new Option<string?>("--from-date")
        {
            Description = "Constant mode: date of the starting price (yyyy-MM-dd). Default: today.",
            HelpName = "DATE",
        };
        var slow = CliOptions.OptionalDouble(PriceCurveRequest.SlowFactorField, "Constant mode: slowest factor per year for the band (its high price), e.g. Epoch's slowest 9.24.", "X");
        var fast = CliOptions.OptionalDouble(PriceCurveRequest.FastFactorField, "Constant mode: fastest factor per year for the band (its low price), e.g. Epoch's fastest 851.", "X");
        var projectYears = CliOptions.Double(PriceCurveRequest.ProjectYearsField, "Fit mode: years to project past the last frontier point.", "YEARS", 2);
        var sigmas = CliOptions.Double(PriceCurveRequest.BandSigmasField, "Fit mode: the band spans the slope ± this many standard errors.", "K", 1);
        var allPoints = new Option<bool>("--all-points")
        {
            Description = "Fit mode: fit every point, not only the running-minimum frontier (points cheaper than every earlier one).",
        };
        var plot = PlotOptions.Plot("the prices, the fitted line and the projection");
        var json = CommonOptions.Json();
        var command = new Command("price-curve",
            "Price decline rates. Fit mode (--points or --model): Epoch AI's estimator — running-minimum frontier in date " +
            "order, OLS of log10(price) on the day number, factor per year = 10^(−365 × slope) — projected forward with a " +
            "band from the slope's standard error. Constant mode (--factor): price ÷ factor^years (a16z's 10x per year)." +
            "\n\nExample:\n  infercost price-curve --points examples/price-points.csv --project-years 2 --plot curve.png" +
            "\n  infercost price-curve --model gpt-3.5-turbo\n  infercost price-curve --factor 10 --from-price 60 --years 3");
        foreach (var option in new Option[] { points, model, kind, factor, fromPrice, years, fromDate, slow, fast, projectYears, sigmas, allPoints, plot, json })
            command.Options.Add(option);

        command.SetAction(parse =>
        {
            var file = parse.GetValue(points);
            var request = new PriceCurveRequest
            {
                Points = file is null ? null : context.ReadText(file, "points"),
                Model = parse.GetValue(model),
                PriceKind = parse.GetValue(kind)!,
                Factor = parse.GetValue(factor),
                FromPrice = parse.GetValue(fromPrice),
                Years = parse.GetValue(years),
                FromDate = parse.GetValue(fromDate),
                SlowFactor = parse.GetValue(slow),
                FastFactor = parse.GetValue(fast),
                ProjectYears = parse.GetValue(projectYears),
                BandSigmas = parse.GetValue(sigmas),
                AllPoints = parse.GetValue(allPoints),
            };
            request.Validate();
            var report = request.Answer(DateOnly.FromDateTime(DateTime.UtcNow), file is null ? null : Path.GetFileName(file), PriceCatalog.Embedded);
            var plotPath = parse.GetValue(plot) is { } path ? PlotWriter.Write(Chart(report), path) : null;
            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(report);
                return ExitCodes.Ok;
            }

            Render(context.Console, report, parse.GetValue(factor) is null ? null : (parse.GetValue(slow), parse.GetValue(fast)));
            if (plotPath is not null) context.Console.WriteLine("Plot written to " + plotPath);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static PlotSpec Chart(PriceCurveReport r)
    {
        if (r.Fit is { } fit)
            return Charts.PriceCurve($"Price decline: {r.Source}", r.Points, fit.Frontier, r.Projection, fit);
        var start = r.Projection[0];
        var origin = new PricePoint(start.Date, start.Central, "start");
        return Charts.PriceCurve($"Constant decline: {Factor(r.FactorPerYear)} per year from {Money(start.Central)}", [origin], [origin], r.Projection, null);
    }

    private static void Render(IAnsiConsole console, PriceCurveReport r, (double? Slow, double? Fast)? band)
    {
        if (r.Fit is { } fit)
        {
            var grid = KeyValueTable.Grid($"Dated prices: {r.Source}", "Date", "$/MTok", "Label", "Frontier");
            grid.Columns[1].RightAligned();
            var kept = fit.Frontier.ToHashSet();
            foreach (var p in r.Points.OrderBy(p => p.Date))
                grid.AddTextRow(Date(p.Date), Money(p.Price), p.Label ?? "", kept.Contains(p) ? "yes" : "no (not cheaper than an earlier point)");
            console.Write(grid);

            var halving = fit.SlopeLog10PerDay < 0 ? Math.Log10(2) / -fit.SlopeLog10PerDay : (double?)null;
            console.Write(KeyValueTable.Create("Decline fit (Epoch AI estimator)",
            [
                ("Points fitted", $"{fit.Frontier.Count} of {fit.Input.Count}"),
                ("Slope", $"{fit.SlopeLog10PerDay.ToString("G6", CultureInfo.InvariantCulture)} log10($/MTok) per day"),
                ("Slope standard error", fit.SlopeStandardError is { } se ? se.ToString("G3", CultureInfo.InvariantCulture) : "n/a (two points)"),
                ("R²", fit.RSquared is { } r2 ? r2.ToString("F3", CultureInfo.InvariantCulture) : "n/a"),
                ("Factor per year", $"{fit.FactorPerYear.ToString("G6", CultureInfo.InvariantCulture)}x cheaper per year (10^(−365 × slope))"),
                ("Band", $"{Factor(fit.SlowFactorPerYear)} to {Factor(fit.FastFactorPerYear)} per year (slope ± {Number(fit.BandSigmas)} standard error)"),
                ("Halving time", halving is { } h ? $"{Number(h)} days" : "prices did not fall"),
                ("First to last frontier point", r.EndpointFactorPerYear is { } e ? $"{Factor(e)} per year (constant factor between two dated prices)" : null),
            ]));
        }
        else
        {
            var start = r.Projection[0];
            console.Write(KeyValueTable.Create("Constant decline",
            [
                ("Starting price", $"{Money(start.Central)} on {Date(start.Date)}"),
                ("Factor per year", Factor(r.FactorPerYear)),
                ("Band", band is { } b && (b.Slow is not null || b.Fast is not null)
                    ? $"{Factor(b.Slow ?? r.FactorPerYear)} to {Factor(b.Fast ?? r.FactorPerYear)} per year" : "none (give --slow-factor/--fast-factor)"),
                ("Price at the end", $"{Money(r.Projection[^1].Central)} on {Date(r.Projection[^1].Date)} ({Factor(start.Central / r.Projection[^1].Central)} cheaper)"),
            ]));
        }

        if (r.Projection.Count == 0) return;
        var table = KeyValueTable.Grid("Projection", "Date", "Central $/MTok", "Band low", "Band high");
        foreach (var column in table.Columns.Skip(1)) column.RightAligned();
        var yearly = r.Projection.Where((_, i) => i % 12 == 0).ToList();
        if (yearly[^1] != r.Projection[^1]) yearly.Add(r.Projection[^1]);
        foreach (var p in yearly) table.AddTextRow(Date(p.Date), Money(p.Central), Money(p.Low), Money(p.High));
        console.Write(table);
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
