using Infercost.Models;
using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Simulation;

// The two pools are sized one after the other on the same peak stream (common random numbers, as CapacityPlanner):
//  1. Grow from one replica each, doubling the pool that is late: the decode pool when TPOT misses or when handed-over
//     prompts wait for decode admission for more than half the TTFT target, the prefill pool otherwise.
//  2. With that decode pool, bisect the prefill pool: the fewest prefill replicas whose P90 TTFT (and TPOT) meet the SLO.
//  3. With that prefill pool, bisect the decode pool: the fewest decode replicas that meet it.
//  4. Check the answer by simulation: while one replica fewer in either pool still meets the SLO (more replicas are
//     not guaranteed to help: a faster prefill pool sends the decode pool burstier work), take it. The answer then
//     meets the SLO and both one-fewer fleets, simulated, miss it.

/// <summary>Finds the fewest prefill and decode replicas, each of a given layout, whose simulated P90 time to first
/// token and P90 time per output token meet the SLO at the peak rate. See docs/simulation.md.</summary>
public static class DisaggregatedPlanner
{
    /// <summary>Plans the two pools: prefill replicas of <paramref name="prefillDevicesPerReplica"/> devices and decode
    /// replicas of <paramref name="decodeDevicesPerReplica"/> (layouts from <see cref="ParallelismPlanner.Layout"/>).</summary>
    /// <exception cref="InvalidInputException">A size has no layout, one request alone misses the SLO, or no pools up
    /// to <see cref="PlanInputs.MaxReplicas"/> replicas meet it.</exception>
    /// <exception cref="ModelDoesNotFitException">A pool's replica cannot hold the weights and one KV block.</exception>
    /// <exception cref="OperationCanceledException">Cancelled (checked before every trial).</exception>
    public static DisaggregatedPlan Plan(PlanInputs inputs, int prefillDevicesPerReplica, int decodeDevicesPerReplica, IProgress<double>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        inputs.Validated();
        Guard.InRange(prefillDevicesPerReplica, 1, 1024, "prefillDevicesPerReplica");
        Guard.InRange(decodeDevicesPerReplica, 1, 1024, "decodeDevicesPerReplica");
        var prefill = SetupFor(inputs, prefillDevicesPerReplica, "prefillDevicesPerReplica");
        var decode = SetupFor(inputs, decodeDevicesPerReplica, "decodeDevicesPerReplica");
        return Plan(inputs, prefill, decode, progress, cancellation);
    }

    /// <summary>Plans the two pools with the replica layouts given (their memory fit already checked). With
    /// <see cref="PlanInputs.Trace"/> the pools are judged on the whole trace (both pools simulated whole).</summary>
    /// <exception cref="InvalidInputException">One request alone misses the SLO, or no pools up to
    /// <see cref="PlanInputs.MaxReplicas"/> (at most 512) replicas meet it.</exception>
    /// <exception cref="OperationCanceledException">Cancelled (checked before every trial).</exception>
    public static DisaggregatedPlan Plan(PlanInputs inputs, ServingSetup prefill, ServingSetup decode, IProgress<double>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(prefill);
        ArgumentNullException.ThrowIfNull(decode);
        var options = new SimulationOptions(inputs.Scheduler, inputs.Slo, inputs.Basis, PrefixCache: inputs.PrefixCache);
        AloneMisses(inputs, prefill, decode);

        // Whole pools are simulated here (no per-group sharing as in CapacityPlanner), so their size stays bounded.
        var maxReplicas = Math.Min(inputs.MaxReplicas, 512);
        IEnumerable<SimRequest> stream = inputs.Trace ?? (IEnumerable<SimRequest>)CapacityPlanner.TrialStream(inputs, inputs.PeakRate);
        var results = new Dictionary<(int, int), DisaggregatedResult>();
        DisaggregatedResult Trial(int p, int d)
        {
            if (!results.TryGetValue((p, d), out var r))
            {
                cancellation.ThrowIfCancellationRequested();
                r = ServingSimulator.RunDisaggregated(new DisaggregatedFleet(prefill, p, decode, d), stream, options);
                results[(p, d)] = r;
            }

            return r;
        }

        bool Passes(int p, int d) => Trial(p, d).Fleet.MeetsSloAtP90;

        // 1. A pair that passes.
        int pHi = 1, dHi = 1;
        var ttftTarget = inputs.Slo.TimeToFirstToken.Value;
        while (!Passes(pHi, dHi))
        {
            var r = Trial(pHi, dHi);
            var f = r.Fleet;
            if (f.Rejected > 0)
            {
                throw new InvalidInputException("slo", $"{Guard.Format(f.Rejected)} requests are too long for one replica's KV cache; no pool size serves them.");
            }

            var tpotLate = f.TimePerOutputToken.Count > 0 && f.TimePerOutputToken.P90 > inputs.Slo.TimePerOutputToken;
            var handoffLate = r.Handoff.Count > 0 && r.Handoff.P90.Value > ttftTarget / 2;
            var growDecode = tpotLate || handoffLate;
            var growPrefill = f.TimeToFirstToken.P90.Value > ttftTarget && !handoffLate;
            if (!growPrefill && !growDecode) throw new InvalidOperationException("a failing trial met both latency targets.");
            if (growPrefill && !growDecode && r.Prefill.BusyFraction < 0.5)
            {
                throw new InvalidInputException("slo",
                    $"the SLO is missed with the prefill pool {Percent(r.Prefill.BusyFraction)} busy (P90 TTFT {f.TimeToFirstToken.P90}): more prefill replicas do not help.");
            }

            if ((growPrefill && pHi >= maxReplicas) || (growDecode && dHi >= maxReplicas))
            {
                throw new InvalidInputException("slo", $"{maxReplicas} replicas in a pool still miss the SLO (P90 TTFT {f.TimeToFirstToken.P90}, P90 TPOT {f.TimePerOutputToken.P90}).");
            }

            if (growPrefill) pHi = Math.Min(pHi * 2, maxReplicas);
            if (growDecode) dHi = Math.Min(dHi * 2, maxReplicas);
            progress?.Report(Math.Min(0.4, 0.05 * results.Count));
        }

        // 2. Fewest prefill replicas with that decode pool; 3. fewest decode replicas with those.
        var p = Bisect(pHi, n => Passes(n, dHi));
        progress?.Report(0.6);
        var d = Bisect(dHi, n => Passes(p, n));
        progress?.Report(0.8);

        // 4. Minimal in each pool, by simulation.
        while (true)
        {
            if (p > 1 && Passes(p - 1, d)) p--;
            else if (d > 1 && Passes(p, d - 1)) d--;
            else break;
        }

        var atPeak = Trial(p, d);
        var day = inputs.Day ?? RateCurve.Constant(inputs.PeakRate);
        var pass = atPeak.Fleet;
        var devices = p * prefill.DevicesPerReplica + d * decode.DevicesPerReplica;
        var fixedFleet = CapacityPlanner.Day("fixed", devices * 24.0, inputs.Basis.PerDevice(inputs.Accelerator).Total, day.HourlyRates.Sum() * 3600,
            (pass.PromptTokens.Value + pass.OutputTokens.Value) / Math.Max(1, pass.Completed), pass.OutputTokens.Value / Math.Max(1, pass.Completed));
        progress?.Report(1);
        return new DisaggregatedPlan(inputs.PeakRate, inputs.Slo, prefill.Layout, prefill.Parallelism, p, decode.Layout, decode.Parallelism, d,
            p * prefill.DevicesPerReplica, d * decode.DevicesPerReplica, devices, atPeak,
            p > 1 ? Trial(p - 1, d) : null, d > 1 ? Trial(p, d - 1) : null, fixedFleet, results.Count);
    }

