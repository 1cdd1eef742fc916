using System.CommandLine;
using Infercost.Calibration;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Serving;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost validate-online</c>: the serving simulator against measured online-serving runs (throughput,
/// mean TTFT, mean inter-token latency at each offered request rate).</summary>
internal static class OnlineCommand
{
    private static double? Finite(double x) => double.IsFinite(x) ? x : null;

    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var catalog = new CatalogInputs();
        var data = new Option<string>("--data")
        {
            Description = "Online-serving CSV in the schema of data/calibration/online-serving.csv (id, model, accelerator, tensor_parallel, " +
                          "pipeline_parallel, weight_precision, kv_precision, input_tokens, output_tokens, requests, offered_requests_per_s " +
                          "(a rate or inf), measured_output_tokens_per_s, mean_ttft_ms, mean_itl_ms; extra columns ignored).",
            HelpName = "FILE.csv",
            Required = true,
        };
        var engine = new Option<string>("--engine")
        {
            Description = "Serving engine profile the rows ran: trtllm-0.14 (the file's TensorRT-LLM 0.14 + Triton, default), trtllm, trtllm-1, vllm or sglang.",
            HelpName = "engine",
            DefaultValueFactory = _ => "trtllm-0.14",
        };
        var json = CommonOptions.Json();
        var command = new Command("validate-online",
            "Simulate every online-serving row at its offered request rate (Poisson arrivals; all requests at once for inf) on one " +
            "replica of its layout with the calibrated engine (for trtllm-0.14 the runtime calibrate-online fits), and print simulated vs measured output tokens/s, mean time to first " +
            "token and mean inter-token latency, with median / P90 |error| per metric overall and per offered rate." +
            "\n\nExample:\n  infercost validate-online --data data/calibration/online-serving.csv\n  infercost validate-online --data data/calibration/online-serving.csv --json");
        command.Options.Add(data);
        catalog.AddTo(command);
        command.Options.Add(engine);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(data)!;
            var rows = OnlineServingCsv.Parse(context.ReadText(path, "--data"), path);
            var profile = ServingSoftware.Named(parse.GetValue(engine), "engine");
            var predictions = OnlineValidator.Predict(rows, catalog.Load(parse, context), EfficiencyFactors.Default, profile, bands: true);
            var byRate = predictions.GroupBy(p => p.Row.OfferedRequestsPerSecond).OrderBy(g => g.Key ?? double.MaxValue).ToList();
            if (CommonOptions.IsJson(parse, json))
            {
                static object Summary(IEnumerable<OnlinePrediction> ps) => new
                {
                    throughput = CalibrateOnlineCommand.Stat(OnlineValidator.Summary(ps, p => p.ThroughputError)),
                    ttft = CalibrateOnlineCommand.Stat(OnlineValidator.Summary(ps, p => p.TtftError)),
                    itl = CalibrateOnlineCommand.Stat(OnlineValidator.Summary(ps, p => p.ItlError)),
                    bandCoveragePct = new
                    {
                        throughput = Finite(OnlineValidator.Coverage(ps, p => p.ThroughputInside).Percent),
                        ttft = Finite(OnlineValidator.Coverage(ps, p => p.TtftInside).Percent),
                        itl = Finite(OnlineValidator.Coverage(ps, p => p.ItlInside).Percent),
                    },
                };
                context.WriteJson(new
                {
                    engine = profile.Name,
                    rows = predictions.Select(p => new
                    {
                        p.Row.Id, model = p.Row.ModelId, accelerator = p.Row.AcceleratorId, tp = p.Row.TensorParallel, p.Row.InputTokens, p.Row.OutputTokens,
                        offeredRequestsPerSecond = p.Row.OfferedRequestsPerSecond, measured = new { outputTokensPerSecond = p.Row.MeasuredOutputTokensPerSecond, meanTtftSeconds = p.Row.MeanTtftSeconds, meanItlSeconds = p.Row.MeanItlSeconds },
                        simulated = new { outputTokensPerSecond = p.OutputTokensPerSecond, meanTtftSeconds = p.MeanTtftSeconds, meanItlSeconds = p.MeanItlSeconds },
                        band = p.Band is null ? null : new
                        {
                            speed = p.Band, outputTokensPerSecond = p.ThroughputBand, meanTtftSeconds = p.TtftBand, meanItlSeconds = p.ItlBand,
                            inside = new { throughput = p.ThroughputInside, ttft = p.TtftInside, itl = p.ItlInside },
                        },
                        p.Reason,
                    }),
                    summary = Summary(predictions),
                    byOfferedRate = byRate.Select(g => new { offered = g.Key?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "inf", summary = Summary(g) }),
                });
                return ExitCodes.Ok;
            }

            var table = KeyValueTable.Grid($"Simulated vs measured online serving ({profile.Name})", "id", "model", "gpu", "TP", "in/out", "QPS",
                "tok/s meas.", "tok/s sim.", "TTFT meas.", "TTFT sim.", "ITL meas.", "ITL sim.");
            static string Ms(double? s) => s is { } v ? Number(v * 1000) + " ms" : "-";
            foreach (var p in predictions)
            {
                var r = p.Row;
                table.AddTextRow(r.Id, r.ModelId, r.AcceleratorId, Number(r.TensorParallel), $"{r.InputTokens}/{r.OutputTokens}",
                    r.OfferedRequestsPerSecond is { } q ? Number(q) : "inf", Number(r.MeasuredOutputTokensPerSecond),
                    p.OutputTokensPerSecond is { } t ? Number(t) : p.Reason ?? "-", Ms(r.MeanTtftSeconds), Ms(p.MeanTtftSeconds), Ms(r.MeanItlSeconds), Ms(p.MeanItlSeconds));
            }

            context.Console.Write(table);
            var summary = KeyValueTable.Grid("Error (simulated ÷ measured − 1)", "rows", "metric", "median |error|", "P90 |error|", "mean signed");
            void Add(string label, IEnumerable<OnlinePrediction> ps)
            {
                foreach (var (name, f) in new (string, Func<OnlinePrediction, double?>)[] { ("throughput", p => p.ThroughputError), ("mean TTFT", p => p.TtftError), ("mean ITL", p => p.ItlError) })
                {
                    var s = OnlineValidator.Summary(ps, f);
                    summary.AddTextRow(label, name, ValidateCommand.Pct(s.Median), ValidateCommand.Pct(s.P90), ValidateCommand.Pct(s.MeanSigned, signed: true));
                }
            }

            Add("all", predictions);
            foreach (var g in byRate) Add("QPS " + (g.Key is { } k ? Number(k) : "inf"), g);
            context.Console.Write(summary);
            var coverage = KeyValueTable.Grid("Measured inside the printed P10–P90 (each row re-simulated at the band's engine speeds; an honest band holds 80%)",
                "rows", "throughput", "mean TTFT", "mean ITL");
            void Cover(string label, IEnumerable<OnlinePrediction> ps)
            {
                string C(Func<OnlinePrediction, bool?> f) => OnlineValidator.Coverage(ps, f) is var (pct, n) && n > 0 ? $"{pct.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)}% of {n}" : "-";
                coverage.AddTextRow(label, C(p => p.ThroughputInside), C(p => p.TtftInside), C(p => p.ItlInside));
            }

            Cover("all", predictions);
            foreach (var g in byRate) Cover("QPS " + (g.Key is { } k ? Number(k) : "inf"), g);
            context.Console.Write(coverage);
            return ExitCodes.Ok;
        });
        return command;
    }
}
