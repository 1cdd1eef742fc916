using System.CommandLine;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Cli.Reports;
using Infercost.Requests;
using Infercost.Serving;
using Infercost.Simulation;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost plan</c>: the fewest GPUs that meet latency targets at a peak rate, and what a day costs.</summary>
internal static class PlanCommand
{
    private static readonly ServingConfig Defaults = new() { TotalDevices = 1 };

    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var subject = new SubjectInputs();
        var cost = new CostInputs();
        var workload = new SimulationInputs();
        var trace = new TraceInputs();
        var rate = CliOptions.OptionalDouble("--rate", "Peak requests per second (with --diurnal, the busiest hour's rate).", "REQ/S", CliOptions.InRange(1e-6, 1e6));
        var input = CliOptions.Int("--input", "Prompt tokens per request (see --input-dist for a distribution).", 1, 10_000_000, Defaults.InputTokens);
        var output = CliOptions.Int("--output", "Output tokens per request (see --output-dist).", 1, 10_000_000, Defaults.OutputTokens);
        var weights = CliOptions.Precision("--weights", "Weight precision. Default: the model's published precision.");
        var kv = CliOptions.Precision("--kv", "KV-cache precision. Default: bf16.");
        var maxBatch = CliOptions.OptionalInt("--max-batch", "Most sequences running at once per replica (vLLM's max_num_seqs). Default: the engine's.", 1, 1_000_000);
        var chunk = CliOptions.OptionalInt("--prefill-chunk", "Token budget of one step, prompt chunks and decodes together (vLLM's max_num_batched_tokens). Default: the engine's.", 1, 10_000_000);
        var servingOptions = new ServingInputs(workload: true) { Context = context };
        var engine = servingOptions.Engine;
        var engineProfile = servingOptions.EngineProfile;
        var step = CliOptions.Int("--autoscale-step", "Hours between autoscaling decisions; each step is sized for its busiest hour.", 1, 24, 1);
        var maxPerReplica = CliOptions.Int("--max-gpus-per-replica", "Largest replica tried (sizes 1, 2, 4, ... up to this).", 1, 1024, 8);
        var disaggregated = new Option<bool>("--disaggregated")
        {
            Description = "Also plan separate prefill and decode pools (the KV cache crosses the scale-out network) and compare them with the aggregated fleet.",
        };
        var prefillSize = CliOptions.OptionalInt("--prefill-gpus-per-replica", "With --disaggregated: GPUs per prefill replica. Default: the aggregated plan's replica size.", 1, 1024);
        var decodeSize = CliOptions.OptionalInt("--decode-gpus-per-replica", "With --disaggregated: GPUs per decode replica. Default: the aggregated plan's replica size.", 1, 1024);
        var trial = SimulationInputs.Duration("--trial-time", "Least simulated arrival time per trial; trials also cover 30 request lifetimes, within 200,000 requests.", 1, 86_400, 120);
        var json = CommonOptions.Json();
        var command = new Command("plan",
            "Find the fewest GPUs whose simulated P90 time to first token and P90 time per output token meet the SLO at the peak rate " +
            "(over replica sizes and counts), show that one replica fewer misses it, and price a day with that fleet fixed and autoscaled " +
            "against the static estimate." +
            "\n\nExample:\n  infercost plan --model llama-3.1-70b --gpu nvidia-h100-sxm --rate 20 --slo-ttft 2s --slo-tpot 50ms --input 1000 --output 200 --diurnal" +
            "\n  infercost plan --model llama-3.1-8b --gpu nvidia-h100-sxm --rate-curve day.csv --gpu-price 2.5 --autoscale-step 4 --json" +
            "\n  infercost plan --model llama-3.1-70b --gpu nvidia-h100-sxm --rate 20 --disaggregated --prefill-gpus-per-replica 4 --decode-gpus-per-replica 4");
        subject.AddTo(command);
        foreach (var option in new Option[] { engine, engineProfile, rate, input, output, weights, kv, maxBatch, chunk, step, maxPerReplica, trial, disaggregated, prefillSize, decodeSize }) command.Options.Add(option);
        workload.AddTo(command, sessions: false);
        trace.AddTo(command, prefixCache: false);
        foreach (var option in new Option[] { cost.GpuPrice, cost.Owned, cost.PurchasePrice, cost.ServerShare, cost.LifespanYears, cost.Electricity, cost.Pue, cost.Power }) command.Options.Add(option);
        command.Options.Add(json);

