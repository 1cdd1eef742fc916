using System.CommandLine;
using System.CommandLine.Parsing;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Quantities;
using Infercost.Serving;
using Infercost.Simulation;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost simulate</c>: a request stream through a fleet of replicas, step by step.</summary>
internal static class SimulateCommand
{
    /// <summary>Runs with more expected requests than this show a progress bar (on an interactive console).</summary>
    public const double ProgressBarThreshold = 50_000;

    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var subject = new SubjectInputs();
        var serving = new ServingInputs(workload: true, batch: false);
        var cost = new CostInputs();
        var workload = new SimulationInputs();
        var rate = CliOptions.OptionalDouble("--rate", "Requests per second (the peak hour's rate with --diurnal). Give --rate, --rate-curve or --concurrency.", "REQ/S", CliOptions.InRange(1e-6, 1e6));
        var concurrency = CliOptions.OptionalInt("--concurrency", "Closed loop instead of arrivals: this many users on one replica, each sending its next request when the previous completes.", 1, 1_000_000);
        var requests = CliOptions.OptionalInt("--requests", "Requests to send. Default: 2,000 (or all arrivals within --duration).", 1, 100_000_000);
        var duration = SimulationInputs.Duration("--duration", "Stop arrivals after this long (for example 10m, 24h). Default: none (stop at --requests).", 1e-3, 365 * 86_400);
        var json = CommonOptions.Json();
        var command = new Command("simulate",
            "Simulate serving a request stream on a fleet: continuous batching with chunked prefill, paged KV cache, admission and " +
            "preemption, each step timed by the step-time model. Reports TTFT/TPOT percentiles, goodput, KV use, queue and $/MTok " +
            "including idle time." +
            "\n\nExample:\n  infercost simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --rate 5 --requests 5000 --slo-ttft 2s --slo-tpot 50ms" +
            "\n  infercost simulate --model llama-3.1-70b --gpu nvidia-h100-sxm --gpus 16 --tp 4 --rate 40 --diurnal --duration 24h --input-dist lognormal:800:1 --output-dist lognormal:250:0.8" +
            "\n  infercost simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --concurrency 64 --requests 2000 --json");
        subject.AddTo(command);
        serving.AddTo(command);
        foreach (var option in new Option[] { cost.GpuPrice, cost.Owned, cost.PurchasePrice, cost.ServerShare, cost.LifespanYears, cost.Electricity, cost.Pue, cost.Power }) command.Options.Add(option);
        foreach (var option in new Option[] { rate, concurrency, requests, duration }) command.Options.Add(option);
        workload.AddTo(command, sessions: true);
        command.Options.Add(json);

