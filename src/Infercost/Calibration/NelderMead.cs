namespace Infercost.Calibration;

/// <summary>Derivative-free minimisation (Nelder &amp; Mead 1965, with the standard reflection 1, expansion 2,
/// contraction ½ and shrink ½ coefficients). Enough for the handful of smooth, bounded parameters calibration fits.</summary>
public static class NelderMead
{
    /// <summary>Minimises <paramref name="objective"/> from <paramref name="start"/>; returns the best point and value.</summary>
    public static (double[] Point, double Value, int Iterations) Minimise(
        Func<double[], double> objective, double[] start, double step = 0.5, int maxIterations = 2000, double tolerance = 1e-10)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(start);
        var n = start.Length;
        var simplex = new double[n + 1][];
        var values = new double[n + 1];
        simplex[0] = (double[])start.Clone();
        for (var i = 0; i < n; i++)
        {
            simplex[i + 1] = (double[])start.Clone();
            simplex[i + 1][i] += step;
        }

        for (var i = 0; i <= n; i++) values[i] = objective(simplex[i]);
        var iterations = 0;
        for (; iterations < maxIterations; iterations++)
        {
            var order = Enumerable.Range(0, n + 1).OrderBy(i => values[i]).ToArray();
            simplex = order.Select(i => simplex[i]).ToArray();
            values = order.Select(i => values[i]).ToArray();
            if (Math.Abs(values[n] - values[0]) <= tolerance * (Math.Abs(values[0]) + tolerance)) break;

            var centroid = new double[n];
            for (var i = 0; i < n; i++)
                for (var j = 0; j < n; j++) centroid[j] += simplex[i][j] / n;

            double[] Along(double t) => centroid.Select((c, j) => c + t * (simplex[n][j] - c)).ToArray();
            var reflected = Along(-1);
            var fr = objective(reflected);
            if (fr < values[0])
            {
                var expanded = Along(-2);
                var fe = objective(expanded);
                (simplex[n], values[n]) = fe < fr ? (expanded, fe) : (reflected, fr);
            }
            else if (fr < values[n - 1])
            {
                (simplex[n], values[n]) = (reflected, fr);
            }
            else
            {
                var contracted = fr < values[n] ? Along(-0.5) : Along(0.5);
                var fc = objective(contracted);
                if (fc < Math.Min(fr, values[n]))
                {
                    (simplex[n], values[n]) = (contracted, fc);
                }
                else
                {
                    for (var i = 1; i <= n; i++)
                    {
                        simplex[i] = simplex[i].Select((x, j) => simplex[0][j] + 0.5 * (x - simplex[0][j])).ToArray();
                        values[i] = objective(simplex[i]);
                    }
                }
            }
        }

        var best = Enumerable.Range(0, n + 1).MinBy(i => values[i]);
        return (simplex[best], values[best], iterations);
    }
}
