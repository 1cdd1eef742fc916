using Infercost.Calibration;

namespace Infercost.Kernels;

/// <summary>Error of the kernel model on one group of benchmark cases.</summary>
/// <param name="Group">Category, or category/class.</param>
/// <param name="Cases">Cases in the group.</param>
/// <param name="MedianAbsPctError">Median |predicted/measured − 1| × 100.</param>
/// <param name="P90AbsPctError">90th percentile of the same.</param>
public sealed record KernelError(string Group, int Cases, double MedianAbsPctError, double P90AbsPctError);

/// <summary>How well a kernel model reproduces the benchmark file.</summary>
/// <param name="ByCategory">One line per kernel category.</param>
/// <param name="ByClass">One line per category and physical class.</param>
/// <param name="Skipped">Rows that are not cases, with reasons.</param>
public sealed record KernelReport(IReadOnlyList<KernelError> ByCategory, IReadOnlyList<KernelError> ByClass, IReadOnlyList<SkippedKernelRow> Skipped);

/// <summary>Fits <see cref="KernelModel"/> curves to benchmark cases, class by class, and reports their error.</summary>
/// <remarks>Each class's parameters minimise Σ ln²(predicted/measured) over its rows plus a weak pull (weight
/// <see cref="PriorWeight"/> per parameter, in the transformed space) towards the reading of kernel-benchmarks.md
/// (<see cref="Prior"/>), so a class whose rows cannot identify a parameter (only small-M GEMMs, say) keeps the
/// documented value instead of drifting. A GEMM class with no bandwidth-bound row (<see cref="SmallRows"/>) does not fit
/// its tile padding and bandwidth fraction at all: it borrows them (<see cref="BorrowedSmallM"/>). Fractions go through a logistic transform, times and row counts through a log.
/// Grouped GEMMs are fitted after the dense curves they reuse.</remarks>
public static class KernelFit
{
    /// <summary>Weight of the pull towards the prior, per parameter, against the sum of squared log errors.</summary>
    public const double PriorWeight = 0.05;

    /// <summary>The starting curves: kernel-benchmarks.md §3's reading of the data (η_max 0.65, M_half 128 rows, η_bw 0.8,
    /// 4 µs per GEMM; a MoE module 20 µs + 0.1 µs per touched expert with imbalance 1.3; attention η_max 0.66, S_half 200 / 500 tokens; decode 15 µs + 90% of bandwidth; all-reduce α 30 µs at
    /// 100% of link; all-to-all α 20 µs at 70%; 3 µs tuned latency floor).</summary>
    public static KernelModel Prior { get; } = new(
        new Dictionary<(Architecture, Precision), GemmCurve> { [(Architecture.Hopper, Precision.Fp8)] = new(0.65, 128, 0.8, 4e-6) },
        new GroupedGemmCurve(20e-6, 1.3) { PerExpertSeconds = 0.1e-6, Tile = MoeKernels.TokenTileOf(MoeKernel.TrtllmGen) },
        new Dictionary<Architecture, PrefillAttentionCurve> { [Architecture.Hopper] = new(0.66, 0.3, 200, 500) },
        new Dictionary<Architecture, DecodeAttentionCurve> { [Architecture.Hopper] = new(15e-6, 0.9) },
        new Dictionary<LinkClass, CollectiveCurve> { [LinkClass.NvLink4] = new(30e-6, 1.0) },
        new Dictionary<LinkClass, CollectiveCurve> { [LinkClass.NvLink5] = new(20e-6, 0.7) },
        3e-6,
        "kernel-benchmarks.md section 3 (prior)");