    // Fewest n in [1, hi] that passes, given that hi passes (bisection; assumes more never hurts, checked afterwards).
    private static int Bisect(int hi, Func<int, bool> passes)
    {
        var lo = 0;
        while (hi - lo > 1)
        {
            var mid = lo + (hi - lo) / 2;
            if (passes(mid)) hi = mid;
            else lo = mid;
        }

        return hi;
    }

    private static ServingSetup SetupFor(PlanInputs inputs, int devices, string field)
    {
        var parallelism = ParallelismPlanner.Layout(inputs.Model, inputs.Accelerator, devices)
            ?? throw new InvalidInputException(field, $"{field} has no valid tensor × pipeline split of {inputs.Model.Id} over {devices} {inputs.Accelerator.Id}; was {devices}.");
        var setup = new ServingSetup(inputs.Model, inputs.Accelerator, parallelism, inputs.Config with { TotalDevices = devices, Parallelism = parallelism });
        ServingSimulator.KvBlocksPerReplica(setup, inputs.Scheduler);
        return setup;
    }

    // One mean-length request on an idle fleet: its prefill chunks and transfer, and one decode step. Steps run at the
    // setups' engine speed (a band end: ServingConfig.SpeedFactor), as the simulator runs them; the transfer does not.
    private static void AloneMisses(PlanInputs inputs, ServingSetup prefill, ServingSetup decode)
    {
        var window = KvCache.LayerSplit(prefill.Model).Window;
        var prompt = Math.Max(1, (int)Math.Round(inputs.Input.Mean));
        var steps = 0.0;
        for (var done = 0; done < prompt; done += inputs.Scheduler.MaxBatchedTokens)
        {
            var chunk = new BatchComposition();
            chunk.AddPrefillChunk(Math.Min(inputs.Scheduler.MaxBatchedTokens, prompt - done), done, window);
            steps += BatchStepModel.Cost(prefill, chunk).Total.Value;
        }

        var ttft = Communication.KvTransfer(prefill, decode, prompt).Value + steps / prefill.Config.SpeedFactor;
        var step = new BatchComposition();
        step.AddDecode(prompt + 1, window);
        var tpot = BatchStepModel.Cost(decode, step).Total.Value / decode.Config.SpeedFactor;
        if (ttft > inputs.Slo.TimeToFirstToken.Value)
        {
            throw new InvalidInputException("slo", $"no disaggregated fleet meets the SLO: one mean-length prompt alone takes {Seconds.FromSeconds(ttft)} to its first token (prefill and KV transfer) on {prefill.Layout}.");
        }

        if (tpot > inputs.Slo.TimePerOutputToken.Value)
        {
            throw new InvalidInputException("slo", $"no disaggregated fleet meets the SLO: one sequence alone takes {Seconds.FromSeconds(tpot)} per output token on {decode.Layout}.");
        }
    }

    private static string Percent(double fraction) => Guard.Format(Math.Round(fraction * 100, 1)) + "%";
}
