using System.CommandLine;
using System.Globalization;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Economics.Sessions;
using Infercost.Economics.Workloads;
using Infercost.Quantities;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary>What <c>infercost session --json</c> prints.</summary>
/// <param name="Bills">One bill per scenario: caching off, each TTL, with and without compaction.</param>
internal sealed record SessionReport(IReadOnlyList<SessionBill> Bills);

/// <summary><c>infercost session</c>: an agent or chat session billed turn by turn, with the prompt cache's TTL and
/// context compaction.</summary>
internal static class SessionCommand
{
    /// <summary>Most request rows the table prints (the JSON carries them all).</summary>
    private const int MaxRows = 60;

    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var priceModel = new Option<string>("--price-model") { Description = "API model whose list price bills the session (see 'infercost prices').", HelpName = "ID", Required = true };
        var prices = new PriceInputs();
        var prefix = CliOptions.Double("--prefix", "System prompt, tools and documents sent first on every turn.", "TOKENS", CliOptions.InRange(0, 1e8), 20_000);
        var turns = CliOptions.Int("--turns", "Turns in the session.", 1, AgentSession.MaxTurns, 40);
        var input = CliOptions.Double("--input", "New input per turn (user message, tool results).", "TOKENS", CliOptions.InRange(0, 1e8), 1500);
        var output = CliOptions.Double("--output", "Visible output per turn (re-sent in later turns).", "TOKENS", CliOptions.InRange(0, 1e8), 300);
        var reasoning = CliOptions.Double("--reasoning", "Hidden reasoning per turn (billed as output, not re-sent).", "TOKENS", CliOptions.InRange(0, 1e8), 200);
        var gaps = new Option<double[]>("--gaps")
        {
            Description = "Seconds between requests, cycled over the turns (e.g. 20,20,20,900: three quick tool calls, then a 15-minute pause). Default: 20.",
            HelpName = "S,S,...",
            CustomParser = ParseGaps,
        };
        var ttl = new Option<string?>("--ttl") { Description = "Bill one cache lifetime: 5m or 1h. Default: compare caching off, 5m and 1h (where priced).", HelpName = "5m|1h" };
        var minCacheable = CliOptions.Double("--min-cacheable", "Prompts shorter than this are not cached (Anthropic: 1,024 for Sonnet and Opus, 2,048 for Haiku).", "TOKENS", CliOptions.InRange(0, 1e8), 1024);
        var compactAt = CliOptions.OptionalDouble("--compact-at", "Compact when a prompt would exceed this: a summarising pass replaces the history. Compared against never compacting.", "TOKENS", CliOptions.InRange(1, 1e8));
        var summary = CliOptions.Double("--summary-tokens", "Length of the compaction summary (output of the pass, then the history).", "TOKENS", CliOptions.InRange(0, 1e8), 2000);
        var instruction = CliOptions.Double("--compaction-instruction", "Tokens of the summarising instruction.", "TOKENS", CliOptions.InRange(0, 1e8), 200);
        var json = CommonOptions.Json();
        var command = new Command("session",
            "An agent or chat session billed turn by turn: each turn re-sends the conversation; with the prompt cache the part " +
            "the previous request cached is read and the rest written, unless the gap since the previous request is past the " +
            "cache's lifetime (5 minutes or 1 hour), when the whole prompt is written again. With --compact-at, a summarising " +
            "pass replaces the history when it grows too long, and its cost is counted." +
            "\n\nExample:\n  infercost session --price-model claude-sonnet-4.5 --turns 40 --gaps 20,20,20,900" +
            "\n  infercost session --price-model claude-opus-4.5 --turns 200 --compact-at 150000 --summary-tokens 3000 --ttl 1h");
        command.Options.Add(priceModel);
        prices.AddTo(command);
        foreach (var option in new Option[] { prefix, turns, input, output, reasoning, gaps, ttl, minCacheable, compactAt, summary, instruction, json })
            command.Options.Add(option);

