using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Calibration;

/// <summary>An engine runtime fitted to online-serving rows.</summary>
/// <param name="Runtime">The fitted host time per step, collective latency and request path latency.</param>
/// <param name="Objective">Sum over the fitted rows of ln(simulated ÷ measured mean TTFT)² + ln(simulated ÷ measured mean ITL)².</param>
/// <param name="FittedRows">Rows below saturation that the fit used (those that could be simulated).</param>
/// <param name="Evaluations">Simulations of the fitted rows the fit ran.</param>
/// <param name="Predictions">Every row given, simulated with the fitted runtime.</param>
public sealed record OnlineRuntimeFit(EngineRuntime Runtime, double Objective, int FittedRows, int Evaluations, IReadOnlyList<OnlinePrediction> Predictions)
{
    /// <summary>The predictions of rows below saturation (the fit's domain).</summary>
    public IReadOnlyList<OnlinePrediction> BelowSaturation => Predictions.Where(p => OnlineFit.IsBelowSaturation(p.Row, Predictions.Select(q => q.Row))).ToList();
}

/// <summary>One leave-one-GPU-out fold: the runtime fitted without <paramref name="HeldOut"/>'s rows predicts them.</summary>
/// <param name="HeldOut">Accelerator id of the rows left out of the fit.</param>
/// <param name="Fit">The fit on the other accelerators' rows.</param>
/// <param name="Predictions">The held-out rows, simulated with that fit.</param>
public sealed record OnlineSplit(string HeldOut, OnlineRuntimeFit Fit, IReadOnlyList<OnlinePrediction> Predictions);

/// <summary>The fit on every row and its leave-one-GPU-out check.</summary>
/// <param name="All">The fit on all rows below saturation.</param>
/// <param name="WithoutRequestLatency">The same fit with the request path latency held at zero (two parameters), to show what the third one earns.</param>
/// <param name="LeaveOneGpuOut">One fold per accelerator (none when the rows hold one accelerator only).</param>
public sealed record OnlineCalibration(OnlineRuntimeFit All, OnlineRuntimeFit WithoutRequestLatency, IReadOnlyList<OnlineSplit> LeaveOneGpuOut);

/// <summary>Fits an engine's runtime to online-serving rows' mean time to first token and mean inter-token latency:
/// three physical parameters, nothing per GPU or per model. The host time per step h adds to every step (prefill and
/// decode alike; TensorRT-LLM 0.14 has no overlap scheduler); the latency per collective c adds to each of a
/// tensor-parallel step's all-reduces (none at TP1); the request path latency a adds once to each request's time to first
/// token (the serving front end's tokenisation and hand-offs, outside the engine). h and c go through the simulator; a is
/// an additive shift of the mean TTFT, so for each (h, c) it is solved exactly in one dimension and Nelder–Mead searches
/// only (h, c).</summary>
/// <remarks>Objective: Σ ln(TTFT_sim ÷ TTFT_meas)² + ln(ITL_sim ÷ ITL_meas)² over the rows below saturation
/// (<see cref="IsBelowSaturation"/>). Saturated rows are left out: their queue grows through the whole run, so their
/// TTFT is the run length over the served rate (a capacity figure, which the throughput calibration owns, and one the
/// simulator already overestimates for this engine version by up to 76%), not the per-step latency these parameters
/// describe; fitting them would make the runtime absorb the capacity error. Deterministic: every simulation uses the
/// same seed, and the search starts from fixed values. See docs/validation.md#online-serving.</remarks>
public static class OnlineFit
{
    /// <summary>A row is saturated when its mean TTFT is above this multiple of its setup's mean TTFT at the lowest
    /// offered rate: the queue has stopped draining between arrivals.</summary>
    public const double SaturationTtftRatio = 5;

    /// <summary>Nelder–Mead iterations at most (each one or two simulations of the fitted rows); the fits of
    /// data/calibration/online-serving.csv stop on the tolerance before it (140–170 simulations each).</summary>
    public const int MaxIterations = 200;

    /// <summary>Largest host time per step the search may try, seconds (the bound <see cref="EfficiencyFactors"/> accepts is 1 s; 20 ms is a step of a large model).</summary>
    private const double MaxHostStepSeconds = 0.02;

