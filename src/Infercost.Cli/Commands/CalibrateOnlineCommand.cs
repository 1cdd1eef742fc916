using System.CommandLine;
using System.Globalization;
using Infercost.Calibration;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Serving;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost calibrate-online</c>: fit TensorRT-LLM 0.14's runtime (host time per step, collective latency,
/// request path latency) to online-serving rows' mean TTFT and inter-token latency, and check it leaving one GPU out.</summary>
internal static class CalibrateOnlineCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var catalog = new CatalogInputs();
        var data = new Option<string>("--data")
        {
            Description = "Online-serving CSV in the schema of data/calibration/online-serving.csv (see validate-online).",
            HelpName = "FILE.csv",
            Required = true,
        };
        var json = CommonOptions.Json();
        var command = new Command("calibrate-online",
            "Fit the trtllm-0.14 profile's runtime to online-serving rows below saturation (offered rate, mean TTFT under " +
            $"{Guard.Format(OnlineFit.SaturationTtftRatio)}× the setup's at its lowest rate): host time per step, latency per collective and request " +
            "path latency, by least squares on the log error of mean TTFT and mean inter-token latency (Nelder–Mead, fixed seed). Prints the " +
            "fitted values beside the ones the profile ships (Calibration/CalibratedOnlineRuntime.cs), the in-sample error and the " +
            "leave-one-GPU-out error (each GPU's rows predicted by the fit made without them), and the fit with the request path held at " +
            "zero beside it. About half a minute." +
            "\n\nExample:\n  infercost calibrate-online --data data/calibration/online-serving.csv");
        command.Options.Add(data);
        catalog.AddTo(command);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(data)!;
            var rows = OnlineServingCsv.Parse(context.ReadText(path, "--data"), path);
            var cat = catalog.Load(parse, context);
            var result = OnlineFit.Calibrate(rows, cat, EfficiencyFactors.Default, ServingSoftware.TensorRtLlm014, $"fitted to {path} (calibrate-online)");
            var shipped = CalibratedOnlineRuntime.Runtime;
            var lines = new List<(string Label, IReadOnlyList<OnlinePrediction> Predictions)>
            {
                ("in sample, unsaturated", result.All.BelowSaturation),
                ("in sample, all rows", result.All.Predictions),
            };
            foreach (var s in result.LeaveOneGpuOut)
            {
                lines.Add(($"{s.HeldOut} out, unsaturated", s.Predictions.Where(p => OnlineFit.IsBelowSaturation(p.Row, rows)).ToList()));
                lines.Add(($"{s.HeldOut} out, all rows", s.Predictions));
            }

            if (CommonOptions.IsJson(parse, json))
            {
                static object Runtime(OnlineRuntimeFit f) => new
                {
                    hostStepTimeMs = f.Runtime.HostStepTime.Value * 1e3, collectiveLatencyUs = f.Runtime.CollectiveLatency.Value * 1e6,
                    requestLatencyMs = f.Runtime.RequestLatency.Value * 1e3, f.Objective, f.FittedRows, f.Evaluations,
                };
                static object Summary(IReadOnlyList<OnlinePrediction> ps) => new
                {
                    rows = ps.Count,
                    ttft = Stat(OnlineValidator.Summary(ps, p => p.TtftError)),
                    itl = Stat(OnlineValidator.Summary(ps, p => p.ItlError)),
                    throughput = Stat(OnlineValidator.Summary(ps, p => p.ThroughputError)),
                };
                context.WriteJson(new
                {
                    engine = ServingSoftware.TensorRtLlm014.Name,
                    fitted = Runtime(result.All),
                    withoutRequestLatency = Runtime(result.WithoutRequestLatency),
                    shipped = new
                    {
                        hostStepTimeMs = CalibratedOnlineRuntime.HostStepTimeMs, collectiveLatencyUs = CalibratedOnlineRuntime.CollectiveLatencyUs,
                        requestLatencyMs = CalibratedOnlineRuntime.RequestLatencyMs, source = shipped.Source,
                    },
                    leaveOneGpuOut = result.LeaveOneGpuOut.Select(s => new { heldOut = s.HeldOut, fitted = Runtime(s.Fit) }),
                    errors = lines.Select(l => new { split = l.Label, summary = Summary(l.Predictions) }),
                });
                return ExitCodes.Ok;
            }

            static string Ms(double seconds) => (seconds * 1e3).ToString("0.000", CultureInfo.InvariantCulture) + " ms";
            static string Us(double seconds) => (seconds * 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " µs";
            var fits = KeyValueTable.Grid($"{ServingSoftware.TensorRtLlm014.Name} runtime fitted to mean TTFT and ITL below saturation",
                "fit", "rows fitted", "host time per step", "collective latency", "request path latency", "objective (Σ ln²)", "simulations");
            fits.AddTextRow("shipped (CalibratedOnlineRuntime)", "-", Ms(shipped.HostStepTime.Value), Us(shipped.CollectiveLatency.Value), Ms(shipped.RequestLatency.Value), "-", "-");
            void AddFit(string label, OnlineRuntimeFit f) => fits.AddTextRow(label, Number(f.FittedRows), Ms(f.Runtime.HostStepTime.Value), Us(f.Runtime.CollectiveLatency.Value),
                Ms(f.Runtime.RequestLatency.Value), f.Objective.ToString("0.0000", CultureInfo.InvariantCulture), Number(f.Evaluations));
            AddFit("all rows", result.All);
            AddFit("all rows, request path held at 0", result.WithoutRequestLatency);
            foreach (var s in result.LeaveOneGpuOut) AddFit($"without {s.HeldOut}", s.Fit);
            context.Console.Write(fits);

            var errors = KeyValueTable.Grid("Error (simulated ÷ measured − 1)", "rows predicted", "rows", "metric", "median |error|", "P90 |error|", "mean signed");
            foreach (var (label, ps) in lines)
            {
                foreach (var (name, f) in new (string, Func<OnlinePrediction, double?>)[] { ("mean TTFT", p => p.TtftError), ("mean ITL", p => p.ItlError), ("throughput", p => p.ThroughputError) })
                {
                    var e = OnlineValidator.Summary(ps, f);
                    errors.AddTextRow(label, Number(ps.Count), name, ValidateCommand.Pct(e.Median), ValidateCommand.Pct(e.P90), ValidateCommand.Pct(e.MeanSigned, signed: true));
                }
            }

            context.Console.Write(errors);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>One metric's error summary as JSON (percent; null figures when no row was simulated).</summary>
    internal static object Stat((double Median, double P90, double MeanSigned, int Rows) s) => new
    {
        rows = s.Rows,
        medianAbsPctError = s.Rows == 0 ? (double?)null : s.Median,
        p90AbsPctError = s.Rows == 0 ? (double?)null : s.P90,
        meanSignedPctError = s.Rows == 0 ? (double?)null : s.MeanSigned,
    };
}
