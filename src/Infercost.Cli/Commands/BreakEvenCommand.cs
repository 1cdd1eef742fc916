using System.CommandLine;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Requests;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost breakeven</c>: the daily volume and utilisation at which a self-hosted cluster beats an API price.</summary>
internal static class BreakEvenCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var prices = new PriceInputs();
        var workload = new WorkloadInputs();
        var selfHost = new SelfHostInputs("--model", withSwitch: false);
        var speculation = new SpeculationInputs();
        var apiModel = new Option<string>("--api-model") { Description = "API model to compare against (see 'infercost prices').", HelpName = "ID", Required = true };
        var maxUtilisation = CliOptions.Double(BreakEvenRequest.MaxUtilisationField, "The busiest a cluster is run before another is added (headroom for peaks).", "F", 1);
        var json = CommonOptions.Json();
        var command = new Command("breakeven",
            "Self-hosted cluster versus API price for a workload: the daily volume and utilisation where the cluster (a fixed cost " +
            "per day, with a capacity from the engine's throughput) becomes cheaper, and a table over volume with clusters added " +
            "beyond capacity." +
            "\n\nExample:\n  infercost breakeven --profile chat --api-model claude-sonnet-4.5 --model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 8 --gpu-price 2" +
            "\n  infercost breakeven --profile chat --api-model deepseek-v3 --model deepseek-v3 --gpu nvidia-h200-sxm --gpus 8 --gpu-price 3 --spec-method mtp --spec-acceptance 0.85");
        command.Options.Add(apiModel);
        selfHost.AddTo(command);
        speculation.AddTo(command);
        command.Options.Add(maxUtilisation);
        workload.AddTo(command);
        prices.AddTo(command);
        command.Options.Add(json);

        command.SetAction(parse =>
        {
            var request = speculation.FillSelfHosted(selfHost.Fill(parse, workload.Fill(parse, new BreakEvenRequest
            {
                ApiModel = parse.GetValue(apiModel),
                Model = parse.GetValue(selfHost.Model),
                MaxUtilisation = parse.GetValue(maxUtilisation),
                On = parse.GetValue(prices.On),
            })), parse);
            request.Validate();
            var (result, quote) = request.Analyse(selfHost.Catalog.Load(parse, context), prices.Load(parse, context));
            var w = request.Workload();
            var api = result.Api;
            var deployment = result.SelfHost;
            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(result);
                return ExitCodes.Ok;
            }

            var console = context.Console;
            var summary = KeyValueTable.Create($"Break-even: {w.Id} on {api.Label} vs {deployment.Label}",
            [
                ("API cost per request", $"{Money(result.ApiPerRequest)} ({api.Basis}{(api.Disputed ? "; disputed" : "")})"),
                ("Self-host cost per request at full use", Money(result.SelfHostPerRequestAtFullUse)),
                ("Cluster cost per day", $"{Money(result.ClusterPerDay)} ({Money(deployment.ClusterPerHour)} × 24 h)"),
                ("One cluster's capacity", $"{Number(result.CapacityRequestsPerDay)} requests/day = {Count(result.CapacityTokensPerDay.Value)} tokens/day"),
                ("Break-even volume", result.BreakEvenRequestsPerDay is { } v ? $"{Number(v)} requests/day = {Count(result.BreakEvenTokensPerDay!.Value.Value)} tokens/day" : "never (the API is cheaper than a fully used cluster)"),
                ("Break-even utilisation", result.BreakEvenUtilisation is { } u ? Percent(u) : "-"),
            ]);
            console.Write(summary);
            if (result.Bands is { } b)
            {
                var ends = KeyValueTable.Grid($"At the engine's throughput band ({Times(b.Speed.Low)} and {Times(b.Speed.High)} of the model)",
                    "", "As modelled", "Slow end (P10 speed)", "Fast end (P90 speed)");
                ends.AddTextRow("Self-host cost per request at full use", Money(result.SelfHostPerRequestAtFullUse), Money(b.Slow.SelfHostPerRequestAtFullUse), Money(b.Fast.SelfHostPerRequestAtFullUse));
                ends.AddTextRow("One cluster's capacity, requests/day", Number(result.CapacityRequestsPerDay), Number(b.Slow.CapacityRequestsPerDay), Number(b.Fast.CapacityRequestsPerDay));
                static string Volume(double? v) => v is { } x ? Number(x) + " requests/day" : "never";
                static string Use(double? u) => u is { } x ? Percent(x) : "-";
                ends.AddTextRow("Break-even volume", Volume(result.BreakEvenRequestsPerDay), Volume(b.Slow.BreakEvenRequestsPerDay), Volume(b.Fast.BreakEvenRequestsPerDay));
                ends.AddTextRow("Break-even utilisation", Use(result.BreakEvenUtilisation), Use(b.Slow.BreakEvenUtilisation), Use(b.Fast.BreakEvenUtilisation));
                console.Write(ends);
            }

            var table = KeyValueTable.Grid("Cost over volume", "Requests/day", "Tokens/day", "API $/day", "Self-host $/day", "Clusters", "Utilisation", "Winner");
            foreach (var r in result.Table)
                table.AddTextRow(Number(r.RequestsPerDay), Count(r.TokensPerDay.Value), Money(r.ApiPerDay), Money(r.SelfHostPerDay), Number(r.Clusters), Percent(r.Utilisation), r.Winner);
            console.Write(table);
            WorkloadTables.WriteSpeculation(console, result.SelfHostSpeculation, result.SelfHostBatch);
            WorkloadTables.WriteNotes(console, result.Notes);
            WorkloadTables.WriteNotes(console, quote.Serving.Notes);
            return ExitCodes.Ok;
        });
        return command;
    }
}
