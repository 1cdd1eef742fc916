using System.CommandLine;
using System.Globalization;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Economics.Routing;
using Infercost.Economics.Workloads;
using Infercost.Quantities;
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
            var catalog = prices.Load(parse, context);
            var on = parse.GetValue(prices.On);
            var w = workload.Workload(parse);
            var levers = workload.Levers(parse);
            var routeTiers = (parse.GetValue(tiers) ?? []).Select(t => ParseTier(t, id => PriceSheet.FromApi(catalog.Get(id, on)))).ToList();
            var baselineSheet = parse.GetValue(baseline) is { } b ? PriceSheet.FromApi(catalog.Get(b, on)) : null;
            var result = TieredRouting.Route(w, routeTiers, baselineSheet, levers);
            if (parse.GetValue(json))
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

    /// <summary>Parses <c>MODEL=SHARE</c> or <c>NAME@IN/OUT=SHARE</c>.</summary>
    private static RouteTier ParseTier(string text, Func<string, PriceSheet> lookup)
    {
        var eq = text.LastIndexOf('=');
        if (eq <= 0 || eq == text.Length - 1)
            throw new InvalidInputException("tier", $"tier must be MODEL=SHARE or NAME@IN/OUT=SHARE; was '{text}'.");
        var name = text[..eq].Trim();
        if (!double.TryParse(text[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var share))
            throw new InvalidInputException("tier", $"tier {name} share must be a number; was '{text[(eq + 1)..]}'.");
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at < 0) return new RouteTier(lookup(name), share);
        var rates = name[(at + 1)..].Split('/');
        if (rates.Length != 2
            || !double.TryParse(rates[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var input)
            || !double.TryParse(rates[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var output))
            throw new InvalidInputException("tier", $"an explicit tier is NAME@IN/OUT=SHARE with IN and OUT in $/MTok; was '{text}'.");
        var label = name[..at];
        var sheet = PriceSheet.SelfHosted(label.Length > 0 ? label : "self-hosted",
            DollarsPerMillionTokens.FromDollarsPerMillionTokens(Guard.NonNegative(input, "tier input price")),
            DollarsPerMillionTokens.FromDollarsPerMillionTokens(Guard.NonNegative(output, "tier output price")), basis: "given $/MTok");
        return new RouteTier(sheet, share);
    }
}
