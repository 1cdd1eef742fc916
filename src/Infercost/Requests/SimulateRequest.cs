using Infercost.Simulation;

namespace Infercost.Requests;

/// <summary>What <c>simulate</c> measured (the document <c>simulate --json</c> prints).</summary>
/// <param name="Model">Model id.</param>
/// <param name="Accelerator">Accelerator id.</param>
/// <param name="Arrivals">How requests arrived, in words.</param>
/// <param name="Input">Prompt lengths, in words.</param>
/// <param name="Output">Output lengths, in words.</param>
/// <param name="Scheduler">Scheduler settings.</param>
/// <param name="Result">What the run measured.</param>
public sealed record SimulateReport(string Model, string Accelerator, string Arrivals, string Input, string Output, SchedulerConfig Scheduler, SimulationResult Result)
{
    /// <summary>With <see cref="SimulateRequest.Pool"/>: each pool's own figures (the request's own replicas are pool 1);
    /// <see cref="Result"/> is then the whole fleet's. Null for a fleet of one kind.</summary>
    public IReadOnlyList<PoolResult>? Pools { get; init; }

    /// <summary>With prefill and decode pools (<see cref="SimulateRequest.Role"/>, a pool's <c>role=</c>): prefill end →
    /// KV cache on the decode replica, over every handover (<see cref="FleetResult.Handoff"/>); null otherwise.</summary>
    public LatencySummary? Handoff { get; init; }

    /// <summary>The speculative decoding every decode step ran with; null without.</summary>
    public Speculation.SpeculationSpec? Speculation { get; init; }

    /// <summary>What a trace replay skipped (bad lines, rows without output); empty otherwise.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>With runs above 1: the spread of the headline figures over the seeds (Result is run 0's); null otherwise.</summary>
    public SimulationSpread? Spread { get; init; }

    /// <summary>With <see cref="SimulateRequest.Bands"/>: each headline figure's P10–P90 from the runs at the band's engine
    /// speeds; null otherwise.</summary>
    public SimulationBands? Bands { get; init; }

    /// <summary>The serving engine profile the run was timed with.</summary>
    public string Engine { get; init; } = "";

    /// <summary>Where the run lies outside calibration coverage (GPU generation, precision, model family, engine, batch
    /// regime at the run's mean decode tokens per step, layout); the text output prints it as one line.</summary>
    public IReadOnlyList<Calibration.Extrapolation> Extrapolating { get; init; } = [];

    /// <summary>The report with <see cref="Engine"/> and <see cref="Extrapolating"/> filled for <paramref name="setup"/>.</summary>
    public SimulateReport WithCoverage(Serving.ServingSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        // The run's mean decode sequences per step per replica is the batch regime it ran in.
        return this with
        {
            Engine = setup.Config.Engine.Name,
            Extrapolating = Calibration.CalibrationCoverage.Shipped.AssessRun(setup, Result.OutputTokens.Value, Result.Steps),
            Speculation = setup.Config.Speculation?.Spec,
        };
    }
}

/// <summary>The <c>simulate</c> question: a generated request stream (open loop at a rate or day curve, or a closed
/// loop of users) through a fleet of replicas, step by step. Trace replay reads a file and stays in the CLI, on the
/// same <see cref="SimulationRequest.Prepare"/>.</summary>
public sealed partial record SimulateRequest : SimulationRequest
{
    /// <summary>Default requests sent when neither <see cref="Requests"/> nor <see cref="Duration"/> is given.</summary>
    public const int DefaultRequests = 2000;

    /// <summary>Accepted ranges.</summary>
    public static readonly NumberField RateField = new("rate", 1e-6, 1e6), CvField = new("cv", 0.05, 20), TurnsField = new("turns", 1, 1000),
        PrefixHitField = new("prefixHit", 0, 1);

