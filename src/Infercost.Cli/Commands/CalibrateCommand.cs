using System.CommandLine;
using Infercost.Calibration;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Serving;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost calibrate</c>: refit the efficiency factors and report how well they transfer.</summary>
internal static class CalibrateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var inputs = new MeasurementInputs();
        var command = new Command("calibrate",
            "Fit the seven efficiency factors (matmul MFU, attention MFU, MBU, step overhead, collective latency, link " +
            "efficiency, activation passes) to measured runs by least squares on log error, then report the in-sample error " +
            "and the leave-one-GPU-out and leave-one-model-out error (each group predicted by factors fitted without it). " +
            "Compare with the factors the engine ships (Calibration/CalibratedEfficiency.cs)." +
            "\n\nExample:\n  infercost calibrate --data data/calibration/throughput-calibration.csv");
        inputs.AddTo(command);
        var bands = new Option<bool>("--bands")
        {
            Description = "Also fit the band widening per extrapolation dimension (leave one GPU generation, weight precision, model family, " +
                          "batch regime and tensor degree out; with --online FILE the engine version too) and print each split's held-out error. About 2 minutes.",
        };
        var online = new Option<string?>("--online")
        {
            Description = "With --bands: an online-serving CSV (data/calibration/online-serving.csv) whose all-at-once rows, another engine version, give the engine width.",
            HelpName = "FILE.csv",
        };
        command.Options.Add(bands);
        command.Options.Add(online);
        command.Subcommands.Add(CalibrateDeploymentCommand.Create(context));
        command.SetAction(parse =>
        {
            // --online only feeds the band fit: refused without --bands rather than read and ignored.
            if (parse.GetResult(online) is { Implicit: false } && !parse.GetValue(bands))
            {
                throw new InvalidInputException("online", "--online applies to the band fit; add --bands.");
            }

            var (rows, cat, sw) = inputs.Load(parse, context);
            if (parse.GetValue(bands))
            {
                var onlinePath = parse.GetValue(online);
                var held = onlinePath is null ? null
                    : OnlineServingCsv.Parse(context.ReadText(onlinePath, "--online"), onlinePath).Where(r => r.OfferedRequestsPerSecond is null).Select(r => r.AsThroughput()).ToList();
                var fitted = BandFit.Fit(rows, cat, sw, held, $"leave the engine version out: {onlinePath} all-at-once rows predicted by the fit on --data");
                if (CommonOptions.IsJson(parse, inputs.Json))
                {
                    context.WriteJson(fitted);
                    return ExitCodes.Ok;
                }

                var widths = KeyValueTable.Grid($"Band widening (in-sample ln-residual mean {Number(fitted.BaseLogMean)}, sd {Number(fitted.BaseLogSd)})",
                    "dimension", "δ (ln)", "held-out rows", "median |error|", "P90 |error|", "mean signed", "split");
                foreach (var (dimension, w) in fitted.Widths.OrderBy(x => x.Key))
                {
                    var o = w.HeldOut?.Overall;
                    widths.AddTextRow(ExtrapolationBands.Name(dimension), Number(w.LogSd), Number(w.HeldOutRows), ValidateCommand.Pct(o?.MedianAbsPctError),
                        ValidateCommand.Pct(o?.P90AbsPctError), ValidateCommand.Pct(o?.MeanSignedPctError, signed: true), w.Source);
                }

                context.Console.Write(widths);
                var groups = KeyValueTable.Grid("Held-out error per group (each group predicted by the fit made without it)",
                    "split", "held-out group", "rows", "median |error|", "P90 |error|", "mean signed");
                foreach (var (dimension, w) in fitted.Widths.OrderBy(x => x.Key))
                {
                    foreach (var g in w.ByGroup)
                    {
                        groups.AddTextRow(ExtrapolationBands.Name(dimension), g.Group, Number(g.PredictedRows), ValidateCommand.Pct(g.MedianAbsPctError),
                            ValidateCommand.Pct(g.P90AbsPctError), ValidateCommand.Pct(g.MeanSignedPctError, signed: true));
                    }
                }

                context.Console.Write(groups);
                return ExitCodes.Ok;
            }

            var fit = Calibrator.Fit(rows, cat, sw);
            var byGpu = Calibrator.LeaveOneGroupOut(rows, r => r.AcceleratorId, cat, sw);
            var byModel = Calibrator.LeaveOneGroupOut(rows, r => r.ModelId, cat, sw);
            var ratios = byGpu.Rows.Where(p => p.PredictedOutputTokensPerSecond is not null)
                .Select(p => p.Row.MeasuredOutputTokensPerSecond / p.PredictedOutputTokensPerSecond!.Value).ToList();
            var band = new PredictionBand(ErrorSummary.Percentile(ratios, 0.1), ErrorSummary.Percentile(ratios, 0.9),
                "P10-P90 of measured/predicted output tokens/s, leave-one-GPU-out");
            var result = new CalibrationJson(fit.Fitted, EfficiencyFactors.Default, fit.RootMeanSquareLogError, fit.Iterations,
                ValidationJson.Of(fit.InSample).Summary, ValidationJson.Of(byGpu).Summary, ValidationJson.Of(byModel).Summary, band,
                byGpu.ByAccelerator, byModel.ByModel);
            if (CommonOptions.IsJson(parse, inputs.Json))
            {
                context.WriteJson(result);
                return ExitCodes.Ok;
            }

            var f = fit.Fitted;
            var d = EfficiencyFactors.Default;
            var console = context.Console;
            var factors = KeyValueTable.Grid("Efficiency factors", "factor", "fitted", "shipped");
            factors.AddTextRow("matmul MFU", Number(f.MatmulMfu), Number(d.MatmulMfu));
            factors.AddTextRow("attention MFU", Number(f.AttentionMfu), Number(d.AttentionMfu));
            factors.AddTextRow("MBU", Number(f.Mbu), Number(d.Mbu));
            factors.AddTextRow("step overhead", Time(f.StepOverhead), Time(d.StepOverhead));
            factors.AddTextRow("collective latency", Time(f.CollectiveLatency), Time(d.CollectiveLatency));
            factors.AddTextRow("link efficiency", Number(f.LinkEfficiency), Number(d.LinkEfficiency));
            factors.AddTextRow("activation passes", Number(f.ActivationPasses), Number(d.ActivationPasses));
            console.Write(factors);
            var summary = KeyValueTable.Grid($"Error ({Number(rows.Count)} rows; RMS log error {Number(fit.RootMeanSquareLogError)})",
                "split", "median |error|", "P90 |error|", "mean signed");
            void Add(string name, ErrorSummary s) => summary.AddTextRow(name, ValidateCommand.Pct(s.MedianAbsPctError),
                ValidateCommand.Pct(s.P90AbsPctError), ValidateCommand.Pct(s.MeanSignedPctError, signed: true));
            Add("in-sample", fit.InSample.Overall);
            Add("leave one GPU out", byGpu.Overall);
            Add("leave one model out", byModel.Overall);
            console.Write(summary);
            console.Write(ValidateCommand.Summaries("Held-out error by GPU (leave one GPU out)", new ValidationReport(byGpu.Rows, byGpu.Overall, [], byGpu.ByAccelerator, [])));
            console.Write(ValidateCommand.Summaries("Held-out error by model (leave one model out)", new ValidationReport(byModel.Rows, byModel.Overall, byModel.ByModel, [], [])));
            console.WriteLine($"Throughput band (measured / predicted, P10-P90, leave one GPU out): {Number(band.Low)} .. {Number(band.High)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}

/// <summary>The JSON shape of a calibration.</summary>
internal sealed record CalibrationJson(
    EfficiencyFactors Fitted,
    EfficiencyFactors Shipped,
    double RootMeanSquareLogError,
    int Iterations,
    ValidationSummaryJson InSample,
    ValidationSummaryJson LeaveOneGpuOut,
    ValidationSummaryJson LeaveOneModelOut,
    PredictionBand ThroughputBand,
    IReadOnlyList<ErrorSummary> HeldOutByGpu,
    IReadOnlyList<ErrorSummary> HeldOutByModel);
