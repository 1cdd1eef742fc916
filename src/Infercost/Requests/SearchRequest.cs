using System.Security.Cryptography;
using System.Text;
using Infercost.Quantities;
using Infercost.Search;
using Infercost.Simulation;
using Infercost.Simulation.Traces;

namespace Infercost.Requests;

/// <summary>What <c>search</c> found (the document <c>search --json</c> prints).</summary>
/// <param name="Workload">The workload in words.</param>
/// <param name="Slo">The P90 targets.</param>
/// <param name="InputsHash">SHA-256 of the inputs (what a state file is checked against).</param>
/// <param name="Candidates">Configurations in the space.</param>
/// <param name="Stages">Candidates removed by each stage, and simulated.</param>
/// <param name="SimulatedThisRun">Candidates simulated in this run.</param>
/// <param name="Reused">Candidates taken from the state file.</param>
/// <param name="Feasible">Simulated candidates that meet the SLO within the GPU limit.</param>
/// <param name="Trials">Simulations behind the simulated candidates.</param>
/// <param name="BoundViolations">Feasible candidates below their analytic lower bound (0 when the bound held).</param>
/// <param name="Rank">What the best are ranked by.</param>
/// <param name="FrontAxis">The Pareto front's second axis.</param>
/// <param name="Best">The best candidates, best first.</param>
/// <param name="Front">The Pareto front of <paramref name="Best"/> (rank against the second axis).</param>
/// <param name="Simulated">Every simulated candidate's outcome, by index.</param>
public sealed record SearchReport(string Workload, Slo Slo, string InputsHash, int Candidates, IReadOnlyList<StageCount> Stages, int SimulatedThisRun, int Reused,
    int Feasible, int Trials, int BoundViolations, SearchRank Rank, SearchFront FrontAxis, IReadOnlyList<CandidateOutcome> Best,
    IReadOnlyList<CandidateOutcome> Front, IReadOnlyList<CandidateOutcome> Simulated);

/// <summary>The <c>search</c> question: which of model × precision × GPU × layout × batch cap × token budget ×
/// disaggregation × speculation meets the SLO at the required rate (or on a trace) most cheaply. Lists are tried in every
/// combination; a trace arrives as its text (the CLI reads <c>--trace FILE</c>).</summary>
public sealed record SearchRequest
{
    /// <summary>Accepted ranges.</summary>
    public static readonly WholeField GpusPerReplicaField = new("gpusPerReplica", 1, 1024), TopField = new("top", 1, 1000), WaveField = new("wave", 1, 1024),
        MaxGpusField = new("maxGpus", 1, 10_000_000), TrialRequestsField = new("trialRequests", 1000, (int)CapacityPlanner.MaxTrialRequests),
        RequestsField = new("requests", 2, 1_000_000);

    /// <summary>Accepted ranges.</summary>
    public static readonly NumberField TraceSpeedField = new("traceSpeed", 1e-3, 1e6);

    /// <summary>Model ids; every one is tried. Required.</summary>
    public IReadOnlyList<string>? Model { get; init; }

    /// <summary>Accelerator ids; every one is tried. Required.</summary>
    public IReadOnlyList<string>? Gpu { get; init; }

    /// <summary>Rental $/GPU-hour per entry of <see cref="Gpu"/>, in the same order; default each one's catalog price.</summary>
    public IReadOnlyList<double>? GpuPrice { get; init; }

    /// <summary>Weight precisions; default the model's published precision.</summary>
    public IReadOnlyList<string>? Weights { get; init; }

    /// <summary>KV-cache precisions; default bf16.</summary>
    public IReadOnlyList<string>? Kv { get; init; }

    /// <summary>Devices per replica; default 1, 2, 4, 8.</summary>
    public IReadOnlyList<int>? GpusPerReplica { get; init; }

    /// <summary><c>all</c> (default): every tensor × pipeline split of each size, and expert parallelism with attention
    /// data parallelism for MoE models; <c>widest</c>: the widest tensor split only.</summary>
    public string? Layouts { get; init; }

    /// <summary>Sequence caps per attention-data-parallel rank (vLLM's max_num_seqs); default the engine's.</summary>
    public IReadOnlyList<int>? MaxBatch { get; init; }

    /// <summary>Token budgets per step (chunked-prefill size, vLLM's max_num_batched_tokens); default the engine's.</summary>
    public IReadOnlyList<int>? PrefillChunk { get; init; }