    /// <summary>Fits every class that has cases in <paramref name="set"/>.</summary>
    public static KernelModel Fit(KernelBenchmarkSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var model = Prior;
        var gemm = new Dictionary<(Architecture, Precision), GemmCurve>();
        var g0 = Prior.Gemm[(Architecture.Hopper, Precision.Fp8)];
        // Classes with bandwidth-bound rows first: a class without them borrows their small-M parameters.
        var groups = set.Cases.Where(c => c.Category == KernelCategory.Gemm).GroupBy(c => c.Class)
            .Select(g => (Key: ParseGemmClass(g.Key), Cases: g.ToList(), SmallM: g.Any(c => c.Rows <= SmallRows)))
            .OrderByDescending(g => g.SmallM).ThenBy(g => g.Key.Item1).ThenBy(g => g.Key.Item2).ToList();
        foreach (var (key, cases, smallM) in groups)
        {
            GemmCurve Fitted(Func<double[], GemmCurve> build, double[] start) =>
                build(Minimise(start, x => cases.Sum(c => Sq(c.LogError(model with { Gemm = new Dictionary<(Architecture, Precision), GemmCurve> { [key] = build(x) } })))));
            if (smallM)
            {
                gemm[key] = Fitted(x => new(Logistic(x[0]), Math.Exp(x[1]), Logistic(x[2]), Math.Exp(x[3])),
                    [Logit(g0.PeakFraction), Math.Log(g0.HalfRows), Logit(g0.BandwidthFraction), Math.Log(g0.FixedSeconds)]);
                continue;
            }

            var (halfRows, bandwidth) = BorrowedSmallM(key, gemm, set.Streams);
            gemm[key] = Fitted(x => new(Logistic(x[0]), halfRows, bandwidth, Math.Exp(x[1])), [Logit(g0.PeakFraction), Math.Log(g0.FixedSeconds)]);
        }

        model = model with { Gemm = gemm };

        model = FitMoeModules(set, model);

        var prefill = new Dictionary<Architecture, PrefillAttentionCurve>();
        foreach (var group in ByClass(set, KernelCategory.PrefillAttention))
        {
            var arch = Enum.Parse<Architecture>(group.Key, ignoreCase: true);
            var p0 = Prior.Prefill[Architecture.Hopper];
            double[] start = [Logit(p0.PeakFraction), Math.Log(p0.HeadDimExponent), Math.Log(p0.HalfLength), Math.Log(p0.HalfLengthCausal)];
            PrefillAttentionCurve Build(double[] x) => new(Logistic(x[0]), Math.Exp(x[1]), Math.Exp(x[2]), Math.Exp(x[3]));
            var cases = group.ToList();
            var current = model;
            var best = Minimise(start, x => cases.Sum(c => Sq(c.LogError(current with { Prefill = new Dictionary<Architecture, PrefillAttentionCurve> { [arch] = Build(x) } }))));
            prefill[arch] = Build(best);
        }

        var decode = new Dictionary<Architecture, DecodeAttentionCurve>();
        foreach (var group in ByClass(set, KernelCategory.DecodeAttention))
        {
            var arch = Enum.Parse<Architecture>(group.Key, ignoreCase: true);
            var p0 = Prior.Decode[Architecture.Hopper];
            double[] start = [Math.Log(p0.FixedSeconds), Logit(p0.BandwidthFraction)];
            DecodeAttentionCurve Build(double[] x) => new(Math.Exp(x[0]), Logistic(x[1]));
            var cases = group.ToList();
            var current = model;
            var best = Minimise(start, x => cases.Sum(c => Sq(c.LogError(current with { Decode = new Dictionary<Architecture, DecodeAttentionCurve> { [arch] = Build(x) } }))));
            decode[arch] = Build(best);
        }

        model = model with { Prefill = prefill, Decode = decode };
        var allReduce = FitCollectives(set, KernelCategory.AllReduce, Prior.AllReduce[LinkClass.NvLink4], model, (m, d) => m with { AllReduce = d });
        var allToAll = FitCollectives(set, KernelCategory.AllToAll, Prior.AllToAll[LinkClass.NvLink5], model, (m, d) => m with { AllToAll = d });
        model = model with { AllReduce = allReduce, AllToAll = allToAll };

        var floors = set.Cases.Where(c => c.Category == KernelCategory.CollectiveLatencyFloor).ToList();
        if (floors.Count > 0)
        {
            // Least squares in log: the geometric mean of the floors.
            model = model with { GraphCollectiveLatencySeconds = Math.Exp(floors.Average(c => Math.Log(c.MeasuredSeconds))) };
        }

        return model with { Source = "fitted to data/kernels/kernel-benchmarks.csv (KernelFit)" };
    }

    /// <summary>The largest M (token rows) at which a GEMM row tells the bandwidth-bound regime: kernel-benchmarks.md
    /// §3.1 finds small-M GEMM time flat over M = 1–128 and the crossover to compute-bound at M ≈ 128–300 (BF16 on H100).
    /// A class whose rows all have a larger M cannot separate its tile padding (M_half) and bandwidth fraction from its
    /// peak fraction: the fit then holds them at <see cref="BorrowedSmallM"/>'s values and fits η_max and t_fixed only.</summary>
    public const double SmallRows = 256;

