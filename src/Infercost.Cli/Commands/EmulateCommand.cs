using System.CommandLine;
using Infercost.Cli.Emulation;
using Infercost.Cli.Inputs;
using Infercost.Serving;
using Infercost.Simulation;
using Spectre.Console;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost emulate</c>: an OpenAI-compatible endpoint with the simulator's timing for a declared setup.</summary>
internal static class EmulateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var subject = new SubjectInputs();
        var serving = new ServingInputs(workload: true, batch: false) { Context = context };
        var host = new Option<string>("--host") { Description = "Address to listen on. Default: 127.0.0.1 (this machine only).", HelpName = "IP", DefaultValueFactory = _ => "127.0.0.1" };
        var port = CliOptions.Int("--port", "Port to listen on (0: any free port, printed at start).", 0, 65535, 8000);
        var name = new Option<string?>("--served-model-name") { Description = "The model name clients send and /v1/models lists. Default: the model id.", HelpName = "NAME" };
        var keyEnv = new Option<string?>("--api-key-env") { Description = "Require Authorization: Bearer with the key held in this environment variable (401 otherwise).", HelpName = "VAR" };
        var maxTokens = CliOptions.Int("--default-max-tokens", "Output tokens for a request that sends no max_tokens.", 1, 1_000_000, 256);
        var onDisconnect = new Option<string>("--on-disconnect")
        {
            Description = "What the replica does with a request whose client disconnects: abort (drop it and free its KV cache, as vLLM, SGLang " +
                "and TensorRT-LLM's servers do) or finish (generate it anyway). Default: abort.",
            HelpName = "abort|finish",
            DefaultValueFactory = _ => "abort",
        };
        onDisconnect.AcceptOnlyFromAmong("abort", "finish");
        var stopAfter = SimulationInputs.Duration("--for", "Stop after this long (for example 10m). Default: run until Ctrl+C.", 0.01, 365 * 86_400);
        var command = new Command("emulate",
            "Serve an OpenAI-compatible endpoint (POST /v1/chat/completions and /v1/completions, streaming or not; GET /v1/models) whose " +
            "answers arrive with the timing the simulator gives one replica of the declared setup: continuous batching, chunked prefill, " +
            "paged KV cache and preemption, stepped in real time. Every request generates max_tokens tokens. Load-test clients and " +
            "gateways against a modelled deployment, or measure it with infercost measure." +
            "\n\nExample:\n  infercost emulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --port 8000" +
            "\n  infercost measure --endpoint http://127.0.0.1:8000 --model llama-3.1-8b --concurrency 16 --requests 200");
        subject.AddTo(command);
        serving.AddTo(command);
        foreach (var option in new Option[] { host, port, name, keyEnv, maxTokens, onDisconnect, stopAfter }) command.Options.Add(option);

        command.SetAction(parse =>
        {
            var s = subject.Resolve(parse, context);
            var config = serving.Config(parse).Validated();
            var setup = new ServingSetup(s.Model, s.Accelerator, config.Parallelism ?? ParallelismPlanner.Choose(s.Model, s.Accelerator, config), config);
            var scheduler = new SchedulerConfig(config.PrefillChunkTokens, config.MaxBatch).Validated();
            var key = MeasureCommand.KeyFrom(parse.GetValue(keyEnv));
            var options = new EmulatorOptions(setup, scheduler, parse.GetValue(name) ?? s.Model.Id, parse.GetValue(host) ?? "127.0.0.1", parse.GetValue(port), key,
                parse.GetValue(maxTokens), AbortOnDisconnect: parse.GetValue(onDisconnect) != "finish");
            var server = EmulatorServer.StartAsync(options).GetAwaiter().GetResult();
            try
            {
                var replicas = config.TotalDevices / setup.DevicesPerReplica;
                context.Console.WriteLine($"Emulating {options.ModelName} on one replica of {setup.Layout}" +
                    (replicas > 1 ? $" (--gpus {config.TotalDevices} makes {replicas} replicas; one is emulated: run one emulator per replica behind your router)" : "") +
                    $" at {server.Address}v1 — {(parse.GetValue(stopAfter) is { } d ? $"for {Guard.Format(d)} s" : "Ctrl+C to stop")}.");
                using var stop = new CancellationTokenSource();
                ConsoleCancelEventHandler cancel = (_, e) =>
                {
                    e.Cancel = true;
                    stop.Cancel();
                };
                Console.CancelKeyPress += cancel;
                try
                {
                    Task.Delay(parse.GetValue(stopAfter) is { } seconds ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan, stop.Token)
                        .ContinueWith(_ => { }, TaskScheduler.Default).GetAwaiter().GetResult();
                }
                finally
                {
                    Console.CancelKeyPress -= cancel;
                }

                context.Console.WriteLine($"Stopped after {server.Steps:N0} steps.");
            }
            finally
            {
                server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
