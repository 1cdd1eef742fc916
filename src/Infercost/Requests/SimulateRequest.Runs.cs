using System.Security.Cryptography;
using System.Text;
using Infercost.Serialization;
using Infercost.Simulation;

namespace Infercost.Requests;

// The seed-runs of `simulate --runs N`, here (Answer, on ParallelRuns) or elsewhere (AnswerAsync with an evaluator that
// sends each run to a cluster's silo, which answers with AnswerRun). Every run, wherever it runs, is RunSeed of the same
// stream with seed ParallelRuns.SeedOf(base, i), and the report is built from the runs' summaries in run order, so the
// report does not depend on where the runs ran.
public sealed partial record SimulateRequest
{
    /// <summary>What <see cref="InputsHash"/> hashes besides the request and its catalog entries: the layout of a run's
    /// answer, so that a silo of another build that answers otherwise refuses to.</summary>
    public const string RunsFormat = "infercost-simulate-runs/2";

    /// <summary>Simulates run <paramref name="run"/> of this request's <see cref="Runs"/>: the seed-run that
    /// <see cref="Answer(SimulationSetup, string?, IProgress{double}?, CancellationToken)"/> runs for that index. With
    /// <see cref="Bands"/> the summary keeps the run's whole result, and <paramref name="s"/> may be at a band end's engine
    /// speed (<see cref="AtSpeed"/>).</summary>
    /// <param name="s">What <see cref="SimulationRequest.Prepare"/> returned for this request (or it at a band end's speed).</param>
    /// <param name="rateCurveSource">How problems in <see cref="RateCurve"/> name its source.</param>
    /// <param name="run">The run's index, in [0, runs).</param>
    /// <param name="cancellation">Reaches the simulator's loop.</param>
    /// <exception cref="InvalidInputException">The request has no runs to spread (see <see cref="AnswerAsync"/>), the run is out of range, or a field is.</exception>
    public RunSummary AnswerRun(SimulationSetup s, string? rateCurveSource, int run, CancellationToken cancellation = default)
    {
        var (stream, _) = Repeated(s, rateCurveSource);
        Guard.InRange(run, 0, Runs!.Value - 1, "run");
        var seed = ParallelRuns.SeedOf(stream.Seed, run);
        var (result, pools, handoff) = RunSeed(s, stream, seed, cancellation);
        return RunSummary.Of(run, seed, result, pools, handoff, whole: Bands);
    }