    /// <summary>Accepted ranges.</summary>
    public static readonly WholeField ConcurrencyField = new("concurrency", 1, 1_000_000), RequestsField = new("requests", 1, 100_000_000),
        RunsField = new("runs", 1, 64), AutoscaleMinField = new("autoscaleMin", 0, ServingSimulator.MaxReplicas);

    /// <summary>Accepted range of <see cref="ScaleTarget"/>.</summary>
    public static readonly NumberField ScaleTargetField = new("scaleTarget", 0.01, 1e6);

    /// <summary>Requests per second (the peak hour's rate with <see cref="Diurnal"/>). Give rate, rateCurve or concurrency.</summary>
    public double? Rate { get; init; }

    /// <summary>Closed loop instead of arrivals: this many users on one replica (with <see cref="Pool"/>: on every
    /// replica of every pool, routed as arrivals are).</summary>
    public int? Concurrency { get; init; }

    /// <summary>Requests to send; default 2,000 (or all arrivals within <see cref="Duration"/>).</summary>
    public int? Requests { get; init; }

    /// <summary>Stop arrivals after this long (<c>10m</c>, <c>24h</c>, or seconds); default none.</summary>
    public string? Duration { get; init; }

    /// <summary>Repeat the run with this many seeds, in parallel, and report the spread; default 1.</summary>
    public int? Runs { get; init; }

    /// <summary>Gaps between arrivals: <c>poisson</c> (default) or <c>gamma</c>.</summary>
    public string? Arrival { get; init; }

    /// <summary>With gamma arrivals: coefficient of variation of the gaps; default 2. Refused with other arrivals.</summary>
    public double? Cv { get; init; }

    /// <summary>Vary the rate over the day with the built-in shape.</summary>
    public bool Diurnal { get; init; }

    /// <summary>The day's load: the CSV text of <c>hour,rate</c> lines (the CLI reads <c>--rate-curve FILE</c>).</summary>
    public string? RateCurve { get; init; }

    /// <summary>Multi-turn sessions with this mean number of turns.</summary>
    public double? Turns { get; init; }

    /// <summary>With turns: mean time between a session's turns (duration text); default 30 s.</summary>
    public string? ThinkTime { get; init; }

    /// <summary>With turns: probability a follow-up finds the conversation in the prefix cache; default 0.8.</summary>
    public double? PrefixHit { get; init; }

    /// <summary>With turns, instead of <see cref="PrefixHit"/>: each replica's prefix cache decides what a follow-up finds
    /// (kv: the replica's KV pool; unbounded; a block count; or a size such as 200GB), in blocks of <c>blockSize</c>
    /// tokens, so routing, eviction and <see cref="KvOffload"/> shape the hit. Default: none (the rate decides).</summary>
    public string? PrefixCache { get; init; }

    /// <summary>With <see cref="PrefixCache"/>: lru (default) or fifo.</summary>
    public string? PrefixEviction { get; init; }

    /// <summary>With <see cref="PrefixCache"/>: offload tiers below HBM, SIZE@BANDWIDTH comma-separated (per replica; the
    /// bandwidth per device), e.g. 1TB@50GB/s,8TB@5GB/s.</summary>
    public string? KvOffload { get; init; }

    /// <summary>Time-to-first-token target (duration text); default 2 s.</summary>
    public string? SloTtft { get; init; }

    /// <summary>Time-per-output-token target (duration text); default 50 ms.</summary>
    public string? SloTpot { get; init; }

    /// <summary>Router: least-requests (default), round-robin, least-tokens, p2c, session or prefix.</summary>
    public string? Router { get; init; }

    /// <summary>Replicas fail: mean time between failures of one replica (duration text); default none.</summary>
    public string? Mtbf { get; init; }

    /// <summary>With <see cref="Mtbf"/>: how long a failed replica stays down (duration text); default 5 min.</summary>
    public string? RepairTime { get; init; }

    /// <summary>Autoscaling: fewest replicas kept (0 scales to zero); the fleet's replicas are the most. Default: none (every replica up).</summary>
    public int? AutoscaleMin { get; init; }

