using Infercost.EndpointMeasurement;
using Infercost.Hardware;
using Infercost.Models;
using Infercost.Serving;
using Infercost.Simulation;

namespace Infercost.Calibration;

/// <summary>One measured load level as the deployment fit reads it.</summary>
/// <param name="Level">The level in words, as <c>measure</c> wrote it ("concurrency 8", "Poisson 4 req/s", "constant 2 req/s").</param>
/// <param name="Users">Closed loop: clients keeping one request each in flight; null for an arrival rate.</param>
/// <param name="Rate">Open loop: requests per second offered; null for a closed loop.</param>
/// <param name="Poisson">Open loop: Poisson arrivals (else evenly spaced).</param>
/// <param name="Requests">Requests sent at the level.</param>
/// <param name="DecodeBatch">Sequences decoding at once per replica, time-averaged, by Little's law: completed requests
/// per second × mean (end-to-end − time to first token) ÷ replicas. Shown beside the fit, not used by it.</param>
/// <param name="PromptTokens">Mean prompt tokens per request.</param>
/// <param name="OutputTokens">Mean output tokens per request.</param>
/// <param name="MeasuredTpot">Mean time per output token, seconds.</param>
public sealed record DeploymentLevel(string Level, int? Users, double? Rate, bool Poisson, long Requests, double DecodeBatch, double PromptTokens,
    double OutputTokens, double MeasuredTpot)
{
    /// <summary>Reads a <c>measure</c> level; null for a level that cannot be fitted (nothing succeeded, no TPOT, one
    /// output token, or a load the simulator cannot repeat, such as a trace's own times).</summary>
    /// <param name="summary">The measured level.</param>
    /// <param name="replicas">Replicas behind the endpoint.</param>
    public static DeploymentLevel? Of(MeasurementSummary summary, int replicas)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return Of(new MeasuredLevel(summary.Level, summary.Requests, summary.Succeeded, summary.TimeToFirstToken.Mean, summary.TimePerOutputToken.Mean,
            summary.EndToEnd.Mean, summary.RequestsPerSecond, summary.MeanPromptTokens, summary.MeanOutputTokens), replicas);
    }

    /// <summary>Reads a level from its summary figures; null for a level that cannot be fitted.</summary>
    /// <param name="m">The level's figures.</param>
    /// <param name="replicas">Replicas behind the endpoint.</param>
    public static DeploymentLevel? Of(MeasuredLevel m, int replicas)
    {
        ArgumentNullException.ThrowIfNull(m);
        Guard.InRange(replicas, 1, 1_000_000, "replicas");
        var decoding = m.EndToEndMean - m.TimeToFirstTokenMean;
        if (m.Succeeded == 0 || m.Requests == 0 || !(m.TimePerOutputTokenMean > 0) || !(decoding > 0) || !(m.RequestsPerSecond > 0) || !(m.MeanOutputTokens > 1))
        {
            return null;
        }

        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var words = m.Level.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int? users = null;
        double? rate = null;
        var poisson = false;
        if (words.Length == 2 && words[0] == "concurrency" && int.TryParse(words[1], inv, out var u) && u >= 1)
        {
            users = u;
        }
        else if (words.Length == 3 && words[0] is "Poisson" or "constant" && words[2] == "req/s" && double.TryParse(words[1], inv, out var r) && r > 0 && double.IsFinite(r))
        {
            rate = r;
            poisson = words[0] == "Poisson";
        }
        else
        {
            return null;
        }

        var batch = Math.Max(1, m.RequestsPerSecond * decoding / replicas);
        return new DeploymentLevel(m.Level, users, rate, poisson, m.Requests, batch, Math.Max(1, m.MeanPromptTokens), m.MeanOutputTokens, m.TimePerOutputTokenMean);
    }
}

