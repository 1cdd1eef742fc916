using Infercost.Costing;
using Infercost.Models;
using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Simulation;

/// <summary>Finds the fewest devices whose simulated steady-state P90 time to first token and P90 time per output token
/// meet the SLO at the peak rate, over replica sizes 1, 2, 4, ... (layouts from <see cref="ParallelismPlanner.Layout"/>),
/// then prices a day with that fleet fixed and with autoscaling.</summary>
/// <remarks>
/// <para>Work per trial does not grow with the rate. A fleet of n replicas behind a router that spreads a Poisson stream
/// of rate λ at random gives each group of k replicas a Poisson stream of rate λk/n. A trial simulates one such group
/// (k = min(n, <see cref="MaxPoolReplicas"/>), shortest-queue routing inside it): exact for n ≤ k, and for larger n an
/// upper bound on the latency of shortest-queue routing over the whole fleet, which pools more. So the answer holds when
/// <c>simulate</c> runs the whole fleet.</para>
/// <para>A trial runs long enough to reach steady state: at least 30 request lifetimes (the mean end-to-end time of a
/// saturated replica) and at least <see cref="PlanInputs.TrialSeconds"/>, the first sixth discarded as warm-up. It passes
/// only when the P90s meet the SLO over the measured requests <em>and</em> the backlog (waiting + running) is not
/// growing: its mean over the second half of the measured window is at most 1.2 × the first half's + one request per
/// simulated replica. A fleet whose queue grows is overloaded however good its P90 looks so far.</para>
/// <para>The search starts at the capacity bound n₀ = ⌈λ ÷ μ⌉ (μ: requests per second one replica completes when
/// saturated, from a closed-loop run at the scheduler's batch limit), then gallops up or down and bisects, assuming
/// more replicas never hurt. The answer's one-fewer fleet is simulated too, so minimality is shown, not assumed. A size
/// is given up when one request alone misses the SLO, when a steady fleet that is mostly idle (busy &lt; 50%) still
/// misses it, or past <see cref="PlanInputs.MaxReplicas"/>.</para>
/// </remarks>
public static class CapacityPlanner
{
    /// <summary>Most replicas one trial simulates; larger fleets are judged by a group of this many at its share of the rate.</summary>
    public const int MaxPoolReplicas = 8;

    /// <summary>Most requests one trial generates, whatever the rate: the bound on work per trial.</summary>
    public const long MaxTrialRequests = 200_000;

    /// <summary>Request lifetimes (saturated mean end-to-end time) a trial covers at least.</summary>
    public const double LifetimesPerTrial = 30;

    /// <summary>Fewest requests whose latency is measured (after the warm-up) for a trial to count.</summary>
    public const long MinMeasuredRequests = 200;

    /// <summary>Plans the fleet.</summary>
    /// <param name="inputs">Model, accelerator, workload, SLO, cost basis and search bounds.</param>
    /// <param name="progress">Receives the fraction of the search done, from 0 to 1.</param>
    /// <param name="cancellation">Reaches every trial's simulator loop.</param>
    /// <exception cref="InvalidInputException">No layout meets the SLO; the message gives each size's reason.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static CapacityPlan Plan(PlanInputs inputs, IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        inputs.Validated();
        var sizes = new List<int>();
        for (var d = 1; d <= inputs.MaxDevicesPerReplica; d *= 2) sizes.Add(d);

        var layouts = new List<LayoutOption>();
        Found? best = null;
        var trials = 0;
        for (var k = 0; k < sizes.Count; k++)
        {
            var d = sizes[k];
            var layout = k;
            var (option, found) = SearchLayout(inputs, d, within => progress?.Report(0.8 * (layout + within) / sizes.Count), cancellation);
            layouts.Add(option);
            trials += option.Trials;
            if (found is { } f && (best is null || f.Replicas * d < best.Replicas * best.Setup.DevicesPerReplica))
            {
                best = f;
            }

            progress?.Report(0.8 * (k + 1) / sizes.Count);
        }

