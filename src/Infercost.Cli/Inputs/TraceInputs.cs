using System.CommandLine;
using Infercost.Serving;
using Infercost.Simulation;
using Infercost.Simulation.Traces;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Inputs;

// Shared by simulate and plan: where a trace comes from and how it is replayed. The file is opened here (the shell)
// and streamed into the core's TraceReader; it is never read whole.

/// <summary>Trace replay and prefix-cache options.</summary>
internal sealed class TraceInputs
{
    public Option<string?> Trace { get; } = new("--trace")
    {
        Description = "Replay a request trace instead of generated arrivals: Azure LLM inference CSV, Mooncake JSONL or BurstGPT CSV (format detected). " +
            "Arrivals and lengths come from the file; read as a stream, so any size works.",
        HelpName = "FILE",
    };

    public Option<string?> Format { get; } = new("--trace-format") { Description = "Trace format. Default: auto (from the first line).", HelpName = "auto|azure|mooncake|burstgpt" };
    public Option<double> Speed { get; } = CliOptions.Double("--trace-speed", "Replay k times faster than recorded (2 = twice the rate).", "K", CliOptions.InRange(1e-3, 1e6), 1);
    public Option<string?> Window { get; } = new("--trace-window") { Description = "Replay only this part, from the trace's first request: START..END (for example 10m..20m, ..5m, 30m..).", HelpName = "START..END" };
    public Option<double> Sample { get; } = CliOptions.Double("--trace-sample", "Keep each request with this probability (seeded by --seed).", "F", CliOptions.InRange(1e-9, 1), 1);
    public Option<string?> Bad { get; } = new("--trace-bad") { Description = "A bad line (unparsable, negative length, bad or out-of-order timestamp): fail (stop with its line number) or skip (count it). Default: fail.", HelpName = "fail|skip" };
    public Option<string?> PrefixCache { get; } = new("--prefix-cache")
    {
        Description = "Prefix cache for traces with block hashes (Mooncake): kv (the replica's KV pool, as vLLM reuses freed blocks), unbounded, off, " +
            "a block count, or a size such as 200GB. Default: kv.",
        HelpName = "kv|unbounded|off|N|SIZE",
    };

    public Option<string?> Eviction { get; } = new("--prefix-eviction") { Description = "Prefix-cache eviction: lru or fifo. Default: lru.", HelpName = "lru|fifo" };

    public Option<string?> Offload { get; } = new("--kv-offload")
    {
        Description = "Tiers below HBM for prefix blocks evicted from the prefix cache, in order: SIZE@BANDWIDTH per replica, comma-separated " +
            "(host DRAM then SSD, e.g. 1TB@50GB/s,8TB@6GB/s; the bandwidth is per device, one direction: ~25 GB/s on PCIe Gen4 x16, ~50 GB/s on Gen5). " +
            "A cached prefix found there is reloaded, not recomputed, and the step that admits it waits for the load.",
        HelpName = "SIZE@BW[,SIZE@BW]",
    };

    public void AddTo(Command command, bool prefixCache = true)
    {
        foreach (var option in new Option[] { Trace, Format, Speed, Window, Sample, Bad }) command.Options.Add(option);
        if (prefixCache) command.Options.Add(PrefixCache);
        if (prefixCache) command.Options.Add(Eviction);
        if (prefixCache) command.Options.Add(Offload);
    }

    /// <summary>plan: the trace as a workload (rate, gap CV, length histograms); null without --trace.</summary>
    public TraceWorkload? WorkloadOf(ParseResult parse, CliContext context, long seed, Option<double?> rate, SimulationInputs workload)
    {
        if (PathOf(parse) is not { } path) return null;
        if (parse.GetValue(rate) is not null || parse.GetValue(workload.RateCurveFile) is not null || parse.GetValue(workload.Diurnal)
            || parse.GetValue(workload.InputDist) is not null || parse.GetValue(workload.OutputDist) is not null
            || parse.GetValue(workload.InputHistogram) is not null || parse.GetValue(workload.OutputHistogram) is not null)
        {
            throw new InvalidInputException("trace", "--trace gives the rate and the lengths; drop --rate, --rate-curve, --diurnal and the length distributions.");
        }

        var replay = ReplayOf(parse, seed, null);
        using var reader = context.OpenText(path, "--trace");
        return Commands.SimulateCommand.WithBadLineHint(() =>
            TraceWorkload.Of(replay.Requests(TraceReader.Read(TraceReader.Lines(reader), FormatOf(parse), PolicyOf(parse)))));
    }