/// <summary>The figures of one <c>measure</c> level that the deployment fit reads (times in seconds).</summary>
/// <param name="Level">The level in words ("concurrency 8", "Poisson 4 req/s").</param>
/// <param name="Requests">Requests sent.</param>
/// <param name="Succeeded">Requests that completed.</param>
/// <param name="TimeToFirstTokenMean">Mean time to first token, s.</param>
/// <param name="TimePerOutputTokenMean">Mean time per output token, s.</param>
/// <param name="EndToEndMean">Mean end-to-end latency, s.</param>
/// <param name="RequestsPerSecond">Completed requests per second.</param>
/// <param name="MeanPromptTokens">Mean prompt tokens.</param>
/// <param name="MeanOutputTokens">Mean output tokens.</param>
public sealed record MeasuredLevel(string Level, long Requests, long Succeeded, double TimeToFirstTokenMean, double TimePerOutputTokenMean, double EndToEndMean,
    double RequestsPerSecond, double MeanPromptTokens, double MeanOutputTokens)
{
    /// <summary>The levels of a <c>measure --out</c> report.</summary>
    /// <param name="json">The report's text.</param>
    /// <param name="source">The file's name, for errors.</param>
    /// <param name="field">The option or field that named the file.</param>
    /// <exception cref="InvalidInputException">Not JSON, or not a measure report (names the file and the missing field).</exception>
    public static IReadOnlyList<MeasuredLevel> ReadReport(string json, string source, string field)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object || !doc.RootElement.TryGetProperty("levels", out var levels)
                || levels.ValueKind != System.Text.Json.JsonValueKind.Array)
            {
                throw new InvalidInputException(field, $"{field} '{source}': not a measure report (no 'levels' array); write one with 'infercost measure ... --out FILE.json'.");
            }

            var list = new List<MeasuredLevel>();
            var i = 0;
            foreach (var l in levels.EnumerateArray())
            {
                string path = $"levels[{i++}]";
                double Number(string name, string? inner = null)
                {
                    var e = l.TryGetProperty(name, out var v) ? v : throw Missing(name);
                    if (inner is not null) e = e.ValueKind == System.Text.Json.JsonValueKind.Object && e.TryGetProperty(inner, out var w) ? w : throw Missing($"{name}.{inner}");
                    return e.ValueKind == System.Text.Json.JsonValueKind.Number && e.TryGetDouble(out var d) && double.IsFinite(d) && d >= 0
                        ? d : throw new InvalidInputException(field, $"{field} '{source}': {path}.{name}{(inner is null ? "" : "." + inner)} must be a non-negative number; was {e.GetRawText()}.");
                }

                InvalidInputException Missing(string name) => new(field, $"{field} '{source}': {path} has no '{name}'; is it a measure report?");
                var level = l.TryGetProperty("level", out var lv) && lv.ValueKind == System.Text.Json.JsonValueKind.String ? lv.GetString()! : throw Missing("level");
                list.Add(new MeasuredLevel(level, (long)Number("requests"), (long)Number("succeeded"), Number("timeToFirstToken", "mean"),
                    Number("timePerOutputToken", "mean"), Number("endToEnd", "mean"), Number("requestsPerSecond"), Number("meanPromptTokens"), Number("meanOutputTokens")));
            }

            return list;
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidInputException(field, $"{field} '{source}': not valid JSON at line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1}.");
        }
    }
}

/// <summary>A level's measured and predicted mean time per output token.</summary>
/// <param name="Level">The level.</param>
/// <param name="Measured">Measured mean TPOT, seconds.</param>
/// <param name="Default">Predicted with the built-in engine profile, seconds.</param>
/// <param name="Fitted">Predicted with the fitted profile, seconds.</param>
/// <param name="HeldOut">Predicted by the profile fitted without this level (null with fewer than three levels), seconds.</param>
public sealed record DeploymentLevelFit(DeploymentLevel Level, double Measured, double Default, double Fitted, double? HeldOut);

/// <summary>The result of a deployment fit.</summary>
/// <param name="StepOverheadMs">Fitted host time per step, ms.</param>
/// <param name="Mbu">Fitted share of the kernel curves' streaming bandwidth.</param>
/// <param name="DefaultStepOverheadMs">The built-in profile's value, ms.</param>
/// <param name="DefaultMbu">The built-in profile's value.</param>
/// <param name="Levels">Each level's fit.</param>
/// <param name="Default">Error with the built-in profile.</param>
/// <param name="InSample">Error of the fit on the levels it was fitted to.</param>
/// <param name="HeldOut">Error on each level predicted by the fit without it (null with fewer than three levels).</param>
public sealed record DeploymentFit(double StepOverheadMs, double Mbu, double DefaultStepOverheadMs, double DefaultMbu, IReadOnlyList<DeploymentLevelFit> Levels,
    DeploymentFitError Default, DeploymentFitError InSample, DeploymentFitError? HeldOut);

