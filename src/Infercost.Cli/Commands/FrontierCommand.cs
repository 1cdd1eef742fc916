using System.CommandLine;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Requests;
using Infercost.Simulation;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost frontier</c>: output tokens/s per GPU against tokens/s per user across concurrency levels.</summary>
internal static class FrontierCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var subject = new SubjectInputs();
        var serving = new ServingInputs(workload: true, batch: false) { Context = context };
        var speculation = new SpeculationInputs();
        var cost = new CostInputs();
        var workload = new SimulationInputs();
        var levels = CliOptions.IntList(FrontierRequest.ConcurrencyField, $"Users per run (closed loop). Default: {string.Join(',', ThroughputFrontier.DefaultConcurrencies)}.");
        var requests = CliOptions.Int(FrontierRequest.RequestsField, "Requests per run; 0 for 10 × concurrency (at least 200).", 0);
        var json = CommonOptions.Json();
        var command = new Command("frontier",
            "Throughput against interactivity: closed-loop runs of one replica at fixed concurrencies, each giving output tokens/s per GPU, " +
            "tokens/s per user and $/MTok." +
            "\n\nExample:\n  infercost frontier --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --input 1000 --output 200" +
            "\n  infercost frontier --model llama-3.1-70b --gpu nvidia-h200-sxm --gpus 4 --concurrency 1,8,32,128 --json" +
            "\n  infercost frontier --model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 4 --input 1000 --output 300 --concurrency 1,16,128 --draft-model llama-3.1-8b --spec-length 4 --spec-acceptance 0.8");
        subject.AddTo(command);
        serving.AddTo(command);
        speculation.AddTo(command);
        foreach (var option in new Option[] { cost.GpuPrice, cost.Owned, cost.PurchasePrice, cost.ServerShare, cost.LifespanYears, cost.Electricity, cost.Pue, cost.Power }) command.Options.Add(option);
        foreach (var option in new Option[] { levels, requests, workload.InputDist, workload.OutputDist, workload.InputHistogram, workload.OutputHistogram, workload.BlockSize, workload.Seed }) command.Options.Add(option);
        command.Options.Add(json);

        command.SetAction(parse =>
        {
            var request = workload.Fill(cost.Fill(speculation.Fill(serving.Fill(subject.Fill(new FrontierRequest(), parse, context), parse), parse), parse), parse, context) with
            {
                Concurrency = parse.GetValue(levels) is { Length: > 0 } given ? given : null,
                Requests = parse.GetValue(requests),
            };
            var (catalog, configSource) = subject.Sources(parse, context);
            var prepared = request.Prepare(request.Resolve(catalog, configSource), workload.HistogramSources(parse));
            var asJson = CommonOptions.IsJson(parse, json);
            FrontierReport report;
            if (asJson || !context.Console.Profile.Capabilities.Interactive)
            {
                report = request.Answer(prepared);
            }
            else
            {
                FrontierReport? r = null;
                context.Console.Progress().Start(ctx =>
                {
                    var task = ctx.AddTask("Simulating concurrency levels", maxValue: 1);
                    r = request.Answer(prepared, new SynchronousProgress(v => task.Value = v));
                });
                report = r!;
            }

            if (asJson)
            {
                context.WriteJson(report);
                return ExitCodes.Ok;
            }

            var (s, result, input, output) = (prepared.Subject, report.Frontier, prepared.Input, prepared.Output);
            var table = KeyValueTable.Grid($"Throughput vs interactivity: {s.Model.Id} on {result.Layout}; prompt {SimulationInputs.Describe(input)}, output {SimulationInputs.Describe(output)}",
                "Users", "tok/s/GPU", "P10–P90", "tok/s/user", "TTFT P50", "TPOT P50", "TPOT P90", "Busy", "Preempt", "$/MTok out", "P10–P90");
            for (var i = 0; i < result.Points.Count; i++)
            {
                var (p, b) = (result.Points[i], report.Bands[i]);
                table.AddTextRow(Number(p.Concurrency), Number(p.OutputPerGpu.Value), $"{Number(b.OutputPerGpu.P10)}–{Number(b.OutputPerGpu.P90)}",
                    Number(p.PerUser.Value), Time(p.TimeToFirstTokenP50), Time(p.TimePerOutputTokenP50), Time(p.TimePerOutputTokenP90),
                    Percent(p.BusyFraction), Number(p.Preemptions), p.OutputPerMillion is { } price ? Money(price) : "–",
                    b.OutputPerMillion is { } pb ? $"{Money(pb.P10)}–{Money(pb.P90)}" : "–");
            }

            context.Console.Write(table);
            if (BandLines.Extrapolating(report.Bands.Select(b => (Number(b.Concurrency), b.Extrapolating)), "users") is { } line) context.Console.WriteLine(line);
            if (report.Speculation is { } used) context.Console.WriteLine($"• Speculative decoding: {used}; each decode step is a verify pass of k + 1 tokens per sequence plus drafting, and emits the accepted tokens (drawn with --seed).");
            return ExitCodes.Ok;
        });
        return command;
    }
}
