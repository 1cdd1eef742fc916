using System.CommandLine;
using Infercost.Cli.Inputs;
using Infercost.Requests;
using Infercost.Cli.Rendering;
using Spectre.Console;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost catalog list|show</c>: what the catalog holds, and every figure of one entry with its sources.</summary>
internal static class CatalogCommand
{
    /// <summary>Builds the command and its subcommands.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("catalog",
            "List the models and accelerators the estimates know, or show one entry with its sources." +
            "\n\nExample:\n  infercost catalog list gpus\n  infercost catalog show deepseek-r1");
        command.Subcommands.Add(List(context));
        command.Subcommands.Add(Show(context));
        return command;
    }

    private static Command List(CliContext context)
    {
        var kind = new Argument<string?>("kind")
        {
            Description = "models or gpus; both when omitted.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        kind.AcceptOnlyFromAmong("models", "gpus");
        var catalogInputs = new CatalogInputs();
        var json = CommonOptions.Json();
        var command = new Command("list",
            "List catalog entries with their key figures, source and date." +
            "\n\nExample:\n  infercost catalog list models\n  infercost catalog list gpus --catalog examples/my-gpus.json");
        command.Arguments.Add(kind);
        catalogInputs.AddTo(command);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var catalog = catalogInputs.Load(parse, context);
            var report = new CatalogListRequest(parse.GetValue(kind)).Answer(catalog);
            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(report);
                return ExitCodes.Ok;
            }

            // Names and sources need room; on a narrow terminal the list keeps ids and figures and `show` has the rest.
            var wide = context.Console.Profile.Width >= CatalogTables.WideWidth;
            if (report.Models is { } models) context.Console.Write(CatalogTables.Models(models, wide));
            if (report.Accelerators is { } accelerators) context.Console.Write(CatalogTables.Accelerators(accelerators, wide));
            if (!wide) context.Console.MarkupLine("[grey]Names and sources: infercost catalog show ID, or --json; a terminal of 140+ columns lists them here.[/]");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "A model or accelerator id." };
        var catalogInputs = new CatalogInputs();
        var json = CommonOptions.Json();
        var command = new Command("show",
            "Show every field of a model (with its computed parameter breakdown) or an accelerator, with sources and notes." +
            "\n\nExample:\n  infercost catalog show deepseek-r1\n  infercost catalog show nvidia-h100-sxm --json");
        command.Arguments.Add(id);
        catalogInputs.AddTo(command);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var catalog = catalogInputs.Load(parse, context);
            var answer = new CatalogShowRequest(parse.GetValue(id)!).Answer(catalog);
            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(answer);
                return ExitCodes.Ok;
            }

            if (answer is ModelDetails details)
            {
                foreach (var table in CatalogTables.Model(details.Model, details.Parameters)) context.Console.Write(table);
                CatalogTables.WriteNotes(context.Console, details.Model.Source);
            }
            else if (answer is Hardware.Accelerator accelerator)
            {
                context.Console.Write(CatalogTables.Accelerator(accelerator));
                CatalogTables.WriteNotes(context.Console, accelerator.Source);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