    /// <summary>Largest collective latency the search may try, seconds.</summary>
    private const double MaxCollectiveSeconds = 0.001;

    /// <summary>Largest request path latency the one-dimensional solve may give, seconds.</summary>
    private const double MaxRequestSeconds = 0.1;

    /// <summary>Whether <paramref name="row"/> is below saturation: an offered rate (not all at once) and a mean TTFT at most
    /// <see cref="SaturationTtftRatio"/> times that of the same setup (model, accelerator, layout, precisions, lengths)
    /// at the lowest offered rate among <paramref name="rows"/>.</summary>
    public static bool IsBelowSaturation(OnlineMeasurement row, IEnumerable<OnlineMeasurement> rows)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(rows);
        if (row.OfferedRequestsPerSecond is null) return false;
        var lowest = rows.Where(r => r.OfferedRequestsPerSecond is not null && SameSetup(r, row)).MinBy(r => r.OfferedRequestsPerSecond);
        return lowest is not null && row.MeanTtftSeconds <= SaturationTtftRatio * lowest.MeanTtftSeconds;
    }

    /// <summary>The rows below saturation.</summary>
    public static IReadOnlyList<OnlineMeasurement> BelowSaturation(IReadOnlyList<OnlineMeasurement> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return rows.Where(r => IsBelowSaturation(r, rows)).ToList();
    }

    /// <summary><paramref name="engine"/> with the runtime (h, c, a) in place of its own.</summary>
    public static ServingSoftware WithRuntime(ServingSoftware engine, Seconds hostStepTime, Seconds collectiveLatency, Seconds requestLatency, string source)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return engine with { Runtime = new EngineRuntime(hostStepTime, collectiveLatency, source) { RequestLatency = requestLatency } };
    }

    /// <summary>Fits (h, c, a) to the rows of <paramref name="rows"/> below saturation, then simulates every row with them.</summary>
    /// <param name="rows">Online-serving rows; those below saturation are fitted, all are simulated.</param>
    /// <param name="catalog">Where the rows' models and accelerators are found.</param>
    /// <param name="efficiency">Efficiency factors (the throughput calibration's); the fit replaces only the runtime's two.</param>
    /// <param name="engine">The engine profile whose scheduler the rows ran.</param>
    /// <param name="source">Source text the fitted runtime records.</param>
    /// <param name="seed">Arrival seed of every simulation.</param>
    /// <param name="fitRequestLatency">False holds the request path latency at zero (the two-parameter fit it is compared with).</param>
    public static OnlineRuntimeFit Fit(IReadOnlyList<OnlineMeasurement> rows, Catalog.Catalog catalog, EfficiencyFactors efficiency, ServingSoftware engine,
        string source, long seed = 1, bool fitRequestLatency = true)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(efficiency);
        ArgumentNullException.ThrowIfNull(engine);
        var fitted = BelowSaturation(rows);
        var evaluations = 0;

        // The search's coordinates: h in milliseconds, c in tens of microseconds (both of order one), folded to be ≥ 0.
        (Seconds H, Seconds C) Physical(double[] x) => (Seconds.FromSeconds(Math.Min(Math.Abs(x[0]) * 1e-3, MaxHostStepSeconds)),
            Seconds.FromSeconds(Math.Min(Math.Abs(x[1]) * 1e-5, MaxCollectiveSeconds)));

        (double Value, Seconds A, int Rows) Evaluate(double[] x)
        {
            var (h, c) = Physical(x);
            var predictions = OnlineValidator.Predict(fitted, catalog, efficiency, WithRuntime(engine, h, c, Seconds.Zero, source), seed)
                .Where(p => p.Reason is null).ToList();
            evaluations++;
            if (predictions.Count == 0) return (double.PositiveInfinity, Seconds.Zero, 0);
            var itl = predictions.Sum(p => Square(Math.Log(p.MeanItlSeconds!.Value / p.Row.MeanItlSeconds)));
            var a = fitRequestLatency ? BestShift(predictions.Select(p => (p.MeanTtftSeconds!.Value, p.Row.MeanTtftSeconds)).ToList()) : 0;
            var ttft = predictions.Sum(p => Square(Math.Log((p.MeanTtftSeconds!.Value + a) / p.Row.MeanTtftSeconds)));
            return (itl + ttft, Seconds.FromSeconds(a), predictions.Count);
        }

        if (fitted.Count == 0)
        {
            throw new InvalidInputException("data", $"no row is below saturation (an offered rate, and a mean TTFT at most {Guard.Format(SaturationTtftRatio)}× " +
                "its setup's at the lowest offered rate), so the runtime cannot be fitted; the rows need offered rates, not only 'inf'.");
        }

        var start = Evaluate([0.5, 3.0]);
        if (start.Rows == 0) throw new InvalidInputException("data", "no row below saturation can be simulated, so nothing can be fitted; check model and accelerator ids.");
        var (point, value, _) = NelderMead.Minimise(x => Evaluate(x).Value, [0.5, 3.0], step: 0.5, maxIterations: MaxIterations, tolerance: 1e-6);
        var best = Evaluate(point);
        var (hostStep, collective) = Physical(point);
        var runtime = new EngineRuntime(hostStep, collective, source) { RequestLatency = best.A };
        var all = OnlineValidator.Predict(rows, catalog, efficiency, engine with { Runtime = runtime }, seed);
        return new OnlineRuntimeFit(runtime, value, best.Rows, evaluations, all);
    }

    /// <summary>The fit on all rows, the two-parameter fit beside it, and one fit per accelerator left out that predicts that accelerator's rows.</summary>
    public static OnlineCalibration Calibrate(IReadOnlyList<OnlineMeasurement> rows, Catalog.Catalog catalog, EfficiencyFactors efficiency, ServingSoftware engine,
        string source, long seed = 1)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var all = Fit(rows, catalog, efficiency, engine, source, seed);
        var two = Fit(rows, catalog, efficiency, engine, $"{source}, request path held at zero", seed, fitRequestLatency: false);
        var gpus = rows.Select(r => r.AcceleratorId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var splits = new List<OnlineSplit>();
        if (gpus.Count > 1)
        {
            foreach (var gpu in gpus)
            {
                var train = rows.Where(r => r.AcceleratorId != gpu).ToList();
                var fit = Fit(train, catalog, efficiency, engine, $"{source} without {gpu}", seed);
                var heldOut = rows.Where(r => r.AcceleratorId == gpu).ToList();
                splits.Add(new OnlineSplit(gpu, fit, OnlineValidator.Predict(heldOut, catalog, efficiency, engine with { Runtime = fit.Runtime }, seed)));
            }
        }

        return new OnlineCalibration(all, two, splits);
    }

    /// <summary>The shift a ≥ 0 (seconds) that minimises Σ ln((s + a) ÷ m)² over (simulated s, measured m) pairs, by
    /// golden-section search on [0, 0.1 s] (the sum is unimodal there for any simulated TTFT under e times the measured).</summary>
    internal static double BestShift(IReadOnlyList<(double Simulated, double Measured)> pairs)
    {
        double F(double a) => pairs.Sum(p => Square(Math.Log((p.Simulated + a) / p.Measured)));
        var ratio = (Math.Sqrt(5) - 1) / 2;
        double lo = 0, hi = MaxRequestSeconds;
        var x1 = hi - ratio * (hi - lo);
        var x2 = lo + ratio * (hi - lo);
        double f1 = F(x1), f2 = F(x2);
        for (var i = 0; i < 80; i++)
        {
            if (f1 <= f2)
            {
                hi = x2; x2 = x1; f2 = f1;
                x1 = hi - ratio * (hi - lo); f1 = F(x1);
            }
            else
            {
                lo = x1; x1 = x2; f1 = f2;
                x2 = lo + ratio * (hi - lo); f2 = F(x2);
            }
        }

        var best = (lo + hi) / 2;
        return F(0) <= F(best) ? 0 : best;
    }

    private static bool SameSetup(OnlineMeasurement a, OnlineMeasurement b) =>
        a.ModelId == b.ModelId && a.AcceleratorId == b.AcceleratorId && a.TensorParallel == b.TensorParallel && a.PipelineParallel == b.PipelineParallel
        && a.WeightPrecision == b.WeightPrecision && a.KvPrecision == b.KvPrecision && a.InputTokens == b.InputTokens && a.OutputTokens == b.OutputTokens;

    private static double Square(double x) => x * x;
}