    /// <summary>The small-M parameters of a GEMM class whose rows are all compute-bound: M_half (tile padding, rows) of
    /// the same compute precision on the first architecture of Hopper, Blackwell, Ampere, CDNA 4 whose rows do reach small
    /// M; and that class's bandwidth fraction scaled by the two architectures' read-stream fractions
    /// (<see cref="KernelBenchmarkSet.Streams"/>, median of each), η_bw = η_bw,donor × s_arch ÷ s_donor: the kernel's
    /// shortfall from what the memory system gives carries over, the memory system's own fraction is this part's. Without
    /// streams for both architectures the donor's fraction is taken as it is; without a donor, the prior's values.</summary>
    public static (double HalfRows, double BandwidthFraction) BorrowedSmallM((Architecture Architecture, Precision Precision) key,
        IReadOnlyDictionary<(Architecture, Precision), GemmCurve> identified, IReadOnlyList<HbmReadRow> streams)
    {
        ArgumentNullException.ThrowIfNull(identified);
        ArgumentNullException.ThrowIfNull(streams);
        Architecture[] order = [Architecture.Hopper, Architecture.Blackwell, Architecture.Ampere, Architecture.Cdna4];
        foreach (var donor in order)
        {
            if (donor == key.Architecture || !identified.TryGetValue((donor, key.Precision), out var curve)) continue;
            var here = StreamFraction(streams, key.Architecture);
            var there = StreamFraction(streams, donor);
            var bandwidth = here is { } h && there is { } t ? Math.Min(0.99, curve.BandwidthFraction * h / t) : curve.BandwidthFraction;
            return (curve.HalfRows, bandwidth);
        }

        var prior = Prior.Gemm[(Architecture.Hopper, Precision.Fp8)];
        return (prior.HalfRows, prior.BandwidthFraction);
    }

    private static double? StreamFraction(IReadOnlyList<HbmReadRow> streams, Architecture architecture)
    {
        var fractions = streams.Where(s => s.Architecture == architecture).Select(s => s.Fraction).ToList();
        return fractions.Count == 0 ? null : ErrorSummary.Percentile(fractions, 0.5);
    }

    /// <summary>Per-category and per-class error of <paramref name="model"/> on <paramref name="set"/>.</summary>
    public static KernelReport Report(KernelBenchmarkSet set, KernelModel model)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(model);
        KernelError Of(string group, IReadOnlyCollection<KernelCase> cases)
        {
            var errors = cases.Select(c => Math.Abs(c.Predict(model) / c.MeasuredSeconds - 1) * 100).ToList();
            return new KernelError(group, cases.Count, ErrorSummary.Percentile(errors, 0.5), ErrorSummary.Percentile(errors, 0.9));
        }

