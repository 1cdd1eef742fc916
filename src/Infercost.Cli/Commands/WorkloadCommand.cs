using System.CommandLine;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Costing;
using Infercost.Economics.Workloads;
using Infercost.Quantities;
using Infercost.Serving;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost workload</c>: a workload's cost per request, day and month on an API model or a self-hosted
/// cluster, and what caching, compaction and token efficiency save.</summary>
internal static class WorkloadCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var prices = new PriceInputs();
        var workload = new WorkloadInputs();
        var selfHost = new SelfHostInputs("--serve-model", withSwitch: true);
        var model = new Option<string?>("--model") { Description = "API model id to price the workload on (see 'infercost prices').", HelpName = "ID" };
        var json = CommonOptions.Json();
        var command = new Command("workload",
            $"Cost of a workload (a mix of request types and daily volumes) per request, per day and per month " +
            $"({Guard.Format(WorkloadCosting.DaysPerMonth)} days) on an API model and/or a self-hosted cluster, and what prompt " +
            "caching, context compaction and token efficiency each save. Profiles: " +
            string.Join(", ", WorkloadProfiles.All.Select(w => w.Id)) + "." +
            "\n\nExample:\n  infercost workload --profile coding-agent --model claude-sonnet-4.5" +
            "\n  infercost workload --profile coding-agent --model claude-sonnet-4.5 --cache-hit 0.95 --compaction 0.5 --output-reduction 0.65" +
            "\n  infercost workload --profile chat --self-host --serve-model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 8 --gpu-price 2");
        command.Options.Add(model);
        workload.AddTo(command);
        selfHost.AddTo(command);
        prices.AddTo(command);
        command.Options.Add(json);

        command.SetAction(parse =>
        {
            var w = workload.Workload(parse);
            var levers = workload.Levers(parse);
            var sheets = new List<PriceSheet>();
            SelfHostedQuote? quote = null;
            if (parse.GetValue(model) is { } id) sheets.Add(PriceSheet.FromApi(prices.Get(parse, context, id)));
            if (parse.GetValue(selfHost.Switch!))
            {
                quote = selfHost.Quote(parse, context, w, levers);
                sheets.Add(quote.Prices);
            }
            else if (selfHost.FirstGiven(parse) is { } stray)
            {
                throw new InvalidInputException(stray.Name.TrimStart('-'), $"{stray.Name} applies to a self-hosted cluster; add --self-host.");
            }

            if (sheets.Count == 0)
            {
                throw new InvalidInputException("model", "give --model ID to price an API model, or --self-host with --serve-model, --gpu and --gpus.");
            }

            var results = sheets.Select(s => new WorkloadPricing(WorkloadCosting.Cost(w, s, levers), WorkloadCosting.Savings(w, s, levers))).ToList();
            if (parse.GetValue(json))
            {
                context.WriteJson(new WorkloadReport(w, results, quote?.Cost, quote?.Serving.Notes));
                return ExitCodes.Ok;
            }

            var console = context.Console;
            console.Write(WorkloadTables.Assumptions(w, levers));
            foreach (var r in results)
            {
                console.Write(WorkloadTables.Cost(r.Cost));
                console.Write(WorkloadTables.Savings(r.Savings, levers, w));
                WorkloadTables.WriteNotes(console, r.Cost.Notes);
            }

            if (quote is not null) WorkloadTables.WriteNotes(console, quote.Serving.Notes);
            return ExitCodes.Ok;
        });
        return command;
    }
}

/// <summary>A workload priced on one sheet.</summary>
/// <param name="Cost">Cost with the levers applied.</param>
/// <param name="Savings">What each lever saves.</param>
internal sealed record WorkloadPricing(WorkloadCost Cost, WorkloadSavings Savings);

/// <summary>The JSON form of <c>infercost workload</c>.</summary>
/// <param name="Workload">The workload, its request types and assumptions.</param>
/// <param name="Pricings">One entry per price sheet (API model, self-hosted cluster).</param>
/// <param name="SelfHostCost">The engine's cost estimate when self-hosted.</param>
/// <param name="SelfHostNotes">The engine's notes when self-hosted.</param>
internal sealed record WorkloadReport(Workload Workload, IReadOnlyList<WorkloadPricing> Pricings, CostEstimate? SelfHostCost, IReadOnlyList<string>? SelfHostNotes);

// The workload options and tables are shared by workload, margin, route and breakeven; they live with the workload
// command, where the concept is introduced.

/// <summary><c>--profile</c>, <c>--requests-per-day</c> and the three levers.</summary>
internal sealed class WorkloadInputs
{
    private readonly string _defaultProfile;

