using System.CommandLine;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Cluster;
using Infercost.Requests;
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
        var serving = new ServingInputs(workload: true, batch: false) { Context = context };
        var speculation = new SpeculationInputs();
        var cost = new CostInputs();
        var workload = new SimulationInputs();
        var trace = new TraceInputs();
        var rate = CliOptions.OptionalDouble(SimulateRequest.RateField, "Requests per second (the peak hour's rate with --diurnal). Give --rate, --rate-curve or --concurrency.", "REQ/S");
        var concurrency = CliOptions.OptionalInt(SimulateRequest.ConcurrencyField, "Closed loop instead of arrivals: this many users on one replica (with --pool: on every replica of every pool, routed as arrivals are), each sending its next request when the previous completes.");
        var requests = CliOptions.OptionalInt(SimulateRequest.RequestsField, "Requests to send. Default: 2,000 (or all arrivals within --duration).");
        var duration = SimulationInputs.Duration("--duration", "Stop arrivals after this long (for example 10m, 24h). Default: none (stop at --requests).", 1e-3, 365 * 86_400);
        var runs = CliOptions.OptionalInt(SimulateRequest.RunsField, "Repeat the run with this many seeds (--seed, then seeds derived from it), in parallel on all cores, and report how much the headline figures move between them. Default: 1.");
        var mtbf = SimulationInputs.Duration("--mtbf", "Replicas fail at random: mean time between failures of one replica (for example 24h). What a failed replica held is recomputed on the others. Default: no failures.", 1, 1e9);
        var autoscaleMin = CliOptions.OptionalInt(SimulateRequest.AutoscaleMinField, "Autoscale the fleet between this many replicas (0 scales to zero) and all of them, as KEDA or Knative would: every --scale-interval it wants ceil(outstanding requests / --scale-target) replicas; new ones serve after --cold-start and are paid for from the ask. Default: every replica up.");
        var scaleTarget = CliOptions.OptionalDouble(SimulateRequest.ScaleTargetField, "With --autoscale-min: outstanding requests per replica the autoscaler aims at. Default: the scheduler's max batch (--max-batch).", "N");
        var coldStart = SimulationInputs.Duration("--cold-start", "With --autoscale-min: from asking for a replica to its first request (provisioning, weight load, CUDA-graph capture). Default: 2m.", 0, 86_400);
        var scaleInterval = SimulationInputs.Duration("--scale-interval", "With --autoscale-min: time between autoscaler decisions. Default: 30s (KEDA's pollingInterval).", 0.01, 86_400);
        var scaleDownDelay = SimulationInputs.Duration("--scale-down-delay", "With --autoscale-min: time without a scale-up before replicas are removed. Default: 5m (KEDA's cooldownPeriod).", 0, 7 * 86_400);
        var repair = SimulationInputs.Duration("--repair-time", "With --mtbf: how long a failed replica stays down before it returns empty. Default: 5m.", 0, 1e7);
        var pool = new Option<string[]?>("--pool")
        {
            Description = "Another pool of replicas behind the same router, beside the --gpu/--gpus replicas (pool 1): KEY=VALUE items, keys " + PoolSpec.Keys + ". " +
                "gpu defaults to --gpu; the layout is the pool's own (tp/pp/ep/dp, or none to let the planner choose); weights, kv and the engine's settings default to the run's; " +
                "price is $/GPU-hour (default: --gpu-price for the same GPU, else the catalog's). Repeat for more pools. Least-loaded routers weigh each replica by its decode rate. " +
                "Combines with --trace, --concurrency (users over every pool), --mtbf (replicas of every pool fail; their requests are recomputed in their own pool) and --autoscale-min (every pool scaled by the same share). " +
                "Routing is KV-aware: a request goes only to the pools whose replica holds its whole context in at most half its cache, else to those that hold it at all. " +
                "role=prefill|decode (and --role for pool 1) splits the fleet into prefill and decode pools (arrivals only: not with --concurrency, --mtbf or --autoscale-min).",
            HelpName = "KEY=VALUE,...",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var role = new Option<string?>("--role")
        {
            Description = "With --pool: what the --gpu/--gpus replicas (pool 1) do: combined (default), prefill or decode, as a pool's role= key. " +
                "With roles every pool has one, at least one prefill and one decode pool: arrivals go to the prefill pools (by --router, weighed by prefill rate), " +
                "finished prompts to the decode pools (weighed by decode rate), which pull the KV cache over the network.",
            HelpName = PoolSpec.Roles.Replace(", ", "|", StringComparison.Ordinal),
        };
        var bands = new Option<bool>("--bands")
        {
            Description = "Re-run the simulation at the engine speeds of the calibrated P10 and P90 (actual ÷ predicted throughput, widened for what the run extrapolates: " +
                "the 'extrapolating' line) and print each headline figure's P10–P90: queueing is re-simulated, not scaled. Three runs' work; with --runs every seed runs at both ends too, and the band also holds the seeds' spread.",
        };
        var cluster = ClusterInputs.Option("Run the --runs seed-runs on the Orleans cluster with this gateway ('infercost cluster silo') instead of this machine's cores; " +
            "the answer is the local one. Comma-separate several gateways. Needs --runs 2 or more. With --bands the band ends' runs go to the cluster too.");
        var json = CommonOptions.Json();
        var command = new Command("simulate",
            "Simulate serving a request stream on a fleet: continuous batching with chunked prefill, paged KV cache, admission and " +
            "preemption, each step timed by the step-time model. Reports TTFT/TPOT percentiles, goodput, KV use, queue and $/MTok " +
            "including idle time." +
            "\n\nExample:\n  infercost simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --rate 5 --requests 5000 --slo-ttft 2s --slo-tpot 50ms" +
            "\n  infercost simulate --model llama-3.1-70b --gpu nvidia-h100-sxm --gpus 16 --tp 4 --rate 40 --diurnal --duration 2h --input-dist lognormal:800:1 --output-dist lognormal:250:0.8" +
            "\n  infercost simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --concurrency 64 --requests 2000 --json" +
            "\n  infercost simulate --model deepseek-v3 --gpu nvidia-h100-sxm --gpus 16 --rate 20 --requests 1000 --spec-method mtp --spec-acceptance 0.85" +
            "\n  infercost simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 2 --trace data/traces/mooncake-fast25-conversation.jsonl --trace-speed 2 --prefix-cache unbounded" +
            "\n  infercost simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 8 --rate 20 --diurnal --duration 2h --autoscale-min 1 --cold-start 90s" +
            "\n  infercost simulate --model llama-3.1-70b --gpu nvidia-h100-sxm --gpus 16 --tp 4 --pool gpu=nvidia-a100-sxm-80gb,gpus=48,tp=8 --router least-tokens --rate 20 --requests 4000" +
            "\n  infercost simulate --model llama-3.1-70b --gpu nvidia-h100-sxm --gpus 8 --tp 4 --role prefill --pool gpu=nvidia-h200-sxm,gpus=8,tp=4,role=decode --rate 10 --requests 2000");
        subject.AddTo(command);
        serving.AddTo(command);
        speculation.AddTo(command);
        foreach (var option in new Option[] { cost.GpuPrice, cost.Owned, cost.PurchasePrice, cost.ServerShare, cost.LifespanYears, cost.Electricity, cost.Pue, cost.Power }) command.Options.Add(option);
        foreach (var option in new Option[] { rate, concurrency, requests, duration, runs }) command.Options.Add(option);
        workload.AddTo(command, sessions: true);
        trace.AddTo(command);
        command.Options.Add(workload.Router);
        command.Options.Add(mtbf);
        command.Options.Add(repair);
        foreach (var option in new Option[] { autoscaleMin, scaleTarget, coldStart, scaleInterval, scaleDownDelay }) command.Options.Add(option);
        command.Options.Add(pool);
        command.Options.Add(role);
        command.Options.Add(bands);
        command.Options.Add(cluster);
        command.Options.Add(json);

        command.SetAction(parse =>
        {
            trace.Check(parse, sessions: parse.GetValue(workload.Turns) is not null);
            var tracePath = trace.PathOf(parse);
            var request = workload.Fill(cost.Fill(speculation.Fill(serving.Fill(subject.Fill(new SimulateRequest(), parse, context), parse), parse), parse), parse, context) with
            {
                Rate = parse.GetValue(rate),
                Concurrency = parse.GetValue(concurrency),
                Requests = parse.GetValue(requests),
                Duration = SimulationInputs.Typed(parse, duration),
                Runs = parse.GetValue(runs),
                Arrival = parse.GetValue(workload.Arrival),
                Cv = parse.GetResult(workload.Cv) is { Implicit: false } ? parse.GetValue(workload.Cv) : null,
                Diurnal = parse.GetValue(workload.Diurnal),
                RateCurve = parse.GetValue(workload.RateCurveFile) is { } curveFile && tracePath is null ? context.ReadText(curveFile, "--rate-curve") : null,
                Turns = parse.GetValue(workload.Turns),
                ThinkTime = SimulationInputs.Typed(parse, workload.ThinkTime),
                PrefixHit = parse.GetResult(workload.PrefixHit) is { Implicit: false } ? parse.GetValue(workload.PrefixHit) : null,
                SloTtft = SimulationInputs.Typed(parse, workload.SloTtft),
                SloTpot = SimulationInputs.Typed(parse, workload.SloTpot),
                Router = parse.GetValue(workload.Router),
                Mtbf = SimulationInputs.Typed(parse, mtbf),
                RepairTime = SimulationInputs.Typed(parse, repair),
                AutoscaleMin = parse.GetValue(autoscaleMin),
                ScaleTarget = parse.GetValue(scaleTarget),
                ColdStart = SimulationInputs.Typed(parse, coldStart),
                ScaleInterval = SimulationInputs.Typed(parse, scaleInterval),
                ScaleDownDelay = SimulationInputs.Typed(parse, scaleDownDelay),
                Pool = parse.GetValue(pool) is { Length: > 0 } pools ? pools : null,
                Role = parse.GetValue(role),
                Bands = parse.GetValue(bands),
            };
            if (tracePath is null)
            {
                // Without a trace the prefix-cache options serve generated sessions (the request checks that --turns is given).
                var (cacheText, evictionText, offloadText) = trace.CacheTexts(parse);
                request = request with { PrefixCache = cacheText, PrefixEviction = evictionText, KvOffload = offloadText };
            }

            var gateways = parse.GetValue(cluster);
            if (gateways is not null && tracePath is not null)
            {
                throw new InvalidInputException("cluster", "--cluster spreads the --runs of a generated stream over a cluster; it does not apply to --trace. Drop --cluster.");
            }

            if (gateways is not null && parse.GetValue(runs) is not > 1)
            {
                throw new InvalidInputException("cluster", $"--cluster spreads the seed-runs of --runs over a cluster; it needs --runs 2 or more (was {parse.GetValue(runs) ?? 1}). Give --runs N, or drop --cluster.");
            }

            if (parse.GetValue(runs) is > 1 && tracePath is not null)
            {
                throw new InvalidInputException("runs", "--runs repeats a generated stream with other seeds; it does not apply to --trace or --concurrency. Drop --runs, or those.");
            }

            if (tracePath is not null && (parse.GetValue(rate) is not null || parse.GetValue(concurrency) is not null || parse.GetValue(workload.RateCurveFile) is not null
                || parse.GetValue(duration) is not null || parse.GetValue(workload.Turns) is not null))
            {
                throw new InvalidInputException("trace", "--trace gives the arrivals and lengths; drop --rate, --rate-curve, --concurrency, --duration and --turns (use --trace-window or --requests to shorten it).");
            }

            var (catalog, configSource) = subject.Sources(parse, context);
            var subjectResolved = request.Resolve(catalog, configSource);
            var asJson = CommonOptions.IsJson(parse, json);
            SimulateReport report;
            if (tracePath is { } path)
            {
                // A trace gives the arrivals: the request supplies everything else, so check it without a rate.
                var prepared = (request with { Rate = 1 }).Prepare(subjectResolved, workload.HistogramSources(parse));
                var (setup, options) = (prepared.Setup, prepared.Options);
                var replay = trace.ReplayOf(parse, workload.SeedOf(parse), parse.GetValue(requests));
                options = options with { PrefixCache = trace.PrefixCacheOf(parse, setup) };
                var stats = new TraceStats();
                SimulationResult result;
                IReadOnlyList<PoolResult>? tracePools = null;
                LatencySummary? traceHandoff = null;
                IEnumerable<SimRequest> Replay(TextReader reader, TraceStats counts) =>
                    Budgeted(replay.Requests(TraceReader.Read(TraceReader.Lines(reader), trace.FormatOf(parse), trace.PolicyOf(parse), counts), counts), path);
                // The pools' routing weights are taken at the trace's own mean context, so with pools the trace is read twice.
                double? meanContext = null;
                if (request.Pool is not null)
                {
                    double prompt = 0, output = 0, count = 0;
                    using (var reader = context.OpenText(path, "--trace"))
                    {
                        WithBadLineHint(() =>
                        {
                            foreach (var r in Replay(reader, new TraceStats())) (prompt, output, count) = (prompt + r.PromptTokens, output + r.OutputTokens, count + 1);
                            return count;
                        });
                    }

                    if (count == 0) throw new InvalidInputException("trace", $"--trace {path} has no requests to replay (in the window and sample given).");
                    meanContext = Math.Max(1, (prompt + output / 2) / count);
                }

                (SimulationResult, IReadOnlyList<PoolResult>?, LatencySummary?) ReplayOn(SimulationSetup at, TraceStats counts)
                {
                    using var reader = context.OpenText(path, "--trace");
                    if (meanContext is not { } mean) return (WithBadLineHint(() => ServingSimulator.Run(at.Setup, at.Replicas, Replay(reader, counts), options)), null, null);
                    var fleetPools = (request with { Rate = 1 }).PoolsOf(at);
                    var fleet = WithBadLineHint(() => ServingSimulator.RunFleet(fleetPools, Replay(reader, counts), options, mean));
                    return (fleet.Fleet, fleet.Pools, fleet.Handoff);
                }

                (result, tracePools, traceHandoff) = ReplayOn(prepared, stats);
                if (stats.Emitted == 0) throw new InvalidInputException("trace", $"--trace {path} has no requests to replay (in the window and sample given).");
                report = new SimulateReport(prepared.Subject.Model.Id, prepared.Subject.Accelerator.Id, TraceInputs.Describe(path, stats, replay),
                    $"from the trace (mean {Number(result.PromptTokens.Value / Math.Max(1, result.Completed))})",
                    $"from the trace (mean {Number(result.OutputTokens.Value / Math.Max(1, result.Completed))})", options.Scheduler, result)
                {
                    Notes = [.. TraceInputs.Notes(stats), .. TraceInputs.OffloadNotes(options.PrefixCache, setup)],
                    Pools = tracePools,
                    Handoff = traceHandoff,
                }.WithCoverage(setup);
                if (request.Bands)
                {
                    // The band's ends: the trace replayed again with every step at the P10 and P90 engine speeds.
                    var speed = Calibration.CalibratedEfficiency.Bands.For(report.Extrapolating);
                    var (slow, _, _) = ReplayOn(SimulateRequest.AtSpeed(prepared, speed.Low), new TraceStats());
                    var (fast, _, _) = ReplayOn(SimulateRequest.AtSpeed(prepared, speed.High), new TraceStats());
                    report = report with { Bands = SimulationBands.Of(speed, result, slow, fast) };
                }
            }
            else
            {
                var prepared = request.Prepare(subjectResolved, workload.HistogramSources(parse));
                var expected = request.Concurrency is not null ? request.Requests ?? SimulateRequest.DefaultRequests : request.Requests ?? ProgressBarThreshold + 1;
                var curveSource = parse.GetValue(workload.RateCurveFile);
                if (gateways is not null)
                {
                    // The runs' checks and budget before connecting, so that a bad input does not wait for the cluster.
                    request.CheckRuns(prepared, curveSource);
                    var (inputSource, outputSource) = workload.HistogramSources(parse);
                    var catalogText = parse.GetValue(subject.Catalog.File) is { } catalogPath ? context.ReadText(catalogPath, "--catalog") : null;
                    report = ClusterInputs.Run(gateways, client =>
                    {
                        var runsOnCluster = new ClusterRuns(client, request, subjectResolved, catalogText, (configSource, inputSource, outputSource, curveSource), ClusterInputs.Liveness);
                        return request.AnswerAsync(prepared, curveSource, runsOnCluster.Evaluator, request.Bands ? runsOnCluster.EvaluatorAt : null);
                    });
                }
                else
                {
                    report = Run(context, asJson || request.Runs is > 1, expected, p => request.Answer(prepared, curveSource, p));
                }
            }

            if (asJson)
            {
                context.WriteJson(report);
                return ExitCodes.Ok;
            }

            var (r, arrivals, inputText, outputText, spread, notes) = (report.Result, report.Arrivals, report.Input, report.Output, report.Spread, report.Notes);
            SimulationTables.Render(context.Console, r, arrivals, inputText, outputText, report.Scheduler);
            if (report.Pools is { } poolResults) context.Console.Write(SimulationTables.Pools(poolResults));
            if (report.Handoff is { Count: > 0 } handoff)
            {
                context.Console.WriteLine($"• Handover, prefill end → KV cache on the decode replica: P50 {Time(handoff.P50)}, P99 {Time(handoff.P99)}, max {Time(handoff.Max)}.");
            }

            if (Calibration.Extrapolation.Line(report.Extrapolating) is { } line) context.Console.WriteLine(line);
            if (spread is not null) context.Console.Write(SimulationTables.Spread(spread));
            if (report.Bands is { } banded) context.Console.Write(SimulationTables.Bands(banded));
            if (r.Failures is { } f)
            {
                context.Console.WriteLine($"• Failures: {Number(f.Failures)} replica failures, {Number(f.Recoveries)} recoveries; {Number(f.InterruptedRequests)} requests interrupted and recomputed elsewhere; " +
                    $"replicas down {Time(Quantities.Seconds.FromSeconds(f.DownReplicaSeconds))} in all ({Percent(f.DownReplicaSeconds / (r.Replicas * Math.Max(r.WallTime.Value, 1e-12)))} of replica time), " +
                    $"every replica down for {Time(Quantities.Seconds.FromSeconds(f.FleetDownSeconds))}.");
            }

            if (r.Autoscale is { } a)
            {
                context.Console.WriteLine($"• Autoscaling: {Number(a.ScaleUps)} replicas asked for, {Number(a.ScaleDowns)} scaled down; {a.MeanReplicas.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} replicas on average, {Number(a.PeakReplicas)} at peak; " +
                    $"paid {Percent(a.ProvisionedReplicaSeconds / Math.Max(a.FleetReplicaSeconds, 1e-12))} of the whole fleet's replica time, {Time(Quantities.Seconds.FromSeconds(a.ColdStartReplicaSeconds))} of it starting. Cost figures count the replicas provisioned.");
            }

            foreach (var note in notes) context.Console.WriteLine("• " + note);
            if (report.Speculation is { } used) context.Console.WriteLine($"• Speculative decoding: {used}; each decode step is a verify pass of k + 1 tokens per sequence plus drafting, and emits the accepted tokens (drawn with --seed).");
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

    private static SimulateReport Run(CliContext context, bool asJson, double expected, Func<IProgress<double>?, SimulateReport> run)
    {
        if (asJson || expected <= ProgressBarThreshold || !context.Console.Profile.Capabilities.Interactive) return run(null);
        SimulateReport? result = null;
        context.Console.Progress().Start(ctx =>
        {
            var task = ctx.AddTask($"Simulating {Count(expected)} requests", maxValue: 1);
            result = run(new SynchronousProgress(v => task.Value = v));
        });
        return result!;
    }
}