        var byCategory = set.Cases.GroupBy(c => c.Category).OrderBy(g => g.Key).Select(g => Of(CategoryName(g.Key), g.ToList())).ToList();
        var byClass = set.Cases.GroupBy(c => (c.Category, c.Class)).OrderBy(g => g.Key.Category).ThenBy(g => g.Key.Class, StringComparer.Ordinal)
            .Select(g => Of($"{CategoryName(g.Key.Category)}: {g.Key.Class}", g.ToList())).ToList();
        return new KernelReport(byCategory, byClass, set.Skipped);
    }

    /// <summary>The report name of a category (<c>gemm</c>, <c>grouped_gemm</c>...).</summary>
    public static string CategoryName(KernelCategory category) => category switch
    {
        KernelCategory.Gemm => "gemm",
        KernelCategory.GroupedGemm => "grouped_gemm",
        KernelCategory.PrefillAttention => "attention_prefill",
        KernelCategory.DecodeAttention => "attention_decode",
        KernelCategory.AllReduce => "all_reduce",
        KernelCategory.AllToAll => "all_to_all",
        _ => "collective_latency_floor",
    };

    /// <summary>The MoE module curves, fitted together: one routing imbalance for every implementation (it is the
    /// router's, not the kernel's) and each implementation's fixed cost and time per touched expert, over the
    /// <c>grouped_gemm</c> module rows (classes <c>{arch}/moe/{kernel}</c>).</summary>
    private static KernelModel FitMoeModules(KernelBenchmarkSet set, KernelModel model)
    {
        var moe = set.Cases.Where(c => c.Category == KernelCategory.GroupedGemm && c.Class.Contains("/moe/", StringComparison.Ordinal)).ToList();
        if (moe.Count == 0) return model;
        var kernels = moe.Select(c => MoeKernels.Parse(c.Class[(c.Class.LastIndexOf('/') + 1)..])!.Value).Distinct().Order().ToList();
        var p0 = Prior.GroupedGemm;
        var start = new List<double> { Math.Log(p0.Imbalance - 1) };
        foreach (var _ in kernels) start.AddRange([Math.Log(p0.FixedSeconds), Math.Log(p0.PerExpertSeconds)]);
        KernelModel Build(double[] x)
        {
            var imbalance = 1 + Math.Exp(x[0]);
            var curves = new Dictionary<MoeKernel, GroupedGemmCurve>();
            for (var i = 0; i < kernels.Count; i++)
            {
                curves[kernels[i]] = new GroupedGemmCurve(Math.Exp(x[1 + 2 * i]), imbalance)
                {
                    PerExpertSeconds = Math.Exp(x[2 + 2 * i]),
                    Tile = MoeKernels.TokenTileOf(kernels[i]),
                };
            }

            var gen = curves.TryGetValue(MoeKernel.TrtllmGen, out var g) ? g : p0 with { Imbalance = imbalance, Tile = MoeKernels.TokenTileOf(MoeKernel.TrtllmGen) };
            curves.Remove(MoeKernel.TrtllmGen);
            return model with { GroupedGemm = gen, MoeModules = curves };
        }

        var best = Minimise([.. start], x => moe.Sum(c => Sq(c.LogError(Build(x)))));
        return Build(best);
    }

    private static Dictionary<LinkClass, CollectiveCurve> FitCollectives(KernelBenchmarkSet set, KernelCategory category, CollectiveCurve p0,
        KernelModel model, Func<KernelModel, Dictionary<LinkClass, CollectiveCurve>, KernelModel> with)
    {
        var fitted = new Dictionary<LinkClass, CollectiveCurve>();
        foreach (var group in ByClass(set, category))
        {
            var link = Enum.GetValues<LinkClass>().First(l => l.Name() == group.Key);
            double[] start = [Math.Log(p0.LatencySeconds), Math.Log(p0.BandwidthFraction)];
            CollectiveCurve Build(double[] x) => new(Math.Exp(x[0]), Math.Exp(x[1]));
            var cases = group.ToList();
            var best = Minimise(start, x => cases.Sum(c => Sq(c.LogError(with(model, new Dictionary<LinkClass, CollectiveCurve> { [link] = Build(x) })))));
            fitted[link] = Build(best);
        }

        return fitted;
    }

    private static IEnumerable<IGrouping<string, KernelCase>> ByClass(KernelBenchmarkSet set, KernelCategory category) =>
        set.Cases.Where(c => c.Category == category).GroupBy(c => c.Class).OrderBy(g => g.Key, StringComparer.Ordinal);

    private static (Architecture, Precision) ParseGemmClass(string key)
    {
        var parts = key.Split('/');
        return (Enum.Parse<Architecture>(parts[0], ignoreCase: true), PrecisionInfo.Parse(parts[1], "class"));
    }

    private static double[] Minimise(double[] start, Func<double[], double> errors)
    {
        double Objective(double[] x)
        {
            var prior = 0.0;
            for (var i = 0; i < x.Length; i++) prior += Sq(x[i] - start[i]);
            var value = errors(x) + PriorWeight * prior;
            return double.IsFinite(value) ? value : 1e12;
        }

        var (point, value, _) = NelderMead.Minimise(Objective, start);
        for (var restart = 0; restart < 4; restart++)
        {
            var (again, againValue, _) = NelderMead.Minimise(Objective, point);
            var improved = againValue < value - 1e-9;
            (point, value) = (again, againValue);
            if (!improved) break;
        }

        return point;
    }

    private static double Sq(double x) => x * x;

    private static double Logit(double p) => Math.Log(p / (1 - p));

    private static double Logistic(double x) => 1 / (1 + Math.Exp(-x));
}