        if (best is not { } b)
        {
            throw new InvalidInputException("slo",
                $"no layout of up to {inputs.MaxDevicesPerReplica} {inputs.Accelerator.Id} per replica meets the SLO at {Guard.Format(inputs.PeakRate)} req/s: " +
                string.Join("; ", layouts.Select(l => $"{l.DevicesPerReplica} per replica: {l.Reason}")) + ".");
        }

        var day = inputs.Day ?? RateCurve.Constant(inputs.PeakRate);
        var steps = new List<AutoscaleStep>();
        var memo = new Dictionary<double, int>();
        for (var h = 0; h < RateCurve.Hours; h += inputs.AutoscaleStepHours)
        {
            var hours = Math.Min(inputs.AutoscaleStepHours, RateCurve.Hours - h);
            var rate = Enumerable.Range(h, hours).Max(i => day.HourlyRates[i]);
            if (!memo.TryGetValue(rate, out var n))
            {
                n = rate <= 0 ? 0 : rate >= inputs.PeakRate ? b.Replicas : MinimumReplicas(inputs, b, rate, ref trials, cancellation);
                memo[rate] = n;
            }

            steps.Add(new AutoscaleStep(h, hours, rate, n, n * b.Setup.DevicesPerReplica));
            progress?.Report(0.8 + 0.2 * (h + hours) / RateCurve.Hours);
        }

        var pass = b.Pass.Result;
        var tokensPerRequest = (pass.PromptTokens.Value + pass.OutputTokens.Value) / Math.Max(1, pass.Completed);
        var outputPerRequest = pass.OutputTokens.Value / Math.Max(1, pass.Completed);
        var requests = day.HourlyRates.Sum() * 3600;
        var perDevice = inputs.Basis.PerDevice(inputs.Accelerator).Total;
        var devices = (long)b.Replicas * b.Setup.DevicesPerReplica;
        var fixedFleet = Day("fixed", devices * 24.0, perDevice, requests, tokensPerRequest, outputPerRequest);
        var autoscaled = Day("autoscaled", steps.Sum(s => (double)s.Devices * s.Hours), perDevice, requests, tokensPerRequest, outputPerRequest);
        var (staticBlended, staticOutput) = StaticEstimate(inputs, b.Setup, (int)Math.Min(int.MaxValue, devices));
        progress?.Report(1);

