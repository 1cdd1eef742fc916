using System.CommandLine;
using System.Globalization;
using System.Text;
using Infercost.Cli.Inputs;
using Infercost.Cli.LoadGeneration;
using Infercost.Cli.OpenAi;
using Infercost.Cli.Rendering;
using Infercost.EndpointMeasurement;
using Infercost.Quantities;
using Infercost.Simulation;
using Infercost.Simulation.Traces;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost measure</c>: load-test an OpenAI-compatible endpoint and report latency, throughput and goodput.</summary>
internal static class MeasureCommand
{
    /// <summary>The API key held in the environment variable <paramref name="variable"/>; null when none is named.</summary>
    /// <exception cref="InvalidInputException">The variable is named but not set.</exception>
    public static string? KeyFrom(string? variable, string flag = "api-key-env")
    {
        if (variable is null) return null;
        var value = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrEmpty(value) ? throw new InvalidInputException(flag, $"{flag} names {variable}, which is not set in the environment.") : value;
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var endpoint = new Option<string>("--endpoint") { Description = "The server's URL, with or without /v1 (for example http://127.0.0.1:8000).", HelpName = "URL", Required = true };
        var model = new Option<string>("--model") { Description = "The model name the server serves (as /v1/models lists it).", HelpName = "NAME", Required = true };
        var api = new Option<string?>("--api") { Description = "chat (POST /v1/chat/completions) or completions (POST /v1/completions). Default: chat.", HelpName = "chat|completions" };
        var keyEnv = new Option<string?>("--api-key-env") { Description = "Environment variable holding the API key (sent as Authorization: Bearer). Never put a key on the command line.", HelpName = "VAR" };
        var noStream = new Option<bool>("--no-stream") { Description = "Ask for whole answers instead of a stream (TTFT is then the end-to-end time)." };
        var concurrency = CliOptions.OptionalInt("--concurrency", "Closed loop: this many users, each sending its next request when the previous ends.", 1, 100_000);
        var rate = CliOptions.OptionalDouble("--rate", "Open loop: requests per second.", "REQ/S", CliOptions.InRange(1e-6, 1e6));
        var arrival = new Option<string?>("--arrival") { Description = "With --rate: poisson (exponential gaps) or constant. Default: poisson.", HelpName = "poisson|constant" };
        var sweep = new Option<string?>("--sweep") { Description = "Several levels, one after another: concurrency:1,4,16 or rate:1,2,4.", HelpName = "KIND:LIST" };
        var requests = CliOptions.Int("--requests", "Requests per level.", 1, 1_000_000, 100);
        var input = CliOptions.Int("--input", "Prompt tokens per request (cl100k_base), unless --input-dist or --trace.", 1, 1_000_000, 512);
        var output = CliOptions.Int("--output", "max_tokens per request, unless --output-dist or --trace.", 1, 1_000_000, 128);
        var inputDist = new Option<string?>("--input-dist") { Description = "Prompt lengths: N or lognormal:MEDIAN:SIGMA[:MAX].", HelpName = "DIST" };
        var outputDist = new Option<string?>("--output-dist") { Description = "max_tokens: N or lognormal:MEDIAN:SIGMA[:MAX].", HelpName = "DIST" };
        var ignoreEos = new Option<bool>("--ignore-eos") { Description = "Send ignore_eos (vLLM, SGLang) so every answer runs to max_tokens." };
        var timeout = SimulationInputs.Duration("--timeout", "Longest a request may take before it counts as timed out.", 0.01, 86_400, 60);
        var retries = CliOptions.Int("--max-retries", "Retries of a request answered 429, each after its Retry-After (within --timeout).", 0, 100, 2);
        var warmup = CliOptions.Int("--warmup", "Requests sent before the first level and left out of every figure, so that neither the server's nor this client's start-up (JIT, connection set-up, caches) is measured; as many in flight as the first level's concurrency (64 for a rate).", 0, 10_000, 0);
        var seed = CliOptions.Int("--seed", "Seed of prompt words, length draws and Poisson gaps.", 0, int.MaxValue, 1);
        var sloTtft = SimulationInputs.Duration("--slo-ttft", "Goodput: time-to-first-token target.", 1e-6, 86_400, Slo.Default.TimeToFirstToken.Value);
        var sloTpot = SimulationInputs.Duration("--slo-tpot", "Goodput: time-per-output-token target.", 1e-6, 3600, Slo.Default.TimePerOutputToken.Value);
        var outFile = new Option<string?>("--out") { Description = "Write the report as JSON to this file.", HelpName = "FILE.json" };
        var csvFile = new Option<string?>("--csv") { Description = "Write one row per request to this CSV file.", HelpName = "FILE.csv" };
        var trace = new TraceInputs();
        var gpu = new Option<string?>("--gpu") { Description = "Price the run and compare it with Infercost's model: the accelerator id behind the endpoint (see catalog list).", HelpName = "ID" };
        var gpus = CliOptions.Int("--gpus", "With --gpu: devices behind the endpoint.", 1, 100_000, 1);
        var gpuPrice = CliOptions.OptionalDouble("--gpu-price", "With --gpu: rental $ per GPU-hour. Default: the catalog's typical price.", "$/GPU-h", CliOptions.InRange(0, 1000));
        var catalogModel = new Option<string?>("--catalog-model") { Description = "With --gpu: the catalog model the endpoint serves. Default: --model.", HelpName = "ID" };
        var save = new Option<string?>("--save") { Description = "Keep the report as a scenario (question 'measure') of this name on an Infercost server (infercost serve); checked before any load is sent.", HelpName = "SCENARIO" };
        var server = new Option<string?>("--server") { Description = $"With --save: the Infercost server's URL. Default: {ServerDefaults.Url}.", HelpName = "URL" };
        var serverKeyEnv = new Option<string?>("--server-key-env") { Description = "With --save: environment variable holding the Infercost server's API key (sent as X-Api-Key).", HelpName = "VAR" };
        var json = CommonOptions.Json();
        var command = new Command("measure",
            "Load-test an OpenAI-compatible endpoint (vLLM, SGLang, TensorRT-LLM, llama.cpp, a gateway, or infercost emulate): fixed " +
            "concurrency, a request rate or a sweep; prompts of fixed, distributed or traced lengths. Reports TTFT, inter-token latency, " +
            "TPOT and end-to-end latency with percentiles, throughput, goodput under the SLO, and every failure by kind; keeps partial " +
            "results. Token counts come from the server's usage, else from the cl100k_base tokenizer." +
            "\n\nExample:\n  infercost measure --endpoint http://127.0.0.1:8000 --model llama-3.1-8b --concurrency 16 --requests 200 --input 1000 --output 200" +
            "\n  infercost measure --endpoint https://api.example.com/v1 --model my-model --api-key-env MY_KEY --sweep rate:1,2,4 --out m.json --csv m.csv" +
            "\n  infercost measure --endpoint http://127.0.0.1:8000 --model llama-3.1-8b --trace data/traces/azure-llm-2023-conv.csv --trace-window 0..2m" +
            "\n  infercost measure --endpoint http://127.0.0.1:8000 --model llama-3.1-8b --concurrency 16 --save h100-vllm-c16 --server http://127.0.0.1:5178");
        foreach (var option in new Option[] { endpoint, model, api, keyEnv, noStream, concurrency, rate, arrival, sweep, requests, input, output, inputDist, outputDist, ignoreEos, timeout, retries, warmup, seed, sloTtft, sloTpot, outFile, csvFile })
        {
            command.Options.Add(option);
        }

        trace.AddTo(command, prefixCache: false);
        foreach (var option in new Option[] { gpu, gpus, gpuPrice, catalogModel, save, server, serverKeyEnv }) command.Options.Add(option);
        command.Options.Add(json);

        command.SetAction(parse =>
        {
            // Everything that can be refused is refused before the first request is sent.
            trace.Check(parse);
            if (parse.GetValue(gpu) is null && new Option[] { catalogModel, gpus, gpuPrice }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } stray)
            {
                throw new InvalidInputException(stray.Name.TrimStart('-'), $"{stray.Name} prices the run against Infercost's model; add --gpu ID.");
            }

            if (parse.GetValue(save) is null && new Option[] { server, serverKeyEnv }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } unsaved)
            {
                throw new InvalidInputException(unsaved.Name.TrimStart('-'), $"{unsaved.Name} says where --save keeps the report; add --save NAME.");
            }

            var saveName = parse.GetValue(save)?.Trim();
            if (saveName is { Length: 0 or > NewMeasurement.MaxName })
            {
                throw new InvalidInputException("save", $"save must be a name of 1 to {NewMeasurement.MaxName} characters; was {saveName.Length}.");
            }

            if (parse.GetValue(outFile) is { } outPath) context.CheckWritable(outPath, "--out");
            if (parse.GetValue(csvFile) is { } csvPath) context.CheckWritable(csvPath, "--csv");
            var kind = parse.GetValue(api)?.Trim().ToLowerInvariant() switch
            {
                null or "chat" => ApiKind.Chat,
                "completions" => ApiKind.Completions,
                var other => throw new InvalidInputException("api", $"api must be chat or completions; was '{other}'."),
            };
            var options = new ClientOptions(EndpointClient.BaseOf(parse.GetValue(endpoint)!), parse.GetValue(model)!, kind, KeyFrom(parse.GetValue(keyEnv)),
                !parse.GetValue(noStream), parse.GetValue(timeout), parse.GetValue(retries), parse.GetValue(ignoreEos));
            var slo = new Slo(Seconds.FromSeconds(parse.GetValue(sloTtft)), Seconds.FromSeconds(parse.GetValue(sloTpot))).Validated();
            var random = new Pcg32(parse.GetValue(seed));
            var n = parse.GetValue(requests);

            // Request shapes and, for a trace without a load option, its arrival times.
            List<RequestShape> shapes;
            IReadOnlyList<double>? traceTimes = null;
            if (trace.PathOf(parse) is { } path)
            {
                if (parse.GetValue(inputDist) is not null || parse.GetValue(outputDist) is not null) throw new InvalidInputException("trace", "--trace gives the lengths; drop --input-dist and --output-dist.");
                var replay = trace.ReplayOf(parse, parse.GetValue(seed), n);
                using var reader = context.OpenText(path, "--trace");
                var traced = SimulateCommand.WithBadLineHint(() => replay.Requests(TraceReader.Read(TraceReader.Lines(reader), trace.FormatOf(parse), trace.PolicyOf(parse))).ToList());
                if (traced.Count == 0) throw new InvalidInputException("trace", $"--trace {path} has no requests to send (in the window and sample given).");
                shapes = [.. traced.Select(r => new RequestShape(TokenText.Prompt(r.PromptTokens, random), r.PromptTokens, r.OutputTokens))];
                traceTimes = [.. traced.Select(r => r.ArrivalTime)];
            }
            else
            {
                var inputs = parse.GetValue(inputDist) is { } id ? LengthDistribution.Parse(id, "input-dist") : new FixedLength(parse.GetValue(input));
                var outputs = parse.GetValue(outputDist) is { } od ? LengthDistribution.Parse(od, "output-dist") : new FixedLength(parse.GetValue(output));
                shapes = [];
                for (var i = 0; i < n; i++)
                {
                    var promptTokens = inputs.Sample(random);
                    shapes.Add(new RequestShape(TokenText.Prompt(promptTokens, random), promptTokens, outputs.Sample(random)));
                }
            }

            var levels = Levels(parse, concurrency, rate, arrival, sweep, traceTimes);
            var deployment = parse.GetValue(gpu) is { } gpuId ? Deployment(gpuId, parse.GetValue(catalogModel) ?? parse.GetValue(model)!, parse.GetValue(gpus), parse.GetValue(gpuPrice)) : null;
            using var http = EndpointClient.CreateHttp();
            var keeper = saveName is null ? null
                : new ScenarioServer(http, ScenarioServer.BaseOf(parse.GetValue(server) ?? ServerDefaults.Url), KeyFrom(parse.GetValue(serverKeyEnv), "server-key-env"));
            var client = new EndpointClient(http, options);
            // Load the tokenizer now (about 0.2 s), not inside the first request that counts tokens itself.
            TokenText.Count("warm up");
            client.PreflightAsync(CancellationToken.None).GetAwaiter().GetResult();
            keeper?.CheckAsync(CancellationToken.None).GetAwaiter().GetResult();

            var summaries = new List<MeasurementSummary>();
            var all = new List<RequestOutcome>();
            var asJson = CommonOptions.IsJson(parse, json);
            var interactive = !asJson && context.Console.Profile.Capabilities.Interactive;
            WarmupSummary? warm = null;
            if (parse.GetValue(warmup) is > 0 and var w)
            {
                // The first w shapes (cycled when fewer), closed loop; the outcomes are only counted.
                var warmShapes = Enumerable.Range(0, w).Select(i => shapes[i % shapes.Count]).ToList();
                var users = Math.Min(w, levels[0] is ConcurrencyLevel first ? first.Users : 64);
                var (outcomes, duration) = LoadGenerator.RunAsync(client, new ConcurrencyLevel(users), -1, warmShapes, parse.GetValue(seed), null, CancellationToken.None)
                    .GetAwaiter().GetResult();
                warm = new WarmupSummary(w, outcomes.Count(o => o.Status == OutcomeStatus.Ok), users, duration);
            }

            for (var i = 0; i < levels.Count; i++)
            {
                var level = levels[i];
                (RequestOutcome[] Outcomes, double Duration) run = default;
                if (interactive)
                {
                    context.Console.Progress().Start(ctx =>
                    {
                        var task = ctx.AddTask($"{level.Description}: {Number(shapes.Count)} requests", maxValue: shapes.Count);
                        run = LoadGenerator.RunAsync(client, level, i, shapes, parse.GetValue(seed) + i, () => task.Increment(1), CancellationToken.None).GetAwaiter().GetResult();
                    });
                }
                else
                {
                    run = LoadGenerator.RunAsync(client, level, i, shapes, parse.GetValue(seed) + i, null, CancellationToken.None).GetAwaiter().GetResult();
                }

                all.AddRange(run.Outcomes!);
                summaries.Add(MeasurementSummary.Of(level.Description, run.Outcomes!, run.Duration, slo));
            }

            var report = new MeasureReport(options.Base.ToString(), options.Model, kind == ApiKind.Chat ? "chat" : "completions", options.Stream, TokenText.Name, summaries)
            {
                Warmup = warm,
            };
            if (deployment is { } d)
            {
                report = report with
                {
                    Deployment = $"{d.Replicas} × {d.Setup.Layout} ({d.Setup.Model.Id}) at {Guard.Format(d.PricePerGpu)} $/GPU-h",
                    Gaps = [.. summaries.Select((sum, i) => Compare(d, levels[i], sum, n, parse.GetValue(seed)))],
                };
            }

            if (parse.GetValue(outFile) is { } o) context.WriteText(o, System.Text.Json.JsonSerializer.Serialize(report, Serialization.InfercostJson.Options), "--out");
            if (parse.GetValue(csvFile) is { } c) context.WriteText(c, Csv(all, levels), "--csv");
            if (asJson) context.WriteJson(report);
            else Render(context.Console, report);
            if (keeper is not null)
            {
                // The run is over and reported: a server lost since the check costs the scenario, not the measurement.
                try
                {
                    var id = keeper.SaveAsync(saveName!, report, CancellationToken.None).GetAwaiter().GetResult();
                    if (!asJson) context.Console.MarkupLineInterpolated($"Saved as scenario '{saveName}' (id {id}, question measure).");
                }
                catch (InvalidInputException e)
                {
                    context.Error.WriteLine($"error: the report was not saved: {e.Message}");
                    return ExitCodes.Failure;
                }
            }

            return all.All(x => x.Status == OutcomeStatus.Ok) ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private sealed record Deployed(Serving.ServingSetup Setup, int Replicas, double PricePerGpu, int Gpus);

    private static Deployed Deployment(string gpuId, string modelId, int gpus, double? price)
    {
        var catalog = Catalog.Catalog.Embedded;
        if (!catalog.TryGetAccelerator(gpuId, out var accelerator)) throw new InvalidInputException("gpu", $"gpu '{gpuId}' is not in the catalog (see infercost catalog list).");
        if (!catalog.TryGetModel(modelId, out var architecture))
        {
            throw new InvalidInputException("catalog-model", $"model '{modelId}' is not in the catalog; give --catalog-model ID for the model the endpoint serves (see infercost catalog list).");
        }

        var perGpu = price ?? accelerator.RentalPerHour?.Value ?? throw new InvalidInputException("gpu-price", $"gpu-price is required: the catalog has no rental price for {gpuId}.");
        var config = new Serving.ServingConfig { TotalDevices = gpus };
        var setup = new Serving.ServingSetup(architecture, accelerator, Serving.ParallelismPlanner.Choose(architecture, accelerator, config), config);
        return new Deployed(setup, Math.Max(1, gpus / setup.DevicesPerReplica), perGpu, gpus);
    }

    // The same setup, load and mean lengths through the simulator. A closed loop is simulated on one replica with its
    // share of the users, and its throughput scaled by the replica count.
    private static DeploymentGap? Compare(Deployed d, LoadLevel level, MeasurementSummary measured, int requests, long seed)
    {
        if (measured.Succeeded == 0) return null;
        var input = new FixedLength(Math.Max(1, (int)Math.Round(measured.MeanPromptTokens)));
        var output = new FixedLength(Math.Max(1, (int)Math.Round(measured.MeanOutputTokens)));
        var options = new SimulationOptions(SchedulerConfig.Default, measured.Slo, new Costing.RentalCost(DollarsPerHour.FromDollarsPerHour(d.PricePerGpu)));
        SimulationResult predicted;
        switch (level)
        {
            case ConcurrencyLevel c:
                var users = (int)Math.Ceiling((double)c.Users / d.Replicas);
                var one = ServingSimulator.RunClosedLoop(d.Setup, users, input, output, Math.Max(requests / d.Replicas, users), seed, options);
                predicted = one with
                {
                    OutputThroughput = TokensPerSecond.FromTokensPerSecond(one.OutputThroughput.Value * d.Replicas),
                    InputThroughput = TokensPerSecond.FromTokensPerSecond(one.InputThroughput.Value * d.Replicas),
                };
                break;
            case RateLevel r:
                var arrivals = new ArrivalProcess(RateCurve.Constant(r.Rate), r.Poisson ? ArrivalKind.Poisson : ArrivalKind.Gamma, r.Poisson ? 1 : 0.05);
                predicted = ServingSimulator.Run(d.Setup, d.Replicas, new RequestGenerator(arrivals, input, output, seed, requests), options);
                break;
            default:
                return null;
        }

        return DeploymentGap.Of(measured, predicted, DollarsPerHour.FromDollarsPerHour(d.PricePerGpu * d.Gpus));
    }

    private static List<LoadLevel> Levels(ParseResult parse, Option<int?> concurrency, Option<double?> rate, Option<string?> arrival, Option<string?> sweep,
        IReadOnlyList<double>? traceTimes)
    {
        var given = new[] { parse.GetValue(concurrency) is not null, parse.GetValue(rate) is not null, parse.GetValue(sweep) is not null }.Count(x => x);
        if (given > 1) throw new InvalidInputException("concurrency", "give one of --concurrency, --rate and --sweep.");
        var poisson = parse.GetValue(arrival)?.Trim().ToLowerInvariant() switch
        {
            null or "poisson" => true,
            "constant" => false,
            var other => throw new InvalidInputException("arrival", $"arrival must be poisson or constant; was '{other}'."),
        };
        if (parse.GetValue(concurrency) is { } users) return [new ConcurrencyLevel(users)];
        if (parse.GetValue(rate) is { } r) return [new RateLevel(r, poisson)];
        if (parse.GetValue(sweep) is { } text)
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var what = colon < 0 ? "" : text[..colon].Trim().ToLowerInvariant();
            var values = colon < 0 ? [] : text[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (what is not ("concurrency" or "rate") || values.Length == 0 || values.Length > 50)
            {
                throw new InvalidInputException("sweep", $"sweep must be concurrency:N,N,... or rate:R,R,... (1 to 50 levels); was '{text}'.");
            }

            return [.. values.Select(v => what == "concurrency"
                ? (LoadLevel)new ConcurrencyLevel(int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var u) && u is >= 1 and <= 100_000 ? u
                    : throw new InvalidInputException("sweep", $"sweep concurrency levels must be whole numbers in [1, 100000]; was '{v}'."))
                : new RateLevel(double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x is >= 1e-6 and <= 1e6 ? x
                    : throw new InvalidInputException("sweep", $"sweep rates must be numbers in [1e-06, 1e+06] req/s; was '{v}'."), poisson))];
        }

        if (traceTimes is not null) return [new TraceTimesLevel(traceTimes, "trace arrival times")];
        throw new InvalidInputException("concurrency", "load is required: give --concurrency N, --rate R or --sweep KIND:LIST (or --trace to send at its own times).");
    }