    /// <summary>With <see cref="AutoscaleMin"/>: outstanding requests per replica the autoscaler aims at; default the scheduler's max batch.</summary>
    public double? ScaleTarget { get; init; }

    /// <summary>With <see cref="AutoscaleMin"/>: from asking for a replica to its first request (duration text); default 2 min.</summary>
    public string? ColdStart { get; init; }

    /// <summary>With <see cref="AutoscaleMin"/>: time between autoscaler decisions (duration text); default 30 s.</summary>
    public string? ScaleInterval { get; init; }

    /// <summary>With <see cref="AutoscaleMin"/>: time without a scale-up before replicas are removed (duration text); default 5 min.</summary>
    public string? ScaleDownDelay { get; init; }

    /// <summary>More pools beside the request's own replicas, each <c>KEY=VALUE,...</c> (<see cref="PoolSpec"/>: gpu, gpus,
    /// replicas, tp, pp, ep, dp, weights, kv, price): one router over every pool. Combines with <see cref="Concurrency"/>
    /// (the users share every pool), <see cref="Mtbf"/> (replicas of every pool fail) and <see cref="AutoscaleMin"/> (one
    /// autoscaler scales every pool by the same share), not with <see cref="Runs"/>. Default: none.</summary>
    public IReadOnlyList<string>? Pool { get; init; }

    /// <summary>With <see cref="Pool"/>: what the request's own replicas (pool 1) do: <c>combined</c> (default),
    /// <c>prefill</c> or <c>decode</c>, as a pool's <c>role=</c> key. A fleet with roles gives every pool one, at least
    /// one prefill and one decode pool.</summary>
    public string? Role { get; init; }

    /// <summary>Re-run the simulation at the engine speeds of the calibrated band's P10 and P90 (actual ÷ predicted
    /// throughput, widened for what the run extrapolates) and report each headline figure's band
    /// (<see cref="SimulateReport.Bands"/>): three runs' work. With <see cref="Runs"/> every seed runs at each end too,
    /// and the band holds the seeds' spread as well (three times the runs' work).</summary>
    public bool Bands { get; init; }

    /// <summary>Default cold start when none is given: two minutes, for provisioning, loading the weights from local disk
    /// and capturing CUDA graphs (a documented assumption; give the deployment's own).</summary>
    public const double DefaultColdStartSeconds = 120;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        RateField.Check(Rate);
        ConcurrencyField.Check(Concurrency);
        RequestsField.Check(Requests);
        RunsField.Check(Runs);
        CvField.Check(Cv);
        TurnsField.Check(Turns);
        PrefixHitField.Check(PrefixHit);
        _ = HorizonSeconds;
        _ = ParseDuration(ThinkTime, "thinkTime", 0, 86_400, 30);
        _ = SloOf();
        if (Router is { } router) RouterPolicies.Parse(router);
        _ = FailuresOf();
        AutoscaleMinField.Check(AutoscaleMin);
        ScaleTargetField.Check(ScaleTarget);
        _ = AutoscaleOf(SchedulerConfig.Default);
        foreach (var (value, name) in new[] { ((object?)ScaleTarget, "scaleTarget"), (ColdStart, "coldStart"), (ScaleInterval, "scaleInterval"), (ScaleDownDelay, "scaleDownDelay") })
        {
            if (value is not null && AutoscaleMin is null) throw RequestFields.Error(name, $"{{{name}}} shapes autoscaling; add {{autoscaleMin}}, or drop it.");
        }

