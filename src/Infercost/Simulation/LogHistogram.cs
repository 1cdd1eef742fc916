namespace Infercost.Simulation;

// Percentiles of millions of latencies in constant memory: a fixed histogram with log-spaced bins (HdrHistogram's
// idea, simplified). 200 bins per decade make each bin 1.16% wide; reporting the geometric middle of the bin that
// holds the rank keeps the relative error under 0.6%. Count, sum, min and max are exact.

/// <summary>Streaming quantiles of positive values (seconds) with bounded relative error.</summary>
public sealed class LogHistogram
{
    private const double Lowest = 1e-7;
    private const int Decades = 14;
    private const int BinsPerDecade = 200;
    private const int Bins = Decades * BinsPerDecade;
    private static readonly double LogLowest = Math.Log10(Lowest);
    private readonly long[] _counts = new long[Bins + 2]; // [0]: below range, [^1]: above range

    /// <summary>Values recorded.</summary>
    public long Count { get; private set; }

    /// <summary>Sum of values recorded.</summary>
    public double Sum { get; private set; }

    /// <summary>Smallest value recorded (0 when empty).</summary>
    public double Min { get; private set; }

    /// <summary>Largest value recorded (0 when empty).</summary>
    public double Max { get; private set; }

    /// <summary>Mean of values recorded (0 when empty).</summary>
    public double Mean => Count == 0 ? 0 : Sum / Count;

    /// <summary>The largest relative error of <see cref="Quantile"/> for values inside the range (1e-7 to 1e7).</summary>
    public static double RelativeError => Math.Pow(10, 0.5 / BinsPerDecade) - 1;

    /// <summary>Records one value.</summary>
    public void Add(double value)
    {
        if (Count == 0 || value < Min) Min = value;
        if (Count == 0 || value > Max) Max = value;
        Count++;
        Sum += value;
        _counts[BinOf(value)]++;
    }

    /// <summary>The <paramref name="q"/>-quantile (nearest rank, ⌈q·n⌉-th smallest), to within <see cref="RelativeError"/>;
    /// clamped to [min, max], so one value reads back exactly. 0 when empty.</summary>
    public double Quantile(double q)
    {
        Guard.InRange(q, 0, 1, "q");
        if (Count == 0) return 0;
        var rank = Math.Max(1, (long)Math.Ceiling(q * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return Math.Clamp(Middle(i), Min, Max);
        }

        return Max;
    }

    private static int BinOf(double value)
    {
        if (!(value >= Lowest)) return 0;
        var bin = (int)((Math.Log10(value) - LogLowest) * BinsPerDecade) + 1;
        return Math.Min(bin, Bins + 1);
    }

    private double Middle(int bin) => bin switch
    {
        0 => Min,
        Bins + 1 => Max,
        _ => Math.Pow(10, LogLowest + (bin - 0.5) / BinsPerDecade),
    };
}
