using System.CommandLine;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
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
        var speculation = new SpeculationInputs();
        var rate = CliOptions.OptionalDouble(PlanRequest.RateField, "Peak requests per second (with --diurnal, the busiest hour's rate).", "REQ/S");
        var input = CliOptions.Int(PlanRequest.InputField, "Prompt tokens per request (see --input-dist for a distribution).", Defaults.InputTokens);
        var output = CliOptions.Int(PlanRequest.OutputField, "Output tokens per request (see --output-dist).", Defaults.OutputTokens);
        var weights = CliOptions.StoredPrecision("--weights", "Weight precision. Default: the model's published precision.");
        var kv = CliOptions.StoredPrecision("--kv", "KV-cache precision. Default: bf16.");
        var maxBatch = CliOptions.OptionalInt(PlanRequest.MaxBatchField, "Most sequences running at once per replica (vLLM's max_num_seqs). Default: the engine's.");
        var chunk = CliOptions.OptionalInt(PlanRequest.PrefillChunkField, "Token budget of one step, prompt chunks and decodes together (vLLM's max_num_batched_tokens). Default: the engine's.");
        var servingOptions = new ServingInputs(workload: true) { Context = context };
        var engine = servingOptions.Engine;
        var engineProfile = servingOptions.EngineProfile;
        var moeKernel = servingOptions.MoeKernel;
        var step = CliOptions.Int(PlanRequest.AutoscaleStepField, "Hours between autoscaling decisions; each step is sized for its busiest hour.", 1);
        var maxPerReplica = CliOptions.Int(PlanRequest.MaxGpusPerReplicaField, "Largest replica tried (sizes 1, 2, 4, ... up to this).", 8);
        var disaggregated = new Option<bool>("--disaggregated")
        {
            Description = "Also plan separate prefill and decode pools (the KV cache crosses the scale-out network) and compare them with the aggregated fleet.",
        };
        var prefillSize = CliOptions.OptionalInt(PlanRequest.PrefillGpusPerReplicaField, "With --disaggregated: GPUs per prefill replica. Default: the aggregated plan's replica size.");
        var decodeSize = CliOptions.OptionalInt(PlanRequest.DecodeGpusPerReplicaField, "With --disaggregated: GPUs per decode replica. Default: the aggregated plan's replica size.");
        var trial = SimulationInputs.Duration("--trial-time", "Least simulated arrival time per trial; trials also cover 30 request lifetimes, within 200,000 requests.", 1, 86_400, 120);
        var bands = new Option<bool>("--bands")
        {
            Description = "Plan again with every simulated step at the engine speeds of the calibrated P10 and P90 (actual ÷ predicted throughput, widened for what the " +
                "chosen fleet extrapolates: the 'extrapolating' line): the fleet to buy if the engine is as slow as the band's low end, and what its high end would need. " +
                "Three plans' work. With --disaggregated the prefill and decode pools are re-planned at both ends (their replica sizes as modelled); the aggregated plan beside them is not.",
        };
        var json = CommonOptions.Json();
        var command = new Command("plan",
            "Find the fewest GPUs whose simulated P90 time to first token and P90 time per output token meet the SLO at the peak rate " +
            "(over replica sizes and counts), show that one replica fewer misses it, and price a day with that fleet fixed and autoscaled " +
            "against the static estimate." +
            "\n\nExample:\n  infercost plan --model llama-3.1-70b --gpu nvidia-h100-sxm --rate 20 --slo-ttft 2s --slo-tpot 50ms --input 1000 --output 200 --diurnal" +
            "\n  infercost plan --model llama-3.1-8b --gpu nvidia-h100-sxm --rate-curve examples/day.csv --gpu-price 2.5 --autoscale-step 4 --json" +
            "\n  infercost plan --model llama-3.1-70b --gpu nvidia-h100-sxm --rate 20 --disaggregated --prefill-gpus-per-replica 4 --decode-gpus-per-replica 4" +
            "\n  infercost plan --model llama-3.3-70b --gpu nvidia-h100-sxm --rate 2 --draft-model llama-3.1-8b --spec-length 4 --spec-acceptance 0.8 --max-gpus-per-replica 4");
        subject.AddTo(command);
        foreach (var option in new Option[] { engine, engineProfile, moeKernel, rate, input, output, weights, kv, maxBatch, chunk, step, maxPerReplica, trial, disaggregated, prefillSize, decodeSize }) command.Options.Add(option);
        speculation.AddTo(command);
        workload.AddTo(command, sessions: false);
        trace.AddTo(command, prefixCache: false);
        foreach (var option in new Option[] { cost.GpuPrice, cost.Owned, cost.PurchasePrice, cost.ServerShare, cost.LifespanYears, cost.Electricity, cost.Pue, cost.Power }) command.Options.Add(option);
        command.Options.Add(bands);
        command.Options.Add(json);

        command.SetAction(parse =>
        {
            trace.Check(parse);
            string? Read(Option<string?> option) => parse.GetValue(option) is { } path ? context.ReadText(path, option.Name) : null;
            var request = subject.Fill(new PlanRequest(), parse, context) with
            {
                Rate = parse.GetValue(rate),
                RateCurve = Read(workload.RateCurveFile),
                Diurnal = parse.GetValue(workload.Diurnal),
                Arrival = parse.GetValue(workload.Arrival),
                Cv = parse.GetResult(workload.Cv) is { Implicit: false } ? parse.GetValue(workload.Cv) : null,
                Input = parse.GetValue(input),
                Output = parse.GetValue(output),
                InputDist = parse.GetValue(workload.InputDist),
                OutputDist = parse.GetValue(workload.OutputDist),
                InputHist = Read(workload.InputHistogram),
                OutputHist = Read(workload.OutputHistogram),
                Weights = parse.GetValue(weights),
                Fp4Format = CliOptions.Fp4FormatOf(parse, weights, kv),
                Kv = parse.GetValue(kv),
                MaxBatch = parse.GetValue(maxBatch),
                PrefillChunk = parse.GetValue(chunk),
                Engine = parse.GetValue(engine),
                EngineProfile = ServingInputs.ReadProfile(context, parse.GetValue(engineProfile)),
                MoeKernel = parse.GetValue(moeKernel),
                BlockSize = parse.GetValue(workload.BlockSize),
                Seed = parse.GetValue(workload.Seed),
                SloTtft = SimulationInputs.Typed(parse, workload.SloTtft),
                SloTpot = SimulationInputs.Typed(parse, workload.SloTpot),
                AutoscaleStep = parse.GetValue(step),
                MaxGpusPerReplica = parse.GetValue(maxPerReplica),
                TrialTime = SimulationInputs.Typed(parse, trial),
                Disaggregated = parse.GetValue(disaggregated),
                PrefillGpusPerReplica = parse.GetValue(prefillSize),
                DecodeGpusPerReplica = parse.GetValue(decodeSize),
                SpecMethod = parse.GetValue(speculation.Method),
                SpecLength = parse.GetValue(speculation.Length),
                SpecAcceptance = parse.GetValue(speculation.Acceptance) is { Length: > 0 } rates ? rates : null,
                DraftModel = parse.GetValue(speculation.Draft),
                SpecTree = parse.GetValue(speculation.Tree) is { Length: > 0 } tree ? tree : null,
                SpecTopk = speculation.TopKOf(parse),
                SpecTreeNodes = parse.GetValue(speculation.TreeNodes),
                GpuPrice = parse.GetValue(cost.GpuPrice),
                Owned = parse.GetValue(cost.Owned),
                PurchasePrice = parse.GetValue(cost.PurchasePrice),
                ServerShare = parse.GetValue(cost.ServerShare),
                LifespanYears = parse.GetValue(cost.LifespanYears),
                Electricity = parse.GetValue(cost.Electricity),
                Pue = parse.GetValue(cost.Pue),
                Power = parse.GetValue(cost.Power),
                Bands = parse.GetValue(bands),
            };
            request.Validate();
            var (catalog, configSource) = subject.Sources(parse, context);
            var s = request.Resolve(catalog, configSource);
            var fromTrace = trace.WorkloadOf(parse, context, request.Seed, rate, workload);
            var inputs = request.Prepare(s, fromTrace, (parse.GetValue(workload.RateCurveFile), parse.GetValue(workload.InputHistogram), parse.GetValue(workload.OutputHistogram)));
            var asJson = CommonOptions.IsJson(parse, json);
            var report = WithProgress(context, asJson, "Simulating fleets", progress =>
                request.Answer(s, inputs, progress is null ? null : new SynchronousProgress(progress)));
            if (asJson)
            {
                context.WriteJson(report);
                return ExitCodes.Ok;
            }

            if (report is DisaggregatedPlanReport split)
            {
                DisaggregatedPlanTables.Render(context.Console, split.Disaggregated, split.Aggregated, s.Model.Id, inputs);
                if (split.Speculation is { } used) context.Console.WriteLine(SpeculationLine(used, "every decode replica"));
                if (Calibration.Extrapolation.Line(split.Extrapolating) is { } splitLine) context.Console.WriteLine(splitLine);
                if (split.Bands is { } sb) context.Console.Write(DisaggregatedPlanTables.Bands(split.Disaggregated, sb));
                return ExitCodes.Ok;
            }

            var plan = (PlanReport)report;
            Render(context.Console, plan.Plan, s.Model.Id, inputs);
            if (fromTrace is not null) context.Console.WriteLine("• " + TraceInputs.Describe(fromTrace));
            if (plan.Speculation is { } spec) context.Console.WriteLine(SpeculationLine(spec, "every simulated replica"));
            if (Calibration.Extrapolation.Line(plan.Extrapolating) is { } line) context.Console.WriteLine(line);
            if (plan.Bands is { } b) context.Console.Write(BandsTable(plan.Plan, b));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Table BandsTable(CapacityPlan plan, PlanBands b)
    {
        var table = KeyValueTable.Grid($"The plan at the band's engine speeds ({Times(b.Speed.Low)} and {Times(b.Speed.High)} of the model, re-planned)",
            "", "As modelled", "Slow end (P10 speed)", "Fast end (P90 speed)");
        static string Of(int replicas, string layout, int devices) =>
            $"{Number(replicas)} {(replicas == 1 ? "replica" : "replicas")} of {layout} = {Number(devices)} {(devices == 1 ? "GPU" : "GPUs")}";
        string Fleet(PlanEnd e) => e.Failure is { } why ? "none meets the SLO: " + why : Of(e.Replicas!.Value, e.Layout!, e.Devices!.Value);
        table.AddTextRow("Fleet", Of(plan.Replicas, plan.Layout, plan.Devices), Fleet(b.Slow), Fleet(b.Fast));
        table.AddTextRow("Fixed fleet, per day", Money(plan.FixedFleet.Cost), b.Slow.FixedFleetPerDay is { } s ? Money(s) : "-", b.Fast.FixedFleetPerDay is { } f ? Money(f) : "-");
        table.AddTextRow("$/MTok output", Money(plan.FixedFleet.OutputPerMillion), b.Slow.OutputPerMillion is { } so ? Money(so) : "-", b.Fast.OutputPerMillion is { } fo ? Money(fo) : "-");
        return table;
    }

    private static string SpeculationLine(Speculation.SpeculationSpec used, string where) =>
        $"• Speculative decoding on: {used}; {where} decodes with a verify pass of k + 1 tokens per sequence plus drafting, " +
        "the accepted tokens drawn with --seed, and the draft's weights and KV cache are in its memory.";

    // Runs the planner, with a progress bar on an interactive console; otherwise (piped, or --json) a line on stderr
    // every few seconds once the search has run that long, so a long plan (a high rate: tens of trials per replica
    // size) says it is moving and a short one prints nothing extra.
    private static T WithProgress<T>(CliContext context, bool asJson, string title, Func<Action<double>?, T> run)
    {
        if (asJson || !context.Console.Profile.Capabilities.Interactive)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var lines = new ProgressLines(context.Error, "plan: " + title.ToLowerInvariant(), () => clock.Elapsed, ProgressLines.DefaultEvery);
            return run(lines.Report);
        }

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

/// <summary>Progress as occasional lines on stderr, for a console that cannot draw a bar: the first once
/// <paramref name="every"/> has passed, then at most one per <paramref name="every"/>.</summary>
/// <param name="error">Where the lines go.</param>
/// <param name="label">What is being done, first on each line.</param>
/// <param name="elapsed">Time since the work began.</param>
/// <param name="every">Least time between lines (and before the first).</param>
internal sealed class ProgressLines(TextWriter error, string label, Func<TimeSpan> elapsed, TimeSpan every)
{
    /// <summary>The interval the CLI uses: five seconds.</summary>
    public static readonly TimeSpan DefaultEvery = TimeSpan.FromSeconds(5);

    private readonly TimeSpan _every = every;
    private TimeSpan _next = every;

    /// <summary>Reports that <paramref name="fraction"/> (0 to 1) of the work is done.</summary>
    public void Report(double fraction)
    {
        var now = elapsed();
        if (now < _next) return;
        _next = now + _every;
        error.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{label}: {Math.Floor(Math.Clamp(fraction, 0, 1) * 100):0}% done after {now.TotalSeconds:0} s"));
    }
}
