using System.CommandLine;
using System.Globalization;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Economics.ProviderPnl;
using Infercost.Requests;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost pnl</c>: an inference provider's revenue, GPU cost and margins for a period, from a built-in
/// disclosure (DeepSeek's day 6) or the figures given, with training optionally amortised.</summary>
internal static class PnlCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var scenario = new Argument<string?>("scenario")
        {
            Description = $"A built-in scenario: {string.Join(", ", ProviderScenarios.All.Select(s => s.Name))}. Omit to give the figures as options.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var gpus = CliOptions.OptionalDouble(PnlRequest.GpusField, "GPUs in service on average over the period (DeepSeek: 226.75 nodes × 8 = 1,814).", "N");
        var perNode = CliOptions.Int(PnlRequest.GpusPerNodeField, "GPUs per node, for node counts and node-hour prices.", 8);
        var gpuPrice = CliOptions.OptionalDouble(PnlRequest.GpuPriceField, "Cost per GPU-hour (lease or equivalent).", "$/GPU-h");
        var hours = CliOptions.Double(PnlRequest.HoursField, "Length of the period.", "H", 24);
        var input = CliOptions.OptionalDouble(PnlRequest.InputTokensField, "Input tokens served in the period, cache hits included (e.g. 608e9).", "TOKENS");
        var cached = CliOptions.Double(PnlRequest.CachedTokensField, "Of the input tokens, those that hit the prompt cache.", "TOKENS", 0);
        var output = CliOptions.OptionalDouble(PnlRequest.OutputTokensField, "Output tokens served in the period.", "TOKENS");
        var priceIn = CliOptions.OptionalDouble(PnlRequest.PriceInField, "List price per million uncached input tokens.", "$/MTok");
        var priceCached = CliOptions.OptionalDouble(PnlRequest.PriceCachedField, "List price per million cached input tokens. Default: --price-in.", "$/MTok");
        var priceOut = CliOptions.OptionalDouble(PnlRequest.PriceOutField, "List price per million output tokens.", "$/MTok");
        var prefill = CliOptions.OptionalDouble(PnlRequest.PrefillPerNodeField, "Input tokens/s one node sustains while prefilling (for the node-count check).", "TOK/S");
        var decode = CliOptions.OptionalDouble(PnlRequest.DecodePerNodeField, "Output tokens/s one node sustains while decoding (for the node-count check).", "TOK/S");
        var training = CliOptions.OptionalDouble(PnlRequest.TrainingCostField, "Lab view: what training the served model cost, amortised over the tokens served.", "$");
        var years = CliOptions.Double(PnlRequest.AmortiseYearsField, "Lab view: years over which training is written off.", "YEARS", 1);
        var tokensPerDay = CliOptions.OptionalDouble(PnlRequest.TrainingTokensPerDayField, "Lab view: tokens (input + output) served per day over those years. Default: this period's rate.", "TOKENS");
        var trainRun = new TrainingInputs();
        var catalog = new CatalogInputs();
        var json = CommonOptions.Json();
        var command = new Command("pnl",
            "Provider P&L for a period: GPU cost (GPUs × $/GPU-hour × hours), revenue at list prices (cached input, uncached " +
            "input, output), cost profit margin ((revenue − cost) ÷ cost) and gross margin ((revenue − cost) ÷ revenue); " +
            "with per-node throughputs, a node-count check and implied $/MTok; with --training-cost, the margin left after " +
            "training is paid for (or, with --train-params and --train-tokens, the 6·N·D estimate of 'infercost training')." +
            "\n\nExample:\n  infercost pnl deepseek-day6\n  infercost pnl deepseek-day6 --training-cost 5.576e6 --amortise-years 1" +
            "\n  infercost pnl --gpus 1814 --gpu-price 2 --input-tokens 608e9 --cached-tokens 342e9 --output-tokens 168e9 --price-in 0.55 --price-cached 0.14 --price-out 2.19");
        command.Arguments.Add(scenario);
        foreach (var option in new Option[] { gpus, perNode, gpuPrice, hours, input, cached, output, priceIn, priceCached, priceOut, prefill, decode, training, years, tokensPerDay, json })
            command.Options.Add(option);
        trainRun.AddTo(command);
        catalog.AddTo(command);

        command.SetAction(parse =>
        {
            var request = new PnlRequest
            {
                Scenario = parse.GetValue(scenario),
                Gpus = parse.GetValue(gpus),
                GpusPerNode = Given(parse, perNode),
                GpuPrice = parse.GetValue(gpuPrice),
                Hours = Given(parse, hours),
                InputTokens = parse.GetValue(input),
                CachedTokens = Given(parse, cached),
                OutputTokens = parse.GetValue(output),
                PriceIn = parse.GetValue(priceIn),
                PriceCached = parse.GetValue(priceCached),
                PriceOut = parse.GetValue(priceOut),
                PrefillPerNode = parse.GetValue(prefill),
                DecodePerNode = parse.GetValue(decode),
                TrainingCost = parse.GetValue(training),
                AmortiseYears = Given(parse, years),
                TrainingTokensPerDay = parse.GetValue(tokensPerDay),
                TrainParams = parse.GetValue(trainRun.Parameters),
                TrainTokens = parse.GetValue(trainRun.Tokens),
                TrainGpu = parse.GetValue(trainRun.Gpu),
                TrainPrecision = parse.GetValue(trainRun.Precision),
                TrainMfu = Given(parse, trainRun.Mfu),
                TrainGpuPrice = parse.GetValue(trainRun.GpuPrice),
                TrainGpus = parse.GetValue(trainRun.Gpus),
            };
            request.Validate();
            if (trainRun.FirstGiven(parse) is null && parse.GetResult(catalog.File) is { Implicit: false })
                throw new InvalidInputException("catalog", "--catalog only supplies the training run's accelerator; add --train-params and --train-tokens, or leave it out.");
            var pnl = request.Answer(request.TrainParams is null && request.TrainTokens is null ? Catalog.Catalog.Embedded : catalog.Load(parse, context));
            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(pnl);
                return ExitCodes.Ok;
            }

            Render(context.Console, pnl);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string OneDecimal(double value) => value.ToString("N1", CultureInfo.InvariantCulture);

    // An option with a default, as the request's null when the user did not type it (the request applies the default).
    private static T? Given<T>(ParseResult parse, Option<T> option) where T : struct =>
        parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option) : null;

    private static void Render(IAnsiConsole console, PnlStatement p)
    {
        var d = p.Day;
        console.Write(KeyValueTable.Create($"Provider P&L: {d.Name}, {Guard.Format(d.Period.Hours)} h",
        [
            ("Fleet", $"{Guard.Format(d.Nodes)} nodes × {d.GpusPerNode} GPUs = {Number(d.Gpus)} GPUs at {Money(d.GpuHourPrice)} per GPU"),
            ("GPU cost", $"{Money(p.Cost)} ({Number(p.GpuHours)} GPU-hours)"),
            ("Input tokens", $"{Count(d.InputTokens.Value)}, of which {Count(d.CachedInputTokens.Value)} cached ({(p.CacheHitShare is { } s ? (s * 100).ToString("N2", CultureInfo.InvariantCulture) + "%" : "n/a")})"),
            ("Output tokens", Count(d.OutputTokens.Value)),
            ("Revenue, cached input", $"{Money(p.RevenueCachedInput)} at {Money(d.PriceCachedInput)}"),
            ("Revenue, uncached input", $"{Money(p.RevenueUncachedInput)} at {Money(d.PriceInput)}"),
            ("Revenue, output", $"{Money(p.RevenueOutput)} at {Money(d.PriceOutput)}"),
            ("Revenue (list prices)", Money(p.Revenue)),
            ("Profit", Money(p.Profit)),
            ("Cost profit margin", p.CostProfitMargin is { } c ? Percent(c) + " ((revenue − cost) ÷ cost)" : "n/a"),
            ("Gross margin", p.GrossMargin is { } g ? Percent(g) + " ((revenue − cost) ÷ revenue)" : "n/a"),
        ]));

        if (p.Published is { } pub)
        {
            console.Write(KeyValueTable.Create("Against the published figures",
            [
                ("Published revenue", Money(pub.PublishedRevenue)),
                ("Recomputed − published", Money(pub.Gap)),
                ("Explained by rounding", pub.RoundingTolerance is { } t
                    ? $"{(pub.GapWithinRounding == true ? "yes" : "no")}: token counts rounded to {Count(d.TokenCountGranularity!.Value.Value)} move revenue by up to ±{Money(t)}"
                    : null),
                ("Cost profit margin (published revenue)", pub.CostProfitMarginPublished is { } cp ? Percent(cp) : null),
                ("Gross margin (published revenue)", pub.GrossMarginPublished is { } gp ? Percent(gp) : null),
            ]));
        }

        if (p.Nodes is { } n)
        {
            console.Write(KeyValueTable.Create("Node-count check from per-node throughputs",
            [
                ("Average input rate", $"{Rate(n.AverageInputRate)} ÷ {Rate(d.PrefillPerNode!.Value)} per node = {OneDecimal(n.PrefillNodes)} prefill nodes"),
                ("Average output rate", $"{Rate(n.AverageOutputRate)} ÷ {Rate(d.DecodePerNode!.Value)} per node = {OneDecimal(n.DecodeNodes)} decode nodes"),
                ("Implied nodes", $"{OneDecimal(n.ImpliedNodes)} vs {Guard.Format(n.StatedNodes)} stated ({(n.RelativeDifference * 100).ToString("+0.00;-0.00", CultureInfo.InvariantCulture)}%)"),
            ]));
        }

        var u = p.UnitCosts;
        console.Write(KeyValueTable.Create("Implied cost per million tokens",
        [
            ("Node-hour", Money(u.NodeHourPrice)),
            ("Output on decode nodes", u.DecodeOutput is { } o ? Money(o) : null),
            ("Input on prefill nodes", u.PrefillInput is { } i ? Money(i) : null),
            ("All cost over output tokens", u.AllCostOverOutput is { } a ? Money(a) : null),
            ("Revenue per output MTok", u.RevenuePerOutput is { } r ? Money(r) : null),
        ]));

        if (p.Training is { } t2)
        {
            console.Write(KeyValueTable.Create("Lab view: training paid out of inference",
            [
                ("Training cost", $"{Money(t2.Amortisation.TrainingCost)} over {Guard.Format(t2.Amortisation.Years)} year(s)"),
                ("Tokens per day", Count(t2.TokensPerDay.Value)),
                ("Training per million tokens", Money(t2.TrainingPerMillion)),
                ("Training charge this period", Money(t2.TrainingCharge)),
                ("Profit after training", Money(t2.ProfitAfterTraining)),
                ("Gross margin after training", t2.GrossMarginAfterTraining is { } m ? Percent(m) : "n/a"),
            ]));
        }

        if (d.Source is { } source)
        {
            console.WriteLine($"Source: {string.Join(", ", source.Sources)} ({source.AsOf}).");
            foreach (var note in source.Notes) console.WriteLine("Note: " + note);
        }
    }
}