    /// <summary>Runs this request's <see cref="Runs"/> with every run simulated by <paramref name="evaluate"/> (a
    /// cluster); the report is the one the local <see cref="Answer(SimulationSetup, string?, IProgress{double}?, CancellationToken)"/> gives.</summary>
    /// <param name="s">What <see cref="SimulationRequest.Prepare"/> returned for this request.</param>
    /// <param name="rateCurveSource">How problems in <see cref="RateCurve"/> name its source.</param>
    /// <param name="evaluate">Simulates the runs (see <see cref="SimulationRunEvaluator"/>).</param>
    /// <param name="atSpeed">With <see cref="Bands"/>: the evaluator of the same runs with every step at an engine speed
    /// ratio (a band end; the runs of <see cref="AnswerRun"/> on <see cref="AtSpeed"/>(s, ratio)). Not used without bands.</param>
    /// <param name="progress">Receives the fraction of runs done (with bands, of the three speeds' runs).</param>
    /// <param name="cancellation">Passed to the evaluator.</param>
    /// <exception cref="InvalidInputException">Field <c>runs</c>: fewer than two runs, or a closed loop; or any field out of range.</exception>
    /// <exception cref="ArgumentException">With <see cref="Bands"/> and no <paramref name="atSpeed"/>.</exception>
    /// <exception cref="InvalidOperationException">The evaluator returned without every run.</exception>
    public async Task<SimulateReport> AnswerAsync(SimulationSetup s, string? rateCurveSource, SimulationRunEvaluator evaluate,
        Func<double, SimulationRunEvaluator>? atSpeed = null, IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        if (Bands && atSpeed is null) throw new ArgumentException("a simulation with bands needs an evaluator at each band end's engine speed.", nameof(atSpeed));
        var (stream, arrivals) = Repeated(s, rateCurveSource);
        var runs = Runs!.Value;
        if (Bands) Budget(3.0 * runs * stream.ExpectedRequests, s.Output, "bands", $"{{bands}} with {{runs}} {runs} (three times {runs} runs of {Count(stream.ExpectedRequests)} requests)");
        var summaries = await Collect(evaluate, stream.Seed, runs, ScaledProgress.Of(progress, 0, Bands ? 1.0 / 3 : 1), cancellation).ConfigureAwait(false);
        var report = Report(s, arrivals, summaries[0].Result!, SimulationSpread.Of(summaries), summaries[0].Pools) with { Handoff = summaries[0].Handoff };
        if (!Bands) return report;

        // The band's ends, as the local Answer runs them: every seed again at the engine speeds of the band for the central
        // run's extrapolations, one end after the other.
        var speed = Calibration.CalibratedEfficiency.Bands.For(report.Extrapolating);
        var slow = await Collect(atSpeed!(speed.Low), stream.Seed, runs, ScaledProgress.Of(progress, 1.0 / 3, 1.0 / 3), cancellation).ConfigureAwait(false);
        var fast = await Collect(atSpeed!(speed.High), stream.Seed, runs, ScaledProgress.Of(progress, 2.0 / 3, 1.0 / 3), cancellation).ConfigureAwait(false);
        static SimulationResult[] Results(RunSummary[] set) => [.. set.Select(r => r.Result!)];
        return report with { Bands = SimulationBands.OfRuns(speed, Results(summaries), Results(slow), Results(fast)) };
    }

    // Every run of one speed from an evaluator, in run order. The first report of a run is kept; a repeat (a run retried
    // after its silo was given up) is dropped, so nothing is counted twice. A report that is not this request's run, or
    // lacks the whole result the report needs (run 0's; with bands every run's), is refused.
    private async Task<RunSummary[]> Collect(SimulationRunEvaluator evaluate, long baseSeed, int runs, ScaledProgress? progress, CancellationToken cancellation)
    {
        var summaries = new RunSummary?[runs];
        var done = 0;
        var whole = Bands;
        await evaluate([.. Enumerable.Range(0, runs)], r =>
        {
            ArgumentNullException.ThrowIfNull(r);
            if (r.Run < 0 || r.Run >= runs || r.Seed != ParallelRuns.SeedOf(baseSeed, r.Run) || (r.Result is null && (r.Run == 0 || whole)))
            {
                throw new ArgumentException($"run {r.Run} (seed {r.Seed}) is not a run of this request's {runs}, or lacks the result it must carry.", nameof(evaluate));
            }

            if (Interlocked.CompareExchange(ref summaries[r.Run], r, null) is null) progress?.Report((double)Interlocked.Increment(ref done) / runs);
        }, cancellation).ConfigureAwait(false);
        var missing = Enumerable.Range(0, runs).Where(i => summaries[i] is null).ToList();
        if (missing.Count > 0) throw new InvalidOperationException($"the evaluator returned without runs {string.Join(", ", missing)}.");
        return summaries!;
    }

    /// <summary>Checks that this request has runs to spread (<see cref="Runs"/> of 2 or more on a generated open-loop
    /// stream of one pool) and that all of them fit the simulation budget.</summary>
    /// <param name="s">What <see cref="SimulationRequest.Prepare"/> returned for this request.</param>
    /// <param name="rateCurveSource">How problems in <see cref="RateCurve"/> name its source.</param>
    /// <exception cref="InvalidInputException">Field <c>runs</c>, or the field whose budget is exceeded.</exception>
    public void CheckRuns(SimulationSetup s, string? rateCurveSource) => _ = Repeated(s, rateCurveSource);