    /// <summary>Creates the options; <paramref name="defaultProfile"/> is used when <c>--profile</c> is not given.</summary>
    public WorkloadInputs(string defaultProfile = "chat")
    {
        _defaultProfile = defaultProfile;
        Profile = new Option<string>("--profile")
        {
            Description = $"Workload profile: {string.Join(", ", WorkloadProfiles.All.Select(w => w.Id))}. Default: {defaultProfile}.",
            HelpName = "ID",
            DefaultValueFactory = _ => defaultProfile,
        };
    }

    public Option<string> Profile { get; }
    public Option<double?> RequestsPerDay { get; } = CliOptions.OptionalDouble("--requests-per-day", "Total requests (turns) per day, keeping the profile's mix. Default: the profile's volume.", "N", CliOptions.InRange(0, 1e12));
    public Option<double?> CacheHit { get; } = CliOptions.OptionalDouble("--cache-hit", "Fraction of cacheable prompt tokens served from the prompt cache, in [0, 1]; 0 = no caching. Default: the profile's.", "F", CliOptions.InRange(0, 1));
    public Option<double> Compaction { get; } = CliOptions.Double("--compaction", "Fraction of conversation history removed by context compaction, in [0, 0.99].", "F", CliOptions.InRange(0, 0.99), 0);
    public Option<double> OutputReduction { get; } = CliOptions.Double("--output-reduction", "Fraction of output and reasoning tokens saved by a more token-efficient model, in [0, 0.99] (0.65 = 65% fewer).", "F", CliOptions.InRange(0, 0.99), 0);

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Profile, RequestsPerDay, CacheHit, Compaction, OutputReduction }) command.Options.Add(option);
    }

    /// <summary>The profile, scaled to <c>--requests-per-day</c> when given.</summary>
    public Workload Workload(ParseResult parse)
    {
        var w = WorkloadProfiles.Get(parse.GetValue(Profile) ?? _defaultProfile);
        return parse.GetValue(RequestsPerDay) is { } v ? w.WithRequestsPerDay(v) : w;
    }

    /// <summary>The levers.</summary>
    public WorkloadLevers Levers(ParseResult parse) =>
        new WorkloadLevers(parse.GetValue(CacheHit), parse.GetValue(Compaction), parse.GetValue(OutputReduction)).Validated();
}

/// <summary>The options that describe a self-hosted cluster for the economics commands.</summary>
internal sealed class SelfHostInputs
{
    /// <summary>Creates the options; the engine model is named by <paramref name="modelOption"/>; <paramref name="withSwitch"/>
    /// adds <c>--self-host</c>.</summary>
    public SelfHostInputs(string modelOption, bool withSwitch)
    {
        Model = new Option<string?>(modelOption) { Description = "Model id from the engine catalog to self-host (see 'infercost catalog list models').", HelpName = "ID" };
        Switch = withSwitch ? new Option<bool>("--self-host") { Description = "Also price the workload on a self-hosted cluster (needs the model, --gpu and --gpus)." } : null;
    }

    public Option<bool>? Switch { get; }
    public Option<string?> Model { get; }
    public Option<string?> Gpu { get; } = new("--gpu") { Description = "Accelerator id (see 'infercost catalog list gpus').", HelpName = "ID" };
    public Option<int?> Gpus { get; } = CliOptions.OptionalInt("--gpus", "Devices in the cluster.", 1, 1_000_000);
    public Option<double?> GpuPrice { get; } = CliOptions.OptionalDouble("--gpu-price", "Rental price per GPU-hour. Default: the catalog's typical price.", "$/GPU-h", CliOptions.InRange(0, 10_000));
    public Option<double> Utilisation { get; } = CliOptions.Double("--utilisation", "Fraction of paid hours the cluster does useful work.", "F", CliOptions.InRange(0.01, 1), 1);
    public Option<double> CachedPrefill { get; } = CliOptions.Double("--cached-prefill", "Cost of a cached prompt token as a fraction of a prefilled one (0 = a prefix-cache hit skips prefill).", "F", CliOptions.InRange(0, 1), 0);
    public CatalogInputs Catalog { get; } = new();

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        if (Switch is not null) command.Options.Add(Switch);
        foreach (var option in new Option[] { Model, Gpu, Gpus, GpuPrice, Utilisation, CachedPrefill }) command.Options.Add(option);
        Catalog.AddTo(command);
    }

    /// <summary>The first self-host option given explicitly, if any.</summary>
    public Option? FirstGiven(ParseResult parse) =>
        new Option[] { Model, Gpu, Gpus, GpuPrice, Utilisation, CachedPrefill, Catalog.File }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false });

    /// <summary>True when the cluster is described (model, GPU and count all given).</summary>
    public bool Given(ParseResult parse) => FirstGiven(parse) is not null;

    /// <summary>The engine's quote for the cluster, sized to <paramref name="workload"/>'s mean request.</summary>
    public SelfHostedQuote Quote(ParseResult parse, CliContext context, Workload workload, WorkloadLevers levers)
    {
        var catalog = Catalog.Load(parse, context);
        var modelId = parse.GetValue(Model) ?? throw Missing(Model);
        var gpuId = parse.GetValue(Gpu) ?? throw Missing(Gpu);
        var gpus = parse.GetValue(Gpus) ?? throw Missing(Gpus);
        var model = catalog.GetModel(modelId);
        var accelerator = catalog.GetAccelerator(gpuId);
        var (input, output) = SelfHostedPricing.RequestShape(workload, levers, model);
        var config = new ServingConfig { TotalDevices = gpus, InputTokens = input, OutputTokens = output };
        var basis = new RentalCost(parse.GetValue(GpuPrice) is { } p ? DollarsPerHour.FromDollarsPerHour(p) : null);
        return SelfHostedPricing.Quote(model, accelerator, config, basis, parse.GetValue(Utilisation), parse.GetValue(CachedPrefill));
    }

    private static InvalidInputException Missing(Option option) =>
        new(option.Name.TrimStart('-'), $"{option.Name} is required for a self-hosted cluster (with the model, --gpu and --gpus).");
}

