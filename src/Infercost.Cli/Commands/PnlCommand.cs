using System.CommandLine;
using System.Globalization;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Datacenter;
using Infercost.Economics.ProviderPnl;
using Infercost.Quantities;
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
        var gpus = CliOptions.OptionalDouble("--gpus", "GPUs in service on average over the period (DeepSeek: 226.75 nodes × 8 = 1,814).", "N", CliOptions.InRange(1e-3, 1e8));
        var perNode = CliOptions.Int("--gpus-per-node", "GPUs per node, for node counts and node-hour prices.", 1, 1024, 8);
        var gpuPrice = CliOptions.OptionalDouble("--gpu-price", "Cost per GPU-hour (lease or equivalent).", "$/GPU-h", CliOptions.InRange(0, 10_000));
        var hours = CliOptions.Double("--hours", "Length of the period.", "H", CliOptions.InRange(1.0 / 3600, 8784), 24);
        var input = CliOptions.OptionalDouble("--input-tokens", "Input tokens served in the period, cache hits included (e.g. 608e9).", "TOKENS", CliOptions.InRange(0, 1e18));
        var cached = CliOptions.Double("--cached-tokens", "Of the input tokens, those that hit the prompt cache.", "TOKENS", CliOptions.InRange(0, 1e18), 0);
        var output = CliOptions.OptionalDouble("--output-tokens", "Output tokens served in the period.", "TOKENS", CliOptions.InRange(0, 1e18));
        var priceIn = CliOptions.OptionalDouble("--price-in", "List price per million uncached input tokens.", "$/MTok", CliOptions.Above(0, 100_000));
        var priceCached = CliOptions.OptionalDouble("--price-cached", "List price per million cached input tokens. Default: --price-in.", "$/MTok", CliOptions.Above(0, 100_000));
        var priceOut = CliOptions.OptionalDouble("--price-out", "List price per million output tokens.", "$/MTok", CliOptions.Above(0, 100_000));
        var prefill = CliOptions.OptionalDouble("--prefill-per-node", "Input tokens/s one node sustains while prefilling (for the node-count check).", "TOK/S", CliOptions.Above(0, 1e9));
        var decode = CliOptions.OptionalDouble("--decode-per-node", "Output tokens/s one node sustains while decoding (for the node-count check).", "TOK/S", CliOptions.Above(0, 1e9));
        var training = CliOptions.OptionalDouble("--training-cost", "Lab view: what training the served model cost, amortised over the tokens served.", "$", CliOptions.InRange(0, 1e13));
        var years = CliOptions.Double("--amortise-years", "Lab view: years over which training is written off.", "YEARS", CliOptions.InRange(0.1, 20), 1);
        var tokensPerDay = CliOptions.OptionalDouble("--training-tokens-per-day", "Lab view: tokens (input + output) served per day over those years. Default: this period's rate.", "TOKENS", CliOptions.Above(0, 1e18));
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
            ProviderDay day;
            var figures = new Option[] { gpus, perNode, gpuPrice, hours, input, cached, output, priceIn, priceCached, priceOut, prefill, decode };
            if (parse.GetValue(scenario) is { } id)
            {
                if (figures.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } extra)
                    throw new InvalidInputException(extra.Name.TrimStart('-'), $"{extra.Name} cannot change the built-in scenario {id}; omit the scenario to give every figure yourself.");
                day = ProviderScenarios.Get(id);
            }
            else
            {
                var pIn = Need(parse.GetValue(priceIn), "--price-in");
                day = new ProviderDay(
                    "custom",
                    Need(parse.GetValue(gpus), "--gpus") / parse.GetValue(perNode),
                    parse.GetValue(perNode),
                    DollarsPerHour.FromDollarsPerHour(Need(parse.GetValue(gpuPrice), "--gpu-price")),
                    Seconds.FromHours(parse.GetValue(hours)),
                    Tokens.FromTokens(Need(parse.GetValue(input), "--input-tokens")),
                    Tokens.FromTokens(parse.GetValue(cached)),
                    Tokens.FromTokens(Need(parse.GetValue(output), "--output-tokens")),
                    DollarsPerMillionTokens.FromDollarsPerMillionTokens(pIn),
                    DollarsPerMillionTokens.FromDollarsPerMillionTokens(parse.GetValue(priceCached) ?? pIn),
                    DollarsPerMillionTokens.FromDollarsPerMillionTokens(Need(parse.GetValue(priceOut), "--price-out")),
                    parse.GetValue(prefill) is { } pf ? TokensPerSecond.FromTokensPerSecond(pf) : null,
                    parse.GetValue(decode) is { } dc ? TokensPerSecond.FromTokensPerSecond(dc) : null,
                    Source: Provenance.User("command-line figures"));
            }

            TrainingAmortisation? amortisation = null;
            double? trainingCost = parse.GetValue(training);
            if (trainRun.FirstGiven(parse) is null && parse.GetResult(catalog.File) is { Implicit: false })
                throw new InvalidInputException("catalog", "--catalog only supplies the training run's accelerator; add --train-params and --train-tokens, or leave it out.");
            if (trainRun.FirstGiven(parse) is { } runOption)
            {
                if (trainingCost is not null)
                    throw new InvalidInputException("training-cost", $"--training-cost and {runOption.Name} both give the training bill; keep one.");
                trainingCost = TrainingCost.Estimate(trainRun.Run(parse, catalog.Load(parse, context))).Cost.Value;
            }

            if (trainingCost is { } cost)
            {
                amortisation = new TrainingAmortisation(Dollars.FromDollars(cost), parse.GetValue(years),
                    parse.GetValue(tokensPerDay) is { } t ? Tokens.FromTokens(t) : null);
            }
            else if (new Option[] { years, tokensPerDay }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } orphan)
            {
                throw new InvalidInputException(orphan.Name.TrimStart('-'), $"{orphan.Name} applies to the lab view; add --training-cost (or --train-params and --train-tokens).");
            }

            var pnl = ProviderPnlModel.Compute(day, amortisation);
            if (parse.GetValue(json))
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

    private static double Need(double? value, string option) =>
        value ?? throw new InvalidInputException(option.TrimStart('-'), $"{option} is required without a scenario (or name one: {string.Join(", ", ProviderScenarios.All.Select(s => s.Name))}).");

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