        return new CapacityPlan(inputs.PeakRate, inputs.Slo, b.Setup.Layout, b.Setup.Parallelism, b.Setup.DevicesPerReplica, b.Replicas, (int)Math.Min(int.MaxValue, devices),
            pass, b.Fail?.Result, layouts, day.HourlyRates, inputs.AutoscaleStepHours, steps, fixedFleet, autoscaled, staticBlended, staticOutput, trials,
            b.Pass, b.Fail, b.Saturation);
    }

    /// <summary>The request stream of the old fixed-count trial: rate × trial seconds requests, clamped to [1,000,
    /// 50,000]. Used by <see cref="DisaggregatedPlanner"/>.</summary>
    public static RequestGenerator TrialStream(PlanInputs inputs, double rate)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var count = (long)Math.Clamp(Math.Ceiling(rate * inputs.TrialSeconds), 1000, 50_000);
        return new RequestGenerator(new ArrivalProcess(RateCurve.Constant(rate), inputs.Arrival, inputs.CoefficientOfVariation),
            inputs.Input, inputs.Output, inputs.Seed, count);
    }

    /// <summary>What one replica of <paramref name="setup"/> completes when saturated: a closed loop holding the
    /// scheduler's batch limit (at most what the KV cache holds at mean lengths, at most 4,096) busy for three batches'
    /// worth of requests.</summary>
    public static ReplicaSaturation Saturate(PlanInputs inputs, ServingSetup setup, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(setup);
        var blocks = ServingSimulator.KvBlocksPerReplica(setup, inputs.Scheduler);
        var perSequence = Math.Ceiling((inputs.Input.Mean + inputs.Output.Mean) / inputs.Scheduler.BlockTokens);
        var fits = (int)Math.Clamp(Math.Floor(blocks / Math.Max(1, perSequence)), 1, 4096);
        var concurrency = Math.Min(inputs.Scheduler.MaxRunningSequences, fits);
        var options = new SimulationOptions(inputs.Scheduler, inputs.Slo, inputs.Basis);
        var run = ServingSimulator.RunClosedLoop(setup, concurrency, inputs.Input, inputs.Output, Math.Max(200, 3L * concurrency), inputs.Seed, options, null, cancellation);
        return new ReplicaSaturation(concurrency, run.RequestsPerSecond, Seconds.FromSeconds(Math.Max(run.EndToEnd.Mean.Value, 1e-3)));
    }

    /// <summary>Simulates the fleet of <paramref name="replicas"/> replicas of <paramref name="setup"/> at
    /// <paramref name="rate"/> requests per second as the planner does: a group of up to
    /// <see cref="MaxPoolReplicas"/> replicas at its share of the rate, long enough for steady state, warm-up
    /// discarded, backlog compared between the halves of the measured window.</summary>
    public static PlanTrial Trial(PlanInputs inputs, ServingSetup setup, ReplicaSaturation saturation, int replicas, double rate,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(saturation);
        Guard.InRange(replicas, 1, 10_000_000, "replicas");
        var pool = Math.Min(replicas, MaxPoolReplicas);
        if (inputs.Trace is { } trace) return TraceTrial(inputs, setup, trace, replicas, pool, cancellation);
        var poolRate = rate * pool / replicas;
        var lifetime = saturation.Lifetime.Value;
        var horizon = Math.Max(inputs.TrialSeconds, LifetimesPerTrial * lifetime);
        if (poolRate * horizon > inputs.MaxTrialRequests) horizon = inputs.MaxTrialRequests / poolRate;
        var warmUp = horizon / 6;
        var stream = new RequestGenerator(new ArrivalProcess(RateCurve.Constant(poolRate), inputs.Arrival, inputs.CoefficientOfVariation),
            inputs.Input, inputs.Output, inputs.Seed, inputs.MaxTrialRequests, horizon);
        var result = ServingSimulator.Run(setup, pool, stream, new SimulationOptions(inputs.Scheduler, inputs.Slo, inputs.Basis, WarmUpSeconds: warmUp, PrefixCache: inputs.PrefixCache),
            null, cancellation);
        var middle = (warmUp + horizon) / 2;
        var first = MeanBacklog(result.Series, warmUp, middle);
        var second = MeanBacklog(result.Series, middle, horizon);
        string? unsteady = null;
        if (result.TimeToFirstToken.Count < MinMeasuredRequests)
        {
            unsteady = $"only {result.TimeToFirstToken.Count} requests measured after the warm-up (fewer than {MinMeasuredRequests})";
        }
        else if (horizon - warmUp < 10 * lifetime)
        {
            unsteady = $"the measured window ({Seconds.FromSeconds(horizon - warmUp)}) is shorter than 10 request lifetimes ({Seconds.FromSeconds(10 * lifetime)}) within {inputs.MaxTrialRequests:N0} requests";
        }
        else if (second > 1.2 * first + pool)
        {
            unsteady = $"backlog grows from {Guard.Format(Math.Round(first / pool, 1))} to {Guard.Format(Math.Round(second / pool, 1))} requests per replica between the halves of the run";
        }

        return new PlanTrial(replicas, pool, poolRate, Seconds.FromSeconds(warmUp), Seconds.FromSeconds(horizon), first / pool, second / pool, unsteady, result);
    }

    // A fleet of n judged on a recorded trace: k = min(n, 8) replicas on the trace thinned to k/n (random routing gives
    // each group of k that share of the requests, bursts and all), the first sixth of its span as warm-up. The thinning
    // draws come from the seed alone, so every fleet size and every configuration sees the same requests (common random
    // numbers). The trace is finite and drained, so an overloaded fleet shows in its P90s; no backlog test is needed.
    private static PlanTrial TraceTrial(PlanInputs inputs, ServingSetup setup, IReadOnlyList<SimRequest> trace, int replicas, int pool,
        CancellationToken cancellation)
    {
        var share = (double)pool / replicas;
        var start = trace[0].ArrivalTime;
        var span = Math.Max(trace[^1].ArrivalTime - start, 1e-9);
        var warmUp = span / 6;
        var result = ServingSimulator.Run(setup, pool, Thinned(trace, share, inputs.Seed), new SimulationOptions(inputs.Scheduler, inputs.Slo, inputs.Basis,
            WarmUpSeconds: warmUp, PrefixCache: inputs.PrefixCache), null, cancellation);
        var unsteady = result.TimeToFirstToken.Count < MinMeasuredRequests
            ? $"only {result.TimeToFirstToken.Count} requests of the trace measured after the warm-up (fewer than {MinMeasuredRequests}) at {Guard.Format(Math.Round(share, 4))} of its rate"
            : null;
        var rate = (trace.Count - 1) / span * share;
        return new PlanTrial(replicas, pool, rate, Seconds.FromSeconds(warmUp), Seconds.FromSeconds(span), 0, 0, unsteady, result);
    }

    private static IEnumerable<SimRequest> Thinned(IReadOnlyList<SimRequest> trace, double share, long seed)
    {
        var start = trace[0].ArrivalTime;
        var random = new Pcg32(seed);
        long id = 0;
        foreach (var r in trace)
        {
            if (share < 1 && !random.NextBool(share)) continue;
            yield return r with { Id = id++, ArrivalTime = r.ArrivalTime - start };
        }
    }

    // Time-averaged waiting + running requests over [from, to), from the run's series.
    private static double MeanBacklog(IReadOnlyList<TimeSeriesPoint> series, double from, double to)
    {
        double sum = 0, time = 0;
        foreach (var p in series)
        {
            var overlap = Math.Min(p.Start + p.Width, to) - Math.Max(p.Start, from);
            if (overlap <= 0) continue;
            sum += (p.Waiting + p.Running) * overlap;
            time += overlap;
        }

        return time > 0 ? sum / time : 0;
    }

    private sealed record Found(ServingSetup Setup, ReplicaSaturation Saturation, int Replicas, PlanTrial Pass, PlanTrial? Fail);

    private static (LayoutOption, Found?) SearchLayout(PlanInputs inputs, int d, Action<double>? within, CancellationToken cancellation)
    {
        var parallelism = ParallelismPlanner.Layout(inputs.Model, inputs.Accelerator, d);
        if (parallelism is null) return (new LayoutOption(d, $"{d} × {inputs.Accelerator.Id}", null, null, "no valid tensor × pipeline split", 0), null);
        ServingSetup setup;
        try
        {
            setup = new ServingSetup(inputs.Model, inputs.Accelerator, parallelism, inputs.Config with { TotalDevices = d, Parallelism = parallelism });
            ServingSimulator.KvBlocksPerReplica(setup, inputs.Scheduler);
        }
        catch (Exception e) when (e is ModelDoesNotFitException or InvalidInputException)
        {
            return (new LayoutOption(d, $"{d} × {inputs.Accelerator.Id} ({parallelism})", null, null, FirstSentence(e.Message), 0), null);
        }

        var sized = SizeFleet(inputs, setup, within, cancellation);
        if (sized.Replicas is not { } hi) return (new LayoutOption(d, setup.Layout, null, null, sized.Reason, sized.Trials), null);
        return (new LayoutOption(d, setup.Layout, hi, (int)Math.Min(int.MaxValue, (long)hi * d), null, sized.Trials),
            new Found(setup, sized.Saturation!, hi, sized.Pass!, sized.Fail));
    }

    /// <summary>The fewest replicas of <paramref name="setup"/> (its memory fit already checked) whose trial meets the SLO
    /// at the peak rate: the planner's search for one replica layout (one request alone, saturation, gallop from the
    /// capacity bound, bisection), up to <see cref="PlanInputs.MaxReplicas"/>; <paramref name="cancellation"/> reaches
    /// every trial's simulator loop. <paramref name="within"/>, when given, receives after each trial the share of the
    /// search done, from 0 to below 1.</summary>
    public static FleetSizing SizeFleet(PlanInputs inputs, ServingSetup setup, Action<double>? within = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(setup);
        var alone = AloneMisses(inputs, setup);
        if (alone is not null) return new FleetSizing(null, alone, 0, null, null, null);

        var saturation = Saturate(inputs, setup, cancellation);
        var trials = 1;
        var start = (int)Math.Clamp(Math.Ceiling(inputs.PeakRate / saturation.RequestsPerSecond), 1, inputs.MaxReplicas);
        string? giveUp = null;
        // The share reported is trials run over those a search from the capacity bound typically needs (a gallop and a
        // bisection over about log2(start) steps each, plus the saturation run and the first trial): a rate that needs
        // 20,000 replicas takes some 30 trials, so a long search shows it is moving rather than sitting at 0.
        var expected = 2 + 2 * Math.Ceiling(Math.Log2(start + 1));
        PlanTrial Run(int n)
        {
            within?.Invoke(Math.Min(0.95, trials / expected));
            trials++;
            var t = Trial(inputs, setup, saturation, n, inputs.PeakRate, cancellation);
            if (!t.Passes && t.Unsteady is null && t.Result.BusyFraction < 0.5)
            {
                giveUp ??= $"misses the SLO with replicas {Percent(t.Result.BusyFraction)} busy (P90 TTFT {t.Result.TimeToFirstToken.P90}, P90 TPOT {t.Result.TimePerOutputToken.P90}): more replicas do not help";
            }

            return t;
        }

        var (hi, hiTrial, lo, loTrial) = Bracket(inputs, start, Run, () => giveUp is not null);
        if (hiTrial is null)
        {
            var reason = giveUp ?? (loTrial is { } last
                ? $"{last.Replicas:N0} replicas still miss the SLO ({last.Describe()})"
                : $"{inputs.MaxReplicas:N0} replicas still miss the SLO");
            return new FleetSizing(null, reason, trials, null, loTrial, saturation);
        }

        while (hi - lo > 1)
        {
            var mid = lo + (hi - lo) / 2;
            var t = Run(mid);
            if (t.Passes) (hi, hiTrial) = (mid, t);
            else (lo, loTrial) = (mid, t);
        }

        return new FleetSizing(hi, null, trials, hiTrial, loTrial, saturation);
    }

    // From a first guess, finds hi (passes) and lo (fails, or 0) with lo < hi, galloping: the step doubles each time.
    // Returns hiTrial null when MaxReplicas still fails or the search is given up.
    private static (int Hi, PlanTrial? HiTrial, int Lo, PlanTrial? LoTrial) Bracket(PlanInputs inputs, int start, Func<int, PlanTrial> run, Func<bool> givenUp)
    {
        var first = run(start);
        if (first.Passes)
        {
            var (hi, hiTrial) = (start, first);
            for (var step = 1; ; step *= 2)
            {
                var n = Math.Max(0, hi - step);
                if (n == 0) return (hi, hiTrial, 0, null);
                var t = run(n);
                if (!t.Passes) return (hi, hiTrial, n, t);
                (hi, hiTrial) = (n, t);
            }
        }

        var (lo, loTrial) = (start, first);
        for (var step = 1; lo < inputs.MaxReplicas && !givenUp(); step *= 2)
        {
            var n = (int)Math.Min(inputs.MaxReplicas, (long)lo + step);
            var t = run(n);
            if (t.Passes) return (n, t, lo, loTrial);
            (lo, loTrial) = (n, t);
        }

        return (0, null, lo, loTrial);
    }

    private static int MinimumReplicas(PlanInputs inputs, Found plan, double rate, ref int trials, CancellationToken cancellation)
    {
        var start = (int)Math.Clamp(Math.Ceiling(rate / plan.Saturation.RequestsPerSecond), 1, plan.Replicas);
        var count = 0;
        PlanTrial Run(int n)
        {
            count++;
            return Trial(inputs, plan.Setup, plan.Saturation, n, rate, cancellation);
        }

        var (hi, hiTrial, lo, _) = Bracket(inputs with { MaxReplicas = plan.Replicas }, start, Run, () => false);
        if (hiTrial is null) hi = plan.Replicas;
        while (hi - lo > 1)
        {
            var mid = lo + (hi - lo) / 2;
            if (Run(mid).Passes) hi = mid;
            else lo = mid;
        }

        trials += count;
        return hi;
    }

    // One request of mean length on an idle replica: its prefill (one chunk per budget) and one decode step, at the
    // setup's engine speed (a band end: ServingConfig.SpeedFactor), as the simulator runs them.
    private static string? AloneMisses(PlanInputs inputs, ServingSetup setup)
    {
        var window = KvCache.LayerSplit(setup.Model).Window;
        var prompt = Math.Max(1, (int)Math.Round(inputs.Input.Mean));
        var ttft = 0.0;
        for (var done = 0; done < prompt; done += inputs.Scheduler.MaxBatchedTokens)
        {
            var chunk = new BatchComposition();
            chunk.AddPrefillChunk(Math.Min(inputs.Scheduler.MaxBatchedTokens, prompt - done), done, window);
            ttft += BatchStepModel.Cost(setup, chunk).Total.Value;
        }

        // With speculation the fastest a lone sequence can go: a verify + draft step per k + 1 tokens.
        var tpot = Speculation.SpeculativeDecoding.FastestTimePerToken(setup, prompt + 1).Value / setup.Config.SpeedFactor;
        ttft /= setup.Config.SpeedFactor;
        if (ttft > inputs.Slo.TimeToFirstToken.Value) return $"one mean-length prompt alone takes {Seconds.FromSeconds(ttft)} to its first token";
        if (tpot > inputs.Slo.TimePerOutputToken.Value) return $"one sequence alone takes {Seconds.FromSeconds(tpot)} per output token";
        return null;
    }

    internal static DayCost Day(string strategy, double deviceHours, DollarsPerHour perDevice, double requests, double tokensPerRequest, double outputPerRequest)
    {
        var cost = Dollars.FromDollars(perDevice.Value * deviceHours);
        var tokens = Tokens.FromTokens(requests * tokensPerRequest);
        var output = Tokens.FromTokens(requests * outputPerRequest);
        return new DayCost(strategy, deviceHours, cost, requests, tokens, output,
            tokens.Value > 0 ? cost / tokens : DollarsPerMillionTokens.Zero, output.Value > 0 ? cost / output : DollarsPerMillionTokens.Zero);
    }

    private static (DollarsPerMillionTokens?, DollarsPerMillionTokens?) StaticEstimate(PlanInputs inputs, ServingSetup setup, int devices)
    {
        try
        {
            var config = setup.Config with
            {
                TotalDevices = devices,
                Parallelism = setup.Parallelism,
                InputTokens = Math.Max(1, (int)Math.Round(inputs.Input.Mean)),
                OutputTokens = Math.Max(1, (int)Math.Round(inputs.Output.Mean)),
                MaxBatch = inputs.Scheduler.MaxRunningSequences,
                PrefillChunkTokens = inputs.Scheduler.MaxBatchedTokens,
                Batch = null,
            };
            var estimate = ServingEstimator.Estimate(setup.Model, setup.Accelerator, config);
            var cost = CostModel.Estimate(estimate, setup.Accelerator, inputs.Basis);
            return (cost.BlendedPerMillion, cost.OutputPerMillion);
        }
        catch (Exception e) when (e is ModelDoesNotFitException or InvalidInputException)
        {
            return (null, null);
        }
    }

    private static string Percent(double fraction) => Guard.Format(Math.Round(fraction * 100, 1)) + "%";

    // "m does not fit on 1 × g (TP1): weights need ... reserve. Use more GPUs ..." → "weights need ... reserve".
    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        var sentence = (end < 0 ? message : message[..end]).TrimEnd('.');
        var colon = sentence.IndexOf("): ", StringComparison.Ordinal);
        return colon < 0 ? sentence : sentence[(colon + 3)..];
    }
}