        if (AutoscaleMin is not null && Concurrency is not null) throw RequestFields.Error("autoscaleMin", "{autoscaleMin} scales an open-loop fleet; it does not apply to {concurrency}.");
        if (AutoscaleMin is not null && Mtbf is not null) throw RequestFields.Error("autoscaleMin", "{autoscaleMin} and {mtbf} are not simulated together; drop one.");
        if (RepairTime is not null && Mtbf is null) throw RequestFields.Error("repairTime", "{repairTime} is how long a failed replica stays down; add {mtbf}.");
        if (Mtbf is not null && Concurrency is not null) throw RequestFields.Error("mtbf", "{mtbf} fails replicas of an open-loop fleet; it does not apply to {concurrency}.");
        if (Runs is > 1 && Concurrency is not null)
        {
            throw RequestFields.Error("runs", "{runs} repeats a generated stream with other seeds; it does not apply to {trace} or {concurrency}. Drop {runs}, or those.");
        }

        if (Concurrency is not null && (Rate is not null || RateCurve is not null))
        {
            throw RequestFields.Error("concurrency", "{concurrency} runs a closed loop; drop {rate}/{rateCurve}, or drop {concurrency}.");
        }

        if (RateCurve is not null && (Rate is not null || Diurnal))
        {
            throw RequestFields.Error("rateCurve", "{rateCurve} gives the whole day's rates; drop {rate} and {diurnal}.");
        }

        // Inputs that would be ignored are refused: each shapes something this request does not have.
        if (Cv is not null && !string.Equals(Arrival?.Trim(), "gamma", StringComparison.OrdinalIgnoreCase))
        {
            throw RequestFields.Error("cv", "{cv} shapes gamma arrivals; add {arrival} gamma, or drop {cv}.");
        }

        foreach (var (value, name) in new[] { (PrefixCache, "prefixCache"), (PrefixEviction, "prefixEviction"), (KvOffload, "kvOffload") })
        {
            if (value is null) continue;
            if (Turns is null) throw RequestFields.Error(name, $"{{{name}}} lets each replica's prefix cache decide what a session's follow-up turn finds; add {{turns}}, or drop it.");
            if (name != "prefixCache" && PrefixCache is null) throw RequestFields.Error(name, $"{{{name}}} shapes the prefix cache; add {{prefixCache}}, or drop it.");
        }

        if (PrefixCache is not null && PrefixHit is not null)
        {
            throw RequestFields.Error("prefixHit", "{prefixHit} is a fixed hit probability; {prefixCache} lets the cache decide the hit. Use one.");
        }

        if (KvOffload is not null) PrefixCacheText.Tiers(KvOffload, "kvOffload");
        if (Turns is null && (ThinkTime is not null || PrefixHit is not null))
        {
            throw RequestFields.Error(ThinkTime is not null ? "thinkTime" : "prefixHit", $"{{{(ThinkTime is not null ? "thinkTime" : "prefixHit")}}} applies to multi-turn sessions; add {{turns}}, or drop it.");
        }

        if (Diurnal && Concurrency is not null)
        {
            throw RequestFields.Error("diurnal", "{diurnal} varies the arrival rate; a closed loop ({concurrency}) has no arrivals. Drop one.");
        }

        if (Pool is { } pools)
        {
            if (pools.Count > PoolSpec.MaxPools) throw RequestFields.Error("pool", $"{{pool}} may be given at most {PoolSpec.MaxPools} times; was {pools.Count}.");
            foreach (var pool in pools) PoolSpec.Parse(pool ?? "");
        }

        CheckRoles();