    /// <summary><c>no</c> (default), <c>yes</c> (prefill and decode pools of the candidate's layout) or <c>both</c>.</summary>
    public string? Disaggregation { get; init; }

    /// <summary>Decoding modes to try: <c>off</c> (one token per step, the default), <c>mtp</c> (the model's
    /// multi-token-prediction modules), <c>draft</c> (<see cref="DraftModel"/>), <c>medusa</c> and <c>eagle</c>; every speculating mode is tried at
    /// every <see cref="SpecLength"/>. Absent with <see cref="DraftModel"/> given: <c>draft</c>.</summary>
    public IReadOnlyList<string>? SpecMethod { get; init; }

    /// <summary>Draft lengths (k, each in [1, 16]) to try with every speculating mode; default 1.</summary>
    public IReadOnlyList<int>? SpecLength { get; init; }

    /// <summary>Per-position acceptance a_i (the last repeats to k), shared by every speculating mode without its own
    /// (<see cref="SpecAcceptanceFor"/>); default <see cref="ServingRequest.DefaultAcceptance"/>.</summary>
    public IReadOnlyList<double>? SpecAcceptance { get; init; }

    /// <summary>A speculating mode's own acceptance, by method (<c>{"mtp": [0.85], "eagle": [0.8, 0.7]}</c>; the CLI's
    /// <c>--spec-acceptance-for mtp=0.85 --spec-acceptance-for eagle=0.8,0.7</c>): each key a method that
    /// <see cref="SpecMethod"/> lists, each list 1 to 16 rates in [0, 1], the last repeating. A mode without an entry
    /// takes <see cref="SpecAcceptance"/> or <see cref="SpecTopk"/>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>>? SpecAcceptanceFor { get; init; }

    /// <summary>Per-depth top-k accuracies (see <see cref="ServingRequest.SpecTopk"/>) for every speculating mode without its
    /// own <see cref="SpecAcceptanceFor"/>; not with <see cref="SpecAcceptance"/>.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? SpecTopk { get; init; }

    /// <summary>With <see cref="SpecTopk"/>: every speculating mode verifies the best tree of this many nodes (see
    /// <see cref="ServingRequest.SpecTreeNodes"/>); not with <see cref="SpecTree"/>, <see cref="SpecLength"/> or
    /// <see cref="SpecAcceptanceFor"/>.</summary>
    public int? SpecTreeNodes { get; init; }

    /// <summary>A token tree (nodes per depth) every speculating mode verifies instead of a chain; not with
    /// <see cref="SpecLength"/> (the tree's depth is its length).</summary>
    public IReadOnlyList<int>? SpecTree { get; init; }

    /// <summary>Catalog id of the draft model for the <c>draft</c> mode (same vocabulary as each model searched).</summary>
    public string? DraftModel { get; init; }

    /// <summary>Serving engine profile; default vllm.</summary>
    public string? Engine { get; init; }

    /// <summary>The kernel that runs a MoE model's routed experts (<c>--moe-kernel</c>); see <see cref="DeploymentRequest.MoeKernel"/>.</summary>
    public string? MoeKernel { get; init; }

    /// <summary>Required requests per second (not with <see cref="Trace"/>).</summary>
    public double? Rate { get; init; }

    /// <summary>Prompt tokens per request (see <see cref="InputDist"/>).</summary>
    public int Input { get; init; } = 1000;

    /// <summary>Output tokens per request (see <see cref="OutputDist"/>).</summary>
    public int Output { get; init; } = 200;

    /// <summary>Prompt lengths: <c>N</c> or <c>lognormal:MEDIAN:SIGMA[:MAX]</c>.</summary>
    public string? InputDist { get; init; }

    /// <summary>Output lengths: <c>N</c> or <c>lognormal:MEDIAN:SIGMA[:MAX]</c>.</summary>
    public string? OutputDist { get; init; }

    /// <summary>Prompt lengths from a histogram: the CSV text of <c>tokens,weight</c> lines.</summary>
    public string? InputHist { get; init; }

    /// <summary>Output lengths from a histogram: the CSV text of <c>tokens,weight</c> lines.</summary>
    public string? OutputHist { get; init; }

    /// <summary>Gaps between arrivals: <c>poisson</c> (default) or <c>gamma</c>.</summary>
    public string? Arrival { get; init; }

    /// <summary>With gamma arrivals: coefficient of variation of the gaps.</summary>
    public double Cv { get; init; } = 2;

