using Infercost.Kernels;
using Xunit;

namespace Infercost.Tests.Kernels;

public class KernelModelTests
{
    private static readonly Lazy<KernelBenchmarkSet> LazySet = new(() => KernelBenchmarks.Read(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Kernels", "Data", "kernel-benchmarks.csv")), Infercost.Catalog.Catalog.Embedded));

    private static KernelBenchmarkSet Set => LazySet.Value;

    [Fact]
    public void StoredCurves_AreWhatTheBenchmarkFileGives()
    {
        // Given the shipped kernel benchmark file, when every curve is refitted
        var refit = KernelFit.Fit(Set);
        var stored = KernelCurves.Fitted;

        // Then the stored curves are the refit, to the four significant figures they are printed with
        static void Close(double expected, double actual, string what) =>
            Assert.True(Math.Abs(actual / expected - 1) < 2e-3, $"{what}: stored {expected}, refit {actual}");
        Assert.Equal(refit.Gemm.Keys.OrderBy(k => k.ToString()), stored.Gemm.Keys.OrderBy(k => k.ToString()));
        foreach (var (key, r) in refit.Gemm)
        {
            var s = stored.Gemm[key];
            Close(s.PeakFraction, r.PeakFraction, $"gemm {key} peak");
            Close(s.HalfRows, r.HalfRows, $"gemm {key} halfRows");
            Close(s.BandwidthFraction, r.BandwidthFraction, $"gemm {key} bandwidth");
            Close(s.FixedSeconds, r.FixedSeconds, $"gemm {key} fixed");
        }

        foreach (var (key, r) in refit.Prefill)
        {
            Close(stored.Prefill[key].PeakFraction, r.PeakFraction, $"prefill {key}");
            Close(stored.Prefill[key].HalfLengthCausal, r.HalfLengthCausal, $"prefill {key} causal");
        }

        foreach (var (key, r) in refit.AllReduce) Close(stored.AllReduce[key].LatencySeconds, r.LatencySeconds, $"all-reduce {key}");
        foreach (var (key, r) in refit.AllToAll) Close(stored.AllToAll[key].BandwidthFraction, r.BandwidthFraction, $"all-to-all {key}");
        foreach (var (key, r) in refit.Decode) Close(stored.Decode[key].BandwidthFraction, r.BandwidthFraction, $"decode {key}");
        Close(stored.GroupedGemm.Imbalance, refit.GroupedGemm.Imbalance, "grouped imbalance");
        Assert.Equal(refit.MoeModules.Keys.Order(), stored.MoeModules.Keys.Order());
        foreach (var kernel in Enum.GetValues<MoeKernel>())
        {
            var (s, r) = (stored.GroupedGemmFor(kernel), refit.GroupedGemmFor(kernel));
            Close(s.FixedSeconds, r.FixedSeconds, $"moe {kernel} fixed");
            Close(s.PerExpertSeconds, r.PerExpertSeconds, $"moe {kernel} per expert");
            Close(s.Imbalance, r.Imbalance, $"moe {kernel} imbalance");
        }
        Close(stored.GraphCollectiveLatencySeconds, refit.GraphCollectiveLatencySeconds, "latency floor");
    }

    [Theory]
    // category, most median |error| %, most P90 |error| % (docs/validation.md#kernel-model prints the figures)
    [InlineData("gemm", 12, 35)]
    [InlineData("grouped_gemm", 6, 12)]
    [InlineData("attention_prefill", 10, 18)]
    [InlineData("attention_decode", 8, 22)]
    [InlineData("all_reduce", 12, 35)]
    [InlineData("all_to_all", 18, 35)]
    public void StoredCurves_ReproduceTheBenchmarkFile_PerCategory(string category, double median, double p90)
    {
        var report = KernelFit.Report(Set, KernelCurves.Fitted);
        var line = Assert.Single(report.ByCategory, e => e.Group == category);
        Assert.True(line.Cases >= 5, $"{category}: only {line.Cases} cases");
        Assert.True(line.MedianAbsPctError <= median, $"{category}: median {line.MedianAbsPctError:F1}% > {median}%");
        Assert.True(line.P90AbsPctError <= p90, $"{category}: P90 {line.P90AbsPctError:F1}% > {p90}%");
    }

    [Theory]
    // MoE module rows per implementation (docs/validation.md#kernel-model): TRTLLM-Gen's curve computes each expert in its
    // token tiles (8–64 rows, MoeKernels.TokenTileOf), CUTLASS and Triton with the dense curve's padding; all three follow
    // the fixed cost + time per expert closely
    [InlineData("grouped_gemm: blackwell/moe/trtllm-gen", 14, 6, 10)]
    [InlineData("grouped_gemm: blackwell/moe/cutlass", 14, 3, 6)]
    [InlineData("grouped_gemm: hopper/moe/triton", 6, 5, 10)]
    public void MoeModules_AreFittedPerImplementation(string group, int rows, double median, double p90)
    {
        var line = Assert.Single(KernelFit.Report(Set, KernelCurves.Fitted).ByClass, e => e.Group == group);
        Assert.Equal(rows, line.Cases);
        Assert.True(line.MedianAbsPctError <= median, $"{group}: median {line.MedianAbsPctError:F1}% > {median}%");
        Assert.True(line.P90AbsPctError <= p90, $"{group}: P90 {line.P90AbsPctError:F1}% > {p90}%");
    }

    [Fact]
    public void MoeModules_CutlassCostsMoreThanTrtllmGen_AtEveryTokenCount()
    {
        // blog 24: the CUTLASS module is 2.0–3.6× TRTLLM-Gen's on the same B200 NVFP4 shape; the fitted curves keep the order
        var model = KernelCurves.Fitted;
        var dense = model.GemmFor(Architecture.Blackwell, Precision.Fp4);
        foreach (var tokens in new[] { 1.0, 8, 64, 384 })
        {
            double Time(MoeKernel k) => model.GroupedGemmFor(k).Time(dense, tokens, 256, 8, 3 * 7168 * 256, 0.5625, 0.5625, 9e15, 8e12);
            Assert.True(Time(MoeKernel.Cutlass) > 1.5 * Time(MoeKernel.TrtllmGen), $"{tokens} tokens");
        }
    }

    [Fact]
    public void Prior_IsMeasurablyWorseThanTheFit()
    {
        var prior = KernelFit.Report(Set, KernelFit.Prior);
        var fitted = KernelFit.Report(Set, KernelCurves.Fitted);
        Assert.True(fitted.ByCategory.Single(e => e.Group == "gemm").MedianAbsPctError
            < prior.ByCategory.Single(e => e.Group == "gemm").MedianAbsPctError);
    }

    // A Blackwell FP4 curve with no compute term and no fixed cost, at the full bandwidth: a GEMM's time is then its
    // stored bytes over the device's bandwidth, which shows what the case counts.
    private static KernelModel BytesOnly() => KernelCurves.Fitted with
    {
        Gemm = new Dictionary<(Architecture, Precision), GemmCurve>(KernelCurves.Fitted.Gemm)
        {
            [(Architecture.Blackwell, Precision.Fp4)] = new(1e12, 0, 1, 0),
            [(Architecture.Cdna4, Precision.Fp4)] = new(1e12, 0, 1, 0),
        },
    };

    [Theory]
    // row, M, N, K, bandwidth (B/s), stored bytes per element of the 4-bit operands
    [InlineData("GEMM-188", 1, 8192, 8192, 7.7e12, 4.5 / 8)]   // NVFP4: E4M3 scale per 16 (4.5 bits)
    [InlineData("GEMM-166", 1, 6144, 4096, 7.7e12, 4.5 / 8)]   // NVFP4 (E2M1, FP8 E4M3 1x16 scales)
    [InlineData("GEMM-121", 32768, 6144, 4096, 7.7e12, 4.25 / 8)] // MXFP4 (E2M1, E8M0 1x32) on a B200: the row's layout
    public void Fp4GemmCases_CountTheBlockScalesOfTheirLayout(string id, double m, double n, double k, double bandwidth, double bytes)
    {
        var c = Assert.Single(Set.Cases, x => x.Id == id);

        // Weights N·K and activations M·K at the layout's stored bytes, the bf16 output M·N at 2
        Assert.Equal(((n * k * bytes) + (m * k * bytes) + (m * n * 2)) / bandwidth, c.Predict(BytesOnly()), 9);
    }

    [Fact]
    public void GbpsRow_IsTimedByTheBytesItsSourceCounted()
    {
        // GEMM-188 reports 1,780 GB/s as "effective weight-read bandwidth N*K*0.5 bytes / time" (flashinfer issue #1732)
        var c = Assert.Single(Set.Cases, x => x.Id == "GEMM-188");
        Assert.Equal(8192.0 * 8192 * 0.5 / 1780e9, c.MeasuredSeconds, 12);
    }

    [Fact]
    public void EveryRow_IsACaseOrSkippedWithAReason()
    {
        Assert.Equal(847, Set.Cases.Count + Set.Skipped.Count);
        Assert.All(Set.Skipped, s => Assert.False(string.IsNullOrWhiteSpace(s.Reason)));
    }

    [Fact]
    public void SmallMGemm_IsWeightBandwidthBound_LargeM_IsComputeBound()
    {
        // Given the Hopper bf16 curve on an H100 (989 TFLOPS, 3.35 TB/s) and an 8192 x 8192 weight
        var c = KernelCurves.Fitted.GemmFor(Architecture.Hopper, Precision.Bf16);
        double T(double m) => c.Time(m, 8192, 8192, 2, 2, 989e12, 3.35e12);

        // Then 1 and 16 rows take about the same time (one weight read), and 8192 rows take ~8192/16 x more than 16 would at compute rate
        Assert.InRange(T(16) / T(1), 1.0, 1.1);
        var computeBound = 2.0 * 8192 * 8192 * 8192 / (c.PeakFraction * 989e12);
        Assert.InRange(T(8192) / computeBound, 1.0, 1.2);
    }

    [Fact]
    public void ReadStreams_AreTheFullOccupancyReadsOfEachPartsOwnHbm()
    {
        // Given the memory rows of the benchmark file, then the read-only streams are kept with their fraction of the
        // part's spec bandwidth, and copies, peer reads over NVLink and partial-occupancy scans are not
        var ids = Set.Streams.Select(s => s.Id).ToList();
        Assert.Contains("MEM-005", ids); // BabelStream Dot, A100 SXM4 80GB
        Assert.Contains("MEM-010", ids); // BabelStream Dot, H100 SXM5
        Assert.Contains("MEM-027", ids); // gpu-stream read kernel, A100 80GB
        Assert.DoesNotContain("MEM-001", ids); // BabelStream Copy
        Assert.DoesNotContain("MEM-016", ids); // nvbandwidth peer read
        Assert.DoesNotContain("MEM-033", ids); // scale kernel at 12.5% occupancy
        var dot = Assert.Single(Set.Streams, s => s.Id == "MEM-005");
        Assert.Equal(Architecture.Ampere, dot.Architecture);
        Assert.Equal(1750.0 / 2039, dot.Fraction, 6);
        // a stream is not a kernel of the step: every memory row stays counted as not covered
        Assert.All(Set.Streams, s => Assert.Contains(Set.Skipped, k => k.Id == s.Id));
    }

    [Fact]
    public void ComputeBoundOnlyGemmClass_BorrowsItsSmallMParameters_ScaledByTheReadStreams()
    {
        // Given Ampere BF16, whose 8 rows all have M >= 1024, and Hopper BF16, whose rows reach M = 1
        Assert.All(Set.Cases.Where(c => c.Class == "ampere/bf16"), c => Assert.True(c.Rows > KernelFit.SmallRows));
        Assert.Contains(Set.Cases, c => c.Class == "hopper/bf16" && c.Rows <= KernelFit.SmallRows);
        var refit = KernelFit.Fit(Set);
        var hopper = refit.Gemm[(Architecture.Hopper, Precision.Bf16)];
        var ampere = refit.Gemm[(Architecture.Ampere, Precision.Bf16)];

        // Then Ampere's tile padding is Hopper's, and its bandwidth fraction Hopper's times the two read-stream medians' ratio
        double Median(Architecture a) => Infercost.Calibration.ErrorSummary.Percentile(Set.Streams.Where(s => s.Architecture == a).Select(s => s.Fraction), 0.5);
        Assert.Equal(hopper.HalfRows, ampere.HalfRows);
        Assert.Equal(hopper.BandwidthFraction * Median(Architecture.Ampere) / Median(Architecture.Hopper), ampere.BandwidthFraction, 9);
        // and without streams the donor's fraction is taken as it is; without a donor, the prior's values
        var alone = KernelFit.BorrowedSmallM((Architecture.Ampere, Precision.Bf16), refit.Gemm, []);
        Assert.Equal((hopper.HalfRows, hopper.BandwidthFraction), alone);
        var prior = KernelFit.Prior.Gemm[(Architecture.Hopper, Precision.Fp8)];
        Assert.Equal((prior.HalfRows, prior.BandwidthFraction), KernelFit.BorrowedSmallM((Architecture.Ampere, Precision.Fp8), new Dictionary<(Architecture, Precision), GemmCurve>(), Set.Streams));
    }

    [Fact]
    public void A100Gemv_IsWeightBandwidthBound()
    {
        // Given the Ampere bf16 curve on an A100 SXM (312 TFLOPS, 2.039 TB/s) and an 8192 x 8192 weight
        var c = KernelCurves.Fitted.GemmFor(Architecture.Ampere, Precision.Bf16);
        double T(double m) => c.Time(m, 8192, 8192, 2, 2, 312e12, 2.039e12);
        var read = 8192.0 * 8192 * 2 / (c.BandwidthFraction * 2.039e12);

        // Then one row takes the weight read and the fixed cost, within the 10% the soft roofline adds for a padded tile
        // (kernel-benchmarks.md §3.1: small-M GEMMs are weight-bandwidth bound); the tile padding of M_half = 139 rows that
        // the fit gave before the small-M parameters were borrowed made it 1.35 times the read
        Assert.InRange((T(1) - c.FixedSeconds) / read, 1.0, 1.10);
    }

    [Fact]
    public void GroupedGemm_AllExpertsActive_StreamsEveryExpertOnce()
    {
        Assert.Equal(8, GroupedGemmCurve.ActiveExperts(8, 2, 1e6), 6);
        Assert.Equal(2, GroupedGemmCurve.ActiveExperts(8, 2, 1), 6);
        Assert.Equal(0, GroupedGemmCurve.ActiveExperts(8, 2, 0));
    }

    [Theory]
    [InlineData("nvidia-a100-sxm-80gb", Architecture.Ampere)]
    [InlineData("nvidia-h100-sxm", Architecture.Hopper)]
    [InlineData("nvidia-h100-pcie", Architecture.Hopper)]
    [InlineData("nvidia-h200-sxm", Architecture.Hopper)]
    [InlineData("nvidia-l40s", Architecture.Ada)]
    [InlineData("nvidia-b200", Architecture.Blackwell)]
    [InlineData("nvidia-gb200", Architecture.Blackwell)]
    [InlineData("amd-mi300x", Architecture.Cdna3)]
    [InlineData("amd-mi355x", Architecture.Cdna4)]
    [InlineData("google-tpu-v6e", Architecture.Other)]
    public void Architecture_IsReadFromVendorAndFormats(string id, Architecture expected) =>
        Assert.Equal(expected, Architectures.Of(Infercost.Catalog.Catalog.Embedded.GetAccelerator(id)));

    [Theory]
    [InlineData("nvidia-h100-sxm", 4, LinkClass.NvLink4)]
    [InlineData("nvidia-h100-sxm", 16, LinkClass.Network)]
    [InlineData("nvidia-gb200", 72, LinkClass.NvLink5)]
    [InlineData("nvidia-a100-sxm-80gb", 8, LinkClass.NvLink3)]
    [InlineData("amd-mi300x", 8, LinkClass.InfinityFabric)]
    public void LinkClass_IsTheScaleUpFabricInsideADomain(string id, int devices, LinkClass expected) =>
        Assert.Equal(expected, LinkClasses.Of(Infercost.Catalog.Catalog.Embedded.GetAccelerator(id), devices));
}
