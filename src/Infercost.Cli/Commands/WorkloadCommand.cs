using System.CommandLine;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Economics.Workloads;
using Infercost.Quantities;
using Infercost.Requests;
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
        var speculation = new SpeculationInputs();
        var model = new Option<string?>("--model") { Description = "API model id to price the workload on (see 'infercost prices').", HelpName = "ID" };
        var json = CommonOptions.Json();
        var command = new Command("workload",
            $"Cost of a workload (a mix of request types and daily volumes) per request, per day and per month " +
            $"({Guard.Format(WorkloadCosting.DaysPerMonth)} days) on an API model and/or a self-hosted cluster, and what prompt " +
            "caching, context compaction and token efficiency each save. Profiles: " +
            string.Join(", ", WorkloadProfiles.All.Select(w => w.Id)) + "." +
            "\n\nExample:\n  infercost workload --profile coding-agent --model claude-sonnet-4.5" +
            "\n  infercost workload --profile coding-agent --model claude-sonnet-4.5 --cache-hit 0.95 --compaction 0.5 --output-reduction 0.65" +
            "\n  infercost workload --profile chat --self-host --serve-model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 8 --gpu-price 2" +
            "\n  infercost workload --profile chat --self-host --serve-model deepseek-v3 --gpu nvidia-h200-sxm --gpus 8 --spec-method mtp --spec-acceptance 0.85");
        command.Options.Add(model);
        workload.AddTo(command);
        selfHost.AddTo(command);
        speculation.AddTo(command);
        prices.AddTo(command);
        command.Options.Add(json);

        command.SetAction(parse =>
        {
            var request = speculation.FillSelfHosted(selfHost.Fill(parse, workload.Fill(parse, new WorkloadRequest
            {
                Model = parse.GetValue(model),
                SelfHost = parse.GetValue(selfHost.Switch!),
                ServeModel = parse.GetValue(selfHost.Model),
                On = parse.GetValue(prices.On),
            })), parse);
            request.Validate();
            if (!request.SelfHost && parse.GetResult(selfHost.Catalog.File) is { Implicit: false })
                throw new InvalidInputException("catalog", "--catalog applies to a self-hosted cluster; add --self-host.");
            var report = request.Answer(request.SelfHost ? selfHost.Catalog.Load(parse, context) : Catalog.Catalog.Embedded, prices.Load(parse, context));
            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(report);
                return ExitCodes.Ok;
            }

            var console = context.Console;
            var levers = request.Levers();
            console.Write(WorkloadTables.Assumptions(report.Workload, levers));
            foreach (var r in report.Pricings)
            {
                console.Write(WorkloadTables.Cost(r.Cost));
                console.Write(WorkloadTables.Savings(r.Savings, levers, report.Workload));
                WorkloadTables.WriteNotes(console, r.Cost.Notes);
            }

            WorkloadTables.WriteSpeculation(console, report.SelfHostSpeculation, report.SelfHostBatch);
            if (report.SelfHostBands is { } b)
            {
                console.WriteLine($"Self-hosted P10–P90 (the engine's throughput band, {Times(b.Speed.Low)} to {Times(b.Speed.High)}): " +
                    $"{Money(b.PerDay.P10)} – {Money(b.PerDay.P90)} per day, {Money(b.PerMonth.P10)} – {Money(b.PerMonth.P90)} per month, " +
                    $"{Money(b.BlendedPerMillion.P10)} – {Money(b.BlendedPerMillion.P90)}/MTok blended.");
            }

            if (report.SelfHostNotes is { } notes) WorkloadTables.WriteNotes(console, notes);
            return ExitCodes.Ok;
        });
        return command;
    }
}

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
    public Option<double?> RequestsPerDay { get; } = CliOptions.OptionalDouble(WorkloadQuestionRequest.RequestsPerDayField, "Total requests (turns) per day, keeping the profile's mix. Default: the profile's volume.", "N");
    public Option<double?> CacheHit { get; } = CliOptions.OptionalDouble(WorkloadQuestionRequest.CacheHitField, "Fraction of cacheable prompt tokens served from the prompt cache, in [0, 1]; 0 = no caching. Default: the profile's.", "F");
    public Option<double> Compaction { get; } = CliOptions.Double(WorkloadQuestionRequest.CompactionField, "Fraction of conversation history removed by context compaction, in [0, 0.99].", "F", 0);
    public Option<double> OutputReduction { get; } = CliOptions.Double(WorkloadQuestionRequest.OutputReductionField, "Fraction of output and reasoning tokens saved by a more token-efficient model, in [0, 0.99] (0.65 = 65% fewer).", "F", 0);

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Profile, RequestsPerDay, CacheHit, Compaction, OutputReduction }) command.Options.Add(option);
    }

    /// <summary><paramref name="request"/> with the workload fields from the options.</summary>
    public T Fill<T>(ParseResult parse, T request) where T : WorkloadQuestionRequest => (T)(request with
    {
        Profile = parse.GetValue(Profile) ?? _defaultProfile,
        RequestsPerDay = parse.GetValue(RequestsPerDay),
        CacheHit = parse.GetValue(CacheHit),
        Compaction = parse.GetValue(Compaction),
        OutputReduction = parse.GetValue(OutputReduction),
    });
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
    public Option<int?> Gpus { get; } = CliOptions.OptionalInt(SelfHostedRequest.GpusField, "Devices in the cluster.");
    public Option<double?> GpuPrice { get; } = CliOptions.OptionalDouble(SelfHostedRequest.GpuPriceField, "Rental price per GPU-hour. Default: the catalog's typical price.", "$/GPU-h");
    public Option<double> Utilisation { get; } = CliOptions.Double(SelfHostedRequest.UtilisationField, "Fraction of paid hours the cluster does useful work.", "F", 1);
    public Option<double> CachedPrefill { get; } = CliOptions.Double(SelfHostedRequest.CachedPrefillField, "Cost of a cached prompt token as a fraction of a prefilled one (0 = a prefix-cache hit skips prefill).", "F", 0);
    public Option<string?> Engine { get; } = ServingInputs.EngineOption();
    public Option<string?> MoeKernel { get; } = ServingInputs.MoeKernelOption();
    public CatalogInputs Catalog { get; } = new();

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        if (Switch is not null) command.Options.Add(Switch);
        foreach (var option in new Option[] { Model, Gpu, Gpus, GpuPrice, Utilisation, CachedPrefill, Engine, MoeKernel }) command.Options.Add(option);
        Catalog.AddTo(command);
    }

    /// <summary><paramref name="request"/> with the cluster fields (not the engine model, whose field differs by command) from the options.</summary>
    public T Fill<T>(ParseResult parse, T request) where T : SelfHostedRequest => (T)(request with
    {
        Gpu = parse.GetValue(Gpu),
        Gpus = parse.GetValue(Gpus),
        GpuPrice = parse.GetValue(GpuPrice),
        Utilisation = parse.GetResult(Utilisation) is { Implicit: false } ? parse.GetValue(Utilisation) : null,
        CachedPrefill = parse.GetResult(CachedPrefill) is { Implicit: false } ? parse.GetValue(CachedPrefill) : null,
        Engine = parse.GetValue(Engine),
        MoeKernel = parse.GetValue(MoeKernel),
    });
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

    /// <summary>Writes the line that says speculation priced the self-hosted cluster's output (workload, breakeven,
    /// margin); nothing when it did not speculate.</summary>
    public static void WriteSpeculation(IAnsiConsole console, Speculation.SpeculationSummary? speculation, int? batch)
    {
        if (speculation is not { } sp) return;
        console.WriteLine($"Speculation applied to the self-hosted output price: {sp.Method}{(sp.DraftModel is { } d ? " " + d : "")}, k = {sp.Length}, " +
                          $"{Number(sp.TokensPerStep)} tokens per step, {Factor(sp.SpeedUp)} the plain decode tokens/s " +
                          $"at batch {Number(batch ?? 0)} per replica, so output costs 1/{Factor(sp.SpeedUp)} of plain decoding's $/MTok.");
    }

    /// <summary>Writes notes, one per line.</summary>
    public static void WriteNotes(IAnsiConsole console, IEnumerable<string> notes)
    {
        foreach (var note in notes) console.Write(new Text("Note: " + note + "\n"));
    }
}