    /// <summary>A trace's text (Azure CSV, Mooncake JSONL or BurstGPT CSV) to judge fleets on; its mean rate is the required rate.</summary>
    public string? Trace { get; init; }

    /// <summary>Trace format: auto (default), azure, mooncake or burstgpt.</summary>
    public string? TraceFormat { get; init; }

    /// <summary>Replay the trace this many times faster.</summary>
    public double TraceSpeed { get; init; } = 1;

    /// <summary>With a trace: use its first this many requests.</summary>
    public int? Requests { get; init; }

    /// <summary>With a trace that has block ids: each replica's prefix cache, <c>kv</c> (default), <c>unbounded</c> or <c>off</c>.</summary>
    public string? PrefixCache { get; init; }

    /// <summary>Time-to-first-token target (duration text); default 2 s.</summary>
    public string? SloTtft { get; init; }

    /// <summary>Time-per-output-token target (duration text); default 50 ms.</summary>
    public string? SloTpot { get; init; }

    /// <summary><c>cost</c> (default, $/MTok), <c>gpus</c> or <c>energy</c> (kWh/MTok).</summary>
    public string? Rank { get; init; }

    /// <summary>The Pareto front's second axis: <c>tpot</c> (default), <c>ttft</c> or <c>gpus</c>.</summary>
    public string? Front { get; init; }

    /// <summary>How many best candidates to report (and to prune against).</summary>
    public int Top { get; init; } = 10;

    /// <summary>Candidates simulated between pruning decisions.</summary>
    public int Wave { get; init; } = 8;

    /// <summary>False: simulate every candidate that fits in memory (brute force, to check the pruning).</summary>
    public bool Prune { get; init; } = true;

    /// <summary>Most GPUs one fleet may have.</summary>
    public int MaxGpus { get; init; } = 100_000;

    /// <summary>Least simulated arrival time per generated trial (duration text); default 60 s.</summary>
    public string? TrialTime { get; init; }

    /// <summary>Most requests per generated trial.</summary>
    public int TrialRequests { get; init; } = 20_000;

    /// <summary>Tokens per KV-cache block.</summary>
    public int BlockSize { get; init; } = SchedulerConfig.Default.BlockTokens;

    /// <summary>Seed of every trial (common random numbers across candidates).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Facility power usage effectiveness for energy; default 1.3.</summary>
    public double? Pue { get; init; }

    /// <summary>Checks every field; the first problem is thrown, naming its field.</summary>
    /// <exception cref="InvalidInputException">A field out of range or a bad combination.</exception>
    public void Validate()
    {
        if (Model is not { Count: > 0 } || Model.Any(string.IsNullOrWhiteSpace)) throw new InvalidInputException("model", "model is required: give one or more catalog model ids, comma-separated.");
        if (Gpu is not { Count: > 0 } || Gpu.Any(string.IsNullOrWhiteSpace)) throw new InvalidInputException("gpu", "gpu is required: give one or more accelerator ids, comma-separated.");
        if (GpuPrice is { } prices)
        {
            if (prices.Count != Gpu.Count) throw RequestFields.Error("gpuPrice", $"{{gpuPrice}} gives one price per {{gpu}} entry, in order; was {prices.Count} prices for {Gpu.Count} GPUs.");
            foreach (var price in prices) PricedRequest.GpuPriceField.Check(price);
        }

        foreach (var w in Weights ?? []) PrecisionInfo.Parse(w, "weights");
        foreach (var k in Kv ?? []) PrecisionInfo.Parse(k, "kv");
        foreach (var g in GpusPerReplica ?? []) GpusPerReplicaField.Check(g);
        foreach (var b in MaxBatch ?? []) ServingRequest.MaxBatchField.Check(b);
        foreach (var c in PrefillChunk ?? []) ServingRequest.PrefillChunkField.Check(c);
        _ = AllLayouts;
        _ = DisaggregationOf();
        ValidateSpeculation();
        new DeploymentRequest { Gpus = 1, Engine = Engine, MoeKernel = MoeKernel }.ResolveEngine();
        ServingRequest.InputField.Check(Input);
        ServingRequest.OutputField.Check(Output);
        SimulateRequest.CvField.Check(Cv);
        SimulateRequest.RateField.Check(Rate);
        TraceSpeedField.Check(TraceSpeed);
        RequestsField.Check(Requests);
        TopField.Check(Top);
        WaveField.Check(Wave);
        MaxGpusField.Check(MaxGpus);
        TrialRequestsField.Check(TrialRequests);
        SimulationRequest.BlockSizeField.Check(BlockSize);
        SimulationRequest.SeedField.Check(Seed);
        PricedRequest.PueField.Check(Pue);
        _ = SloOf();
        _ = TrialSeconds;
        _ = RankOf();
        _ = FrontOf();
        _ = ArrivalOf();
        if (InputDist is not null && InputHist is not null) throw RequestFields.Error("inputDist", "{inputDist} and {inputHist} both give the prompt lengths; use one.");
        if (OutputDist is not null && OutputHist is not null) throw RequestFields.Error("outputDist", "{outputDist} and {outputHist} both give the output lengths; use one.");
        if (Trace is null)
        {
            if (Rate is null) throw RequestFields.Error("rate", "rate is required: give {rate} REQ/S, or {trace} FILE.");
            if (Requests is not null || PrefixCache is not null || TraceFormat is not null || TraceSpeed != 1)
            {
                throw RequestFields.Error("requests", "{requests}, {prefixCache}, {traceFormat} and {traceSpeed} shape a trace replay; add {trace} FILE or drop them.");
            }
        }
        else
        {
            if (Rate is not null || InputDist is not null || OutputDist is not null || InputHist is not null || OutputHist is not null || Arrival is not null)
            {
                throw RequestFields.Error("trace", "{trace} gives the rate, arrivals and lengths; drop {rate}, {arrival} and the length distributions.");
            }

            _ = TraceFormatOf();
            if (PrefixCache is not null && PrefixCache.Trim().ToLowerInvariant() is not ("kv" or "unbounded" or "off"))
            {
                throw new InvalidInputException("prefixCache", $"prefixCache must be kv, unbounded or off; was '{PrefixCache}'.");
            }
        }
    }

