using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Calibration;

/// <summary>The outcome of fitting efficiency factors to measurements.</summary>
/// <param name="Fitted">The fitted factors (the rest of <see cref="EfficiencyFactors"/> held at their starting values).</param>
/// <param name="RootMeanSquareLogError">√(mean ln²(predicted/measured)) over predicted rows at the optimum.</param>
/// <param name="InSample">Validation of the fitted factors on the rows they were fitted to.</param>
/// <param name="Iterations">Optimiser iterations.</param>
public sealed record CalibrationResult(EfficiencyFactors Fitted, double RootMeanSquareLogError, ValidationReport InSample, int Iterations);

/// <summary>Fits seven efficiency parameters of <see cref="EfficiencyFactors"/> by least squares on log error (the roofline
/// softness is a structural choice held at its starting value; docs/validation.md says how it was chosen), and measures how well they transfer with leave-one-group-out splits.</summary>
/// <remarks>Log error makes a 2x miss at 100 tok/s weigh as much as one at 10,000 tok/s. Fractions are fitted through a
/// logistic transform so they stay in (0, 1]; the overhead through an exponential so it stays positive.
/// See docs/validation.md.</remarks>
public static class Calibrator
{
    /// <summary>Factors the fit moves (matmul MFU, attention MFU, MBU, step overhead, activation passes, collective
    /// latency, link efficiency): fewer rows than this leave the fit underdetermined.</summary>
    public const int FittedFactors = 7;

    /// <summary>Fits efficiency factors to <paramref name="rows"/>.</summary>
    public static CalibrationResult Fit(IReadOnlyList<Measurement> rows, Catalog.Catalog catalog, ServingSoftware software, EfficiencyFactors? start = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var initial = start ?? EfficiencyFactors.Uncalibrated;
        var predictable = rows.Where(r => Predictor.Predict(r, catalog, initial, software).PredictedOutputTokensPerSecond is not null).ToList();
        if (predictable.Count == 0) throw new InvalidInputException("data", "no row can be predicted, so nothing can be fitted; check model and accelerator ids.");
        if (predictable.Count < FittedFactors)
        {
            throw new InvalidInputException("data",
                $"calibration fits {FittedFactors} factors, so it needs at least {FittedFactors} rows that can be predicted; was {predictable.Count}. Add measured runs.");
        }

        double Objective(double[] x)
        {
            var eff = FromVector(x, initial);
            double sum = 0;
            var count = 0;
            foreach (var row in predictable)
            {
                var e = Predictor.Predict(row, catalog, eff, software).LogError;
                if (e is null) { sum += 25; count++; continue; }
                sum += e.Value * e.Value;
                count++;
            }

            return sum / count;
        }

        var (point, value, iterations) = NelderMead.Minimise(Objective, ToVector(initial));
        // Restart from the optimum with a fresh simplex until it stops improving: Nelder-Mead can stall on a ridge.
        for (var restart = 0; restart < 5; restart++)
        {
            var (again, againValue, againIterations) = NelderMead.Minimise(Objective, point);
            iterations += againIterations;
            var improved = againValue < value - 1e-12;
            (point, value) = (again, againValue);
            if (!improved) break;
        }
        var fitted = FromVector(point, initial);
        return new CalibrationResult(fitted, Math.Sqrt(value), Validator.Validate(rows, catalog, fitted, software), iterations);
    }

    /// <summary>Leave-one-group-out: for each group, fit on every other row and predict the group's rows. The returned
    /// report holds only held-out predictions, so its errors measure transfer to an unseen GPU or model.</summary>
    public static ValidationReport LeaveOneGroupOut(IReadOnlyList<Measurement> rows, Func<Measurement, string> group, Catalog.Catalog catalog, ServingSoftware software, EfficiencyFactors? start = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(group);
        var predictions = new List<Prediction>();
        foreach (var held in rows.GroupBy(group, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var training = rows.Where(r => group(r) != held.Key).ToList();
            var initial = start ?? EfficiencyFactors.Uncalibrated;
            var left = training.Count(r => Predictor.Predict(r, catalog, initial, software).PredictedOutputTokensPerSecond is not null);
            if (left < FittedFactors)
            {
                // Too little left to fit on: the group's rows are reported as unpredictable, not dropped.
                predictions.AddRange(held.Select(r => new Prediction(r, null,
                    $"{left} predictable rows remain when '{held.Key}' is left out; fitting {FittedFactors} factors needs {FittedFactors}", null)));
                continue;
            }

            var fit = Fit(training, catalog, software, start);
            predictions.AddRange(held.Select(r => Predictor.Predict(r, catalog, fit.Fitted, software)));
        }

        return Validator.Summarise(predictions);
    }

    private static double Logit(double p) => Math.Log(p / (1 - p));

    private static double Logistic(double x) => 1 / (1 + Math.Exp(-x));

    private static double[] ToVector(EfficiencyFactors e) =>
    [
        Logit(Math.Min(e.MatmulMfu, 0.999)), Logit(Math.Min(e.AttentionMfu, 0.999)), Logit(Math.Min(e.Mbu, 0.999)),
        Math.Log(Math.Max(e.StepOverhead.Milliseconds, 1e-3)),
        Math.Log(Math.Max(e.ActivationPasses, 0.1)),
        Math.Log(Math.Max(e.CollectiveLatency.Microseconds, 0.1)),
        Logit(Math.Min(e.LinkEfficiency, 0.999)),
    ];

    private static EfficiencyFactors FromVector(double[] x, EfficiencyFactors template) => template with
    {
        MatmulMfu = Math.Max(Logistic(x[0]), 1e-3),
        AttentionMfu = Math.Max(Logistic(x[1]), 1e-3),
        Mbu = Math.Max(Logistic(x[2]), 1e-3),
        StepOverhead = Seconds.FromMilliseconds(Math.Min(Math.Exp(Math.Clamp(x[3], -20, 6)), 1000)),
        ActivationPasses = Math.Min(Math.Exp(Math.Clamp(x[4], -20, 6)), 1000),
        CollectiveLatency = Seconds.FromMicroseconds(Math.Min(Math.Exp(Math.Clamp(x[5], -20, 9)), 5000)),
        LinkEfficiency = Math.Max(Logistic(x[6]), 1e-3),
    };
}