        if (Concurrency is null && Rate is null && RateCurve is null)
        {
            throw RequestFields.Error("rate", "rate is required: give {rate} REQ/S, {rateCurve} FILE or {concurrency} N.");
        }
    }

    /// <inheritdoc />
    protected override SimulationOptions Options(SimulationOptions options, Serving.ServingSetup setup) => options with
    {
        PrefixCache = PrefixCache is null ? null
            : PrefixCacheText.Parse(PrefixCache, PrefixEviction, KvOffload, setup, options.Scheduler.BlockTokens, ("prefixCache", "prefixEviction", "kvOffload")),
        Slo = SloOf(),
        Router = Router is { } r ? RouterPolicies.Parse(r) : RouterPolicy.LeastRequests,
        RouterSeed = Seed,
        Failures = FailuresOf(),
        Autoscale = AutoscaleOf(options.Scheduler),
    };

    private AutoscaleSpec? AutoscaleOf(SchedulerConfig scheduler) => AutoscaleMin is not { } min ? null
        : new AutoscaleSpec(min, ScaleTarget ?? scheduler.MaxRunningSequences, ParseDuration(ColdStart, "coldStart", 0, 86_400, DefaultColdStartSeconds),
            ParseDuration(ScaleInterval, "scaleInterval", 0.01, 86_400, 30), ParseDuration(ScaleDownDelay, "scaleDownDelay", 0, 7 * 86_400, 300)).Validated();

    private FailureSpec? FailuresOf() => Mtbf is null ? null
        : new FailureSpec(ParseDuration(Mtbf, "mtbf", 1, 1e9, 0), ParseDuration(RepairTime, "repairTime", 0, 1e7, 300), Seed).Validated();

    private double? HorizonSeconds => Duration is null ? null : ParseDuration(Duration, "duration", 1e-3, 365 * 86_400, 0);

    private Slo SloOf() => new Slo(
        Quantities.Seconds.FromSeconds(ParseDuration(SloTtft, "sloTtft", 1e-6, 86_400, Slo.Default.TimeToFirstToken.Value)),
        Quantities.Seconds.FromSeconds(ParseDuration(SloTpot, "sloTpot", 1e-6, 3600, Slo.Default.TimePerOutputToken.Value))).Validated();

    /// <summary>Validates, resolves the model and accelerator in <paramref name="catalog"/> and runs the simulation.</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="progress">Receives the fraction of expected requests processed.</param>
    /// <param name="cancellation">Reaches the simulator's loop.</param>
    /// <exception cref="InvalidInputException">A field out of range, an unknown id, or more work than one run allows.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public SimulateReport Answer(Catalog.Catalog catalog, IProgress<double>? progress = null, CancellationToken cancellation = default) =>
        Answer(Prepare(Resolve(catalog)), null, progress, cancellation);

    /// <summary>Runs the simulation for an already prepared <paramref name="s"/>.</summary>
    /// <param name="s">What <see cref="SimulationRequest.Prepare"/> returned for this request.</param>
    /// <param name="rateCurveSource">How problems in <see cref="RateCurve"/> name its source (the CLI's file path).</param>
    /// <param name="progress">Receives the fraction of expected requests processed.</param>
    /// <param name="cancellation">Reaches the simulator's loop.</param>
    public SimulateReport Answer(SimulationSetup s, string? rateCurveSource, IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (!Bands) return Simulate(s, rateCurveSource, false, progress, cancellation).Report;
        // The band's ends: the same run with every step at the engine speed of P10 and of P90 (docs/validation.md#bands);
        // with runs, every seed at each end, so the band holds the seeds' spread as well as the model's error.
        var (report, seeds) = Simulate(s, rateCurveSource, true, Third(progress, 0), cancellation);
        var speed = Calibration.CalibratedEfficiency.Bands.For(report.Extrapolating);
        if (seeds is null)
        {
            var slow = Simulate(AtSpeed(s, speed.Low), rateCurveSource, false, Third(progress, 1), cancellation).Report.Result;
            var fast = Simulate(AtSpeed(s, speed.High), rateCurveSource, false, Third(progress, 2), cancellation).Report.Result;
            return report with { Bands = SimulationBands.Of(speed, report.Result, slow, fast) };
        }

        var (stream, _) = Generated(s, rateCurveSource);
        SimulationResult[] AtEnd(double f, int third)
        {
            var at = AtSpeed(s, f);
            var part = Third(progress, third);
            var done = 0;
            return ParallelRuns.Run(seeds.Length, stream.Seed, (i, seed) =>
            {
                var result = RunSeed(at, stream, seed, cancellation).Result;
                part?.Report((double)Interlocked.Increment(ref done) / seeds.Length);
                return result;
            });
        }

        return report with { Bands = SimulationBands.OfRuns(speed, seeds, AtEnd(speed.Low, 1), AtEnd(speed.High, 2)) };
    }

    /// <summary><paramref name="s"/> with its setup running at <paramref name="speedRatio"/> times the modelled engine speed
    /// (a band end: <see cref="Serving.ServingConfig.SpeedFactor"/>); <see cref="PoolsOf"/> gives every other pool the same.
    /// The CLI's trace replay re-runs its file on these for <see cref="Bands"/>.</summary>
    public static SimulationSetup AtSpeed(SimulationSetup s, double speedRatio)
    {
        ArgumentNullException.ThrowIfNull(s);
        return s with { Setup = s.Setup.AtSpeed(speedRatio) };
    }

    // Run i of the band's three reports its progress in the i-th third.
    private static ScaledProgress? Third(IProgress<double>? progress, int i) => ScaledProgress.Of(progress, i / 3.0, 1.0 / 3);

    // The run (or runs) the request asks for; with bandsBudget the work budget counts the band's three, and with runs
    // every seed's whole result is kept for the band.
    private (SimulateReport Report, SimulationResult[]? Seeds) Simulate(SimulationSetup s, string? rateCurveSource, bool bandsBudget, IProgress<double>? progress, CancellationToken cancellation)
    {
        var (setup, options, input, output) = (s.Setup, s.Options, s.Input, s.Output);
        SimulationResult[]? seeds = null;
        SimulationResult result;
        string arrivals;
        SimulationSpread? spread = null;
        IReadOnlyList<PoolResult>? pools = null;
        LatencySummary? handoff = null;
        if (Concurrency is { } users)
        {
            var n = Requests ?? DefaultRequests;
            Budget(n, output, "requests", "{requests} " + n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (bandsBudget) Budget(3.0 * n, output, "bands", "{bands} (three runs of " + n.ToString(System.Globalization.CultureInfo.InvariantCulture) + " requests)");
            if (Pool is { Count: > 0 })
            {
                // With pools the users share the whole fleet: every replica of every pool, pool 1's included.
                arrivals = $"closed loop, {users} users over every pool";
                var fleet = ServingSimulator.RunFleetClosedLoop(PoolsOf(s), users, input, output, n, Seed, options, progress, cancellation);
                result = fleet.Fleet;
                pools = fleet.Pools;
            }
            else
            {
                arrivals = $"closed loop, {users} users";
                result = ServingSimulator.RunClosedLoop(setup, users, input, output, n, Seed, options, progress, cancellation);
            }
        }
        else
        {
            RequestGenerator stream;
            (stream, arrivals) = Generated(s, rateCurveSource);
            if (bandsBudget && Runs is not > 1) Budget(3 * stream.ExpectedRequests, output, "bands", $"{{bands}} (three runs of {Count(stream.ExpectedRequests)} requests)");
            if (Runs is > 1 and var runs)
            {
                RunsBudget(stream, output, runs);
                if (bandsBudget) Budget(3.0 * runs * stream.ExpectedRequests, output, "bands", $"{{bands}} with {{runs}} {runs} (three times {runs} runs of {Count(stream.ExpectedRequests)} requests)");
                var done = 0;
                var kept = bandsBudget ? new SimulationResult[runs] : null;
                seeds = kept;
                var all = ParallelRuns.Run(runs, stream.Seed, (i, seed) =>
                {
                    var (each, eachPools, eachHandoff) = RunSeed(s, stream, seed, cancellation);
                    if (kept is not null) kept[i] = each;
                    var run = RunSummary.Of(i, seed, each, eachPools, eachHandoff);
                    progress?.Report((double)Interlocked.Increment(ref done) / runs);
                    return run;
                });
                result = all[0].Result!;
                pools = all[0].Pools;
                handoff = all[0].Handoff;
                spread = SimulationSpread.Of(all);
            }
            else if (Pool is { Count: > 0 })
            {
                var fleet = ServingSimulator.RunFleet(PoolsOf(s), stream, options, null, progress, cancellation);
                result = fleet.Fleet;
                pools = fleet.Pools;
                handoff = fleet.Handoff;
            }
            else
            {
                result = ServingSimulator.Run(setup, s.Replicas, stream, options, progress, cancellation);
            }
        }

        return (Report(s, arrivals, result, spread, pools) with { Handoff = handoff }, seeds);
    }

    private static SimulateReport Report(SimulationSetup s, string arrivals, SimulationResult result, SimulationSpread? spread, IReadOnlyList<PoolResult>? pools) =>
        new SimulateReport(s.Subject.Model.Id, s.Subject.Accelerator.Id, arrivals, Describe(s.Input), Describe(s.Output), s.Options.Scheduler, result)
        {
            Spread = spread,
            Pools = pools,
        }.WithCoverage(s.Setup);

    /// <summary>Pool 1's role (<see cref="Role"/>).</summary>
    public ReplicaRole OwnRole() => Role is null ? ReplicaRole.Combined
        : PoolSpec.TryRole(Role) ?? throw RequestFields.Error("role", $"{{role}} must be one of {PoolSpec.Roles}; was '{Role}'.");

    // Roles come as none (every pool combined) or on every pool, at least one prefill and one decode: a combined pool
    // beside them would take arrivals the prefill pools compete for, a mix this simulator does not route (docs/simulation.md).
    private void CheckRoles()
    {
        var own = OwnRole();
        var specs = (Pool ?? []).Select(p => PoolSpec.Parse(p ?? "")).ToList();
        if (own == ReplicaRole.Combined && specs.All(p => p.Role == ReplicaRole.Combined)) return;
        if (specs.Count == 0) throw RequestFields.Error("role", $"{{role}} {Role} needs pools of the other role ({{pool}} role=...); was given without {{pool}}.");
        if (specs.FirstOrDefault(p => p.Role == ReplicaRole.Combined) is { } combined)
        {
            throw combined.Problem("a pool with no role (combined) beside pools with roles; give it role=prefill or role=decode, or give no pool a role");
        }

        var first = specs.First(p => p.Role != ReplicaRole.Combined);
        if (own == ReplicaRole.Combined)
        {
            throw first.Problem($"role={first.Role.ToString().ToLowerInvariant()} needs a role on every pool, and pool 1 (the request's own replicas) is combined; give it {{role}} prefill or decode");
        }

        var roles = specs.Select(p => p.Role).Append(own).ToList();
        if (!roles.Contains(ReplicaRole.Prefill) || !roles.Contains(ReplicaRole.Decode))
        {
            var missing = roles.Contains(ReplicaRole.Prefill) ? "decode" : "prefill";
            throw first.Problem($"every pool is role={roles[0].ToString().ToLowerInvariant()}; a fleet with roles needs at least one {missing} pool too");
        }

        if (Concurrency is not null || Mtbf is not null || AutoscaleMin is not null)
        {
            throw first.Problem($"prefill and decode roles are simulated with arrivals, without {(Concurrency is not null ? "{concurrency}" : Mtbf is not null ? "{mtbf}" : "{autoscaleMin}")} yet; drop one");
        }
    }

    /// <summary>The fleet's pools: the request's own replicas first (pool 1), then each <see cref="Pool"/> entry
    /// (pools 2, 3, ...), each prepared as the request with the entry's keys over it.</summary>
    /// <param name="s">What <see cref="SimulationRequest.Prepare"/> returned for this request.</param>
    /// <exception cref="InvalidInputException">Field <c>pool</c>: an entry's GPU is unknown, its layout is refused, its model
    /// does not fit, or its gpus and replicas disagree; the message quotes the entry.</exception>
    public IReadOnlyList<FleetPool> PoolsOf(SimulationSetup s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var pools = new List<FleetPool> { new("1", s.Setup, s.Replicas, s.Options.Scheduler, s.Options.Basis, OwnRole()) };
        foreach (var text in Pool ?? [])
        {
            var spec = PoolSpec.Parse(text);
            var gpu = spec.Gpu ?? Gpu;
            var sameGpu = string.Equals(gpu, s.Subject.Accelerator.Id, StringComparison.OrdinalIgnoreCase);
            var entry = this with
            {
                Pool = null,
                Role = null,
                Gpu = gpu,
                Gpus = spec.DevicesGiven(),
                Tp = spec.FixesLayout ? spec.Tp : null,
                Pp = spec.FixesLayout ? spec.Pp : null,
                Ep = spec.FixesLayout ? spec.Ep : null,
                Dp = spec.FixesLayout ? spec.Dp : null,
                Weights = spec.Weights ?? Weights,
                Kv = spec.Kv ?? Kv,
                Fp4Format = spec.Fp4Format ?? Fp4Format,
                // A price the request gives is for its own GPU; another GPU takes the pool's price or the catalog's.
                GpuPrice = spec.Price is { } price ? NumberRange.Of(price) : sameGpu ? GpuPrice : null,
                Owned = spec.Price is null && Owned,
                PurchasePrice = spec.Price is null && sameGpu ? PurchasePrice : null,
                Power = spec.Price is null && sameGpu ? Power : null,
                ServerShare = spec.Price is null ? ServerShare : null,
                LifespanYears = spec.Price is null ? LifespanYears : null,
                Electricity = spec.Price is null ? Electricity : null,
            };
            SimulationSetup prepared;
            try
            {
                prepared = entry.Prepare(entry.Resolve(s.Subject.Catalog));
            }
            catch (InvalidInputException e)
            {
                throw spec.Problem((e.Template is { } t ? RequestFields.Render(t, f => RequestFields.FlagOf(f)) : e.Message).TrimEnd('.'));
            }
            catch (Serving.ModelDoesNotFitException e)
            {
                throw spec.Problem(e.Message.TrimEnd('.'));
            }

            if (spec.Replicas is { } wanted && wanted != prepared.Replicas)
            {
                throw spec.Problem($"replicas {wanted} disagrees with gpus {spec.DevicesGiven()}, which makes {prepared.Replicas} replicas of {prepared.Setup.DevicesPerReplica} GPU(s); give one of them");
            }

            // A band scenario's engine speed (the request's own setup carries it) applies to every pool.
            var poolSetup = s.Setup.Config.SpeedFactor == 1 ? prepared.Setup : prepared.Setup.AtSpeed(s.Setup.Config.SpeedFactor);
            pools.Add(new FleetPool((pools.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), poolSetup, prepared.Replicas,
                prepared.Options.Scheduler, prepared.Options.Basis, spec.Role));
        }

        return pools;
    }

    /// <summary>Multi-turn sessions, or null without <see cref="Turns"/>.</summary>
    public SessionSpec? SessionsOf() =>
        Turns is { } turns ? new SessionSpec(turns, ParseDuration(ThinkTime, "thinkTime", 0, 86_400, 30), PrefixHit ?? 0.8).Validated() : null;

    private ArrivalProcess ArrivalsOf(Simulation.RateCurve curve)
    {
        var kind = Arrival?.Trim().ToLowerInvariant() switch
        {
            null or "poisson" => ArrivalKind.Poisson,
            "gamma" => ArrivalKind.Gamma,
            var other => throw new InvalidInputException("arrival", $"arrival must be poisson or gamma; was '{other}'."),
        };
        return new ArrivalProcess(curve, kind, kind == ArrivalKind.Gamma ? Cv ?? 2 : 1).Validated();
    }

    private static void Budget(double requests, LengthDistribution output, string field, string whatTemplate)
    {
        if (SimulationBudget.Exceeded(requests, output, whatTemplate) is { } template) throw RequestFields.Error(field, template);
    }
}
