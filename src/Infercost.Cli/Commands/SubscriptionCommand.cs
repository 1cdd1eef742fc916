using System.CommandLine;
using Infercost.Cli.Inputs;
using Infercost.Cli.Plotting;
using Infercost.Cli.Rendering;
using Infercost.Economics.Subscriptions;
using Infercost.Requests;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost subscription value|cost|population</c>: what a flat-rate plan's allowance is worth at API
/// prices, what one subscriber costs to serve, and what a simulated population of them costs.</summary>
internal static class SubscriptionCommand
{
    /// <summary>Above this many simulated subscribers a progress bar is shown (tables only, not with --json).</summary>
    public const int ProgressBarThreshold = 200_000;

    private const string HeadlineSource = SubscriptionPopulationRequest.HeadlineSource;

    /// <summary>Builds the command and its subcommands.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("subscription",
            "Subscription plans (Claude Pro, Max 5x, Max 20x; limits from she-llac.com/claude-limits, Jan 2026): the API " +
            "value of the allowance, the cost of serving one subscriber, and a seeded simulation of a subscriber population." +
            "\n\nExample:\n  infercost subscription value --plan max-20x" +
            "\n  infercost subscription cost --plan max-20x --input-per-day 10e6 --output-per-day 1e5 --cost-in 0.005 --cost-out 5.13" +
            "\n  infercost subscription population --plan max-20x --users 100000 --seed 42 --plot dist.png");
        command.Subcommands.Add(Value(context));
        command.Subcommands.Add(Cost(context));
        command.Subcommands.Add(Population(context));
        return command;
    }

    private static Command Value(CliContext context)
    {
        var plan = PlanOption(required: false);
        var family = FamilyOption();
        var weeks = WeeksOption();
        var apiIn = CliOptions.OptionalDouble(SubscriptionValueRequest.ApiInField, "API list price of the model per million input tokens. Default: the price catalog's price of --price-model.", "$/MTok");
        var apiOut = CliOptions.OptionalDouble(SubscriptionValueRequest.ApiOutField, "API list price of the model per million output tokens. Default: the price catalog's price of --price-model.", "$/MTok");
        var priceModel = new Option<string?>("--price-model")
        {
            Description = "Price-catalog model whose list price values the credits. Default: claude-opus-4.5, claude-sonnet-4.5 or claude-haiku-4.5 by --model-family.",
            HelpName = "ID",
        };
        var json = CommonOptions.Json();
        var command = new Command("value",
            "API-equivalent value of a plan's allowance: dollars per credit (API output price ÷ credits per output token), " +
            "value per 5-hour window and per week, which limit binds, and per month at an explicit weeks-per-month constant. " +
            "Without --plan, the cross-tier table." +
            "\n\nExample:\n  infercost subscription value --plan max-20x" +
            "\n  infercost subscription value --weeks-per-month 52/12\n  infercost subscription value --plan pro --api-in 5 --api-out 25");
        foreach (var option in new Option[] { plan, family, weeks, apiIn, apiOut, priceModel, json }) command.Options.Add(option);

        command.SetAction(parse =>
        {
            var request = new SubscriptionValueRequest
            {
                Plan = parse.GetValue(plan),
                ModelFamily = parse.GetValue(family)!,
                WeeksPerMonth = parse.GetValue(weeks)!,
                ApiIn = parse.GetValue(apiIn),
                ApiOut = parse.GetValue(apiOut),
                PriceModel = parse.GetValue(priceModel),
            };
            var report = request.Answer();
            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(report);
                return ExitCodes.Ok;
            }

            var (plans, values, priceSource, weeksText) = (report.Plans, report.Values, report.ApiPriceSource, request.WeeksPerMonth);
            if (values.Count == 1) RenderValue(context.Console, plans[0], values[0], priceSource, weeksText);
            else RenderTiers(context.Console, plans, values, priceSource, weeksText);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Cost(CliContext context)
    {
        var plan = PlanOption(required: true);
        var inPerDay = CliOptions.Double(SubscriptionCostRequest.InputPerDayField, "Input tokens the subscriber sends per day (10e6 for Alderson's heavy Claude Code user).", "TOKENS", 0);
        var outPerDay = CliOptions.Double(SubscriptionCostRequest.OutputPerDayField, "Output tokens the subscriber receives per day.", "TOKENS", 0);
        var rates = new RateOptions();
        var price = CliOptions.OptionalDouble(SubscriptionCostRequest.PriceField, "Monthly price the subscriber pays. Default: the plan's list price.", "$");
        var weeks = WeeksOption();
        var json = CommonOptions.Json();
        var command = new Command("cost",
            "Monthly cost of serving one subscriber: days × (input/1e6 × cost-in + output/1e6 × cost-out), the costs divided " +
            "by --moe-efficiency, against the plan price (markup and gross margin)." +
            "\n\nExample:\n  infercost subscription cost --plan max-20x --input-per-day 10e6 --output-per-day 1e5 --cost-in 0.005 --cost-out 5.13" +
            "\n  infercost subscription cost --plan max-20x --input-per-day 10e6 --output-per-day 1e5 --moe-efficiency 0.6" +
            "\n  infercost subscription cost --plan pro --input-per-day 70000 --output-per-day 30000");
        foreach (var option in new Option[] { plan, inPerDay, outPerDay, price, weeks, json }) command.Options.Add(option);
        rates.AddTo(command);

        command.SetAction(parse =>
        {
            var request = new SubscriptionCostRequest
            {
                Plan = parse.GetValue(plan),
                InputPerDay = parse.GetValue(inPerDay),
                OutputPerDay = parse.GetValue(outPerDay),
                CostIn = parse.GetResult(rates.CostIn) is { Implicit: false } ? parse.GetValue(rates.CostIn) : null,
                CostOut = parse.GetResult(rates.CostOut) is { Implicit: false } ? parse.GetValue(rates.CostOut) : null,
                MoeEfficiency = parse.GetValue(rates.Moe),
                Price = parse.GetValue(price),
                WeeksPerMonth = parse.GetValue(weeks)!,
            };
            var report = request.Answer();
            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(report);
                return ExitCodes.Ok;
            }

            var (p, cost) = (SubscriptionPlans.Get(report.PlanId), report.Cost);
            RenderCost(context.Console, p, cost, report.RateSource);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Population(CliContext context)
    {
        var plan = PlanOption(required: true);
        var family = FamilyOption();
        var users = CliOptions.Int(SubscriptionPopulationRequest.UsersField, "Subscribers to simulate.", 100_000);
        var seed = CliOptions.Int("--seed", "Seed of the random stream; the same seed gives the same result.", 0, int.MaxValue, 42);
        var median = CliOptions.Double("--median-output-per-day", "Median output tokens per subscriber per day (lognormal median). An assumption: no provider publishes its usage distribution.", "TOKENS", CliOptions.Above(0, 1e12), 20_000);
        var sigma = CliOptions.Double("--sigma", "Spread of ln(output per day) (lognormal sigma).", "S", CliOptions.InRange(0, 5), 1.5);
        var ratio = CliOptions.Double("--input-per-output", "Input tokens per output token (Alderson's heavy user: 10M/100k = 100).", "R", CliOptions.InRange(0, 10_000), 100);
        var mixture = new Option<string[]>("--mixture")
        {
            Description = "A lognormal mixture instead of --median-output-per-day/--sigma: one WEIGHT:MEDIAN:SIGMA per component, " +
                          "for example --mixture 0.9:10000:1 --mixture 0.1:300000:0.8.",
            HelpName = "W:MEDIAN:SIGMA",
            AllowMultipleArgumentsPerToken = true,
        };
        var rates = new RateOptions();
        var weeks = WeeksOption();
        var plot = PlotOptions.Plot("the distribution of monthly cost per subscriber");
        var json = CommonOptions.Json();
        var command = new Command("population",
            "Seeded Monte Carlo of a plan's subscribers: daily output from a lognormal (or a mixture), input in a fixed ratio, " +
            "usage cut to the plan's limits; reports mean cost per subscriber, markup, the share who cost more than they pay, " +
            "P50/P90/P99 and the cost of a subscriber who uses every window until the binding limit." +
            "\n\nExample:\n  infercost subscription population --plan max-20x --users 100000 --seed 42 --median-output-per-day 20000 --sigma 1.5" +
            "\n  infercost subscription population --plan max-20x --mixture 0.9:10000:1 --mixture 0.1:300000:0.8 --plot dist.png");
        foreach (var option in new Option[] { plan, family, users, seed, median, sigma, ratio, mixture, weeks, plot, json }) command.Options.Add(option);
        rates.AddTo(command);

        command.SetAction(parse =>
        {
            var request = new SubscriptionPopulationRequest
            {
                Plan = parse.GetValue(plan),
                ModelFamily = parse.GetValue(family)!,
                Users = parse.GetValue(users),
                Seed = parse.GetValue(seed),
                MedianOutputPerDay = parse.GetValue(median),
                Sigma = parse.GetValue(sigma),
                InputPerOutput = parse.GetValue(ratio),
                Mixture = parse.GetValue(mixture) is { Length: > 0 } parts ? parts : null,
                CostIn = parse.GetResult(rates.CostIn) is { Implicit: false } ? parse.GetValue(rates.CostIn) : null,
                CostOut = parse.GetResult(rates.CostOut) is { Implicit: false } ? parse.GetValue(rates.CostOut) : null,
                MoeEfficiency = parse.GetValue(rates.Moe),
                WeeksPerMonth = parse.GetValue(weeks)!,
            };
            var spec = request.Spec();
            var p = spec.Plan;
            var asJson = CommonOptions.IsJson(parse, json);
            var report = !asJson && spec.Subscribers > ProgressBarThreshold
                ? WithProgressBar(context.Console, request, spec.Subscribers)
                : request.Answer();
            var result = report.Result;
            var plotPath = parse.GetValue(plot) is { } path ? PlotWriter.Write(Charts.CostDistribution(result, p.Name), path) : null;
            if (asJson)
            {
                context.WriteJson(report);
                return ExitCodes.Ok;
            }

            RenderPopulation(context.Console, p, spec, result, rates.Describe(parse));
            if (plotPath is not null) context.Console.WriteLine("Plot written to " + plotPath);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static SubscriptionPopulationReport WithProgressBar(IAnsiConsole console, SubscriptionPopulationRequest request, int subscribers)
    {
        SubscriptionPopulationReport? result = null;
        console.Progress().Start(ctx =>
        {
            var task = ctx.AddTask($"Simulating {Number(subscribers)} subscribers", maxValue: 1);
            result = request.Answer(new SynchronousProgress(v => task.Value = v));
        });
        return result!;
    }

    // ---- options ----

    private static Option<string?> PlanOption(bool required) => new("--plan")
    {
        Description = $"Plan id: {string.Join(", ", SubscriptionPlans.All.Select(p => p.Id))}." + (required ? "" : " Default: every plan (the cross-tier table)."),
        HelpName = "ID",
        Required = required,
    };

    private static Option<string> FamilyOption() => new("--model-family")
    {
        Description = "Model family whose credit rates apply: opus, sonnet or haiku. Default: opus.",
        HelpName = "FAMILY",
        DefaultValueFactory = _ => "opus",
    };

    private static Option<string> WeeksOption()
    {
        var option = new Option<string>("--weeks-per-month")
        {
            Description = "Weeks per month for monthly figures: 30/7 (a 30-day month; the r/ClaudeAI $2,679) or 52/12 (she-llac's $2,708), or a decimal. Default: 30/7.",
            HelpName = "N/D",
            DefaultValueFactory = _ => "30/7",
        };
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count == 0) return;
            try
            {
                WeeksPerMonth.Parse(r.Tokens[^1].Value, "weeks-per-month");
            }
            catch (InvalidInputException e)
            {
                r.AddError(e.Message);
            }
        });
        return option;
    }

    /// <summary>The serving-cost options shared by <c>cost</c> and <c>population</c>.</summary>
    private sealed class RateOptions
    {
        public Option<double> CostIn { get; } = CliOptions.Double(SubscriptionCostRequest.CostInField, "Serving cost per million input tokens (" + HeadlineSource + ").", "$/MTok", SubscriptionCostRequest.DefaultCostIn);
        public Option<double> CostOut { get; } = CliOptions.Double(SubscriptionCostRequest.CostOutField, "Serving cost per million output tokens.", "$/MTok", SubscriptionCostRequest.DefaultCostOut);
        public Option<double> Moe { get; } = CliOptions.Double(SubscriptionCostRequest.MoeField, "Fraction of headline throughput achieved; costs are divided by it. 0.6 is Alderson's implicit MoE penalty (turns $0.003/$3.08 into $0.005/$5.13).", "F", 1);

        public void AddTo(Command command)
        {
            command.Options.Add(CostIn);
            command.Options.Add(CostOut);
            command.Options.Add(Moe);
        }

        public string Describe(ParseResult parse) =>
            parse.GetResult(CostIn) is { Implicit: false } || parse.GetResult(CostOut) is { Implicit: false } ? "user-supplied" : HeadlineSource;
    }

    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }

    // ---- rendering ----

    private static void RenderValue(IAnsiConsole console, SubscriptionPlan plan, PlanValue v, string priceSource, string weeksText)
    {
        var rate = plan.RateFor(v.ModelFamily);
        console.Write(KeyValueTable.Create($"{plan.Name}: API-equivalent value of the allowance ({v.ModelFamily})",
        [
            ("Plan price", Money(plan.MonthlyPrice) + " per month"),
            ("API price", $"{Money(v.ApiInputPrice)} in, {Money(v.ApiOutputPrice)} out ({priceSource})"),
            ("Credit rate", $"{Number(rate.CreditsPerInputToken)} per input token, {Number(rate.CreditsPerOutputToken)} per output token; cache reads free, cache writes at the input rate"),
            ("Dollars per million credits", $"{Money(v.DollarsPerMillionCredits)} (API output price ÷ credits per output token; input side gives {Money(v.DollarsPerMillionCreditsFromInput)})"),
            ($"Per {Guard.Format(plan.WindowLength.Hours)} h window", $"{Number(plan.CreditsPerWindow)} credits = {Money(v.WindowValue)}"),
            ("Per week (limit)", $"{Number(plan.CreditsPerWeek)} credits = {Money(v.WeeklyLimitValue)}"),
            ("Windows per week", $"{Number(v.WindowsPerWeekAllowed)} allowed by the weekly limit, {Number(v.WindowsInAWeek)} in a week: the {(v.BindingLimit == BindingLimit.Weekly ? "weekly" : "window")} limit binds"),
            ("Weekly value", Money(v.WeeklyValue)),
            ("Weekly allowance as tokens", $"{Count(v.OutputTokensPerWeek.Value)} output only, or {Count(v.InputTokensPerWeek.Value)} input only"),
            ("Weeks per month", $"{Number(v.WeeksPerMonth)} ({weeksText})"),
            ("Monthly value", $"{Money(v.MonthlyValue)} ({Factor(v.MultipleOfPrice)} the price)"),
            ("Limits source", Describe(plan.Source)),
        ]));
    }

    private static void RenderTiers(IAnsiConsole console, IReadOnlyList<SubscriptionPlan> plans, IReadOnlyList<PlanValue> values, string priceSource, string weeksText)
    {
        var table = KeyValueTable.Grid($"API-equivalent value by plan ({values[0].ModelFamily}, {weeksText} weeks per month)",
            "Plan", "$/month", "Window credits", "Week credits", "$/window", "$/week", "Windows/week", "$/month value", "Multiple");
        foreach (var column in table.Columns.Skip(1)) column.RightAligned();
        for (var i = 0; i < plans.Count; i++)
        {
            var (p, v) = (plans[i], values[i]);
            table.AddTextRow(p.Id, Money(p.MonthlyPrice), Number(p.CreditsPerWindow), Number(p.CreditsPerWeek), Money(v.WindowValue),
                Money(v.WeeklyValue), Number(v.WindowsPerWeekAllowed), Money(v.MonthlyValue), Factor(v.MultipleOfPrice));
        }

        console.Write(table);
        console.WriteLine($"API price: {Money(values[0].ApiInputPrice)} in, {Money(values[0].ApiOutputPrice)} out ({priceSource}); {Money(values[0].DollarsPerMillionCredits)} per million credits.");
        console.WriteLine("Limits: " + Describe(plans[0].Source) + ".");
    }

    private static void RenderCost(IAnsiConsole console, SubscriptionPlan plan, UserCost c, string rateSource)
    {
        console.Write(KeyValueTable.Create($"Serving one {plan.Name} subscriber",
        [
            ("Usage per day", $"{Count(c.InputPerDay.Value)} input, {Count(c.OutputPerDay.Value)} output tokens"),
            ("Serving cost", $"{Money(c.Rates.Input)} in, {Money(c.Rates.Output)} out ({rateSource})"),
            ("MoE efficiency", Number(c.Rates.MoeEfficiency)),
            ("Effective cost", $"{Money(c.EffectiveInputRate)} in, {Money(c.EffectiveOutputRate)} out"),
            ("Days per month", Number(c.DaysPerMonth)),
            ("Cost per day", Money(c.DailyCost)),
            ("Cost per month", Money(c.MonthlyCost)),
            ("Plan price", Money(c.PlanPrice)),
            ("Markup", c.Markup is { } m ? Factor(m) : "n/a (no usage)"),
            ("Gross margin", Percent(c.GrossMargin)),
        ]));
    }

    private static void RenderPopulation(IAnsiConsole console, SubscriptionPlan plan, PopulationSpec spec, PopulationResult r, string rateSource)
    {
        var usage = string.Join(" + ", spec.Usage.Components.Select(c =>
            $"{(spec.Usage.Components.Count > 1 ? Number(c.Weight) + " × " : "")}lognormal(median {Count(c.MedianOutputPerDay.Value)} output/day, sigma {Number(c.Sigma)})"));
        console.Write(KeyValueTable.Create($"{plan.Name}: {Number(r.Subscribers)} simulated subscribers (seed {r.Seed})",
        [
            ("Usage", $"{usage}; {Number(spec.Usage.InputPerOutput)} input per output token; cut to the plan's limits ({r.ModelFamily} credits)"),
            ("Serving cost", $"{Money(spec.Rates.EffectiveInput)} in, {Money(spec.Rates.EffectiveOutput)} out ({rateSource}; MoE efficiency {Number(spec.Rates.MoeEfficiency)})"),
            ("Plan price", Money(r.PlanPrice) + " per month"),
            ("Mean cost per subscriber", Money(r.MeanCost) + " per month"),
            ("Markup", r.Markup is { } m ? Factor(m) : "n/a"),
            ("Gross margin", Percent(r.GrossMargin)),
            ("Loss-making subscribers", Percent(r.LossMakingShare)),
            ("Capped by the limits", Percent(r.CappedShare)),
            ("P50 / P90 / P99", $"{Money(r.P50)} / {Money(r.P90)} / {Money(r.P99)}"),
            ("Highest simulated", Money(r.HighestCost)),
            ("Flat-out subscriber", $"{Money(r.MaxedUser.MonthlyCost)} per month ({Count(r.MaxedUser.OutputTokensPerMonth.Value)} output, {Count(r.MaxedUser.InputTokensPerMonth.Value)} input tokens; {(r.MaxedUser.BindingLimit == BindingLimit.Weekly ? "weekly" : "window")} limit binds; markup {(r.MaxedUser.Markup is { } mm ? Factor(mm) : "n/a")})"),
        ]));
    }

    private static string Describe(Provenance source) => $"{string.Join(", ", source.Sources)} ({source.AsOf})";
}