    /// <summary>Validates and resolves everything the search needs from <paramref name="catalog"/>.</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="sources">How problems in the histogram and trace texts name their source (the CLI's file paths).</param>
    /// <exception cref="InvalidInputException">A field out of range, an unknown id, a bad trace line, or too much work.</exception>
    public (SearchSpace Space, SearchWorkload Workload, SearchSettings Settings, string Description) Prepare(Catalog.Catalog catalog,
        (string? Input, string? Output, string? Trace) sources = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Validate();
        var models = Model!.Select(m => catalog.GetModel(m.Trim())).ToList();
        if (MoeKernel is not null && !models.Any(m => m.IsMoe))
        {
            throw RequestFields.Error("moeKernel", $"{{moeKernel}} {MoeKernel} runs routed experts; no {{model}} searched is a MoE model ({string.Join(", ", models.Select(m => m.Id))}).");
        }

        var devices = Gpu!.Select((g, i) =>
        {
            var a = catalog.GetAccelerator(g.Trim());
            var price = GpuPrice is { } p ? DollarsPerHour.FromDollarsPerHour(p[i]) : new Costing.RentalCost().PerDevice(a).Total;
            return new SearchDevice(a, price);
        }).ToList();
        var engine = new DeploymentRequest { Gpus = 1, Engine = Engine, MoeKernel = MoeKernel }.ToConfig();
        var space = new SearchSpace(models, devices,
            Weights is { Count: > 0 } w ? [.. w.Select(x => (Precision?)PrecisionInfo.Parse(x, "weights"))] : [null],
            Kv is { Count: > 0 } k ? [.. k.Select(x => PrecisionInfo.Parse(x, "kv"))] : [engine.KvPrecision ?? Precision.Bf16],
            GpusPerReplica is { Count: > 0 } g ? g : [1, 2, 4, 8], AllLayouts,
            MaxBatch is { Count: > 0 } b ? b : [engine.MaxBatch], PrefillChunk is { Count: > 0 } c ? c : [engine.PrefillChunkTokens], DisaggregationOf(),
            SpeculationModes(catalog));
        var settings = new SearchSettings(SloOf(), engine, BlockSize, RankOf(), FrontOf(), Top, Wave, Prune, MaxGpus, TrialSeconds, TrialRequests, Seed,
            Pue ?? new Costing.OwnedCost().Pue).Validated();
        var (workload, description) = Trace is { } text ? FromTrace(text, sources.Trace ?? "trace") : Generated(sources);
        return (space, workload.Validated(), settings, description);
    }

