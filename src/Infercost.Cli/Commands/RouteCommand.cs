using System.CommandLine;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Requests;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost route</c>: blended cost of a workload routed across model tiers, and the saving against one tier.</summary>
internal static class RouteCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var prices = new PriceInputs();
        var workload = new WorkloadInputs();
        var tiers = new Option<string[]>("--tier")
        {
            Description = "A tier and its share of requests: MODEL=SHARE (an API model id), or NAME@IN/OUT=SHARE for a tier at explicit " +
                          "$/MTok (a self-hosted model). Repeat for each tier; shares must sum to 1.",
            HelpName = "MODEL=SHARE",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var baseline = new Option<string?>("--baseline") { Description = "API model that would take all traffic without routing. Default: the most expensive tier.", HelpName = "ID" };
        var json = CommonOptions.Json();
        var command = new Command("route",
            "Blended cost of a workload whose requests are split across model tiers, and the saving against sending everything to one tier." +
            "\n\nExample:\n  infercost route --profile chat --tier claude-opus-4.5=0.1 --tier claude-sonnet-4.5=0.3 --tier claude-haiku-4.5=0.6" +
            "\n  infercost route --profile rag --tier gpt-5.4=0.2 --tier my-llama@0.1/0.4=0.8 --baseline gpt-5.4");
        command.Options.Add(tiers);
        command.Options.Add(baseline);
        workload.AddTo(command);
        prices.AddTo(command);
        command.Options.Add(json);

        command.SetAction(parse =>
        {
            var request = workload.Fill(parse, new RouteRequest
            {
                Tier = parse.GetValue(tiers),
                Baseline = parse.GetValue(baseline),
                On = parse.GetValue(prices.On),
            });
            request.Validate();
            var result = request.Answer(prices.Load(parse, context));
            var w = request.Workload();
            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(result);
                return ExitCodes.Ok;
            }

            var table = KeyValueTable.Grid($"Routing {w.Id} ({Number(w.RequestsPerDay)} requests/day)", "Tier", "Input", "Output", "Share", "All traffic $/day", "Its share $/day");
            foreach (var t in result.Tiers)
            {
                var p = t.Tier.Prices;
                table.AddTextRow(p.Label + (p.Disputed ? " (disputed)" : ""), Money(p.Input), Money(p.Output), Percent(t.Tier.Share), Money(t.AllTraffic.PerDay), Money(t.PerDay));
            }

            table.AddTextRow("Routed", "", "", "100.0%", "", Money(result.PerDay));
            table.Caption(Markup.Escape($"Routed: {Money(result.PerDay)}/day, {Money(result.PerMonth)}/month (30 days), {Money(result.BlendedPerMillion)} blended. " +
                $"All on {result.Baseline.Prices.Label}: {Money(result.Baseline.PerDay)}/day. Saving: {Money(result.SavingPerDay)}/day ({Percent(result.SavingFraction)})."));
            context.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