        command.SetAction(parse =>
        {
            trace.Check(parse);
            var s = subject.Resolve(parse, context);
            var fromTrace = trace.WorkloadOf(parse, context, workload.SeedOf(parse), rate, workload);
            var day = fromTrace is null ? workload.CurveOf(parse, rate, context) : RateCurve.Constant(fromTrace.Rate);
            var arrivals = fromTrace is null ? workload.ArrivalsOf(parse, day) : new ArrivalProcess(day, ArrivalKind.Gamma, Math.Clamp(fromTrace.GapCv, 0.05, 20));
            // The engine profile's scheduler defaults, memory reserve and runtime (Requests.DeploymentRequest.ToConfig).
            var engineConfig = new DeploymentRequest { Gpus = 1, Engine = parse.GetValue(engine), EngineProfile = ServingInputs.ReadProfile(context, parse.GetValue(engineProfile)) }.ToConfig();
            var inputs = new PlanInputs(s.Model, s.Accelerator,
                engineConfig with { WeightPrecision = parse.GetValue(weights), KvPrecision = parse.GetValue(kv) ?? Defaults.KvPrecision },
                new SchedulerConfig(parse.GetValue(chunk) ?? engineConfig.PrefillChunkTokens, parse.GetValue(maxBatch) ?? engineConfig.MaxBatch, parse.GetValue(workload.BlockSize)),
                fromTrace?.Input ?? SimulationInputs.Lengths(parse, workload.InputDist, workload.InputHistogram, parse.GetValue(input), "input-dist", context),
                fromTrace?.Output ?? SimulationInputs.Lengths(parse, workload.OutputDist, workload.OutputHistogram, parse.GetValue(output), "output-dist", context),
                day.Peak, workload.SloOf(parse), cost.Basis(parse), day, arrivals.Kind, arrivals.CoefficientOfVariation,
                parse.GetValue(step), workload.SeedOf(parse), parse.GetValue(trial), parse.GetValue(maxPerReplica));
            var asJson = parse.GetValue(json);
            if (!parse.GetValue(disaggregated))
            {
                if (parse.GetValue(prefillSize) is not null || parse.GetValue(decodeSize) is not null)
                {
                    throw new InvalidInputException("disaggregated", "--prefill-gpus-per-replica and --decode-gpus-per-replica size the pools of --disaggregated; add --disaggregated.");
                }
            }
            else
            {
                var (sizeP, sizeD) = (parse.GetValue(prefillSize), parse.GetValue(decodeSize));
                var (aggregated, split) = WithProgress(context, asJson, "Simulating fleets", progress =>
                {
                    CapacityPlan? a = null;
                    try
                    {
                        a = CapacityPlanner.Plan(inputs, progress is null ? null : new SynchronousProgress(v => progress(0.5 * v)));
                    }
                    catch (InvalidInputException) when (sizeP is not null && sizeD is not null)
                    {
                        // The pools are sized by hand: they may meet an SLO that no aggregated fleet meets.
                    }

                    var d = DisaggregatedPlanner.Plan(inputs, sizeP ?? a!.DevicesPerReplica, sizeD ?? a!.DevicesPerReplica,
                        progress is null ? null : new SynchronousProgress(v => progress(0.5 + 0.5 * v)));
                    return (a, d);
                });
                if (asJson)
                {
                    context.WriteJson(new DisaggregatedPlanReport(s.Model.Id, s.Accelerator.Id, SimulationInputs.Describe(inputs.Input), SimulationInputs.Describe(inputs.Output), aggregated, split));
                    return ExitCodes.Ok;
                }

                DisaggregatedPlanTables.Render(context.Console, split, aggregated, s.Model.Id, inputs);
                return ExitCodes.Ok;
            }

            var plan = WithProgress(context, asJson, "Simulating fleets", progress =>
                CapacityPlanner.Plan(inputs, progress is null ? null : new SynchronousProgress(progress)));

            if (asJson)
            {
                context.WriteJson(new PlanReport(s.Model.Id, s.Accelerator.Id, SimulationInputs.Describe(inputs.Input), SimulationInputs.Describe(inputs.Output), plan));
                return ExitCodes.Ok;
            }

            Render(context.Console, plan, s.Model.Id, inputs);
            if (fromTrace is not null) context.Console.WriteLine("• " + TraceInputs.Describe(fromTrace));
            return ExitCodes.Ok;
        });
        return command;
    }

    // Runs the planner, with a progress bar on an interactive console (not with --json).
    private static T WithProgress<T>(CliContext context, bool asJson, string title, Func<Action<double>?, T> run)
    {
        if (asJson || !context.Console.Profile.Capabilities.Interactive) return run(null);
        T result = default!;
        context.Console.Progress().Start(ctx =>
        {
            var task = ctx.AddTask(title, maxValue: 1);
            result = run(v => task.Value = v);
        });
        return result;
    }

    // How the peak was judged: which replicas were simulated at what rate, for how long, and that the backlog held.
    private static string TrialText(CapacityPlan p)
    {
        var t = p.PeakTrial;
        var group = t.SimulatedReplicas == t.Replicas
            ? $"the whole fleet at {Number(t.Rate)} req/s"
            : $"{t.SimulatedReplicas} replicas at their share, {Number(t.Rate)} req/s (random routing over {Number(t.Replicas)})";
        return $"{p.Trials} simulations; at the peak {group}, {Number(t.Result.Arrived)} requests over {Time(t.Horizon)}, " +
            $"first {Time(t.WarmUp)} discarded; backlog steady ({Number(Math.Round(t.BacklogFirstHalf, 1))} then {Number(Math.Round(t.BacklogSecondHalf, 1))} per replica); " +
            $"one replica completes at most {Number(Math.Round(p.Saturation.RequestsPerSecond, 2))} req/s saturated";
    }

    private static void Render(IAnsiConsole console, CapacityPlan p, string model, PlanInputs inputs)
    {
        var peak = p.AtPeak;
        console.Write(KeyValueTable.Create($"Plan: {model} at {Number(p.PeakRate)} req/s peak",
        [
            ("Workload", $"prompt {SimulationInputs.Describe(inputs.Input)}, output {SimulationInputs.Describe(inputs.Output)}, {(inputs.Arrival == ArrivalKind.Poisson ? "Poisson" : "gamma")} arrivals"),
            ("SLO (P90)", $"TTFT ≤ {Time(p.Slo.TimeToFirstToken)}, TPOT ≤ {Time(p.Slo.TimePerOutputToken)}"),
            ("Fleet", $"{Number(p.Replicas)} {(p.Replicas == 1 ? "replica" : "replicas")} of {p.Layout} = {Number(p.Devices)} GPUs"),
            ("At the peak", $"P90 TTFT {Time(peak.TimeToFirstToken.P90)}, P90 TPOT {Time(peak.TimePerOutputToken.P90)}, GPU busy {Percent(peak.BusyFraction)}, {Number(peak.Preemptions)} preemptions"),
            ("One replica fewer", p.OneFewer is { } f
                ? $"{Number(p.Replicas - 1)} replicas: P90 TTFT {Time(f.TimeToFirstToken.P90)}, P90 TPOT {Time(f.TimePerOutputToken.P90)}: misses the SLO"
                : "one replica is the smallest fleet"),
            ("Trials", TrialText(p)),
        ]));

        var layouts = KeyValueTable.Grid("Replica sizes tried", "GPUs per replica", "Layout", "Replicas", "GPUs", "Note");
        foreach (var l in p.Layouts)
        {
            layouts.AddTextRow(l.DevicesPerReplica.ToString(System.Globalization.CultureInfo.InvariantCulture), l.Layout,
                l.Replicas is { } n ? Number(n) : "–", l.Devices is { } d ? Number(d) : "–", l.Reason ?? (l.Devices == p.Devices && l.Layout == p.Layout ? "chosen" : ""));
        }

        console.Write(layouts);

        var day = KeyValueTable.Grid("A day of serving", "Strategy", "GPU-hours", "Cost", "$/MTok blended", "$/MTok output");
        foreach (var d in new[] { p.FixedFleet, p.Autoscaling })
        {
            day.AddTextRow(d.Strategy == "fixed" ? $"Fixed fleet ({p.Devices} GPUs)" : $"Autoscaled every {p.AutoscaleStepHours} h",
                Number(d.DeviceHours), Money(d.Cost), Money(d.BlendedPerMillion), Money(d.OutputPerMillion));
        }

        day.AddTextRow("Static estimate (cost, full utilisation)", "–", "–",
            p.StaticBlendedPerMillion is { } sb ? Money(sb) : "–", p.StaticOutputPerMillion is { } so ? Money(so) : "–");
        console.Write(day);

        var steps = KeyValueTable.Grid("Autoscaled fleet", "Hours", "Rate", "Replicas", "GPUs");
        foreach (var s in p.Autoscaled)
        {
            steps.AddTextRow($"{s.StartHour:00}:00–{s.StartHour + s.Hours:00}:00", Number(s.Rate) + " req/s", Number(s.Replicas), Number(s.Devices));
        }

        console.Write(steps);
        console.Write(new Text($"Requests per day: {Count(p.FixedFleet.Requests)}; tokens per day: {Count(p.FixedFleet.Tokens.Value)}. " +
            "Cost per token counts every GPU-hour paid for, idle or busy; the static estimate assumes the fleet is always full.\n"));
    }
}
