using System.CommandLine;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Cli.Reports;
using Infercost.Serving;
using Infercost.Simulation;
using Infercost.Simulation.Traces;
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
        var trace = new TraceInputs();
        var rate = CliOptions.OptionalDouble("--rate", "Requests per second (the peak hour's rate with --diurnal). Give --rate, --rate-curve or --concurrency.", "REQ/S", CliOptions.InRange(1e-6, 1e6));
        var concurrency = CliOptions.OptionalInt("--concurrency", "Closed loop instead of arrivals: this many users on one replica, each sending its next request when the previous completes.", 1, 1_000_000);
        var requests = CliOptions.OptionalInt("--requests", "Requests to send. Default: 2,000 (or all arrivals within --duration).", 1, 100_000_000);
        var duration = SimulationInputs.Duration("--duration", "Stop arrivals after this long (for example 10m, 24h). Default: none (stop at --requests).", 1e-3, 365 * 86_400);
        var runs = CliOptions.OptionalInt("--runs", "Repeat the run with this many seeds (--seed, then seeds derived from it), in parallel on all cores, and report how much the headline figures move between them. Default: 1.", 1, 64);
        var json = CommonOptions.Json();
        var command = new Command("simulate",
            "Simulate serving a request stream on a fleet: continuous batching with chunked prefill, paged KV cache, admission and " +
            "preemption, each step timed by the step-time model. Reports TTFT/TPOT percentiles, goodput, KV use, queue and $/MTok " +
            "including idle time." +
            "\n\nExample:\n  infercost simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --rate 5 --requests 5000 --slo-ttft 2s --slo-tpot 50ms" +
            "\n  infercost simulate --model llama-3.1-70b --gpu nvidia-h100-sxm --gpus 16 --tp 4 --rate 40 --diurnal --duration 24h --input-dist lognormal:800:1 --output-dist lognormal:250:0.8" +
            "\n  infercost simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --concurrency 64 --requests 2000 --json" +
            "\n  infercost simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 2 --trace data/traces/mooncake-fast25-conversation.jsonl --trace-speed 2 --prefix-cache unbounded");
        subject.AddTo(command);
        serving.AddTo(command);
        foreach (var option in new Option[] { cost.GpuPrice, cost.Owned, cost.PurchasePrice, cost.ServerShare, cost.LifespanYears, cost.Electricity, cost.Pue, cost.Power }) command.Options.Add(option);
        foreach (var option in new Option[] { rate, concurrency, requests, duration, runs }) command.Options.Add(option);
        workload.AddTo(command, sessions: true);
        trace.AddTo(command);
        command.Options.Add(workload.Router);
        command.Options.Add(json);

        command.SetAction(parse =>
        {
            var s = subject.Resolve(parse, context);
            var config = serving.Config(parse).Validated();
            var setup = new ServingSetup(s.Model, s.Accelerator, config.Parallelism ?? ParallelismPlanner.Choose(s.Model, s.Accelerator, config), config);
            var replicas = config.TotalDevices / setup.DevicesPerReplica;
            var options = new SimulationOptions(PerReplica(SimulationInputs.Scheduler(parse, serving, workload), setup), workload.SloOf(parse), cost.Basis(parse),
                Router: workload.RouterOf(parse), RouterSeed: workload.SeedOf(parse));
            var input = workload.InputOf(parse, serving, context);
            var output = workload.OutputOf(parse, serving, context);
            RequestFit.EnsureShortestFits(setup, input, output);
            var asJson = parse.GetValue(json);

            SimulationResult result;
            string arrivals;
            string inputText = SimulationInputs.Describe(input), outputText = SimulationInputs.Describe(output);
            IReadOnlyList<string> notes = [];
            SimulationSpread? spread = null;
            if (parse.GetValue(runs) is > 1 && (trace.PathOf(parse) is not null || parse.GetValue(concurrency) is not null))
            {
                throw new InvalidInputException("runs", "--runs repeats a generated stream with other seeds; it does not apply to --trace or --concurrency. Drop --runs, or those.");
            }

            if (trace.PathOf(parse) is { } path)
            {
                if (parse.GetValue(rate) is not null || parse.GetValue(concurrency) is not null || parse.GetValue(workload.RateCurveFile) is not null
                    || parse.GetValue(duration) is not null || parse.GetValue(workload.Turns) is not null)
                {
                    throw new InvalidInputException("trace", "--trace gives the arrivals and lengths; drop --rate, --rate-curve, --concurrency, --duration and --turns (use --trace-window or --requests to shorten it).");
                }

                var replay = trace.ReplayOf(parse, workload.SeedOf(parse), parse.GetValue(requests));
                options = options with { PrefixCache = trace.PrefixCacheOf(parse, setup) };
                var stats = new TraceStats();
                using (var reader = context.OpenText(path, "--trace"))
                {
                    var stream = replay.Requests(TraceReader.Read(TraceReader.Lines(reader), trace.FormatOf(parse), trace.PolicyOf(parse), stats), stats);
                    result = WithBadLineHint(() => ServingSimulator.Run(setup, replicas, Budgeted(stream, path), options));
                }

                if (stats.Emitted == 0) throw new InvalidInputException("trace", $"--trace {path} has no requests to replay (in the window and sample given).");
                arrivals = TraceInputs.Describe(path, stats, replay);
                inputText = $"from the trace (mean {Number(result.PromptTokens.Value / Math.Max(1, result.Completed))})";
                outputText = $"from the trace (mean {Number(result.OutputTokens.Value / Math.Max(1, result.Completed))})";
                notes = [.. TraceInputs.Notes(stats)];
            }
            else if (parse.GetValue(concurrency) is { } users)
            {
                if (parse.GetValue(rate) is not null || parse.GetValue(workload.RateCurveFile) is not null)
                {
                    throw new InvalidInputException("concurrency", "--concurrency runs a closed loop; drop --rate/--rate-curve, or drop --concurrency.");
                }

                var n = parse.GetValue(requests) ?? 2000;
                SimulationBudget.Ensure(n, output, "requests", $"--requests {Typed(parse, requests) ?? "2000"}");
                arrivals = $"closed loop, {users} users";
                result = Run(context, asJson, n, p => ServingSimulator.RunClosedLoop(setup, users, input, output, n, workload.SeedOf(parse), options, p));
            }
            else
            {
                var curve = workload.CurveOf(parse, rate, context);
                var horizon = parse.GetValue(duration);
                var count = parse.GetValue(requests) is { } r ? r : horizon is null ? 2000 : (long?)null;
                var stream = new RequestGenerator(workload.ArrivalsOf(parse, curve), input, output, workload.SeedOf(parse), count, horizon, workload.SessionsOf(parse)).Validated();
                SimulationBudget.Ensure(stream.ExpectedRequests, output, count is not null && horizon is null ? "requests" : "duration",
                    horizon is null ? $"--requests {Typed(parse, requests) ?? "2000"}" : $"--duration {Typed(parse, duration)} at this rate");
                arrivals = SimulationInputs.Describe(stream.Arrivals) + (stream.Sessions is { } ss ? $", sessions of {Guard.Format(ss.MeanTurns)} turns" : "");
                if (parse.GetValue(runs) is > 1 and var n)
                {
                    SimulationBudget.Ensure(stream.ExpectedRequests * n, output, "runs", $"--runs {n} of {Count(stream.ExpectedRequests)} requests each");
                    var seeds = Enumerable.Range(0, n).Select(i => ParallelRuns.SeedOf(stream.Seed, i)).ToList();
                    var all = ParallelRuns.Run(n, stream.Seed, (_, seed) => ServingSimulator.Run(setup, replicas, stream with { Seed = seed }, options with { RouterSeed = seed }));
                    result = all[0];
                    spread = SimulationSpread.Of(all, seeds);
                }
                else
                {
                    result = Run(context, asJson, stream.ExpectedRequests, p => ServingSimulator.Run(setup, replicas, stream, options, p));
                }
            }

            if (asJson)
            {
                context.WriteJson(new SimulateReport(s.Model.Id, s.Accelerator.Id, arrivals, inputText, outputText, options.Scheduler, result) { Notes = notes, Spread = spread });
                return ExitCodes.Ok;
            }

            SimulationTables.Render(context.Console, result, arrivals, inputText, outputText, options.Scheduler);
            if (spread is not null) context.Console.Write(SimulationTables.Spread(spread));
            foreach (var note in notes) context.Console.WriteLine("• " + note);
            return ExitCodes.Ok;
        });
        return command;
    }

    // A trace's size is known only by reading it, so its budget is checked as it streams (SimulationBudget's bound).
    private static IEnumerable<SimRequest> Budgeted(IEnumerable<SimRequest> requests, string path)
    {
        var tokens = 0.0;
        foreach (var r in requests)
        {
            tokens += r.OutputTokens;
            if (tokens > SimulationBudget.MaxOutputTokens)
            {
                throw new InvalidInputException("trace", $"--trace {path} holds more than {Guard.Format(SimulationBudget.MaxOutputTokens / 1e9)} billion output tokens " +
                    $"(reached at request {Number(r.Id + 1)}), the most one run simulates; shorten it with --trace-window, --trace-sample or --requests.");
            }

            yield return r;
        }
    }

    /// <summary>Runs <paramref name="run"/>, adding to a bad trace line's message how to skip such lines.</summary>
    public static T WithBadLineHint<T>(Func<T> run)
    {
        try
        {
            return run();
        }
        catch (InvalidInputException e) when (e.Field == TraceReader.BadLineField)
        {
            throw new InvalidInputException("trace", e.Message + " (--trace-bad skip skips bad lines)");
        }
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

    // The value as the user typed it (the last occurrence), for messages.
    private static string? Typed(ParseResult parse, Option option) => parse.GetResult(option)?.Tokens is { Count: > 0 } t ? t[^1].Value : null;

    // --max-batch is per attention-DP rank (each rank schedules its own batch); the simulated replica holds them all.
    private static SchedulerConfig PerReplica(SchedulerConfig scheduler, ServingSetup setup) =>
        scheduler with { MaxRunningSequences = (int)Math.Min(1_000_000, (long)scheduler.MaxRunningSequences * setup.Parallelism.AttentionData) };
}
