using System.CommandLine;
using Infercost.Cli.Inputs;
using Infercost.Cli.Plotting;
using Infercost.Cli.Rendering;
using Infercost.Economics.Margins;
using Infercost.Economics.Workloads;
using Infercost.Requests;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost margin</c>: gross margin of an API price over a true-cost estimate, with a sensitivity grid.</summary>
internal static class MarginCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var prices = new PriceInputs();
        var priceModel = new Option<string>("--price-model") { Description = "API model whose list price is the revenue (see 'infercost prices').", HelpName = "ID", Required = true };
        var costIn = CliOptions.OptionalDouble("--cost-in", "True cost per million input tokens (instead of the engine).", "$/MTok", CliOptions.InRange(0, 100_000));
        var costOut = CliOptions.OptionalDouble("--cost-out", "True cost per million output tokens (instead of the engine).", "$/MTok", CliOptions.InRange(0, 100_000));
        var selfHost = new SelfHostInputs("--model", withSwitch: false);
        var speculation = new SpeculationInputs();
        var profile = new Option<string?>("--profile") { Description = $"Workload for the blended margin: {string.Join(", ", WorkloadProfiles.All.Select(w => w.Id))}.", HelpName = "ID" };
        var plot = PlotOptions.Plot("gross margin against the cost multiplier, one line per utilisation");
        var json = CommonOptions.Json();
        var command = new Command("margin",
            "Gross margin = 1 − true cost ÷ price, for input, output and (with --profile) a workload, with a sensitivity grid " +
            "(cost estimate off by 0.33×–3×, utilisation 30–100%). The true cost is given (--cost-in/--cost-out) or estimated by " +
            "the engine (--model/--gpu/--gpus). Leaves out training, R&D, staff, free users, idle capacity and networking." +
            "\n\nExample:\n  infercost margin --price-model claude-sonnet-4.5 --cost-in 0.01 --cost-out 3" +
            "\n  infercost margin --price-model claude-sonnet-4.5 --model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 8 --gpu-price 2 --profile chat" +
            "\n  infercost margin --price-model deepseek-v3 --model deepseek-v3 --gpu nvidia-h200-sxm --gpus 8 --gpu-price 3 --spec-method mtp --spec-acceptance 0.85");
        command.Options.Add(priceModel);
        command.Options.Add(costIn);
        command.Options.Add(costOut);
        selfHost.AddTo(command);
        speculation.AddTo(command);
        command.Options.Add(profile);
        prices.AddTo(command);
        command.Options.Add(plot);
        command.Options.Add(json);

        command.SetAction(parse =>
        {
            var request = speculation.Fill(new MarginRequest
            {
                PriceModel = parse.GetValue(priceModel),
                CostIn = parse.GetValue(costIn),
                CostOut = parse.GetValue(costOut),
                Model = parse.GetValue(selfHost.Model),
                Gpu = parse.GetValue(selfHost.Gpu),
                Gpus = parse.GetValue(selfHost.Gpus),
                GpuPrice = parse.GetValue(selfHost.GpuPrice),
                Utilisation = parse.GetValue(selfHost.Utilisation),
                CachedPrefill = parse.GetValue(selfHost.CachedPrefill),
                Engine = parse.GetValue(selfHost.Engine),
                MoeKernel = parse.GetValue(selfHost.MoeKernel),
                Profile = parse.GetValue(profile),
                On = parse.GetValue(prices.On),
            }, parse);
            request.Validate();
            if (request.Model is null && parse.GetResult(selfHost.Catalog.File) is { Implicit: false })
            {
                throw new InvalidInputException("catalog", "--catalog describes the self-hosted cluster's model and GPU; add --model, --gpu and --gpus, or leave it out with --cost-in/--cost-out.");
            }

            var catalog = request.Model is null ? Catalog.Catalog.Embedded : selfHost.Catalog.Load(parse, context);
            var report = request.Answer(catalog, prices.Load(parse, context), CliOptions.Flag);
            var (price, cost) = (report.Price, report.Cost);
            var utilisation = report.CostUtilisation;
            var plotPath = parse.GetValue(plot) is { } file ? PlotWriter.Write(Chart(report), file) : null;
            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(report);
                return ExitCodes.Ok;
            }

            var console = context.Console;
            foreach (var line in report.Assumed) console.Write(new Text("Assumed: " + line + "\n"));
            var bands = report.Bands;
            var table = KeyValueTable.Grid($"Gross margin of {price.Label} ({price.Basis}{(price.Disputed ? "; disputed" : "")}) over {cost.Label}",
                ["", "Price", "True cost", "Gross margin", .. bands is null ? Array.Empty<string>() : ["P10–P90"]]);
            string[] Band(Calibration.Banded? b) => bands is null ? [] : [b is { } x ? $"{Percent(x.P10)} – {Percent(x.P90)}" : "–"];
            table.AddTextRow(["Input", Money(price.Input), Money(cost.Input), Percent(report.InputMargin), .. Band(bands?.Input)]);
            table.AddTextRow(["Output", Money(price.Output), Money(cost.Output), Percent(report.OutputMargin), .. Band(bands?.Output)]);
            if (report.Workload is { } rev && report.WorkloadCost is { } spend)
                table.AddTextRow([$"Blended ({rev.WorkloadId})", $"{Money(rev.PerDay)}/day", $"{Money(spend.PerDay)}/day", Percent(report.BlendedMargin ?? 0), .. Band(bands?.Blended)]);
            if (bands is not null)
            {
                table.Caption(Markup.Escape($"P10–P90: the engine's throughput band, {Times(bands.Speed.Low)} to × " +
                    $"{Ratio(bands.Speed.High)}, on the true cost ({bands.Speed.Basis})."));
            }

            console.Write(table);
            if (Calibration.Extrapolation.Line(report.Extrapolating) is { } extrapolating) console.WriteLine(extrapolating);
            WorkloadTables.WriteSpeculation(console, report.SelfHostSpeculation, report.SelfHostBatch);

            var utils = report.Sensitivity.Select(c => c.Utilisation).Distinct().ToList();
            var grid = KeyValueTable.Grid(report.Workload is null ? "Output margin by cost error × utilisation" : "Blended margin by cost error × utilisation",
                ["Cost ×", .. utils.Select(u => $"util {Percent(u)}")]);
            foreach (var row in report.Sensitivity.GroupBy(c => c.CostFactor))
                grid.AddTextRow([Factor(row.Key), .. row.Select(c => Percent(c.Blended ?? c.Output))]);
            grid.Caption(Markup.Escape($"Cost at utilisation u = estimate × factor × {Percent(utilisation)} ÷ u."));
            console.Write(grid);
            console.Write(new Text("Left out of a gross margin: " + string.Join("; ", report.LeftOut) + ".\n"));
            if (plotPath is not null) console.WriteLine("Plot written to " + plotPath);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The sensitivity grid as a chart: gross margin (%) against the cost factor (log scale), one line per
    /// utilisation, with break-even (0%) marked.</summary>
    private static PlotSpec Chart(MarginReport report)
    {
        var kind = report.Workload is { } w ? $"Blended ({w.WorkloadId})" : "Output";
        var series = new List<PlotSeries>();
        foreach (var column in report.Sensitivity.GroupBy(c => c.Utilisation))
        {
            var cells = column.OrderBy(c => c.CostFactor).ToList();
            series.Add(new LineSeries($"Utilisation {Percent(column.Key)}", cells.Select(c => c.CostFactor).ToList(),
                cells.Select(c => 100 * (c.Blended ?? c.Output)).ToList(), Markers: true));
        }

        series.Add(new ReferenceLine("Break-even", 0));
        return new PlotSpec($"{kind} gross margin of {report.Price.Label} over {report.Cost.Label}",
            "Cost multiplier on the estimate (log scale)", $"{kind} gross margin (%)")
        {
            Series = series,
            XScale = AxisScale.Log10,
        };
    }
}
