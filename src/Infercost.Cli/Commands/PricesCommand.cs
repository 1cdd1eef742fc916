using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Economics.Prices;
using Infercost.Requests;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost prices</c>: the API price catalog, filtered, on a date, or one model's history.</summary>
internal static class PricesCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var catalog = new PriceInputs();
        var provider = new Option<string?>("--provider") { Description = "Only this provider (case-insensitive; e.g. Anthropic, OpenAI, Groq).", HelpName = "NAME" };
        var model = new Option<string?>("--model") { Description = "Only models whose id contains this text (e.g. claude, gpt-5.4).", HelpName = "TEXT" };
        var history = new Option<string?>("--history") { Description = "Every row for one model id, oldest first, with its source and dates.", HelpName = "ID" };
        var json = CommonOptions.Json();
        var command = new Command("prices",
            "API list prices per million tokens: input, cached-input read, cache write, output (reasoning tokens are billed as output), " +
            "batch discount and long-context tier, each with its source and date. Sources that disagree are kept side by side; " +
            "the price shown is the one most sources support, marked 'disputed' when another source differs." +
            "\n\nExample:\n  infercost prices --provider anthropic\n  infercost prices --model gpt-4o --on 2024-06-01" +
            "\n  infercost prices --history claude-opus-4.5\n  infercost prices --litellm examples/litellm-prices.json --model my-model");
        catalog.AddTo(command);
        foreach (var option in new Option[] { provider, model, history, json }) command.Options.Add(option);

        command.SetAction(parse =>
        {
            var on = parse.GetValue(catalog.On);
            var request = new PricesRequest { Provider = parse.GetValue(provider), Model = parse.GetValue(model), History = parse.GetValue(history), On = on };
            var report = request.Answer(catalog.Load(parse, context));
            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(report);
                return ExitCodes.Ok;
            }

            var rows = report.Prices;
            var title = request.History is not null
                ? $"Price history of {rows[0].ModelId} (every source, oldest first; undated rows last)"
                : on is { } d ? $"API prices on {d:yyyy-MM-dd} (latest row in effect per model)" : "API prices now (best-supported row per model)";
            context.Console.Write(Table(title, rows));
            var disputed = rows.Where(r => r.Disputed).ToList();
            if (disputed.Count > 0)
            {
                context.Console.Write(new Text("Disputed: another source gives a different price for the same model and date.\n"));
                foreach (var r in disputed.Where(r => r.DisputedBy.Count > 0).DistinctBy(r => r.ModelId))
                {
                    context.Console.Write(new Text($"  {r.ModelId}: {r.Summary} ({r.SourceId}) vs {string.Join("; ", r.DisputedBy)}\n"));
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Table Table(string title, IReadOnlyList<ApiPrice> rows)
    {
        var table = KeyValueTable.Grid(title, "Model", "Provider", "Input $/MTok", "Cached", "Cache write", "Output", "Batch", "Long context", "Source", "As of", "");
        foreach (var r in rows)
        {
            table.AddTextRow(
                r.ModelId,
                r.Provider,
                Money(r.Input.Value),
                r.CachedInputRead is { } c ? Money(c.Value) : "-",
                r.CacheWrite is { } w ? Money(w.Value) : "-",
                Money(r.Output.Value),
                r.BatchDiscount is { } b ? "-" + Percent(b) : "-",
                r.LongContextTier is { } t ? $">{Count(t.ThresholdTokens)}: {Money(t.Input.Value)}/{Money(t.Output.Value)}" : "-",
                r.SourceId,
                r.EffectiveFrom is { } e ? $"from {e:yyyy-MM-dd}" : r.ObservedOn is { } o ? $"seen {o:yyyy-MM-dd}" : "undated",
                r.Disputed ? "disputed" : "");
        }

        return table;
    }
}

// The price-catalog options are shared by every economics command (prices, workload, margin, route, breakeven); they live
// with the prices command because that is where the catalog is introduced.

/// <summary><c>--catalog-prices</c>, <c>--litellm</c> and <c>--on</c>: the price catalog a command reads.</summary>
internal sealed class PriceInputs
{
    /// <summary>A user price file in the project's format.</summary>
    public Option<string?> File { get; } = new("--catalog-prices")
    {
        Description = "A price file ({\"prices\": [{\"model\": ID, \"inputUsdPerMTok\": X, \"outputUsdPerMTok\": Y, ...}]}); a model it prices " +
                      "replaces every embedded row for that model.",
        HelpName = "FILE.json",
    };

    /// <summary>A LiteLLM-format price file.</summary>
    public Option<string?> LiteLlm { get; } = new("--litellm")
    {
        Description = "A LiteLLM-format price file (model_prices_and_context_window.json: dollars per token); imported as a user catalog.",
        HelpName = "FILE.json",
    };

    /// <summary>Keeps implausible imported prices.</summary>
    public Option<bool> IncludeOutliers { get; } = new("--include-outliers")
    {
        Description = "Keep --litellm entries priced over $1,000/MTok or far above the same model's other entries (left out by default, and listed).",
    };

    /// <summary>The date prices are read at.</summary>
    public Option<DateOnly?> On { get; } = new("--on")
    {
        Description = "Read prices as they were on this date (the latest row in effect on or before it; undated rows are not used).",
        HelpName = "YYYY-MM-DD",
        CustomParser = ParseDate,
    };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(File);
        command.Options.Add(LiteLlm);
        command.Options.Add(IncludeOutliers);
        command.Options.Add(On);
    }

    /// <summary>The embedded catalog with the user's files over it.</summary>
    public PriceCatalog Load(ParseResult parse, CliContext context)
    {
        var catalog = PriceCatalog.Embedded;
        if (parse.GetValue(File) is { } path) catalog = catalog.WithOverrides(PriceCatalog.Parse(context.ReadText(path, "--catalog-prices"), path));
        if (parse.GetValue(LiteLlm) is { } lite)
        {
            var (imported, report) = PriceCatalog.ImportLiteLlm(context.ReadText(lite, "--litellm"), lite, parse.GetValue(IncludeOutliers));
            // LiteLLM rows carry no date; read at --on they would replace every dated row of the models they price
            // and leave no price in effect, so a dated read keeps the embedded catalog and says so.
            if (parse.GetValue(On) is null) catalog = catalog.WithOverrides(imported);
            ReportImport(context, lite, report, parse.GetValue(IncludeOutliers), parse.GetValue(On));
        }

        return catalog;
    }

    // What the import left out goes to stderr, one line each, then the counts: the command's own output stays clean.
    private static void ReportImport(CliContext context, string file, LiteLlmImport report, bool includeOutliers, DateOnly? on)
    {
        foreach (var line in report.Skipped) context.Error.WriteLine($"--litellm {file}: skipped {line}");
        foreach (var line in report.Outliers)
            context.Error.WriteLine($"--litellm {file}: outlier {line}{(includeOutliers ? " (kept: --include-outliers)" : "")}");
        if (report.Skipped.Count > 0 || report.Outliers.Count > 0)
        {
            context.Error.WriteLine($"--litellm {file}: imported {report.Prices.Count} priced text models; skipped {report.Skipped.Count} bad entries; "
                + $"{report.Outliers.Count} outliers {(includeOutliers ? "kept" : "left out (--include-outliers keeps them)")}.");
        }

        if (on is { } date)
        {
            context.Error.WriteLine($"--litellm {file}: its {report.Prices.Count} rows carry no date, so --on {date:yyyy-MM-dd} does not use them; "
                + "prices on that date come from the embedded catalog's dated rows.");
        }
    }

    /// <summary>The price of <paramref name="modelId"/> at <c>--on</c> (or now).</summary>
    public ApiPrice Get(ParseResult parse, CliContext context, string modelId) => Load(parse, context).Get(modelId, parse.GetValue(On));

    private static DateOnly? ParseDate(ArgumentResult r)
    {
        if (r.Tokens.Count == 0) return null;
        var text = r.Tokens[^1].Value;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        r.AddError($"on must be a date written YYYY-MM-DD; was '{text}'.");
        return null;
    }
}