/// <summary>Fits an engine profile to one deployment's load-test levels (<c>infercost measure --out</c> files): the host
/// time per step h and the streaming-bandwidth share m with which the simulator, replaying each level's load, gives the
/// measured mean time per output token.</summary>
/// <remarks>
/// Each level is replayed as it was run: a closed loop of its clients (shared evenly over the replicas) or its arrival
/// rate (Poisson or evenly spaced) over the replicas, with prompt and output lengths at the measured means, the engine's
/// scheduler (token budget, most sequences) and a fixed seed, at most <see cref="RequestsPerLevel"/> requests. The
/// simulator's steps come from <see cref="BatchStepModel"/>, whose overhead term is h and whose memory terms scale as 1/m,
/// so the fit sees the same batching, chunked prefill and waves of a closed loop that <c>simulate</c> and <c>plan</c>
/// will. The fit minimises Σ ln²(simulated ÷ measured TPOT) by Nelder–Mead over (h ≥ 0, 0.05 ≤ m ≤ 1), from the
/// built-in profile's h and three starting m, keeping the best. Two physical parameters, so at least two levels at different loads are needed; with
/// three or more, each level is also predicted by the fit without it. Admission and KV capacity stay the engine's.
/// </remarks>
public static class DeploymentCalibration
{
    /// <summary>Fewest usable levels a fit accepts.</summary>
    public const int MinimumLevels = 2;

    /// <summary>Most requests replayed per level (the work per fit is bounded).</summary>
    public const long RequestsPerLevel = 2_000;

    /// <summary>Fits the profile.</summary>
    /// <param name="model">The served model.</param>
    /// <param name="accelerator">The device.</param>
    /// <param name="layout">Layout per replica.</param>
    /// <param name="config">Serving configuration with the built-in engine profile's efficiency factors.</param>
    /// <param name="replicas">Replicas behind the endpoint.</param>
    /// <param name="levels">The usable levels (see <see cref="DeploymentLevel.Of(MeasuredLevel, int)"/>).</param>
    /// <param name="cancellation">Stops the fit between simulations.</param>
    /// <param name="field">The option or request field that named the measurements, for errors.</param>
    /// <exception cref="InvalidInputException">Fewer than <see cref="MinimumLevels"/> levels, or all at one load.</exception>
    public static DeploymentFit Fit(ModelArchitecture model, Accelerator accelerator, Parallelism layout, ServingConfig config, int replicas,
        IReadOnlyList<DeploymentLevel> levels, string field = "from", CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(accelerator);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(levels);
        Guard.InRange(replicas, 1, 1_000_000, "replicas");
        if (levels.Count < MinimumLevels)
        {
            throw new InvalidInputException(field,
                $"{field}: {levels.Count} usable load level(s); the fit has two parameters (step overhead, MBU) and needs at least {MinimumLevels} levels with tokens served, at a concurrency or a rate, such as 'measure --sweep concurrency:1,8,32'.");
        }

        if (Loads(levels) < 2)
        {
            throw new InvalidInputException(field,
                $"{field}: every level ran at one load ({levels[0].Level}), which cannot tell step overhead from bandwidth; measure at two or more concurrencies or rates.");
        }

        var predictor = new Predictor(model, accelerator, layout, config, replicas, field, cancellation);
        var factors = config.Efficiency;
        var (h0, m0) = (factors.StepOverhead.Milliseconds, factors.Mbu);
        var defaults = levels.Select(l => predictor.Tpot(l, h0, m0)).ToArray();
        var (h, m) = Solve(predictor, levels, h0, m0);
        var fitted = levels.Select(l => predictor.Tpot(l, h, m)).ToArray();

        var held = new double?[levels.Count];
        if (levels.Count >= 3)
        {
            for (var i = 0; i < levels.Count; i++)
            {
                var rest = levels.Where((_, j) => j != i).ToList();
                if (Loads(rest) < 2) continue;
                var (hi, mi) = Solve(predictor, rest, h, m);
                held[i] = predictor.Tpot(levels[i], hi, mi);
            }
        }

        var rows = levels.Select((l, i) => new DeploymentLevelFit(l, l.MeasuredTpot, defaults[i], fitted[i], held[i])).ToList();
        var heldRows = rows.Where(r => r.HeldOut is not null).ToList();
        return new DeploymentFit(h, m, h0, m0, rows,
            Error(rows.Select(r => (r.Default, r.Measured)), "built-in engine profile"),
            Error(rows.Select(r => (r.Fitted, r.Measured)), "in-sample"),
            heldRows.Count == 0 ? null : Error(heldRows.Select(r => (r.HeldOut!.Value, r.Measured)), "leave one load level out"));
    }

    private static int Loads(IEnumerable<DeploymentLevel> levels) => levels.Select(l => (l.Users, l.Rate)).Distinct().Count();

    private static DeploymentFitError Error(IEnumerable<(double Predicted, double Measured)> pairs, string split)
    {
        var errors = pairs.Select(p => Math.Abs(p.Predicted - p.Measured) / p.Measured * 100).ToList();
        return new DeploymentFitError(ErrorSummary.Percentile(errors, 0.5), ErrorSummary.Percentile(errors, 0.9), split);
    }

