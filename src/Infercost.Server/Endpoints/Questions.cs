using Infercost.Requests;

namespace Infercost.Server.Endpoints;

/// <summary>A question the server answers: its name (the CLI command), its request record type and how the core answers it.</summary>
/// <param name="Name">The CLI command name (<c>subscription population</c> is <c>subscription-population</c>); the
/// endpoint is <c>POST /api/{Name}</c>.</param>
/// <param name="RequestType">The core request record.</param>
/// <param name="Answer">Validates and answers a request of <see cref="RequestType"/>, reporting progress where the
/// question is long, and stopping when the token is cancelled.</param>
/// <param name="Check">Validates a request (and resolves its ids) without doing the work: a job is refused up front.</param>
/// <param name="ResultType">The result record (what <c>--json</c> prints).</param>
/// <param name="Summary">One line for the OpenAPI document.</param>
/// <param name="Long">True for questions that also run as jobs (<c>POST /api/jobs/{Name}</c>) with progress.</param>
/// <param name="Immediate">Where set, what <c>POST /api/{Name}</c> checks on top of <paramref name="Check"/>: a request
/// too large to answer while the client waits is refused there (the job takes it).</param>
internal sealed record Question(string Name, Type RequestType, Func<object, IProgress<double>?, CancellationToken, object> Answer,
    Action<object> Check, Type ResultType, string Summary, bool Long = false, Action<object>? Immediate = null);

/// <summary>The questions the server answers, saved as scenarios and, the long ones, run as jobs.</summary>
internal static class Questions
{
    private static readonly Catalog.Catalog Catalog = Infercost.Catalog.Catalog.Embedded;

    /// <summary>Most candidates <c>POST /api/search</c> answers while the client waits; a larger space runs as a job
    /// (<c>POST /api/jobs/search</c>, up to <see cref="Search.SearchSpace.MaxCandidates"/>).</summary>
    public const int MaxImmediateSearchCandidates = 64;