    /// <summary>SHA-256 (hex) of this request, of the model and accelerator it resolved to and of the draft model it
    /// names: two machines with the same hash simulate the same runs and give the same answer.</summary>
    /// <param name="subject">What <see cref="ModelGpuRequest.Resolve"/> returned for this request.</param>
    public string InputsHash(Subject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        Validate();
        var text = new StringBuilder(InfercostJson.Serialize(this));
        text.Append('\n').Append(InfercostJson.Serialize(subject.Model));
        text.Append('\n').Append(InfercostJson.Serialize(subject.Accelerator));
        if (DraftModel is { } draft && subject.Catalog.TryGetModel(draft, out var found)) text.Append('\n').Append(InfercostJson.Serialize(found));
        text.Append('\n').Append(RunsFormat);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    // The generated stream of a request with runs to spread, its budget for all runs checked.
    private (RequestGenerator Stream, string Arrivals) Repeated(SimulationSetup s, string? rateCurveSource)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (Runs is not > 1 || Concurrency is not null)
        {
            throw RequestFields.Error("runs", $"{{runs}} must be in [2, {RunsField.High}] for its runs to be spread, on an open-loop stream; was {Runs ?? 1}.");
        }

        var (stream, arrivals) = Generated(s, rateCurveSource);
        RunsBudget(stream, s.Output, Runs.Value);
        return (stream, arrivals);
    }

    // The open-loop stream the request generates (run 0's; run i is it with seed SeedOf(seed, i)), its budget checked.
    private (RequestGenerator Stream, string Arrivals) Generated(SimulationSetup s, string? rateCurveSource)
    {
        var curve = RateCurve is { } csv ? Simulation.RateCurve.ParseCsv(csv, rateCurveSource ?? "rateCurve")
            : Diurnal ? Simulation.RateCurve.Diurnal(Rate!.Value) : Simulation.RateCurve.Constant(Rate!.Value);
        var horizon = HorizonSeconds;
        var count = Requests is { } r ? r : horizon is null ? DefaultRequests : (long?)null;
        var sessions = SessionsOf();
        // With a prefix cache, a session's turns carry their blocks (of the scheduler's KV block size) and the cache decides.
        var blockTokens = sessions is not null && s.Options.PrefixCache is { } cache ? cache.BlockTokens : (int?)null;
        var stream = new RequestGenerator(ArrivalsOf(curve), s.Input, s.Output, Seed, count, horizon, sessions, blockTokens).Validated();
        Budget(stream.ExpectedRequests, s.Output, count is not null && horizon is null ? "requests" : "duration",
            horizon is null ? "{requests} " + count!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "{duration} " + Duration + " at this rate");
        var arrivals = Describe(stream.Arrivals) + (stream.Sessions is { } ss ? $", sessions of {Guard.Format(ss.MeanTurns)} turns" : "")
            + (blockTokens is { } b ? $", follow-up hits from each replica's prefix cache ({b}-token blocks)" : "");
        return (stream, arrivals);
    }

    private static void RunsBudget(RequestGenerator stream, LengthDistribution output, int runs) =>
        Budget(stream.ExpectedRequests * runs, output, "runs", $"{{runs}} {runs} of {Count(stream.ExpectedRequests)} requests each");

    // Run i of a repeated simulation, given its seed: the stream and the router drawn with it (and, with pools, the
    // fleet's per-pool results).
    private (SimulationResult Result, IReadOnlyList<PoolResult>? Pools, LatencySummary? Handoff) RunSeed(SimulationSetup s, RequestGenerator stream, long seed, CancellationToken cancellation)
    {
        var options = s.Options with { RouterSeed = seed };
        if (Pool is not { Count: > 0 }) return (ServingSimulator.Run(s.Setup, s.Replicas, stream with { Seed = seed }, options, null, cancellation), null, null);
        var fleet = ServingSimulator.RunFleet(PoolsOf(s), stream with { Seed = seed }, options, null, null, cancellation);
        return (fleet.Fleet, fleet.Pools, fleet.Handoff);
    }
}