    private const double MbuLow = 0.05, MbuHigh = 1.0;

    // Unconstrained coordinates: h = x0² (ms), m = low + (high − low)·sigmoid(x1).
    private static (double H, double M) Decode(double[] x) => (x[0] * x[0], MbuLow + (MbuHigh - MbuLow) / (1 + Math.Exp(-x[1])));

    private static double[] Encode(double h, double m)
    {
        var share = Math.Clamp((m - MbuLow) / (MbuHigh - MbuLow), 1e-3, 1 - 1e-3);
        return [Math.Sqrt(Math.Max(h, 0.01)), Math.Log(share / (1 - share))];
    }

    private static (double StepOverheadMs, double Mbu) Solve(Predictor predictor, IReadOnlyList<DeploymentLevel> levels, double h0, double m0)
    {
        double Objective(double[] x)
        {
            var (h, m) = Decode(x);
            if (h > Requests.ServingRequest.StepOverheadMsField.High) return double.MaxValue;
            var sum = 0.0;
            foreach (var l in levels)
            {
                var r = Math.Log(predictor.Tpot(l, h, m) / l.MeasuredTpot);
                sum += r * r;
            }

            return sum;
        }

        // At small batches a decode step's weight read and its host time both stay flat in batch, so the loss has a long
        // shallow valley along h ↔ 1/m; starting at the edge m = 1 (where the logistic is flat) stalls there. Three starts
        // inside the range, the best kept.
        double[]? best = null;
        var bestValue = double.PositiveInfinity;
        foreach (var start in new[] { Math.Min(m0, 0.9), 0.6, 0.35 })
        {
            var (point, value, _) = NelderMead.Minimise(Objective, Encode(h0, start), step: 0.5, maxIterations: 200, tolerance: 1e-8);
            if (value < bestValue)
            {
                bestValue = value;
                best = point;
            }
        }

        return Decode(best!);
    }

    private sealed class Predictor(ModelArchitecture model, Accelerator accelerator, Parallelism layout, ServingConfig config, int replicas, string field, CancellationToken cancellation)
    {
        private readonly Dictionary<(string, double, double), double> _memo = [];

        /// <summary>Simulated mean TPOT, seconds, at step overhead <paramref name="h"/> ms and bandwidth share <paramref name="m"/>.</summary>
        public double Tpot(DeploymentLevel level, double h, double m)
        {
            if (_memo.TryGetValue((level.Level, h, m), out var memo)) return memo;
            cancellation.ThrowIfCancellationRequested();
            var factors = config.Efficiency with { Mbu = m, StepOverhead = Quantities.Seconds.FromMilliseconds(h) };
            var setup = new ServingSetup(model, accelerator, layout, config with { Efficiency = factors });
            var options = new SimulationOptions(new SchedulerConfig(config.PrefillChunkTokens, config.MaxBatch), Slo.Default, new Costing.RentalCost());
            var input = new FixedLength(Math.Max(1, (int)Math.Round(level.PromptTokens)));
            var output = new FixedLength(Math.Max(2, (int)Math.Round(level.OutputTokens)));
            const long seed = 1;
            SimulationResult result;
            if (level.Users is { } users)
            {
                var perReplica = (int)Math.Ceiling((double)users / replicas);
                var requests = Math.Max(perReplica, Math.Min(RequestsPerLevel, (long)Math.Ceiling((double)level.Requests / replicas)));
                result = ServingSimulator.RunClosedLoop(setup, perReplica, input, output, requests, seed, options, cancellation: cancellation);
            }
            else
            {
                var arrivals = level.Poisson ? ArrivalProcess.Poisson(level.Rate!.Value)
                    : new ArrivalProcess(RateCurve.Constant(level.Rate!.Value), ArrivalKind.Gamma, 0.05);
                result = ServingSimulator.Run(setup, replicas, new RequestGenerator(arrivals, input, output, seed, Math.Min(RequestsPerLevel, level.Requests)), options,
                    cancellation: cancellation);
            }

            var tpot = result.TimePerOutputToken.Mean.Value;
            if (!(tpot > 0))
            {
                throw new InvalidInputException(field, $"{field}: level '{level.Level}' cannot be replayed on {setup.Layout}: no request completed in the simulation (does it fit?).");
            }

            if (_memo.Count > 100_000) _memo.Clear();
            _memo[(level.Level, h, m)] = tpot;
            return tpot;
        }
    }
}
