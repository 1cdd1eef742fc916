using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Infercost.Cli.Inputs;
using Infercost.Cluster;
using Infercost.Cli.Plotting;
using Infercost.Cli.Rendering;
using Infercost.Requests;
using Infercost.Search;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost search</c>: the design space against an SLO and a workload or trace, pruned analytically,
/// the survivors simulated in parallel, ranked, with the Pareto front; resumable with a state file.</summary>
internal static class SearchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var catalog = new CatalogInputs();
        var model = List("--model", "Model ids from the catalog, comma-separated; every one is tried.", "ID,ID,...");
        var gpu = List("--gpu", "Accelerator ids, comma-separated; every one is tried.", "ID,ID,...");
        var gpuPrice = List("--gpu-price", "Rental price per GPU-hour for each --gpu entry, in order, comma-separated. Default: each one's catalog price.", "$/H,$/H,...");
        var weights = List("--weights", "Weight precisions to try, comma-separated (bf16, fp8, fp4, int4, ...). Default: the model's published precision.", "P,P,...");
        var kv = List("--kv", "KV-cache precisions to try. Default: bf16.", "P,P,...");
        var sizes = CliOptions.IntList(SearchRequest.GpusPerReplicaField, "GPUs per replica to try. Default: 1,2,4,8.");
        var layouts = new Option<string?>("--layouts") { Description = "all (default): every TP × PP split of each size, and EP with attention DP for MoE models; widest: the widest TP split only.", HelpName = "all|widest" };
        var maxBatch = CliOptions.IntList(ServingRequest.MaxBatchField, "Sequence caps per replica (per attention-DP rank) to try (vLLM's max_num_seqs). Default: the engine's.");
        var chunk = CliOptions.IntList(ServingRequest.PrefillChunkField, "Token budgets per step to try (chunked-prefill size, vLLM's max_num_batched_tokens). Default: the engine's.");
        var disaggregation = new Option<string?>("--disaggregation") { Description = "no (default), yes (separate prefill and decode pools of the candidate's layout) or both.", HelpName = "no|yes|both" };
        var servingOptions = new ServingInputs(workload: false);
        var engine = servingOptions.Engine;
        var moeKernel = servingOptions.MoeKernel;
        var speculation = new SpeculationInputs();
        var specMethod = List("--spec-method", "Decoding modes to try, comma-separated: off (one token per step), mtp (the model's multi-token-prediction modules: DeepSeek-V3/R1), " +
            "draft (--draft-model), medusa, eagle. Default: off, or draft when --draft-model is given. Each speculating mode is tried at every --spec-length (or with --spec-tree).",
            "off|mtp|draft|medusa|eagle,...");
        var specLength = CliOptions.IntList(ServingRequest.SpecLengthField, "Draft lengths (k) to try with every speculating mode. Default: 1.");
        var acceptanceFor = new Option<Dictionary<string, IReadOnlyList<double>>?>("--spec-acceptance-for")
        {
            Description = "A speculating mode's own per-position acceptance, METHOD=A,A,... (repeat the flag for each mode: --spec-acceptance-for mtp=0.85 " +
                          "--spec-acceptance-for eagle=0.8,0.7); a mode without one takes --spec-acceptance (or --spec-topk).",
            HelpName = "METHOD=A,A,...",
            Arity = ArgumentArity.OneOrMore,
            CustomParser = ParseAcceptanceFor,
        };
        var rate = CliOptions.OptionalDouble(SimulateRequest.RateField, "Required requests per second (not with --trace).", "REQ/S");
        var input = CliOptions.Int(ServingRequest.InputField, "Prompt tokens per request (see --input-dist).", 1000);
        var output = CliOptions.Int(ServingRequest.OutputField, "Output tokens per request (see --output-dist).", 200);
        var workload = new SimulationInputs();
        var trace = new Option<string?>("--trace") { Description = "Judge every fleet on this trace (Azure CSV, Mooncake JSONL or BurstGPT CSV) instead of generated arrivals; its mean rate is the required rate.", HelpName = "FILE" };
        var traceFormat = new Option<string?>("--trace-format") { Description = "Trace format. Default: auto.", HelpName = "auto|azure|mooncake|burstgpt" };
        var traceSpeed = CliOptions.Double("--trace-speed", "Replay the trace k times faster.", "K", CliOptions.InRange(1e-3, 1e6), 1);
        var requests = CliOptions.OptionalInt(SearchRequest.RequestsField, "With --trace: use its first N requests.");
        var prefixCache = new Option<string?>("--prefix-cache") { Description = "With a trace that has block ids (Mooncake): each replica's prefix cache, kv (default), unbounded or off.", HelpName = "kv|unbounded|off" };
        var rank = new Option<string?>("--rank") { Description = "Rank by cost ($/MTok, default), gpus, or energy (kWh/MTok at rated power × PUE).", HelpName = "cost|gpus|energy" };
        var front = new Option<string?>("--front") { Description = "The Pareto front's second axis: tpot (default), ttft or gpus.", HelpName = "tpot|ttft|gpus" };
        var top = CliOptions.Int(SearchRequest.TopField, "How many best candidates to report and prune against.", 10);
        var wave = CliOptions.Int(SearchRequest.WaveField, "Candidates simulated between pruning decisions (does not change the best, only how many are simulated).", 8);
        var noPrune = new Option<bool>("--no-prune") { Description = "Simulate every candidate that fits in memory (brute force; to check the pruning)." };
        var maxGpus = CliOptions.Int(SearchRequest.MaxGpusField, "Most GPUs one fleet may have.", 100_000);
        var trialTime = SimulationInputs.Duration("--trial-time", "Least simulated arrival time per generated trial.", 1, 86_400);
        var trialRequests = CliOptions.Int(SearchRequest.TrialRequestsField, "Most requests per generated trial.", 20_000);
        var pue = CliOptions.OptionalDouble(PricedRequest.PueField, "Facility power usage effectiveness for --rank energy. Default: 1.3.", "F");
        var threads = CliOptions.OptionalInt("--threads", "Most threads. Default: one per core. The answer does not depend on it.", 1, 4096);
        var state = new Option<string?>("--state")
        {
            Description = "Record finished candidates in this file (JSON lines, append-only) and skip those already in it; a file written by other inputs is refused.",
            HelpName = "FILE.jsonl",
        };
        var cluster = ClusterInputs.Option("Simulate the candidates on the Orleans cluster with this gateway ('infercost cluster silo'); the answer is the local one. " +
            "Comma-separate several gateways.");
        var plot = PlotOptions.Plot("the Pareto front (rank against the --front axis) over the simulated candidates");
        var json = CommonOptions.Json();
        var command = new Command("search",
            "Search model × precision × GPU × layout × batch cap × token budget × disaggregation × speculation for the fleets that meet the SLO at the required rate " +
            "(or on a trace) most cheaply: the analytic model prunes (memory fit, latency floor, saturated-throughput bound, a lower bound that cannot beat " +
            "the best so far), the survivors are simulated in parallel and sized with the capacity planner, ranked, and the Pareto front printed." +
            "\n\nExample:\n  infercost search --model llama-3.1-8b,llama-3.1-70b --gpu nvidia-h100-sxm,nvidia-a100-sxm-80gb --weights bf16,fp8 --rate 20 --slo-ttft 2s --slo-tpot 50ms" +
            "\n  infercost search --model llama-3.1-8b --gpu nvidia-h100-sxm --max-batch 64,256 --prefill-chunk 2048,8192 --trace data/traces/azure-llm-2023-conv.csv --state s.jsonl" +
            "\n  infercost search --model llama-3.1-70b --gpu nvidia-h100-sxm --rate 40 --disaggregation both --rank gpus --plot front.png --json" +
            "\n  infercost search --model llama-3.3-70b --gpu nvidia-h100-sxm --rate 2 --gpus-per-replica 4 --layouts widest --spec-method off,draft --draft-model llama-3.1-8b --spec-length 2,4 --spec-acceptance 0.8");
        foreach (var option in new Option[] { model, gpu, gpuPrice, weights, kv, sizes, layouts, maxBatch, chunk, disaggregation, specMethod, specLength,
            speculation.Acceptance, acceptanceFor, speculation.Tree, speculation.TopK, speculation.TreeNodes, speculation.Draft, engine, moeKernel, rate, input, output })
        {
            command.Options.Add(option);
        }

        foreach (var option in new Option[] { workload.Arrival, workload.Cv, workload.InputDist, workload.OutputDist, workload.InputHistogram, workload.OutputHistogram,
            workload.BlockSize, workload.SloTtft, workload.SloTpot, workload.Seed })
        {
            command.Options.Add(option);
        }

        foreach (var option in new Option[] { trace, traceFormat, traceSpeed, requests, prefixCache, rank, front, top, wave, noPrune, maxGpus, trialTime, trialRequests, pue, threads, state, cluster, plot, json })
        {
            command.Options.Add(option);
        }

        catalog.AddTo(command);

        command.SetAction(parse =>
        {
            string? Read(Option<string?> option) => parse.GetValue(option) is { } path ? context.ReadText(path, option.Name) : null;
            var request = new SearchRequest
            {
                Model = Split(parse.GetValue(model)),
                Gpu = Split(parse.GetValue(gpu)),
                GpuPrice = Split(parse.GetValue(gpuPrice)) is { } prices ? [.. prices.Select(p => ParsePrice(p))] : null,
                Weights = Split(parse.GetValue(weights)),
                Kv = Split(parse.GetValue(kv)),
                GpusPerReplica = parse.GetValue(sizes),
                Layouts = parse.GetValue(layouts),
                MaxBatch = parse.GetValue(maxBatch),
                PrefillChunk = parse.GetValue(chunk),
                Disaggregation = parse.GetValue(disaggregation),
                SpecMethod = Split(parse.GetValue(specMethod)),
                SpecLength = parse.GetValue(specLength),
                SpecAcceptance = parse.GetValue(speculation.Acceptance) is { Length: > 0 } rates ? rates : null,
                DraftModel = parse.GetValue(speculation.Draft),
                SpecTree = parse.GetValue(speculation.Tree) is { Length: > 0 } tree ? tree : null,
                SpecTopk = speculation.TopKOf(parse),
                SpecTreeNodes = parse.GetValue(speculation.TreeNodes),
                SpecAcceptanceFor = parse.GetValue(acceptanceFor),
                Engine = parse.GetValue(engine),
                MoeKernel = parse.GetValue(moeKernel),
                Rate = parse.GetValue(rate),
                Input = parse.GetValue(input),
                Output = parse.GetValue(output),
                InputDist = parse.GetValue(workload.InputDist),
                OutputDist = parse.GetValue(workload.OutputDist),
                InputHist = Read(workload.InputHistogram),
                OutputHist = Read(workload.OutputHistogram),
                Arrival = parse.GetValue(workload.Arrival),
                Cv = parse.GetValue(workload.Cv),
                Trace = Read(trace),
                TraceFormat = parse.GetValue(traceFormat),
                TraceSpeed = parse.GetValue(traceSpeed),
                Requests = parse.GetValue(requests),
                PrefixCache = parse.GetValue(prefixCache),
                SloTtft = SimulationInputs.Typed(parse, workload.SloTtft),
                SloTpot = SimulationInputs.Typed(parse, workload.SloTpot),
                Rank = parse.GetValue(rank),
                Front = parse.GetValue(front),
                Top = parse.GetValue(top),
                Wave = parse.GetValue(wave),
                Prune = !parse.GetValue(noPrune),
                MaxGpus = parse.GetValue(maxGpus),
                TrialTime = SimulationInputs.Typed(parse, trialTime),
                TrialRequests = parse.GetValue(trialRequests),
                BlockSize = parse.GetValue(workload.BlockSize),
                Seed = parse.GetValue(workload.Seed),
                Pue = parse.GetValue(pue),
            };
            var cat = catalog.Load(parse, context);
            var sources = (parse.GetValue(workload.InputHistogram), parse.GetValue(workload.OutputHistogram), parse.GetValue(trace));
            var (space, _, _, _) = request.Prepare(cat, sources);
            var candidates = space.Candidates().Count;

            IReadOnlyDictionary<int, CandidateOutcome>? finished = null;
            Action<CandidateOutcome>? record = null;
            string? stateNote = null;
            if (parse.GetValue(state) is { } path)
            {
                var hash = request.InputsHash(cat);
                var text = context.ReadTextIfExists(path, "--state");
                if (string.IsNullOrEmpty(text))
                {
                    context.WriteText(path, SearchState.HeaderLine(hash, candidates), "--state");
                    stateNote = $"State: {path} started; finished candidates are appended as they finish.";
                }
                else
                {
                    var read = SearchState.Read(text, hash, candidates, path);
                    if (read.DroppedPartialLine) context.WriteText(path, text[..read.KeepLength], "--state");
                    finished = read.Finished;
                    stateNote = $"State: {path} held {Number(read.Finished.Count)} finished candidates" +
                        (read.DroppedPartialLine ? " (its last line was cut short and was dropped)" : "") + ".";
                }

                var gate = new Lock();
                record = o =>
                {
                    lock (gate) context.AppendText(path, SearchState.Line(o), "--state");
                };
            }

            var report = parse.GetValue(cluster) is { } gateways
                ? OnCluster(request, cat, parse.GetValue(catalog.File) is { } catalogPath ? context.ReadText(catalogPath, "--catalog") : null, sources, gateways, finished, record)
                : request.Answer(cat, finished, record, parse.GetValue(threads), sources);
            var plotPath = parse.GetValue(plot) is { } file ? PlotWriter.Write(Chart(report), file) : null;
            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(report);
                return ExitCodes.Ok;
            }

            Render(context.Console, report);
            if (stateNote is not null) context.Console.WriteLine(stateNote);
            if (plotPath is not null) context.Console.WriteLine($"Plot: {plotPath}");
            return ExitCodes.Ok;
        });
        return command;
    }

    // The same search with each wave's candidates sent to the cluster's silos; the pruning, and so the answer, stay here.
    private static SearchReport OnCluster(SearchRequest request, Catalog.Catalog catalog, string? catalogText, (string?, string?, string?) sources, string gateways,
        IReadOnlyDictionary<int, CandidateOutcome>? finished, Action<CandidateOutcome>? record)
    {
        _ = ClusterHosting.ParseEndpoints(gateways, "--cluster");
        request.Validate();
        return ClusterInputs.Run(gateways, client =>
        {
            var evaluator = new ClusterEvaluator(client, request, catalog, catalogText, sources, ClusterInputs.Liveness);
            return request.AnswerAsync(catalog, evaluator.Evaluator, finished, record, sources);
        });
    }

    /// <summary>The front as a chart: the best k as points, the front joined.</summary>
    public static PlotSpec Chart(SearchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var shown = report.Best;
        var (xLabel, yLabel) = (AxisLabel(report.FrontAxis), RankLabel(report.Rank));
        return new PlotSpec($"Design-space search: {report.Candidates:N0} candidates, Pareto front of the best {report.Best.Count}", xLabel, yLabel)
        {
            Series =
            [
                new PointSeries($"Best {report.Best.Count}", [.. shown.Select(o => X(o, report.FrontAxis))], [.. shown.Select(o => o.Metric(report.Rank)!.Value)]),
                new LineSeries("Pareto front", [.. report.Front.Select(o => X(o, report.FrontAxis))], [.. report.Front.Select(o => o.Metric(report.Rank)!.Value)], Markers: true),
            ],
        };
    }

    private static double X(CandidateOutcome o, SearchFront axis) => axis == SearchFront.Gpus ? o.FrontValue(axis)!.Value : o.FrontValue(axis)!.Value * 1000;

    private static string AxisLabel(SearchFront axis) => axis switch
    {
        SearchFront.Ttft => "P90 time to first token (ms)",
        SearchFront.Tpot => "P90 time per output token (ms)",
        _ => "GPUs",
    };

    private static string RankLabel(SearchRank rank) => rank switch
    {
        SearchRank.Cost => "$/MTok (prompt + output)",
        SearchRank.Gpus => "GPUs",
        _ => "kWh/MTok",
    };

    private static void Render(IAnsiConsole console, SearchReport r)
    {
        var removed = r.Stages.Where(s => s.Stage != SearchStage.Simulated).Select(s => $"{Name(s.Stage)} {Number(s.Removed)}");
        var simulated = r.Stages.Single(s => s.Stage == SearchStage.Simulated).Removed;
        console.Write(KeyValueTable.Create($"Search: {Number(r.Candidates)} candidates",
        [
            ("Workload", r.Workload),
            ("SLO (P90)", $"TTFT ≤ {Time(r.Slo.TimeToFirstToken)}, TPOT ≤ {Time(r.Slo.TimePerOutputToken)}"),
            ("Pruned", string.Join(", ", removed)),
            ("Simulated", $"{Number(simulated)} ({Number(r.SimulatedThisRun)} this run, {Number(r.Reused)} from the state file), {Number(r.Feasible)} feasible, {Number(r.Trials)} simulations"),
            ("Bound", r.BoundViolations == 0
                ? "held: no simulated fleet came out below its analytic lower bound"
                : $"violated by {Number(r.BoundViolations)} candidates (their fleets came out below the analytic lower bound): the pruning may have removed a better one; rerun with --no-prune"),
        ]));

        var best = KeyValueTable.Grid($"Best {r.Best.Count} by {RankLabel(r.Rank)}", "#", "Model", "Weights/KV", "GPU", "Layout", "Max batch", "Chunk", "Speculation",
            "Replicas", "GPUs", "$/MTok", "kWh/MTok", "P90 TTFT", "P90 TPOT");
        foreach (var (o, i) in r.Best.Select((o, i) => (o, i)))
        {
            best.AddTextRow([(i + 1).ToString(CultureInfo.InvariantCulture), .. Columns(o), Replicas(o), Number(o.Gpus ?? 0),
                Money(o.PerMillionTokens!.Value), o.KwhPerMillionTokens is { } k ? Number(k) : "–", Time(o.P90Ttft!.Value), Time(o.P90Tpot!.Value)]);
        }

        console.Write(best);
        if (r.Best.Count > 0)
        {
            // Each best fleet's distance from the calibration data: its band on throughput, for what it extrapolates.
            var coverage = KeyValueTable.Grid("Calibration coverage of the best (plan --bands re-plans one at both ends)",
                "#", "Throughput P10–P90 × model", "Extrapolating");
            foreach (var (o, i) in r.Best.Select((o, i) => (o, i)))
            {
                coverage.AddTextRow((i + 1).ToString(CultureInfo.InvariantCulture),
                    o.Speed is { } b ? $"{Ratio(b.Low)}–{Ratio(b.High)}" : "–",
                    o.Extrapolating is null ? "not recorded (from a state file of an earlier build)"
                        : o.Extrapolating.Count == 0 ? "inside coverage" : string.Join(", ", o.Extrapolating.Select(e => e.Label)));
            }

            console.Write(coverage);
        }

        var frontTable = KeyValueTable.Grid($"Pareto front of the best {Number(r.Best.Count)}: {RankLabel(r.Rank)} against {AxisLabel(r.FrontAxis)}",
            "Model", "Weights/KV", "GPU", "Layout", "Max batch", "Chunk", "Speculation", "GPUs", "$/MTok", "P90 TTFT", "P90 TPOT");
        foreach (var o in r.Front)
        {
            frontTable.AddTextRow([.. Columns(o), Number(o.Gpus ?? 0), Money(o.PerMillionTokens!.Value), Time(o.P90Ttft!.Value), Time(o.P90Tpot!.Value)]);
        }

        console.Write(frontTable);
        if (r.Best.Count == 0)
        {
            var why = r.Simulated.Where(o => !o.Feasible).Take(3).Select(o => $"{o.Configuration}: {o.Reason}");
            console.WriteLine("No candidate meets the SLO. " + string.Join("; ", why));
        }
    }

    private static string[] Columns(CandidateOutcome o) =>
        [o.Model, $"{o.Weights}/{o.Kv}", o.Gpu, $"{o.GpusPerReplica} × {o.Layout}{(o.Disaggregated ? ", disaggregated" : "")}", Number(o.MaxBatch), Number(o.PrefillChunk),
            o.Speculation == "off" ? "off" : $"{o.Speculation} ({Number(o.TokensPerStep)} tok/step)"];

    private static string Replicas(CandidateOutcome o) => o.Disaggregated ? $"{o.PrefillReplicas} prefill + {o.DecodeReplicas} decode" : Number(o.Replicas ?? 0);

    private static string Name(SearchStage stage) => stage switch
    {
        SearchStage.Invalid => "invalid",
        SearchStage.Memory => "memory",
        SearchStage.Latency => "latency floor",
        SearchStage.Throughput => "throughput bound",
        SearchStage.Bound => "cannot beat the best",
        _ => "simulated",
    };

    // METHOD=A,A,... once per occurrence; the methods and the rates' ranges are the request's to check (specAcceptanceFor).
    private static Dictionary<string, IReadOnlyList<double>>? ParseAcceptanceFor(ArgumentResult r)
    {
        if (r.Tokens.Count == 0) return null;
        var modes = new Dictionary<string, IReadOnlyList<double>>(StringComparer.OrdinalIgnoreCase);
        foreach (var token in r.Tokens)
        {
            var text = token.Value;
            var split = text.IndexOf('=', StringComparison.Ordinal);
            var rates = new List<double>();
            var ok = split > 0;
            foreach (var part in ok ? text[(split + 1)..].Split(',', StringSplitOptions.TrimEntries) : [])
            {
                ok &= double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && v is >= 0 and <= 1;
                rates.Add(ok ? v : 0);
            }

            if (!ok || !modes.TryAdd(text[..split].Trim(), rates))
            {
                r.AddError($"--spec-acceptance-for must be METHOD=A,A,... once per method, each rate in [0, 1]; was '{text}'.");
                return null;
            }
        }

        return modes;
    }

    private static Option<string?> List(string name, string description, string help) => new(name) { Description = description, HelpName = help };

    private static List<string>? Split(string? text) =>
        text is null ? null : [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static double ParsePrice(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw new InvalidInputException("gpuPrice", $"gpuPrice must be a comma-separated list of numbers; was '{text}'.");
}