    public string? PathOf(ParseResult parse) => parse.GetValue(Trace);

    /// <summary>Refuses a replay option given without <c>--trace</c> (it would be ignored) and checks the choices and
    /// the window before any work, so a typo is refused at once rather than after a simulation or a load run.</summary>
    /// <exception cref="InvalidInputException">A replay option without --trace, or a bad choice or window.</exception>
    /// <param name="parse">The command line.</param>
    /// <param name="sessions">Generated multi-turn sessions (--turns): the prefix-cache options serve their follow-ups too.</param>
    public void Check(ParseResult parse, bool sessions = false)
    {
        if (PathOf(parse) is null && new Option[] { Format, Speed, Window, Sample, Bad, PrefixCache, Eviction, Offload }
                .FirstOrDefault(o => parse.GetResult(o) is { Implicit: false } && !(sessions && IsCacheOption(o))) is { } stray)
        {
            throw new InvalidInputException(stray.Name.TrimStart('-'), IsCacheOption(stray)
                ? $"{stray.Name} applies to a trace replay or to sessions; add --trace FILE or --turns N."
                : $"{stray.Name} applies to a trace replay; add --trace FILE.");
        }

        if (parse.GetValue(Offload) is { } offload) PrefixCacheText.Tiers(offload, Names.Offload);

        FormatOf(parse);
        PolicyOf(parse);
        ReplayOf(parse, 0, null);
    }

    public TraceFormat FormatOf(ParseResult parse) => parse.GetValue(Format)?.Trim().ToLowerInvariant() switch
    {
        null or "auto" => TraceFormat.Auto,
        "azure" => TraceFormat.Azure,
        "mooncake" => TraceFormat.Mooncake,
        "burstgpt" => TraceFormat.BurstGpt,
        var other => throw new InvalidInputException("trace-format", $"trace-format must be auto, azure, mooncake or burstgpt; was '{other}'."),
    };

    public BadLinePolicy PolicyOf(ParseResult parse) => parse.GetValue(Bad)?.Trim().ToLowerInvariant() switch
    {
        null or "fail" => BadLinePolicy.Fail,
        "skip" => BadLinePolicy.Skip,
        var other => throw new InvalidInputException("trace-bad", $"trace-bad must be fail or skip; was '{other}'."),
    };

    public TraceReplay ReplayOf(ParseResult parse, long seed, long? maxRequests)
    {
        double? start = null, end = null;
        if (parse.GetValue(Window) is { } text)
        {
            var parts = text.Split("..");
            if (parts.Length != 2 || (parts[0].Trim().Length == 0 && parts[1].Trim().Length == 0))
            {
                throw new InvalidInputException("trace-window", $"trace-window must be START..END (for example 10m..20m); was '{text}'.");
            }

            if (parts[0].Trim().Length > 0) start = DurationText.ParseSeconds(parts[0].Trim(), "trace-window", 0, 1e10);
            if (parts[1].Trim().Length > 0) end = DurationText.ParseSeconds(parts[1].Trim(), "trace-window", 0, 1e10);
        }

        return new TraceReplay(parse.GetValue(Speed), start, end, parse.GetValue(Sample), seed, maxRequests).Validated();
    }

    /// <summary>The prefix cache of each replica; null for off.</summary>
    public PrefixCacheSpec? PrefixCacheOf(ParseResult parse, ServingSetup setup, int blockTokens = TraceReader.MooncakeBlockTokens) =>
        PrefixCacheText.Parse(parse.GetValue(PrefixCache), parse.GetValue(Eviction), parse.GetValue(Offload), setup, blockTokens, Names);

