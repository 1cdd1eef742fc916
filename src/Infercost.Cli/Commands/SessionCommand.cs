using System.CommandLine;
using System.Globalization;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Economics.Sessions;
using Infercost.Economics.Workloads;
using SessionRequest = Infercost.Requests.SessionRequest;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost session</c>: an agent or chat session billed turn by turn, with the prompt cache's TTL and
/// context compaction.</summary>
internal static class SessionCommand
{
    /// <summary>Most request rows the table prints (the JSON carries them all).</summary>
    private const int MaxRows = 60;

    private static readonly SessionRequest Defaults = new();

    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var priceModel = new Option<string>("--price-model") { Description = "API model whose list price bills the session (see 'infercost prices').", HelpName = "ID", Required = true };
        var prices = new PriceInputs();
        var prefix = CliOptions.Double(SessionRequest.PrefixField, "System prompt, tools and documents sent first on every turn.", "TOKENS", Defaults.Prefix);
        var turns = CliOptions.Int(SessionRequest.TurnsField, "Turns in the session.", Defaults.Turns);
        var input = CliOptions.Double(SessionRequest.InputField, "New input per turn (user message, tool results).", "TOKENS", Defaults.Input);
        var output = CliOptions.Double(SessionRequest.OutputField, "Visible output per turn (re-sent in later turns).", "TOKENS", Defaults.Output);
        var reasoning = CliOptions.Double(SessionRequest.ReasoningField, "Hidden reasoning per turn (billed as output, not re-sent).", "TOKENS", Defaults.Reasoning);
        var gaps = new Option<double[]>("--gaps")
        {
            Description = "Seconds between requests, cycled over the turns (e.g. 20,20,20,900: three quick tool calls, then a 15-minute pause). Default: 20.",
            HelpName = "S,S,...",
            CustomParser = ParseGaps,
        };
        var ttl = new Option<string?>("--ttl") { Description = "Bill one cache lifetime: 5m or 1h. Default: compare caching off, 5m and 1h (where priced).", HelpName = "5m|1h" };
        var minCacheable = CliOptions.Double(SessionRequest.MinCacheableField, "Prompts shorter than this are not cached (Anthropic: 1,024 for Sonnet and Opus, 2,048 for Haiku).", "TOKENS", Defaults.MinCacheable);
        var compactAt = CliOptions.OptionalDouble(SessionRequest.CompactAtField, "Compact when a prompt would exceed this: a summarising pass replaces the history. Compared against never compacting.", "TOKENS");
        var summary = CliOptions.Double(SessionRequest.SummaryTokensField, "Length of the compaction summary (output of the pass, then the history).", "TOKENS", Defaults.SummaryTokens);
        var instruction = CliOptions.Double(SessionRequest.CompactionInstructionField, "Tokens of the summarising instruction.", "TOKENS", Defaults.CompactionInstruction);
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
            var request = new SessionRequest
            {
                PriceModel = parse.GetValue(priceModel),
                On = parse.GetValue(prices.On),
                Prefix = parse.GetValue(prefix),
                Turns = parse.GetValue(turns),
                Input = parse.GetValue(input),
                Output = parse.GetValue(output),
                Reasoning = parse.GetValue(reasoning),
                Gaps = parse.GetValue(gaps) is { Length: > 0 } g ? g : null,
                Ttl = parse.GetValue(ttl),
                MinCacheable = parse.GetValue(minCacheable),
                CompactAt = parse.GetValue(compactAt),
                SummaryTokens = parse.GetValue(summary),
                CompactionInstruction = parse.GetValue(instruction),
            };
            request.Validate();
            var (report, session, sheet) = request.Analyse(prices.Load(parse, context));
            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(report);
                return ExitCodes.Ok;
            }

            Render(context.Console, session, sheet, report.Bills);
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