        command.SetAction(parse =>
        {
            var s = subject.Resolve(parse, context);
            var config = serving.Config(parse).Validated();
            var setup = new ServingSetup(s.Model, s.Accelerator, config.Parallelism ?? ParallelismPlanner.Choose(s.Model, s.Accelerator, config), config);
            var replicas = config.TotalDevices / setup.DevicesPerReplica;
            var options = new SimulationOptions(SimulationInputs.Scheduler(parse, serving, workload), workload.SloOf(parse), cost.Basis(parse));
            var input = workload.InputOf(parse, serving, context);
            var output = workload.OutputOf(parse, serving, context);
            var asJson = parse.GetValue(json);

            SimulationResult result;
            string arrivals;
            if (parse.GetValue(concurrency) is { } users)
            {
                if (parse.GetValue(rate) is not null || parse.GetValue(workload.RateCurveFile) is not null)
                {
                    throw new InvalidInputException("concurrency", "--concurrency runs a closed loop; drop --rate/--rate-curve, or drop --concurrency.");
                }

                var n = parse.GetValue(requests) ?? 2000;
                arrivals = $"closed loop, {users} users";
                result = Run(context, asJson, n, p => ServingSimulator.RunClosedLoop(setup, users, input, output, n, workload.SeedOf(parse), options, p));
            }
            else
            {
                var curve = workload.CurveOf(parse, rate, context);
                var horizon = parse.GetValue(duration);
                var count = parse.GetValue(requests) is { } r ? r : horizon is null ? 2000 : (long?)null;
                var stream = new RequestGenerator(workload.ArrivalsOf(parse, curve), input, output, workload.SeedOf(parse), count, horizon, workload.SessionsOf(parse)).Validated();
                arrivals = SimulationInputs.Describe(stream.Arrivals) + (stream.Sessions is { } ss ? $", sessions of {Guard.Format(ss.MeanTurns)} turns" : "");
                result = Run(context, asJson, stream.ExpectedRequests, p => ServingSimulator.Run(setup, replicas, stream, options, p));
            }

            if (asJson)
            {
                context.WriteJson(new SimulateReport(s.Model.Id, s.Accelerator.Id, arrivals, SimulationInputs.Describe(input), SimulationInputs.Describe(output), options.Scheduler, result));
                return ExitCodes.Ok;
            }

            SimulationTables.Render(context.Console, result, arrivals, SimulationInputs.Describe(input), SimulationInputs.Describe(output), options.Scheduler);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static SimulationResult Run(CliContext context, bool asJson, double expected, Func<IProgress<double>?, SimulationResult> run)
    {
        if (asJson || expected <= ProgressBarThreshold || !context.Console.Profile.Capabilities.Interactive) return run(null);
        SimulationResult? result = null;
        context.Console.Progress().Start(ctx =>
        {
            var task = ctx.AddTask($"Simulating {Count(expected)} requests", maxValue: 1);
            result = run(new SynchronousProgress(v => task.Value = v));
        });
        return result!;
    }
}

/// <summary>The <c>simulate</c> JSON document.</summary>
/// <param name="Model">Model id.</param>
/// <param name="Accelerator">Accelerator id.</param>
/// <param name="Arrivals">How requests arrived, in words.</param>
/// <param name="Input">Prompt lengths, in words.</param>
/// <param name="Output">Output lengths, in words.</param>
/// <param name="Scheduler">Scheduler settings.</param>
/// <param name="Result">What the run measured.</param>
internal sealed record SimulateReport(string Model, string Accelerator, string Arrivals, string Input, string Output, SchedulerConfig Scheduler, SimulationResult Result);

/// <summary>Reports progress on the calling thread (Spectre's progress display redraws on its own).</summary>
internal sealed class SynchronousProgress(Action<double> report) : IProgress<double>
{
    public void Report(double value) => report(value);
}

// Shared by simulate, plan and frontier; it lives here because those commands' files are the simulator's whole CLI.

/// <summary>Workload, scheduler and SLO options of the simulation commands.</summary>
internal sealed class SimulationInputs
{
    public Option<string?> Arrival { get; } = new("--arrival") { Description = "Gaps between arrivals: poisson or gamma. Default: poisson.", HelpName = "poisson|gamma" };
    public Option<double> Cv { get; } = CliOptions.Double("--cv", "With --arrival gamma: coefficient of variation of the gaps (above 1 is bursty).", "F", CliOptions.InRange(0.05, 20), 2);
    public Option<bool> Diurnal { get; } = new("--diurnal") { Description = "Vary the rate over the day with the built-in shape (--rate is the peak hour; trough 25% at 03:00–05:00, mean 69%)." };
    public Option<string?> RateCurveFile { get; } = new("--rate-curve") { Description = "A CSV of hour,rate lines (hours 0–23, requests per second) giving the day's load.", HelpName = "FILE.csv" };
    public Option<string?> InputDist { get; } = new("--input-dist") { Description = "Prompt lengths: N or lognormal:MEDIAN:SIGMA[:MAX]. Overrides --input.", HelpName = "DIST" };
    public Option<string?> OutputDist { get; } = new("--output-dist") { Description = "Output lengths: N or lognormal:MEDIAN:SIGMA[:MAX]. Overrides --output.", HelpName = "DIST" };
    public Option<string?> InputHistogram { get; } = new("--input-hist") { Description = "Prompt lengths from a histogram CSV of tokens,weight lines.", HelpName = "FILE.csv" };
    public Option<string?> OutputHistogram { get; } = new("--output-hist") { Description = "Output lengths from a histogram CSV of tokens,weight lines.", HelpName = "FILE.csv" };
    public Option<double?> Turns { get; } = CliOptions.OptionalDouble("--turns", "Multi-turn sessions with this mean number of turns; each turn's prompt repeats the conversation so far.", "N", CliOptions.InRange(1, 1000));
    public Option<double> ThinkTime { get; } = Duration("--think-time", "With --turns: mean time between a session's turns.", 0, 86_400, 30);
    public Option<double> PrefixHit { get; } = CliOptions.Double("--prefix-hit", "With --turns: probability a follow-up turn finds the conversation so far in the prefix cache.", "F", CliOptions.InRange(0, 1), 0.8);
    public Option<int> BlockSize { get; } = CliOptions.Int("--block-size", "Tokens per KV-cache block.", 1, 4096, SchedulerConfig.Default.BlockTokens);
    public Option<double> SloTtft { get; } = Duration("--slo-ttft", "Time-to-first-token target (for example 2s).", 1e-6, 86_400, Slo.Default.TimeToFirstToken.Value);
    public Option<double> SloTpot { get; } = Duration("--slo-tpot", "Time-per-output-token target (for example 50ms).", 1e-6, 3600, Slo.Default.TimePerOutputToken.Value);
    public Option<int> Seed { get; } = CliOptions.Int("--seed", "Seed of every random draw: the same seed reproduces the run exactly.", 0, int.MaxValue, 1);

    /// <summary>A duration option (2s, 50ms, 1.5) with a default in seconds.</summary>
    public static Option<double> Duration(string name, string description, double low, double high, double defaultValue) => new(name)
    {
        Description = description + $" Default: {Guard.Format(defaultValue)} s.",
        HelpName = "DURATION",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => ParseDuration(r, low, high) ?? defaultValue,
    };

    /// <summary>An optional duration option.</summary>
    public static Option<double?> Duration(string name, string description, double low, double high) => new(name)
    {
        Description = description,
        HelpName = "DURATION",
        CustomParser = r => ParseDuration(r, low, high),
    };

    public void AddTo(Command command, bool sessions)
    {
        Option[] options = [Arrival, Cv, Diurnal, RateCurveFile, InputDist, OutputDist, InputHistogram, OutputHistogram, BlockSize, SloTtft, SloTpot, Seed];
        foreach (var option in options) command.Options.Add(option);
        if (!sessions) return;
        foreach (var option in new Option[] { Turns, ThinkTime, PrefixHit }) command.Options.Add(option);
    }

    public static SchedulerConfig Scheduler(ParseResult parse, ServingInputs serving, SimulationInputs inputs) =>
        new SchedulerConfig(parse.GetValue(serving.PrefillChunk) ?? SchedulerConfig.Default.MaxBatchedTokens, parse.GetValue(serving.MaxBatch),
            parse.GetValue(inputs.BlockSize)).Validated();

    public Slo SloOf(ParseResult parse) =>
        new Slo(Seconds.FromSeconds(parse.GetValue(SloTtft)), Seconds.FromSeconds(parse.GetValue(SloTpot))).Validated();

    public long SeedOf(ParseResult parse) => parse.GetValue(Seed);

    public LengthDistribution InputOf(ParseResult parse, ServingInputs serving, CliContext context) =>
        Lengths(parse, InputDist, InputHistogram, parse.GetValue(serving.Input), "input-dist", context);

    public LengthDistribution OutputOf(ParseResult parse, ServingInputs serving, CliContext context) =>
        Lengths(parse, OutputDist, OutputHistogram, parse.GetValue(serving.Output), "output-dist", context);

    public static LengthDistribution Lengths(ParseResult parse, Option<string?> dist, Option<string?> histogram, int fixedTokens, string field, CliContext context)
    {
        var text = parse.GetValue(dist);
        var file = parse.GetValue(histogram);
        if (text is not null && file is not null) throw new InvalidInputException(field, $"--{field} and {histogram.Name} both give the lengths; use one.");
        if (file is not null) return EmpiricalLength.ParseCsv(context.ReadText(file, histogram.Name), file);
        return text is not null ? LengthDistribution.Parse(text, field) : new FixedLength(fixedTokens);
    }

    /// <summary>The day's rates: --rate-curve, else --rate (with --diurnal, as the peak).</summary>
    public RateCurve CurveOf(ParseResult parse, Option<double?> rate, CliContext context)
    {
        var file = parse.GetValue(RateCurveFile);
        var r = parse.GetValue(rate);
        if (file is not null)
        {
            if (r is not null || parse.GetValue(Diurnal)) throw new InvalidInputException("rate-curve", "--rate-curve gives the whole day's rates; drop --rate and --diurnal.");
            return RateCurve.ParseCsv(context.ReadText(file, "--rate-curve"), file);
        }

        if (r is not { } value) throw new InvalidInputException("rate", "rate is required: give --rate REQ/S, --rate-curve FILE or --concurrency N.");
        return parse.GetValue(Diurnal) ? RateCurve.Diurnal(value) : RateCurve.Constant(value);
    }

    public ArrivalProcess ArrivalsOf(ParseResult parse, RateCurve curve)
    {
        var kind = parse.GetValue(Arrival)?.Trim().ToLowerInvariant() switch
        {
            null or "poisson" => ArrivalKind.Poisson,
            "gamma" => ArrivalKind.Gamma,
            var other => throw new InvalidInputException("arrival", $"arrival must be poisson or gamma; was '{other}'."),
        };
        return new ArrivalProcess(curve, kind, kind == ArrivalKind.Gamma ? parse.GetValue(Cv) : 1).Validated();
    }

    public SessionSpec? SessionsOf(ParseResult parse) =>
        parse.GetValue(Turns) is { } turns ? new SessionSpec(turns, parse.GetValue(ThinkTime), parse.GetValue(PrefixHit)).Validated() : null;

    public static string Describe(LengthDistribution d) => d switch
    {
        FixedLength f => $"{f.Tokens} tokens",
        LognormalLength l => $"lognormal, median {Guard.Format(l.Median)}, σ {Guard.Format(l.Sigma)} (mean {Number(l.Mean)})",
        _ => $"histogram (mean {Number(d.Mean)})",
    };

    public static string Describe(ArrivalProcess a) =>
        (a.Kind == ArrivalKind.Poisson ? "Poisson" : $"gamma (cv {Guard.Format(a.CoefficientOfVariation)})") +
        (a.Rate.IsFlat ? $" at {Number(a.Rate.Peak)} req/s" : $", day curve peaking at {Number(a.Rate.Peak)} req/s (mean {Number(a.Rate.Mean)})");

    private static double? ParseDuration(ArgumentResult r, double low, double high)
    {
        if (r.Tokens.Count == 0) return null;
        var field = r.Parent is OptionResult o ? o.Option.Name.TrimStart('-') : r.Argument.Name;
        try
        {
            return DurationText.ParseSeconds(r.Tokens[^1].Value, field, low, high);
        }
        catch (InvalidInputException e)
        {
            r.AddError(e.Message);
            return null;
        }
    }
}

/// <summary>Tables for simulation results.</summary>
internal static class SimulationTables
{
    public static void Render(IAnsiConsole console, SimulationResult r, string arrivals, string input, string output, SchedulerConfig scheduler)
    {
        console.Write(KeyValueTable.Create("Simulation",
        [
            ("Fleet", $"{r.Replicas} {(r.Replicas == 1 ? "replica" : "replicas")} of {r.Layout} = {r.TotalDevices} devices"),
            ("Arrivals", arrivals),
            ("Prompt / output", $"{input} / {output}"),
            ("Scheduler", $"{Number(scheduler.MaxBatchedTokens)} tokens per step, {Number(scheduler.MaxRunningSequences)} sequences, {scheduler.BlockTokens}-token blocks"),
            ("KV cache per replica", $"{Number(r.KvBlocksPerReplica)} blocks = {Count((double)r.KvBlocksPerReplica * r.BlockTokens)} tokens"),
            ("Simulated time", Time(r.WallTime) + $" ({Number(r.Steps)} steps)"),
        ]));
        console.Write(Latency(r));
        console.Write(KeyValueTable.Create("Throughput and SLO",
        [
            ("Requests", $"{Number(r.Completed)} completed of {Number(r.Arrived)}" + (r.Rejected > 0 ? $", {Number(r.Rejected)} rejected (too long for the KV cache)" : "")),
            ("Preemptions", $"{Number(r.Preemptions)} ({Number(r.PreemptedRequests)} requests preempted at least once)"),
            ("Output throughput", Rate(r.OutputThroughput) + $" ({Rate(r.OutputThroughput / r.TotalDevices)} per GPU)"),
            ("Input throughput", Rate(r.InputThroughput)),
            ("Goodput", $"{Number(r.GoodputRequestsPerSecond)} req/s ({Percent(r.GoodFraction)} of requests meet TTFT ≤ {Time(r.Slo.TimeToFirstToken)} and TPOT ≤ {Time(r.Slo.TimePerOutputToken)})"),
            ("P90 meets SLO", r.MeetsSloAtP90 ? "yes" : "no"),
            ("GPU busy", Percent(r.BusyFraction)),
            ("Mean KV use", Percent(r.MeanKvUse)),
            ("Prefix cache", r.CachedPromptTokens.Value > 0 ? $"{Percent(r.CachedPromptTokens.Value / Math.Max(1, r.PromptTokens.Value))} of prompt tokens cached" : null),
        ]));
        if (r.ClusterPerHour is { } perHour && r.Cost is { } cost)
        {
            console.Write(KeyValueTable.Create("Cost (idle time included)",
            [
                ("Fleet", Money(perHour)),
                ("Run", Money(cost)),
                ("$/MTok output", r.OutputPerMillion is { } o ? Money(o) : "–"),
                ("$/MTok blended", r.BlendedPerMillion is { } b ? Money(b) : "–"),
            ]));
        }

        console.Write(Series(r.Series, 12));
    }

    public static Table Latency(SimulationResult r)
    {
        var table = KeyValueTable.Grid("Latency", "", "Mean", "P50", "P90", "P99", "Max");
        foreach (var (name, s) in new[] { ("Time to first token", r.TimeToFirstToken), ("Time per output token", r.TimePerOutputToken), ("End to end", r.EndToEnd), ("Queue wait", r.QueueWait) })
        {
            table.AddTextRow(name, Time(s.Mean), Time(s.P50), Time(s.P90), Time(s.P99), Time(s.Max));
        }

        return table;
    }

    // The series regrouped into at most `rows` rows, time-weighted.
    public static Table Series(IReadOnlyList<TimeSeriesPoint> series, int rows)
    {
        var table = KeyValueTable.Grid("Over time (time-averaged)", "From", "KV use", "Waiting", "Running", "Busy");
        if (series.Count == 0) return table;
        var group = (int)Math.Ceiling(series.Count / (double)rows);
        for (var i = 0; i < series.Count; i += group)
        {
            var part = series.Skip(i).Take(group).ToList();
            table.AddTextRow(Time(Seconds.FromSeconds(part[0].Start)), Percent(part.Average(p => p.KvUse)),
                Number(part.Average(p => p.Waiting)), Number(part.Average(p => p.Running)), Percent(part.Average(p => p.Busy)));
        }

        return table;
    }
}