    private bool IsCacheOption(Option option) => option == PrefixCache || option == Eviction || option == Offload;

    /// <summary>The prefix-cache options as typed, for a generated run's request (null where not given).</summary>
    public (string? Cache, string? Eviction, string? Offload) CacheTexts(ParseResult parse) =>
        (parse.GetValue(PrefixCache), parse.GetValue(Eviction), parse.GetValue(Offload));

    /// <summary>The three options' names as errors give them.</summary>
    public static readonly (string Cache, string Eviction, string Offload) Names = ("prefix-cache", "prefix-eviction", "kv-offload");

    /// <summary>One line per offload tier: its reload time per block against the step model's cost of recomputing it.</summary>
    public static IEnumerable<string> OffloadNotes(PrefixCacheSpec? spec, ServingSetup setup)
    {
        if (spec?.Offload is not { Count: > 0 } tiers) yield break;
        const int chunk = 2048;
        var recompute = PrefixReload.RecomputePerBlock(setup, spec.BlockTokens, chunk);
        for (var i = 0; i < tiers.Count; i++)
        {
            var reload = PrefixReload.ReloadPerBlock(setup, spec.BlockTokens, tiers[i]);
            var verdict = reload.Value <= recompute.Value ? "faster than" : "slower than";
            yield return $"KV offload tier {i + 1}: reloading a {spec.BlockTokens}-token block takes {Time(reload)} per device " +
                $"({Guard.Format(Math.Round(PrefixReload.BytesPerBlockPerDevice(setup, spec.BlockTokens).Value / 1e6, 2))} MB at {Guard.Format(tiers[i].Bandwidth.Value / 1e9)} GB/s), " +
                $"{verdict} recomputing it ({Time(recompute)} of prefill after a {Number(chunk)}-token chunk); every hit is reloaded, as vLLM's offloading connector does.";
        }
    }

    /// <summary>The run's arrivals in words.</summary>
    public static string Describe(string path, TraceStats stats, TraceReplay replay)
    {
        var name = Path.GetFileName(path);
        var parts = new List<string> { $"trace {name} ({stats.Format}), {Number(stats.Emitted)} requests" };
        if (replay.Speed != 1) parts.Add($"{Guard.Format(replay.Speed)}× speed");
        if (replay.WindowStart is not null || replay.WindowEnd is not null)
        {
            parts.Add($"window {Guard.Format(replay.WindowStart ?? 0)} s..{(replay.WindowEnd is { } e ? Guard.Format(e) + " s" : "end")}");
        }

        if (replay.SampleFraction < 1) parts.Add($"sample {Percent(replay.SampleFraction)}");
        return string.Join(", ", parts);
    }

    /// <summary>plan: what was taken from the trace.</summary>
    public static string Describe(TraceWorkload w) =>
        $"Workload from the trace: {Number(w.Requests)} requests over {Time(Quantities.Seconds.FromSeconds(w.Span))}, mean rate {Number(w.Rate)} req/s (sized as the peak), " +
        $"gap CV {Guard.Format(Math.Round(w.GapCv, 2))} (gamma arrivals), prompt mean {Number(w.Input.Mean)}, output mean {Number(w.Output.Mean)} tokens" +
        (w.ReusedBlockShare is { } share ? $"; {Percent(share)} of prompt blocks repeat an earlier prefix, which plan does not credit (simulate --trace does)." : ".");

    /// <summary>Lines about what the loader skipped; empty when nothing was.</summary>
    public static IEnumerable<string> Notes(TraceStats stats)
    {
        if (stats.BadLines > 0)
        {
            yield return $"Skipped {Number(stats.BadLines)} bad {(stats.BadLines == 1 ? "line" : "lines")} of the trace; first: " +
                string.Join("; ", stats.Problems.Take(3).Select(p => p.ToString()));
        }

        if (stats.ZeroOutput > 0) yield return $"Skipped {Number(stats.ZeroOutput)} rows with no output tokens (failed requests).";
    }
}
