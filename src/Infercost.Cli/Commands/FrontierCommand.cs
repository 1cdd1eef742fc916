using System.CommandLine;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Cli.Reports;
using Infercost.Serving;
using Infercost.Simulation;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost frontier</c>: output tokens/s per GPU against tokens/s per user across concurrency levels.</summary>
internal static class FrontierCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var subject = new SubjectInputs();
        var serving = new ServingInputs(workload: true, batch: false);
        var cost = new CostInputs();
        var workload = new SimulationInputs();
        var levels = CliOptions.IntList("--concurrency", $"Users per run (closed loop). Default: {string.Join(',', ThroughputFrontier.DefaultConcurrencies)}.", 1, 1_000_000);
        var requests = CliOptions.Int("--requests", "Requests per run; 0 for 10 × concurrency (at least 200).", 0, 100_000_000, 0);
        var json = CommonOptions.Json();
        var command = new Command("frontier",
            "Throughput against interactivity: closed-loop runs of one replica at fixed concurrencies, each giving output tokens/s per GPU, " +
            "tokens/s per user and $/MTok." +
            "\n\nExample:\n  infercost frontier --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --input 1000 --output 200" +
            "\n  infercost frontier --model llama-3.1-70b --gpu nvidia-h200-sxm --gpus 4 --concurrency 1,8,32,128 --json");
        subject.AddTo(command);
        serving.AddTo(command);
        foreach (var option in new Option[] { cost.GpuPrice, cost.Owned, cost.PurchasePrice, cost.ServerShare, cost.LifespanYears, cost.Electricity, cost.Pue, cost.Power }) command.Options.Add(option);
        foreach (var option in new Option[] { levels, requests, workload.InputDist, workload.OutputDist, workload.InputHistogram, workload.OutputHistogram, workload.BlockSize, workload.Seed }) command.Options.Add(option);
        command.Options.Add(json);

        command.SetAction(parse =>
        {
            var s = subject.Resolve(parse, context);
            var config = serving.Config(parse).Validated();
            var setup = new ServingSetup(s.Model, s.Accelerator, config.Parallelism ?? ParallelismPlanner.Choose(s.Model, s.Accelerator, config), config);
            var options = new SimulationOptions(PerReplica(SimulationInputs.Scheduler(parse, serving, workload), setup), Slo.Default, cost.Basis(parse));
            var input = workload.InputOf(parse, serving, context);
            var output = workload.OutputOf(parse, serving, context);
            var users = parse.GetValue(levels) is { Length: > 0 } given ? given : [.. ThroughputFrontier.DefaultConcurrencies];
            RequestFit.EnsureShortestFits(setup, input, output);
            var perPoint = parse.GetValue(requests);
            SimulationBudget.Ensure(users.Sum(c => perPoint > 0 ? perPoint : Math.Max(200, 10.0 * c)), output, perPoint > 0 ? "requests" : "concurrency",
                perPoint > 0 ? $"--requests {Typed(parse, requests)} at each of {users.Length} concurrencies" : $"--concurrency {string.Join(',', users)} (10 × each level's requests)");
            var asJson = parse.GetValue(json);
            FrontierResult result;
            if (asJson || !context.Console.Profile.Capabilities.Interactive)
            {
                result = ThroughputFrontier.Run(setup, input, output, users, parse.GetValue(requests), workload.SeedOf(parse), options);
            }
            else
            {
                FrontierResult? r = null;
                context.Console.Progress().Start(ctx =>
                {
                    var task = ctx.AddTask("Simulating concurrency levels", maxValue: 1);
                    r = ThroughputFrontier.Run(setup, input, output, users, parse.GetValue(requests), workload.SeedOf(parse), options, new SynchronousProgress(v => task.Value = v));
                });
                result = r!;
            }

            if (asJson)
            {
                context.WriteJson(new FrontierReport(s.Model.Id, s.Accelerator.Id, SimulationInputs.Describe(input), SimulationInputs.Describe(output), options.Scheduler, result));
                return ExitCodes.Ok;
            }

            var table = KeyValueTable.Grid($"Throughput vs interactivity: {s.Model.Id} on {result.Layout}; prompt {SimulationInputs.Describe(input)}, output {SimulationInputs.Describe(output)}",
                "Users", "tok/s/GPU", "tok/s/user", "TTFT P50", "TPOT P50", "TPOT P90", "Busy", "Preempt", "$/MTok out");
            foreach (var p in result.Points)
            {
                table.AddTextRow(Number(p.Concurrency), Number(p.OutputPerGpu.Value), Number(p.PerUser.Value), Time(p.TimeToFirstTokenP50),
                    Time(p.TimePerOutputTokenP50), Time(p.TimePerOutputTokenP90), Percent(p.BusyFraction), Number(p.Preemptions),
                    p.OutputPerMillion is { } price ? Money(price) : "–");
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    // The value as the user typed it (the last occurrence), for messages.
    private static string? Typed(ParseResult parse, Option option) => parse.GetResult(option)?.Tokens is { Count: > 0 } t ? t[^1].Value : null;

    // --max-batch is per attention-DP rank (each rank schedules its own batch); the simulated replica holds them all.
    private static SchedulerConfig PerReplica(SchedulerConfig scheduler, ServingSetup setup) =>
        scheduler with { MaxRunningSequences = (int)Math.Min(1_000_000, (long)scheduler.MaxRunningSequences * setup.Parallelism.AttentionData) };
}