/// <summary>Tables for workloads.</summary>
internal static class WorkloadTables
{
    /// <summary>The workload's request types and assumptions.</summary>
    public static Table Assumptions(Workload w, WorkloadLevers levers)
    {
        var table = KeyValueTable.Grid($"Workload {w.Id}: {w.Description}", "Request type", "Prefix", "New input", "Output", "Reasoning", "Turns/session", "Requests/day", "Batch");
        foreach (var r in w.Requests)
        {
            table.AddTextRow(r.Name, Number(r.PrefixTokens.Value), Number(r.FreshInputTokens.Value), Number(r.OutputTokens.Value), Number(r.ReasoningTokens.Value),
                Number(r.TurnsPerSession), Number(r.RequestsPerDay), r.Batch ? "yes" : "no");
        }

        var hit = levers.CacheHitRate ?? w.CacheHitRate;
        table.Caption(Markup.Escape($"Cache hit {Percent(hit)}, compaction {Percent(levers.Compaction)}, output reduction {Percent(levers.OutputReduction)}. " +
            string.Join(" ", w.Assumptions)));
        return table;
    }

    /// <summary>Cost per request type, per day and per month.</summary>
    public static Table Cost(WorkloadCost cost)
    {
        var p = cost.Prices;
        var table = KeyValueTable.Grid($"Cost on {p.Label} ({Money(p.Input)} in, {Money(p.CachedInput)} cached, {Money(p.CacheWrite)} write, {Money(p.Output)} out; {p.Basis}{(p.Disputed ? "; disputed" : "")})",
            "Request type", "Prompt tok", "Uncached", "Cache read", "Cache write", "Output+reasoning", "$/request", "$/day");
        foreach (var r in cost.Requests)
        {
            var t = r.Tokens;
            table.AddTextRow(r.Request.Name, Number(t.Prompt.Value), Number(t.Uncached.Value), Number(t.CacheRead.Value), Number(t.CacheWrite.Value),
                Number(t.BilledOutput.Value), Money(r.PerRequest), Money(r.PerDay));
        }

        table.AddTextRow("Total", "", "", "", "", "", $"{Money(cost.BlendedPerMillion)} blended", Money(cost.PerDay));
        table.Caption(Markup.Escape($"Per month ({Guard.Format(WorkloadCosting.DaysPerMonth)} days): {Money(cost.PerMonth)}. Tokens per day: {Count(cost.TokensPerDay.Value)}."));
        return table;
    }

    /// <summary>What each lever saves.</summary>
    public static Table Savings(WorkloadSavings s, WorkloadLevers levers, Workload w)
    {
        var baseline = s.Baseline.PerDay.Value;
        var table = KeyValueTable.Grid($"What each lever saves on {s.Baseline.Prices.Label} (each alone against no caching, no compaction, no reduction: {Money(s.Baseline.PerDay)}/day)",
            "Lever", "Setting", "Saves $/day", "Saves");
        string Share(Dollars d) => baseline > 0 ? Percent(d.Value / baseline) : "-";
        table.AddTextRow("Prompt caching", $"hit rate {Percent(levers.CacheHitRate ?? w.CacheHitRate)}", Money(s.Caching), Share(s.Caching));
        table.AddTextRow("Context compaction", Percent(levers.Compaction), Money(s.Compaction), Share(s.Compaction));
        table.AddTextRow("Token efficiency", $"{Percent(levers.OutputReduction)} fewer output tokens", Money(s.OutputReduction), Share(s.OutputReduction));
        table.AddTextRow("All together", "", Money(s.Total), Share(s.Total));
        return table;
    }

    /// <summary>Writes notes, one per line.</summary>
    public static void WriteNotes(IAnsiConsole console, IEnumerable<string> notes)
    {
        foreach (var note in notes) console.Write(new Text("Note: " + note + "\n"));
    }
}