    /// <summary>Runs the search.</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="finished">Finished candidates from a state file of the same inputs.</param>
    /// <param name="onFinished">Called with each newly simulated candidate (from worker threads).</param>
    /// <param name="maxParallelism">Most threads; null for one per core. The answer does not depend on it.</param>
    /// <param name="sources">How problems in the histogram and trace texts name their source.</param>
    /// <param name="progress">Receives the fraction done.</param>
    /// <param name="cancellation">Checked between candidates and before every trial of each candidate's capacity planner.</param>
    public SearchReport Answer(Catalog.Catalog catalog, IReadOnlyDictionary<int, CandidateOutcome>? finished = null, Action<CandidateOutcome>? onFinished = null,
        int? maxParallelism = null, (string? Input, string? Output, string? Trace) sources = default, IProgress<double>? progress = null,
        CancellationToken cancellation = default)
    {
        var (space, workload, settings, description) = Prepare(catalog, sources);
        var r = DesignSearch.Run(space, workload, settings, finished, onFinished, maxParallelism, progress, cancellation);
        return Report(catalog, description, settings, r);
    }

    /// <summary>Runs the search with every wave's candidates simulated by <paramref name="evaluate"/> (a cluster); the
    /// report is the one <see cref="Answer"/> gives.</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="evaluate">Simulates a wave's candidates (see <see cref="SearchEvaluator"/>).</param>
    /// <param name="finished">Finished candidates from a state file of the same inputs.</param>
    /// <param name="onFinished">Called once with each newly simulated candidate as it is reported.</param>
    /// <param name="sources">How problems in the histogram and trace texts name their source.</param>
    /// <param name="progress">Receives the fraction done.</param>
    /// <param name="cancellation">Checked between waves and passed to the evaluator.</param>
    public async Task<SearchReport> AnswerAsync(Catalog.Catalog catalog, SearchEvaluator evaluate, IReadOnlyDictionary<int, CandidateOutcome>? finished = null,
        Action<CandidateOutcome>? onFinished = null, (string? Input, string? Output, string? Trace) sources = default, IProgress<double>? progress = null,
        CancellationToken cancellation = default)
    {
        var (space, workload, settings, description) = Prepare(catalog, sources);
        var r = await DesignSearch.RunAsync(space, workload, settings, evaluate, finished, onFinished, progress, cancellation).ConfigureAwait(false);
        return Report(catalog, description, settings, r);
    }

    private SearchReport Report(Catalog.Catalog catalog, string description, SearchSettings settings, SearchResult r) =>
        new(description, settings.Slo, InputsHash(catalog), r.Candidates, r.Stages, r.Simulated, r.Reused, r.Feasible, r.Trials, r.BoundViolations,
            r.Rank, r.FrontAxis, r.Best, r.Front, [.. r.Outcomes.Where(o => o.Stage == SearchStage.Simulated)]);

