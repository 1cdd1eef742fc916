using System.CommandLine;
using System.Globalization;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Kernels;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost kernels</c>: how well the kernel-level time model reproduces the kernel benchmark file, and a refit.</summary>
internal static class KernelsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var catalog = new CatalogInputs();
        var data = new Option<string>("--data")
        {
            Description = "Kernel benchmark CSV in the schema of data/kernels/kernel-benchmarks.csv (id, category, accelerator, " +
                          "precision, shape_or_size, metric, value, ..., notes).",
            HelpName = "FILE.csv",
            Required = true,
        };
        var fit = new Option<bool>("--fit") { Description = "Refit every curve to the file and report the refitted model (default: the shipped curves)." };
        var json = CommonOptions.Json();
        var command = new Command("kernels",
            "Predict every kernel benchmark row the kernel model covers (GEMM, grouped MoE GEMM, prefill and decode attention, " +
            "all-reduce, all-to-all, tuned collective latency) from its shape, and print median / P90 |error| per category " +
            "and per physical class, the curves' parameters, and the rows not covered with the reason." +
            "\n\nExample:\n  infercost kernels --data data/kernels/kernel-benchmarks.csv\n  infercost kernels --data data/kernels/kernel-benchmarks.csv --fit --json");
        command.Options.Add(data);
        catalog.AddTo(command);
        command.Options.Add(fit);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(data)!;
            var set = KernelBenchmarks.Read(context.ReadText(path, "--data"), catalog.Load(parse, context));
            var model = parse.GetValue(fit) ? KernelFit.Fit(set) : KernelCurves.Fitted;
            var report = KernelFit.Report(set, model);
            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(new KernelsJson(report.ByCategory, report.ByClass, Parameters(model), report.Skipped));
                return ExitCodes.Ok;
            }

            var console = context.Console;
            var errors = KeyValueTable.Grid($"Kernel model vs {Number(set.Cases.Count)} benchmark rows ({Number(set.Skipped.Count)} not covered)",
                "category / class", "rows", "median |error|", "P90 |error|");
            foreach (var e in report.ByCategory.Concat(report.ByClass))
            {
                errors.AddTextRow(e.Group, Number(e.Cases), ValidateCommand.Pct(e.MedianAbsPctError), ValidateCommand.Pct(e.P90AbsPctError));
            }

            console.Write(errors);
            var parameters = KeyValueTable.Grid("Curves", "curve", "parameters");
            foreach (var (curve, values) in Parameters(model)) parameters.AddTextRow(curve, values);
            console.Write(parameters);
            var skipped = KeyValueTable.Grid("Rows not covered", "reason", "rows");
            foreach (var g in report.Skipped.GroupBy(s => s.Reason).OrderByDescending(g => g.Count()))
            {
                skipped.AddTextRow(g.Key, Number(g.Count()));
            }

            console.Write(skipped);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    private static SortedDictionary<string, string> Parameters(KernelModel m)
    {
        var d = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var ((a, p), c) in m.Gemm)
        {
            d[$"gemm {a.Name()}/{p.Name()}"] = $"peakFraction {G(c.PeakFraction)}, halfRows {G(c.HalfRows)}, bandwidthFraction {G(c.BandwidthFraction)}, fixed {G(c.FixedSeconds * 1e6)} us";
        }

        foreach (var kernel in (MoeKernel[])[MoeKernel.TrtllmGen, .. m.MoeModules.Keys])
        {
            var c = m.GroupedGemmFor(kernel);
            d[$"grouped_gemm {kernel.Name()}"] = $"fixed {G(c.FixedSeconds * 1e6)} us, perExpert {G(c.PerExpertSeconds * 1e6)} us, imbalance {G(c.Imbalance)}"
                + (c.Tile is { } t ? $", token tiles {G(t.MinRows)}-{G(t.MaxRows)} rows" : ", dense padding (M_half)");
        }
        foreach (var (a, c) in m.Prefill)
        {
            d[$"attention_prefill {a.Name()}"] = $"peakFraction {G(c.PeakFraction)}, headDimExponent {G(c.HeadDimExponent)}, halfLength {G(c.HalfLength)}, halfLengthCausal {G(c.HalfLengthCausal)}";
        }

        foreach (var (a, c) in m.Decode) d[$"attention_decode {a.Name()}"] = $"fixed {G(c.FixedSeconds * 1e6)} us, bandwidthFraction {G(c.BandwidthFraction)}";
        foreach (var (l, c) in m.AllReduce) d[$"all_reduce {l.Name()}"] = $"latency {G(c.LatencySeconds * 1e6)} us, bandwidthFraction {G(c.BandwidthFraction)}";
        foreach (var (l, c) in m.AllToAll) d[$"all_to_all {l.Name()}"] = $"latency {G(c.LatencySeconds * 1e6)} us, bandwidthFraction {G(c.BandwidthFraction)}";
        d["collective_latency_floor"] = $"{G(m.GraphCollectiveLatencySeconds * 1e6)} us";
        return d;
    }
}

/// <summary>The JSON shape of <c>kernels --json</c>.</summary>
internal sealed record KernelsJson(IReadOnlyList<KernelError> ByCategory, IReadOnlyList<KernelError> ByClass,
    IReadOnlyDictionary<string, string> Curves, IReadOnlyList<SkippedKernelRow> Skipped);
