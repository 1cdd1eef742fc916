using System.CommandLine;
using Infercost.Cli.Inputs;
using Infercost.Requests;
using Infercost.Cli.Rendering;
using Infercost.Serving;
using Spectre.Console;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost fit</c>: does a model fit, on which layout, and how many sequences at a context.</summary>
internal static class FitCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var subject = new SubjectInputs();
        var serving = new ServingInputs(workload: false);
        var contextTokens = CliOptions.Int(FitRequest.ContextField, "Context length per sequence (prompt + output) in tokens.", 2000);
        var allowLong = new Option<bool>("--allow-long-context")
        {
            Description = "Plan a --context longer than the model's maximum context instead of refusing it.",
        };
        var json = CommonOptions.Json();
        var command = new Command("fit",
            "Check whether a model's weights and KV cache fit, and print the per-GPU memory plan. Without --tp/--pp/--ep/--dp " +
            "the smallest layout that fits is chosen. Exits 1 when it does not fit." +
            "\n\nExample:\n  infercost fit --model llama-3.1-70b --gpu nvidia-h100-sxm --gpus 2 --context 8192" +
            "\n  infercost fit --model deepseek-r1 --gpu nvidia-h200-sxm --gpus 8 --tp 8 --batch 64");
        subject.AddTo(command);
        serving.AddTo(command);
        command.Options.Add(contextTokens);
        command.Options.Add(allowLong);
        command.Options.Add(json);

        command.SetAction(parse =>
        {
            var request = serving.Fill(subject.Fill(new FitRequest(), parse, context), parse) with
            {
                Context = parse.GetValue(contextTokens),
                AllowLongContext = parse.GetValue(allowLong),
            };
            var (catalog, configSource) = subject.Sources(parse, context);
            var (report, setup) = request.Answer(request.Resolve(catalog, configSource));
            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(report);
            }
            else
            {
                Render(context.Console, report, setup);
            }

            return report.Fits ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private static void Render(IAnsiConsole console, FitReport r, ServingSetup setup)
    {
        console.Write(KeyValueTable.Create("Setup",
        [
            ("Model", $"{setup.Model.Id} ({setup.Model.Name})"),
            ("Accelerator", $"{setup.Accelerator.Id} ({setup.Accelerator.Name})"),
            ("Layout per replica", setup.Layout),
            ("Replicas", $"{r.Replicas} on {r.TotalDevices} devices"),
            ("Weights / experts / KV", $"{r.WeightPrecision.Name()} / {r.ExpertPrecision.Name()} / {r.KvPrecision.Name()}"),
            ("Parameters total", Formats.Parameters(setup.Parameters.Total)),
        ]));
        console.Write(ServingTables.Memory(r.Memory, r.Batch, "Batch required"));
        console.Write(new Rule(r.Fits ? "[green]FITS[/]" : "[bold red]DOES NOT FIT[/]").LeftJustified());
        console.WriteLine(r.Verdict);
    }
}