    /// <summary>SHA-256 (hex) of this request and of the catalog entries it names: two searches with the same hash
    /// search the same space on the same workload and give the same answer.</summary>
    public string InputsHash(Catalog.Catalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Validate();
        // An absent list and an empty one both mean the default; hash them alike (as the CLI gives them: empty number
        // lists, absent word lists) so a request from the server and the same flags on the CLI share a hash.
        var canonical = this with
        {
            GpusPerReplica = GpusPerReplica ?? [],
            MaxBatch = MaxBatch ?? [],
            PrefillChunk = PrefillChunk ?? [],
            SpecLength = SpecLength ?? [],
            SpecMethod = SpecMethod is { Count: 0 } ? null : SpecMethod,
            SpecAcceptance = SpecAcceptance is { Count: 0 } ? null : SpecAcceptance,
            SpecTree = SpecTree is { Count: 0 } ? null : SpecTree,
            SpecTopk = SpecTopk is { Count: 0 } ? null : SpecTopk,
            SpecAcceptanceFor = SpecAcceptanceFor is { Count: 0 } ? null : SpecAcceptanceFor,
            Weights = Weights is { Count: 0 } ? null : Weights,
            Kv = Kv is { Count: 0 } ? null : Kv,
        };
        // Fields added since state files were first written leave the hash as it was while they are absent, so a search
        // resumes from a file an earlier build wrote for the same inputs.
        var document = System.Text.Json.Nodes.JsonNode.Parse(Serialization.InfercostJson.Serialize(canonical))!.AsObject();
        foreach (var added in (string[])["specTopk", "specTreeNodes", "specAcceptanceFor"])
        {
            if (document[added] is null) document.Remove(added);
        }

        var text = new StringBuilder(document.ToJsonString(Serialization.InfercostJson.Options));
        foreach (var m in Model!) text.Append('\n').Append(Serialization.InfercostJson.Serialize(catalog.GetModel(m.Trim())));
        foreach (var g in Gpu!) text.Append('\n').Append(Serialization.InfercostJson.Serialize(catalog.GetAccelerator(g.Trim())));
        if (DraftModel is { } draft && catalog.TryGetModel(draft, out var found)) text.Append('\n').Append(Serialization.InfercostJson.Serialize(found));
        text.Append('\n').Append(SearchState.FormatName);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private string[] SpecMethodsOf() =>
        SpecMethod is { Count: > 0 } given ? [.. given.Select(m => m.Trim().ToLowerInvariant())] : DraftModel is not null ? ["draft"] : ["off"];

    private void ValidateSpeculation()
    {
        var methods = SpecMethodsOf();
        foreach (var (given, method) in (SpecMethod ?? []).Zip(methods))
        {
            if (method is not ("off" or "mtp" or "draft" or "medusa" or "eagle"))
            {
                throw RequestFields.Error("specMethod", $"{{specMethod}} must list off, mtp, draft, medusa or eagle; was '{given}'.");
            }
        }

        var speculates = methods.Any(m => m != "off");
        if (methods.Contains("draft") && DraftModel is null) throw RequestFields.Error("draftModel", "{draftModel} is required when {specMethod} lists draft.");
        if (!methods.Contains("draft") && DraftModel is not null) throw RequestFields.Error("draftModel", "{draftModel} applies when {specMethod} lists draft.");
        if (!speculates && SpecLength is { Count: > 0 }) throw RequestFields.Error("specLength", "{specLength} applies when speculating: list mtp, draft, medusa or eagle in {specMethod}.");
        if (!speculates && SpecAcceptance is { Count: > 0 }) throw RequestFields.Error("specAcceptance", "{specAcceptance} applies when speculating: list mtp, draft, medusa or eagle in {specMethod}.");
        foreach (var k in SpecLength ?? []) ServingRequest.SpecLengthField.Check(k);
        if (SpecTree is { Count: > 0 } && SpecLength is { Count: > 0 })
        {
            throw RequestFields.Error("specTree", "{specTree} gives the draft's depth; drop {specLength}, or drop {specTree} to try chains of those lengths.");
        }

        ServingRequest.CheckTree(SpecTree, null, speculates);
        if (SpecAcceptance is { Count: > 0 } rates) CheckRates("specAcceptance", rates);
        ServingRequest.CheckTopK(SpecTopk, SpecTreeNodes, SpecAcceptance is { Count: > 0 }, SpecTree, SpecLength, speculates);
        foreach (var (given, ownRates) in SpecAcceptanceFor ?? new Dictionary<string, IReadOnlyList<double>>())
        {
            var method = given.Trim().ToLowerInvariant();
            if (method is not ("mtp" or "draft" or "medusa" or "eagle") || !methods.Contains(method))
            {
                throw RequestFields.Error("specAcceptanceFor",
                    $"{{specAcceptanceFor}} must name methods that {{specMethod}} lists ({string.Join(", ", methods.Where(m => m != "off").DefaultIfEmpty("none"))}); was '{given}'.");
            }

            if (SpecTreeNodes is not null)
            {
                throw RequestFields.Error("specAcceptanceFor", "{specTreeNodes} builds every mode's tree from {specTopk}; drop {specAcceptanceFor} or use {specTree}.");
            }

            CheckRates("specAcceptanceFor", ownRates ?? []);
        }
    }

    private static void CheckRates(string field, IReadOnlyList<double> rates)
    {
        if (rates.Count is 0 or > 16) throw RequestFields.Error(field, $"{{{field}}} must list 1 to 16 rates; was {rates.Count}.");
        foreach (var a in rates) Guard.InRange(a, 0, 1, field);
    }

    // The acceptance a mode takes: its own list, else the shared one, else the default; null when the shared top-k
    // accuracies give it.
    private IReadOnlyList<double>? AcceptanceOf(string method)
    {
        var own = SpecAcceptanceFor?.FirstOrDefault(e => string.Equals(e.Key.Trim(), method, StringComparison.OrdinalIgnoreCase)).Value;
        if (own is { Count: > 0 }) return own;
        if (SpecTopk is { Count: > 0 }) return null;
        return SpecAcceptance is { Count: > 0 } a ? a : [ServingRequest.DefaultAcceptance];
    }

    // Each decoding mode the request lists: null for off, then every speculating method at every length.
    private List<Speculation.SpeculationConfig?> SpeculationModes(Catalog.Catalog catalog)
    {
        Models.ModelArchitecture? draft = null;
        if (DraftModel is { } id && !catalog.TryGetModel(id, out draft))
        {
            throw RequestFields.Error("draftModel", $"{{draftModel}} '{id}' is not a catalog model (see 'infercost catalog list models').");
        }

        var lengths = SpecLength is { Count: > 0 } l ? l.Distinct().ToList() : null;
        var modes = new List<Speculation.SpeculationConfig?>();
        foreach (var method in SpecMethodsOf().Distinct())
        {
            if (method == "off")
            {
                modes.Add(null);
                continue;
            }

            var kind = Speculation.SpeculationConfig.Parse(method)!.Value;
            var drafter = method == "draft" ? draft : null;
            var tree = SpecTree is { Count: > 0 } given ? given : null;
            if (AcceptanceOf(method) is not { } acceptance)
            {
                // From the top-k accuracies: the best tree of SpecTreeNodes, the tree given, or a chain of each length
                // (default one per head).
                var topk = new Speculation.TopKAccuracy(SpecTopk!);
                if (SpecTreeNodes is not null || tree is not null)
                {
                    modes.Add(topk.Speculation(kind, drafter, tree, SpecTreeNodes, null).Validated());
                    continue;
                }

                foreach (var k in lengths ?? [topk.Depth]) modes.Add(topk.Speculation(kind, drafter, null, null, k).Validated());
                continue;
            }

            if (tree is not null)
            {
                modes.Add(new Speculation.SpeculationConfig(kind, tree.Count, acceptance, drafter, Tree: tree).Validated());
                continue;
            }

            foreach (var k in lengths ?? [1]) modes.Add(new Speculation.SpeculationConfig(kind, k, acceptance, drafter).Validated());
        }

        return modes;
    }

    private bool AllLayouts => Layouts?.Trim().ToLowerInvariant() switch
    {
        null or "all" => true,
        "widest" => false,
        _ => throw new InvalidInputException("layouts", $"layouts must be all or widest; was '{Layouts}'."),
    };

    private bool[] DisaggregationOf() => Disaggregation?.Trim().ToLowerInvariant() switch
    {
        null or "no" => [false],
        "yes" => [true],
        "both" => [false, true],
        _ => throw new InvalidInputException("disaggregation", $"disaggregation must be no, yes or both; was '{Disaggregation}'."),
    };

    private SearchRank RankOf() => Rank?.Trim().ToLowerInvariant() switch
    {
        null or "cost" => SearchRank.Cost,
        "gpus" => SearchRank.Gpus,
        "energy" => SearchRank.Energy,
        _ => throw new InvalidInputException("rank", $"rank must be cost, gpus or energy; was '{Rank}'."),
    };

    private SearchFront FrontOf() => Front?.Trim().ToLowerInvariant() switch
    {
        null or "tpot" => SearchFront.Tpot,
        "ttft" => SearchFront.Ttft,
        "gpus" => SearchFront.Gpus,
        _ => throw new InvalidInputException("front", $"front must be tpot, ttft or gpus; was '{Front}'."),
    };

    private ArrivalKind ArrivalOf() => Arrival?.Trim().ToLowerInvariant() switch
    {
        null or "poisson" => ArrivalKind.Poisson,
        "gamma" => ArrivalKind.Gamma,
        _ => throw new InvalidInputException("arrival", $"arrival must be poisson or gamma; was '{Arrival}'."),
    };

    private TraceFormat TraceFormatOf() => TraceFormat?.Trim().ToLowerInvariant() switch
    {
        null or "auto" => Simulation.Traces.TraceFormat.Auto,
        "azure" => Simulation.Traces.TraceFormat.Azure,
        "mooncake" => Simulation.Traces.TraceFormat.Mooncake,
        "burstgpt" => Simulation.Traces.TraceFormat.BurstGpt,
        _ => throw new InvalidInputException("traceFormat", $"traceFormat must be auto, azure, mooncake or burstgpt; was '{TraceFormat}'."),
    };

    private double TrialSeconds => TrialTime is null ? 60 : DurationText.ParseSeconds(TrialTime, "trialTime", 1, 86_400);

    private Slo SloOf() => new Slo(
        Seconds.FromSeconds(SloTtft is null ? Slo.Default.TimeToFirstToken.Value : DurationText.ParseSeconds(SloTtft, "sloTtft", 1e-6, 86_400)),
        Seconds.FromSeconds(SloTpot is null ? Slo.Default.TimePerOutputToken.Value : DurationText.ParseSeconds(SloTpot, "sloTpot", 1e-6, 3600))).Validated();

    private (SearchWorkload, string) Generated((string? Input, string? Output, string? Trace) sources)
    {
        var input = InputHist is not null ? EmpiricalLength.ParseCsv(InputHist, sources.Input ?? "inputHist")
            : InputDist is not null ? LengthDistribution.Parse(InputDist, "inputDist") : new FixedLength(Input);
        var output = OutputHist is not null ? EmpiricalLength.ParseCsv(OutputHist, sources.Output ?? "outputHist")
            : OutputDist is not null ? LengthDistribution.Parse(OutputDist, "outputDist") : new FixedLength(Output);
        var arrival = ArrivalOf();
        var cv = arrival == ArrivalKind.Gamma ? Cv : 1;
        var text = $"{SimulationRequest.Describe(new ArrivalProcess(RateCurve.Constant(Rate!.Value), arrival, cv))}, prompt {SimulationRequest.Describe(input)}, output {SimulationRequest.Describe(output)}";
        return (new SearchWorkload(Rate.Value, input, output, arrival, cv), text);
    }

    private (SearchWorkload, string) FromTrace(string text, string source)
    {
        var stats = new TraceStats();
        List<SimRequest> requests;
        try
        {
            var replay = new TraceReplay(TraceSpeed, MaxRequests: Requests).Validated();
            requests = [.. replay.Requests(TraceReader.Read(TraceReader.Lines(new StringReader(text)), TraceFormatOf(), BadLinePolicy.Fail, stats), stats)];
        }
        catch (InvalidInputException e) when (e.Field == TraceReader.BadLineField)
        {
            throw new InvalidInputException("trace", $"trace {source}: {e.Message}");
        }

        var summary = TraceWorkload.Of(requests);
        var outputTokens = requests.Sum(r => (double)r.OutputTokens);
        if (outputTokens > SimulationBudget.MaxOutputTokens)
        {
            throw RequestFields.Error("trace", $"{{trace}} {source} holds {Guard.Format(Math.Round(outputTokens / 1e9, 2))} billion output tokens; one search replays at most " +
                $"{Guard.Format(SimulationBudget.MaxOutputTokens / 1e9)} billion per trial. Shorten it with {{requests}}.");
        }

        var hasBlocks = requests.Any(r => r.PrefixBlocks is { Count: > 0 });
        PrefixCacheSpec? cache = !hasBlocks ? null : PrefixCache?.Trim().ToLowerInvariant() switch
        {
            "off" => null,
            "unbounded" => new PrefixCacheSpec(null, TraceReader.MooncakeBlockTokens, EvictionPolicy.Lru).Validated(),
            _ => new PrefixCacheSpec(null, TraceReader.MooncakeBlockTokens, EvictionPolicy.Lru, KvPool: true).Validated(),
        };
        var description = $"trace {source}: {summary.Requests:N0} requests over {Seconds.FromSeconds(summary.Span)}, mean rate {SimulationRequest.Number(summary.Rate)} req/s, " +
            $"gap CV {Guard.Format(Math.Round(summary.GapCv, 2))}, prompt mean {SimulationRequest.Number(summary.Input.Mean)}, output mean {SimulationRequest.Number(summary.Output.Mean)} tokens" +
            (cache is not null && summary.ReusedBlockShare is { } share ? $", {Guard.Format(Math.Round(share * 100, 1))}% of prompt blocks seen before (prefix cache per replica)" : "");
        return (new SearchWorkload(summary.Rate, summary.Input, summary.Output, ArrivalKind.Gamma, Math.Clamp(summary.GapCv, 0.05, 20), requests, cache,
            cache is not null ? summary.ReusedBlockShare ?? 0 : 0), description);
    }
}