    private static string Csv(List<RequestOutcome> outcomes, List<LoadLevel> levels)
    {
        var text = new StringBuilder("level,request,start_s,status,http_status,ttft_s,e2e_s,tpot_s,itl_mean_s,itl_max_s,prompt_tokens,output_tokens,token_source,attempts,error\n");
        foreach (var o in outcomes)
        {
            var error = o.Error is null ? "" : "\"" + o.Error.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            text.Append(CultureInfo.InvariantCulture,
                $"\"{levels[o.Level].Description}\",{o.Id},{EndpointClient.Format(o.Start)},{MeasurementSummary.Name(o.Status)},{o.HttpStatus},{EndpointClient.Format(o.TimeToFirstToken)},{EndpointClient.Format(o.EndToEnd)}," +
                $"{EndpointClient.Format(o.TimePerOutputToken)},{EndpointClient.Format(o.Gaps.Count > 0 ? o.Gaps.Average() : null)},{EndpointClient.Format(o.Gaps.Count > 0 ? o.Gaps.Max() : null)}," +
                $"{o.PromptTokens},{o.OutputTokens},{(o.Tokens == TokenSource.Usage ? "usage" : "tokenizer")},{o.Attempts},{error}\n");
        }

        return text.ToString();
    }

    private static void Render(IAnsiConsole console, MeasureReport report)
    {
        if (report.Warmup is { } w)
        {
            console.MarkupLineInterpolated($"Warm-up: {w.Requests} requests ({w.Succeeded} succeeded, {w.Concurrency} at once, {Guard.Format(w.Duration)} s) sent first and left out of every figure below.");
        }

        for (var i = 0; i < report.Levels.Count; i++)
        {
            var s = report.Levels[i];
            var table = KeyValueTable.Grid($"{report.Model} at {report.Endpoint}: {s.Level}", "", "Mean", "P50", "P90", "P95", "P99", "Max");
            foreach (var (name, d) in new[] { ("Time to first token", s.TimeToFirstToken), ("Inter-token latency", s.InterTokenLatency), ("Time per output token", s.TimePerOutputToken), ("End to end", s.EndToEnd) })
            {
                table.AddTextRow(name, Time(Seconds.FromSeconds(d.Mean)), Time(Seconds.FromSeconds(d.P50)), Time(Seconds.FromSeconds(d.P90)), Time(Seconds.FromSeconds(d.P95)),
                    Time(Seconds.FromSeconds(d.P99)), Time(Seconds.FromSeconds(d.Max)));
            }

            console.Write(table);
            console.Write(KeyValueTable.Create("Throughput and errors",
            [
                ("Requests", $"{Number(s.Succeeded)} of {Number(s.Requests)} succeeded in {Time(Seconds.FromSeconds(s.Duration))}"),
                ("Failures", s.Errors.Count == 0 ? "none" : string.Join(", ", s.Errors.Select(e => $"{Number(e.Value)} {e.Key}"))),
                ("Output throughput", $"{Number(s.OutputTokensPerSecond)} tok/s"),
                ("Input throughput", $"{Number(s.InputTokensPerSecond)} tok/s"),
                ("Requests/s", Number(s.RequestsPerSecond)),
                ("Goodput", $"{Number(s.GoodputRequestsPerSecond)} req/s ({Number(s.GoodRequests)} requests with TTFT ≤ {Time(s.Slo.TimeToFirstToken)} and TPOT ≤ {Time(s.Slo.TimePerOutputToken)})"),
                ("Mean prompt / output", $"{Number(s.MeanPromptTokens)} / {Number(s.MeanOutputTokens)} tokens"),
                ("Token counts", s.Succeeded == 0 ? "–" : s.TokensFromUsage == s.Succeeded ? "from the server's usage" : $"{Number(s.Succeeded - s.TokensFromUsage)} of {Number(s.Succeeded)} requests without usage: counted with {report.Tokenizer}"),
                ("Client overhead", s.ClientOverhead is { } o ? $"{Percent(o)} of inter-token latency (client mean vs the server's emission timestamps, {Time(Seconds.FromSeconds(s.ServerInterTokenLatency!.Value))})" : null),
            ]));
            if (report.Gaps?[i] is not { } g) continue;
            var gap = KeyValueTable.Grid($"Dollars and the gap to the model: {report.Deployment}", "", "Measured", "Infercost", "Gap");
            gap.AddTextRow("$/MTok blended (in + out)", Money(g.MeasuredBlended), Money(g.PredictedBlended), Percent(g.MeasuredBlended.Value / g.PredictedBlended.Value - 1));
            gap.AddTextRow("$/MTok output (all cost on output)", Money(g.MeasuredOutput), Money(g.PredictedOutput), Percent(g.MeasuredOutput.Value / g.PredictedOutput.Value - 1));
            gap.AddTextRow("$/MTok input (all cost on input)", Money(g.MeasuredInput), "", "");
            foreach (var t in g.Terms)
            {
                var seconds = t.Name.Contains("time", StringComparison.Ordinal);
                gap.AddTextRow(t.Name, seconds ? Time(Seconds.FromSeconds(t.Measured)) : $"{Number(t.Measured)} tok/s", seconds ? Time(Seconds.FromSeconds(t.Predicted)) : $"{Number(t.Predicted)} tok/s", Percent(t.Gap));
            }

            console.Write(gap);
            console.WriteLine($"• Largest contributor: {g.Largest.Name} ({Percent(g.Largest.Gap)} against the model), which points to {g.Largest.Cause}.");
        }
    }
}