    /// <summary>By name.</summary>
    public static readonly IReadOnlyDictionary<string, Question> All = new Question[]
    {
        Quick<CostRequest, CostReport>("cost", "Throughput, latency and $/MTok in and out, with P10-P90 bands (infercost cost)",
            r => r.Answer(Catalog), r => { r.Validate(); r.Resolve(Catalog); }),
        Quick<FitRequest, FitReport>("fit", "Does the model fit, on which layout, how many sequences at a context (infercost fit)",
            r => r.Answer(Catalog), r => { r.Validate(); r.Resolve(Catalog); }),
        Slow<SweepRequest, SweepReport>("sweep", "Decode speed and $/MTok output across batch sizes (infercost sweep)",
            (r, _, _) => r.Answer(Catalog), r => { r.Validate(); r.Resolve(Catalog); }),
        Quick<CheckRequest, CheckReport>("check", "Is a claimed throughput or price physically possible (infercost check)",
            r => r.Answer(Catalog), r => { r.Validate(); r.Resolve(Catalog); }),
        Quick<SpeculateRequest, SpeculationReport>("speculate", "Speculative decoding or multi-token prediction against plain decoding, batch by batch, with the utilisation each means (infercost speculate)",
            r => r.Answer(r.Resolve(Catalog)), r => { r.Validate(); r.Resolve(Catalog); }),
        Quick<CompareRequest, Costing.AcceleratorComparisonReport>("compare", "One model on several accelerators: decode, prefill and tokens per dollar as ratios to a baseline beside the spec-sheet ratios, a claimed ratio checked (infercost compare)",
            r => r.Answer(r.Resolve(Catalog)), r => { r.Validate(); r.Resolve(Catalog); }),
        Quick<PricesRequest, PricesReport>("prices", "API list prices with billing rules, dates and sources (infercost prices)",
            r => r.Answer(Economics.Prices.PriceCatalog.Embedded), _ => { }),
        Quick<MarginRequest, Economics.Margins.MarginReport>("margin", "Gross margin against a list price with a cost x utilisation grid (infercost margin)",
            r => r.Answer(Catalog), r => r.Validate()),
        Quick<WorkloadRequest, WorkloadReport>("workload", "A workload's cost per request, day and month on an API model or a self-hosted cluster, and what each lever saves (infercost workload)",
            r => r.Answer(Catalog), r => r.Validate()),
        Quick<RouteRequest, Economics.Routing.RoutingResult>("route", "Blended cost of a workload routed across model tiers, and the saving against one tier (infercost route)",
            r => r.Answer(), r => r.Validate()),
        Quick<BreakEvenRequest, Economics.BreakEven.BreakEvenResult>("breakeven", "The daily volume and utilisation at which a self-hosted cluster beats an API price (infercost breakeven)",
            r => r.Answer(Catalog), r => r.Validate()),
        Quick<SubscriptionValueRequest, SubscriptionValueReport>("subscription-value", "API-equivalent value of a flat-rate plan's allowance (infercost subscription value)",
            r => r.Answer(), r => r.Validate()),
        Quick<SubscriptionCostRequest, SubscriptionCostReport>("subscription-cost", "Monthly cost of serving one subscriber against the plan price (infercost subscription cost)",
            r => r.Answer(), r => r.Validate()),
        Quick<PriceCurveRequest, PriceCurveReport>("price-curve", "Price decline: Epoch's estimator over dated prices, or a constant factor per year, projected (infercost price-curve)",
            r => r.Answer(DateOnly.FromDateTime(DateTime.UtcNow)), r => r.Validate()),
        Quick<DatacenterRequest, Datacenter.DatacenterReport>("datacenter", "A datacentre from accelerators, megawatts, capex, tokens per day or users to the rest, with the engine's rate at its band's ends (infercost datacenter)",
            r => r.Answer(Catalog), r => r.Validate()),
        Quick<DataflowRequest, DataflowReport>("dataflow", "Decode on an SRAM dataflow machine (Groq LPU, Cerebras WSE-3) as a bound from its own physics, beside a GPU replica (infercost dataflow)",
            r => r.Answer(Catalog), r => r.Validate()),
        Quick<SessionRequest, SessionReport>("session", "An agent or chat session billed request by request with the prompt cache's lifetime and context compaction (infercost session)",
            r => r.Answer(), r => r.Validate()),
        Quick<TrainingRequest, TrainingReport>("training", "A pre-training run's FLOPs, accelerator-hours and cost at 6·N·D, and the MFU a published figure implies (infercost training)",
            r => r.Answer(Catalog), r => r.Validate()),
        Quick<PnlRequest, Economics.ProviderPnl.PnlStatement>("pnl", "A provider's revenue, GPU cost and margins for a period, with training amortised (infercost pnl)",
            r => r.Answer(Catalog), r => r.Validate()),
        Slow<SubscriptionPopulationRequest, SubscriptionPopulationReport>("subscription-population",
            "Seeded Monte Carlo of a flat-rate plan's subscribers, with the cost histogram (infercost subscription population)",
            (r, p, c) => r.Answer(p, c), r => r.Validate()),
        Slow<SimulateRequest, SimulateReport>("simulate", "Discrete-event serving simulation: TTFT/TPOT percentiles, KV use, queue, $/MTok (infercost simulate)",
            (r, p, c) => r.Answer(Catalog, p, c), r => r.Prepare(r.Resolve(Catalog))),
        Slow<PlanRequest, PlanReport>("plan", "The fewest GPUs that meet P90 TTFT/TPOT targets at a peak rate, fixed and autoscaled day cost; disaggregated pools with disaggregated: true (infercost plan)",
            (r, p, c) => r.Answer(Catalog, p, c), r => r.Prepare(r.Resolve(Catalog))),
        Slow<SearchRequest, SearchReport>("search", "Which model x precision x GPU x layout x batch cap x token budget x disaggregation meets the SLO most cheaply, pruned analytically and simulated (infercost search; the CLI's --state file is not offered)",
            (r, p, c) => r.Answer(Catalog, progress: p, cancellation: c), r => r.Prepare(Catalog)) with { Immediate = r => SearchSmallEnough((SearchRequest)r) },
        Slow<FrontierRequest, FrontierReport>("frontier", "Throughput per GPU against tokens/s per user from closed-loop runs (infercost frontier)",
            (r, p, c) => r.Answer(Catalog, p, c), r => r.Prepare(r.Resolve(Catalog))),
    }.ToDictionary(q => q.Name, StringComparer.Ordinal);

    // The space is counted before any simulation: each candidate can cost a capacity plan of several trials, so a
    // large space is work for a job, which reports progress and can be cancelled.
    private static void SearchSmallEnough(SearchRequest request)
    {
        var candidates = request.Prepare(Catalog).Space.Candidates().Count;
        if (candidates > MaxImmediateSearchCandidates)
        {
            throw new InvalidInputException("candidates",
                $"candidates (model x gpu x weights x kv x gpusPerReplica x layouts x maxBatch x prefillChunk x disaggregation) must be in [1, {MaxImmediateSearchCandidates}] " +
                $"for POST /api/search; was {candidates}. Narrow a list, or run it as a job: POST /api/jobs/search.");
        }
    }

    private static Question Quick<T, TResult>(string name, string summary, Func<T, object> answer, Action<T> check) =>
        new(name, typeof(T), (r, _, _) => answer((T)r), r => check((T)r), typeof(TResult), summary);

    private static Question Slow<T, TResult>(string name, string summary, Func<T, IProgress<double>?, CancellationToken, object> answer, Action<T> check) =>
        new(name, typeof(T), (r, p, c) => answer((T)r, p, c), r => check((T)r), typeof(TResult), summary, Long: true);
}