        command.SetAction(parse =>
        {
            var sheet = PriceSheet.FromApi(prices.Get(parse, context, parse.GetValue(priceModel)!));
            var gapList = (parse.GetValue(gaps) is { Length: > 0 } g ? g : [20.0]).Select(Seconds.FromSeconds).ToList();
            var session = AgentSession.Uniform(parse.GetValue(prefix), parse.GetValue(turns), parse.GetValue(input), parse.GetValue(output),
                parse.GetValue(reasoning), gapList).Validated();
            var min = parse.GetValue(minCacheable);
            CompactionPolicy? compaction = parse.GetValue(compactAt) is { } at
                ? new CompactionPolicy(at, parse.GetValue(summary), parse.GetValue(instruction)).Validated()
                : null;

            var caches = new List<CachePolicy?>();
            switch (parse.GetValue(ttl))
            {
                case null:
                    caches.Add(null);
                    caches.Add(new CachePolicy(CacheTtl.FiveMinutes, min));
                    if (sheet.CacheWriteOneHour is not null) caches.Add(new CachePolicy(CacheTtl.OneHour, min));
                    break;
                case "5m": caches.Add(new CachePolicy(CacheTtl.FiveMinutes, min)); break;
                case "1h": caches.Add(new CachePolicy(CacheTtl.OneHour, min)); break;
                case var other: throw new InvalidInputException("ttl", $"ttl must be 5m or 1h; was '{other}'.");
            }

            var bills = new List<SessionBill>();
            foreach (var c in caches)
            {
                if (compaction is not null) bills.Add(SessionBilling.Bill(session, sheet, c, compaction));
                bills.Add(SessionBilling.Bill(session, sheet, c));
            }

            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(new SessionReport(bills));
                return ExitCodes.Ok;
            }

            Render(context.Console, session, sheet, bills);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static double[] ParseGaps(System.CommandLine.Parsing.ArgumentResult r)
    {
        if (r.Tokens.Count == 0) return [];
        var text = r.Tokens[^1].Value;
        var values = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v < 0 || v > 1e8)
            {
                r.AddError($"gaps must be seconds in [0, 1e+08], comma-separated; was '{text}'.");
                return [];
            }

            values.Add(v);
        }

        return [.. values];
    }

    private static string Scenario(SessionBill b) =>
        (b.Cache is { } c ? $"cache {c.Ttl.Name()}" : "caching off") + (b.Compaction is { } k ? $", compact at {Count(k.TriggerTokens)}" : "");

    private static void Render(IAnsiConsole console, AgentSession session, PriceSheet p, IReadOnlyList<SessionBill> bills)
    {
        var oneHour = p.CacheWriteOneHour is { } w1 ? $", {Money(w1)} 1h write" : ", no 1h write price";
        var table = KeyValueTable.Grid(
            $"Session on {p.Label} ({Money(p.Input)} in, {Money(p.CachedInput)} read, {Money(p.CacheWrite)} 5m write{oneHour}, {Money(p.Output)} out; {p.Basis})",
            "Scenario", "Total", "Cache misses", "Compactions", "Prompt tok", "Read", "Written");
        foreach (var b in bills)
        {
            table.AddTextRow(Scenario(b), Money(b.Total), Number(b.CacheMisses),
                b.Compactions > 0 ? $"{b.Compactions} ({Money(b.CompactionCost)})" : "0",
                Count(b.PromptTokens), Count(b.CacheReadTokens), Count(b.CacheWriteTokens));
        }

        table.Caption(Markup.Escape($"{session.Turns.Count} turns, prefix {Count(session.PrefixTokens)}. A gap past the TTL expires the entry: the next prompt is written again in full."));
        console.Write(table);

        var cheapest = bills.MinBy(b => b.Total.Value)!;
        var rows = KeyValueTable.Grid($"Request by request: {Scenario(cheapest)} (the cheapest)", "Turn", "Request", "Gap", "Cache", "Prompt", "Read", "Written", "Uncached", "Output", "$");
        foreach (var r in cheapest.Requests.Take(MaxRows))
        {
            rows.AddTextRow(Number(r.Turn), r.Kind + (r.LongContext ? " (long ctx)" : ""), Time(r.Gap),
                cheapest.Cache is null ? "off" : r.CacheWarm ? "hit" : "miss",
                Number(r.PromptTokens), Number(r.CacheRead), Number(r.CacheWrite), Number(r.Uncached), Number(r.OutputTokens), Money(r.Cost));
        }

        if (cheapest.Requests.Count > MaxRows) rows.Caption($"First {MaxRows} of {cheapest.Requests.Count} requests; --json has them all.");
        console.Write(rows);
        foreach (var b in bills.Where(b => b.OverContextWindow > 0))
        {
            console.WriteLine($"Warning: {Scenario(b)}: {b.OverContextWindow} requests exceed {p.Label}'s {Number(p.ContextWindow!.Value)}-token context window " +
                              "and would be refused; compact earlier (--compact-at).");
        }
    }
}
