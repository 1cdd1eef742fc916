using Infercost.Costing;
using Infercost.Models;
using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Simulation;

/// <summary>Finds the fewest devices whose simulated P90 time to first token and P90 time per output token meet the
/// SLO at the peak rate, over replica sizes 1, 2, 4, ... (layouts from <see cref="ParallelismPlanner.Layout"/>), then
/// prices a day with that fleet fixed and with autoscaling.</summary>
/// <remarks>For each size: replicas 1, 2, 4, ... are simulated until one passes, then the gap is bisected, assuming more
/// replicas never hurt (true for join-the-shortest-queue routing of the same stream). Every trial uses the same seed, so
/// trials differ only in the fleet. The answer's one-fewer fleet is simulated too, so minimality is shown, not assumed.
/// A size is given up when one request alone misses the SLO, or when a fleet that is mostly idle (busy &lt; 50%) still
/// misses it (latency no extra replica can fix), or past <see cref="PlanInputs.MaxReplicas"/>.</remarks>
public static class CapacityPlanner
{
    /// <summary>Plans the fleet.</summary>
    /// <exception cref="InvalidInputException">No layout meets the SLO; the message gives each size's reason.</exception>
    public static CapacityPlan Plan(PlanInputs inputs, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        inputs.Validated();
        var options = new SimulationOptions(inputs.Scheduler, inputs.Slo, inputs.Basis);
        var sizes = new List<int>();
        for (var d = 1; d <= inputs.MaxDevicesPerReplica; d *= 2) sizes.Add(d);

        var layouts = new List<LayoutOption>();
        (ServingSetup Setup, int Replicas, SimulationResult Pass, SimulationResult? Fail)? best = null;
        var trials = 0;
        for (var k = 0; k < sizes.Count; k++)
        {
            var d = sizes[k];
            var (option, found) = SearchLayout(inputs, options, d);
            layouts.Add(option);
            trials += option.Trials;
            if (found is { } f && (best is null || f.Replicas * d < best.Value.Replicas * best.Value.Setup.DevicesPerReplica))
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
                n = rate <= 0 ? 0 : rate >= inputs.PeakRate ? b.Replicas : MinimumReplicas(inputs, options, b.Setup, rate, b.Replicas, ref trials);
                memo[rate] = n;
            }

            steps.Add(new AutoscaleStep(h, hours, rate, n, n * b.Setup.DevicesPerReplica));
            progress?.Report(0.8 + 0.2 * (h + hours) / RateCurve.Hours);
        }

        var pass = b.Pass;
        var tokensPerRequest = (pass.PromptTokens.Value + pass.OutputTokens.Value) / Math.Max(1, pass.Completed);
        var outputPerRequest = pass.OutputTokens.Value / Math.Max(1, pass.Completed);
        var requests = day.HourlyRates.Sum() * 3600;
        var perDevice = inputs.Basis.PerDevice(inputs.Accelerator).Total;
        var devices = b.Replicas * b.Setup.DevicesPerReplica;
        var fixedFleet = Day("fixed", devices * 24.0, perDevice, requests, tokensPerRequest, outputPerRequest);
        var autoscaled = Day("autoscaled", steps.Sum(s => (double)s.Devices * s.Hours), perDevice, requests, tokensPerRequest, outputPerRequest);
        var (staticBlended, staticOutput) = StaticEstimate(inputs, b.Setup, devices);
        progress?.Report(1);

        return new CapacityPlan(inputs.PeakRate, inputs.Slo, b.Setup.Layout, b.Setup.Parallelism, b.Setup.DevicesPerReplica, b.Replicas, devices,
            pass, b.Fail, layouts, day.HourlyRates, inputs.AutoscaleStepHours, steps, fixedFleet, autoscaled, staticBlended, staticOutput, trials);
    }

    /// <summary>The request stream every trial at <paramref name="rate"/> uses: rate × trial seconds requests, clamped
    /// to [1,000, 50,000].</summary>
    public static RequestGenerator TrialStream(PlanInputs inputs, double rate)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var count = (long)Math.Clamp(Math.Ceiling(rate * inputs.TrialSeconds), 1000, 50_000);
        return new RequestGenerator(new ArrivalProcess(RateCurve.Constant(rate), inputs.Arrival, inputs.CoefficientOfVariation),
            inputs.Input, inputs.Output, inputs.Seed, count);
    }

    private static (LayoutOption, (ServingSetup Setup, int Replicas, SimulationResult Pass, SimulationResult? Fail)?) SearchLayout(PlanInputs inputs, SimulationOptions options, int d)
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

        var alone = AloneMisses(inputs, setup);
        if (alone is not null) return (new LayoutOption(d, setup.Layout, null, null, alone, 0), null);

        var trials = 0;
        var stream = TrialStream(inputs, inputs.PeakRate);
        SimulationResult Trial(int n)
        {
            trials++;
            return ServingSimulator.Run(setup, n, stream, options);
        }

        int lo = 0, hi = 0;           // lo fails (0 replicas serve nothing), hi passes
        SimulationResult? loResult = null, hiResult = null;
        for (var n = 1; ; n = Math.Min(n * 2, inputs.MaxReplicas))
        {
            var r = Trial(n);
            if (r.MeetsSloAtP90)
            {
                (hi, hiResult) = (n, r);
                break;
            }

            (lo, loResult) = (n, r);
            if (r.BusyFraction < 0.5)
            {
                return (new LayoutOption(d, setup.Layout, null, null,
                    $"misses the SLO with replicas {Percent(r.BusyFraction)} busy (P90 TTFT {r.TimeToFirstToken.P90}, P90 TPOT {r.TimePerOutputToken.P90}): more replicas do not help", trials), null);
            }

            if (n == inputs.MaxReplicas)
            {
                return (new LayoutOption(d, setup.Layout, null, null, $"{inputs.MaxReplicas} replicas still miss the SLO", trials), null);
            }
        }

        while (hi - lo > 1)
        {
            var mid = lo + (hi - lo) / 2;
            var r = Trial(mid);
            if (r.MeetsSloAtP90) (hi, hiResult) = (mid, r);
            else (lo, loResult) = (mid, r);
        }

        return (new LayoutOption(d, setup.Layout, hi, hi * d, null, trials), (setup, hi, hiResult!, loResult));
    }

    private static int MinimumReplicas(PlanInputs inputs, SimulationOptions options, ServingSetup setup, double rate, int atPeak, ref int trials)
    {
        var stream = TrialStream(inputs, rate);
        int lo = 0, hi = atPeak;
        while (hi - lo > 1)
        {
            var mid = lo + (hi - lo) / 2;
            trials++;
            if (ServingSimulator.Run(setup, mid, stream, options).MeetsSloAtP90) hi = mid;
            else lo = mid;
        }

        return hi;
    }

    // One request of mean length on an idle replica: its prefill (one chunk per budget) and one decode step.
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

        var decode = new BatchComposition();
        decode.AddDecode(prompt + 1, window);
        var tpot = BatchStepModel.Cost(setup, decode).Total.Value;
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
