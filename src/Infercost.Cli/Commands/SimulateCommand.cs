using System.CommandLine;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Cli.Reports;
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
            RequestFit.EnsureShortestFits(setup, input, output);
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

    // The value as the user typed it (the last occurrence), for messages.
    private static string? Typed(ParseResult parse, Option option) => parse.GetResult(option)?.Tokens is { Count: > 0 } t ? t[^1].Value : null;
}
