using System.Globalization;
using System.Text.RegularExpressions;
using Infercost.Calibration;
using Infercost.Hardware;

namespace Infercost.Kernels;

/// <summary>The kernel classes the benchmark file is read into.</summary>
public enum KernelCategory
{
    /// <summary>Dense GEMM.</summary>
    Gemm,
    /// <summary>Grouped (MoE) GEMM.</summary>
    GroupedGemm,
    /// <summary>Prefill (FlashAttention-class) attention.</summary>
    PrefillAttention,
    /// <summary>Decode attention (KV read).</summary>
    DecodeAttention,
    /// <summary>All-reduce.</summary>
    AllReduce,
    /// <summary>All-to-all (MoE dispatch / combine).</summary>
    AllToAll,
    /// <summary>Small-message all-reduce latency under a tuned stack (symmetric memory, CUDA graphs).</summary>
    CollectiveLatencyFloor,
}

/// <summary>One benchmark row the kernel model can predict: its measured time and how the model predicts it.</summary>
/// <param name="Id">Row id in the benchmark file.</param>
/// <param name="Category">Kernel class.</param>
/// <param name="Class">Physical class the row's curve is keyed by (<c>hopper/fp8</c>, <c>nvlink4</c>).</param>
/// <param name="MeasuredSeconds">The published figure turned into a kernel time (FLOPs / TFLOPS, bytes / GB/s, or µs as printed).</param>
/// <param name="Predict">The model's time for the same shape, seconds.</param>
public sealed record KernelCase(string Id, KernelCategory Category, string Class, double MeasuredSeconds, Func<KernelModel, double> Predict)
{
    /// <summary>A dense GEMM's M (the rows a serving step's token count sets); null for every other category.</summary>
    public double? Rows { get; init; }

    /// <summary>ln(predicted / measured) under <paramref name="model"/>.</summary>
    public double LogError(KernelModel model) => Math.Log(Predict(model) / MeasuredSeconds);
}

/// <summary>A row of the file that the kernel model does not predict, and why.</summary>
/// <param name="Id">Row id.</param>
/// <param name="Category">The row's category as printed.</param>
/// <param name="Reason">Why it is not a case (another kernel generation, a fused layer, a shape the text does not give...).</param>
public sealed record SkippedKernelRow(string Id, string Category, string Reason);

/// <summary>A read-only HBM stream measured on one part: what fraction of its spec-sheet bandwidth a kernel that only
/// reads memory achieves (BabelStream Dot, gpu-stream's read kernel at full occupancy).</summary>
/// <param name="Id">Row id in the benchmark file.</param>
/// <param name="Architecture">The part's architecture.</param>
/// <param name="Fraction">Measured GB/s ÷ the part's spec-sheet memory bandwidth (dimensionless).</param>
public sealed record HbmReadRow(string Id, Architecture Architecture, double Fraction);

/// <summary>The benchmark file read into cases.</summary>
/// <param name="Cases">Rows the model predicts.</param>
/// <param name="Skipped">Every other row with its reason.</param>
public sealed record KernelBenchmarkSet(IReadOnlyList<KernelCase> Cases, IReadOnlyList<SkippedKernelRow> Skipped)
{
    /// <summary>The file's read-only HBM streams (memory rows; they are also listed in <see cref="Skipped"/>, not being
    /// kernels of the step). <see cref="KernelFit"/> takes a GEMM class's bandwidth fraction from them when the class's
    /// own rows never reach the bandwidth-bound regime.</summary>
    public IReadOnlyList<HbmReadRow> Streams { get; init; } = [];
}

/// <summary>Reads data/kernels/kernel-benchmarks.csv (the schema of shared/data/kernel-benchmarks.csv: id, category,
/// accelerator, precision, shape_or_size, metric, value, ..., notes) into <see cref="KernelCase"/>s.</summary>
/// <remarks>The file is free text per row; this reader understands the shapes the curves need and lists every other
/// row as skipped with its reason, so the count of what the model covers is explicit. Device names map to catalog
/// entries by generation: H800 is an H100 SXM with 200 GB/s NVLink (its compute and HBM match, kernel-benchmarks.md §4);
/// SM100 / Blackwell rows without a SKU are B200; A100 PCIe has 1,935 GB/s (the row's stated peak).</remarks>
public static partial class KernelBenchmarks
{
    private sealed record Device(Accelerator Accelerator, Architecture Architecture, double Bandwidth, double ScaleUpBandwidth);

    /// <summary>Reads the file's text against <paramref name="catalog"/> (for peaks and bandwidths).</summary>
    /// <exception cref="InvalidInputException">The text lacks one of the columns the reader needs.</exception>
    public static KernelBenchmarkSet Read(string csv, Catalog.Catalog catalog)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(catalog);
        var records = MeasurementCsv.SplitRecords(csv);
        if (records.Count == 0) throw new InvalidInputException("data", "the kernel benchmark file is empty.");
        var header = records[0].Fields.Select(h => h.Trim().ToLowerInvariant()).ToList();
        string[] needed = ["id", "category", "accelerator", "precision", "shape_or_size", "metric", "value", "notes"];
        var missing = needed.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0) throw new InvalidInputException("data", $"kernel benchmark file: missing column(s) {string.Join(", ", missing)}.");
        var cases = new List<KernelCase>();
        var skipped = new List<SkippedKernelRow>();
        var streams = new List<HbmReadRow>();
        foreach (var (_, fields) in records.Skip(1))
        {
            if (fields.All(string.IsNullOrWhiteSpace)) continue;
            string F(string c) { var i = header.IndexOf(c); return i < fields.Count ? fields[i].Trim() : ""; }
            var row = new Row(F("id"), F("category"), F("accelerator"), F("precision"), F("shape_or_size"), F("metric"), F("notes"),
                double.TryParse(F("value"), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN);
            var reason = Interpret(row, catalog, cases, streams);
            if (reason is not null) skipped.Add(new SkippedKernelRow(row.Id, row.Category, reason));
        }

        return new KernelBenchmarkSet(cases, skipped) { Streams = streams };
    }

    private sealed record Row(string Id, string Category, string Accelerator, string Precision, string Shape, string Metric, string Notes, double Value);

    // Returns null when the row became a case, else why not.
    private static string? Interpret(Row r, Catalog.Catalog catalog, List<KernelCase> cases, List<HbmReadRow> streams)
    {
        if (!double.IsFinite(r.Value) || r.Value <= 0) return "value is not a positive number";
        var device = DeviceOf(r.Accelerator, catalog);
        if (device is null) return $"no catalog accelerator for '{r.Accelerator}'";
        return r.Category switch
        {
            "gemm" => Gemm(r, device, cases),
            "grouped_gemm" => Grouped(r, device, cases),
            "attention" => Attention(r, device, cases),
            "collective" => Collective(r, device, cases),
            "memory" => Memory(r, device, streams),
            "overhead" => "per-step overheads are engine-profile sources (Serving/EngineProfile.cs), not a curve",
            _ => $"unknown category '{r.Category}'",
        };
    }

    private static Device? DeviceOf(string text, Catalog.Catalog catalog)
    {
        var t = text.ToUpperInvariant();
        string? id = null;
        double? bandwidth = null, scaleUp = null;
        if (t.Contains("MI355X", StringComparison.Ordinal)) id = "amd-mi355x";
        else if (t.Contains("MI300X", StringComparison.Ordinal)) id = "amd-mi300x";
        else if (t.Contains("GH200", StringComparison.Ordinal)) return null;
        else if (t.Contains("GB200", StringComparison.Ordinal)) id = "nvidia-gb200";
        else if (t.Contains("B200", StringComparison.Ordinal) || t.Contains("SM100", StringComparison.Ordinal) || t.Contains("BLACKWELL", StringComparison.Ordinal)) id = "nvidia-b200";
        else if (t.Contains("H200", StringComparison.Ordinal)) id = "nvidia-h200-sxm";
        else if (t.Contains("H100 PCIE", StringComparison.Ordinal)) id = "nvidia-h100-pcie";
        else if (t.Contains("H800", StringComparison.Ordinal) || t.Contains("SM90", StringComparison.Ordinal)) { id = "nvidia-h100-sxm"; scaleUp = 200e9; }
        else if (t.Contains("H100", StringComparison.Ordinal)) id = "nvidia-h100-sxm";
        else if (t.Contains("A100 PCIE", StringComparison.Ordinal)) { id = "nvidia-a100-sxm-80gb"; bandwidth = 1935e9; }
        else if (t.Contains("A100", StringComparison.Ordinal)) id = "nvidia-a100-sxm-80gb";
        if (id is null || !catalog.TryGetAccelerator(id, out var a)) return null;
        return new Device(a, Architectures.Of(a), bandwidth ?? a.MemoryBandwidth.Value, scaleUp ?? a.ScaleUpBandwidth?.Value ?? a.ScaleOutBandwidth.Value);
    }

    // (compute precision, stored weight bytes, activation bytes, weight value bytes) per element, or null when the text
    // names no format. A 4-bit operand is stored block-scaled, and the kernel reads its scales with it: the bytes count
    // them through the same ScaleLayouts the serving model uses (docs/methodology.md#precision), so a fitted bandwidth
    // fraction is a fraction of a byte count that includes the scales. The layout is the one the row names (NVFP4, MXFP4,
    // E8M0), else the device's default FP4 layout (cuBLASLt rows that do not say: NVFP4 on NVIDIA); weight-only int4 is in
    // groups of 128. An FP4 activation operand (W4A4) is block-scaled the same way. The value bytes (0.5 for 4-bit) are
    // what a source counts when it reports bandwidth (GEMM-188: "N*K*0.5 bytes / time"), so a gbps row's time is its
    // value bytes over its rate. FP8 rows, MXFP8's E8M0 per 32 included, are left at 1 byte (see methodology).
    private static (Precision Compute, double Weight, double Activation, double WeightValues)? FormatOf(string text, string vendor)
    {
        var t = text.ToLowerInvariant();
        var fp4 = t.Contains("mxfp4", StringComparison.Ordinal) || t.Contains("e8m0", StringComparison.Ordinal) ? Fp4Format.Mxfp4
            : t.Contains("nvfp4", StringComparison.Ordinal) ? Fp4Format.Nvfp4
            : ScaleLayouts.DefaultFp4(vendor);
        var layouts = new ScaleLayouts(BlockScales.Of(fp4), BlockScales.IntGroups(BlockScales.DefaultIntGroupSize));
        var w4 = layouts.BytesPerElement(t.Contains("fp4", StringComparison.Ordinal) ? Precision.Fp4 : Precision.Int4);
        if (t.Contains("w4a16", StringComparison.Ordinal) || t.Contains("bf16 act x", StringComparison.Ordinal)) return (Precision.Bf16, w4, 2, 0.5);
        if (t.Contains("fp8 act x", StringComparison.Ordinal)) return (Precision.Fp8, w4, 1, 0.5);
        if (t.Contains("fp4", StringComparison.Ordinal)) return (Precision.Fp4, w4, w4, 0.5);
        if (t.Contains("fp8", StringComparison.Ordinal) || t.Contains("w8a8", StringComparison.Ordinal)) return (Precision.Fp8, 1, 1, 1);
        if (t.Contains("bf16", StringComparison.Ordinal) || t.Contains("fp16", StringComparison.Ordinal)) return (Precision.Bf16, 2, 2, 2);
        return null;
    }

    // No match timeout: the patterns are fixed and linear (no nested quantifiers) and a row is one line of the file;
    // a timeout under a loaded machine would make the reading depend on the clock.
    private static double? Number(string text, string pattern)
    {
        var m = Regex.Match(text, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Regex.InfiniteMatchTimeout);
        if (!m.Success) return null;
        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        if (m.Groups.Count > 2 && m.Groups[2].Success)
        {
            value *= m.Groups[2].Value.ToUpperInvariant() switch { "K" or "KB" => 1e3, "M" or "MB" => 1e6, "G" or "GB" => 1e9, _ => 1 };
        }

        return value;
    }

    private static string Key(Architecture a, Precision p) => $"{a.Name()}/{KernelModel.GemmKey(p).Name()}";

    private static string? Gemm(Row r, Device d, List<KernelCase> cases)
    {
        var (m, n, k) = (Number(r.Shape, @"M=(\d+)"), Number(r.Shape, @"N=(\d+)"), Number(r.Shape, @"K=(\d+)"));
        if (m is null || n is null || k is null) return "shape gives no M, N, K";
        if (FormatOf(r.Precision, d.Accelerator.Vendor) is not { } f) return $"precision '{r.Precision}' names no format";
        if (r.Metric == "gbps" && r.Notes.StartsWith("achieved DRAM GB/s of same kernel", StringComparison.Ordinal)) return "bandwidth view of the TFLOPS row before it (same kernel run)";
        if (r.Notes.Contains("Composable Kernel scaled GEMM baseline", StringComparison.Ordinal)) return "slower baseline backend of the row before it";
        if (r.Notes.Contains("AITER asm", StringComparison.Ordinal)) return "second backend of the row before it";
        if (r.Notes.Contains("initial-release", StringComparison.Ordinal)) return "superseded kernel version (DeepGEMM initial release)";
        if (d.Accelerator.Peaks.For(f.Compute) is not { } peak) return $"{d.Accelerator.Id} has no {f.Compute.Name()} peak";
        double M = m.Value, N = n.Value, K = k.Value;
        var measured = r.Metric switch
        {
            "tflops" => 2 * M * N * K / (r.Value * 1e12),
            "us" => r.Value * 1e-6,
            "gbps" => N * K * f.WeightValues / (r.Value * 1e9),
            _ => double.NaN,
        };
        if (!double.IsFinite(measured)) return $"metric '{r.Metric}'";
        var arch = d.Architecture;
        var bw = d.Bandwidth;
        var p = peak.Value;
        cases.Add(new KernelCase(r.Id, KernelCategory.Gemm, Key(arch, f.Compute), measured,
            model => model.GemmFor(arch, f.Compute).Time(M, N, K, f.Weight, f.Activation, p, bw)) { Rows = M });
        return null;
    }

    // A memory row is never a case (no kernel of the step is a bare stream). A read-only stream on the part's own HBM
    // (BabelStream Dot, gpu-stream's read kernel at 100% occupancy) is kept as a HbmReadRow; copies, writes, partial
    // occupancy and peer reads over NVLink are not the weight-streaming pattern of a GEMV.
    private static string Memory(Row r, Device d, List<HbmReadRow> streams)
    {
        var readOnly = r.Shape.Contains("BabelStream Dot", StringComparison.Ordinal)
            || (r.Shape.Contains("read kernel", StringComparison.Ordinal) && r.Shape.Contains("100% occupancy", StringComparison.Ordinal));
        if (!readOnly || r.Metric != "gbps" || r.Shape.Contains("peer", StringComparison.Ordinal))
            return "memory stream that is not a full-occupancy read of local HBM; not a kernel class of the step";
        streams.Add(new HbmReadRow(r.Id, d.Architecture, r.Value * 1e9 / d.Bandwidth));
        return "read stream of local HBM: the bandwidth fraction of a GEMM class whose rows are all compute-bound (KernelFit); not a kernel class of the step";
    }

    private static string? Grouped(Row r, Device d, List<KernelCase> cases)
    {
        if (FormatOf(r.Precision, d.Accelerator.Vendor) is not { } f) return $"precision '{r.Precision}' names no format";
        if (d.Accelerator.Peaks.For(f.Compute) is not { } peak) return $"{d.Accelerator.Id} has no {f.Compute.Name()} peak";
        var arch = d.Architecture;
        var bw = d.Bandwidth;
        var p = peak.Value;
        if (Number(r.Shape, @"groups=(\d+)") is { } groups && Number(r.Shape, @"M_per_group=(\d+)") is { } rows
            && Number(r.Shape, @"N=(\d+)") is { } n && Number(r.Shape, @"K=(\d+)") is { } k)
        {
            if (r.Metric != "tflops") return "bandwidth view of the TFLOPS row before it (same kernel run)";
            // DeepGEMM grouped layouts: G independent GEMMs of the given rows, run as one kernel.
            var measured = 2 * groups * rows * n * k / (r.Value * 1e12);
            cases.Add(new KernelCase(r.Id, KernelCategory.GroupedGemm, Key(arch, f.Compute), measured, model =>
            {
                var dense = model.GemmFor(arch, f.Compute);
                var compute = groups * 2 * n * k * (rows + dense.HalfRows) / (dense.PeakFraction * p);
                var memory = groups * (n * k * f.Weight + rows * k * f.Activation + rows * n * 2) / (dense.BandwidthFraction * bw);
                return dense.FixedSeconds + Math.Sqrt(compute * compute + memory * memory);
            }));
            return null;
        }

        if (r.Shape.Contains("MoE module", StringComparison.Ordinal) || r.Shape.Contains("Qwen3-235B", StringComparison.Ordinal))
        {
            if (r.Metric != "us") return $"metric '{r.Metric}'";
            if (r.Notes.StartsWith("DENSEGEMM", StringComparison.Ordinal))
            {
                return "every expert as one dense GEMM (CuTe DSL): an alternative backend no engine profile runs by default";
            }

            // Which implementation ran the module: blog 24 names TRTLLM-Gen and CUTLASS; SGLang's tuning rows run Triton's fused_moe.
            var kernel = r.Notes.StartsWith("CUTLASS", StringComparison.Ordinal) ? MoeKernel.Cutlass
                : r.Notes.Contains("triton", StringComparison.OrdinalIgnoreCase) ? MoeKernel.Triton
                : MoeKernel.TrtllmGen;

            var tokens = Number(r.Shape, @"(?:num_tokens|tokens)=(\d+)");
            var experts = Number(r.Shape, @"E=(\d+)");
            var topK = Number(r.Shape, @"top-?k?=?(\d+)");
            var hidden = Number(r.Shape, @"hidden[= ](\d+)");
            var inter = Number(r.Shape, @"inter[= ](\d+)");
            if (tokens is null || experts is null || topK is null || hidden is null || inter is null) return "shape lacks tokens, E, top-k, hidden or intermediate";
            var nk = 3 * hidden.Value * inter.Value;
            double T = tokens.Value, E = experts.Value, topk = topK.Value;
            cases.Add(new KernelCase(r.Id, KernelCategory.GroupedGemm, $"{arch.Name()}/moe/{kernel.Name()}", r.Value * 1e-6, model =>
                model.GroupedGemmFor(kernel).Time(model.GemmFor(arch, f.Compute), T, E, topk, nk, f.Weight, f.Activation, p, bw)));
            return null;
        }

        return r.Shape.Contains("tokens_per_rank", StringComparison.Ordinal)
            ? "fused MoE layer with expert-parallel communication (DeepGEMM Mega MoE), not one kernel class"
            : "shape lacks top-k or names a per-matrix kernel the step does not run alone";
    }

    private static string? Attention(Row r, Device d, List<KernelCase> cases)
    {
        var arch = d.Architecture;
        if (r.Shape.StartsWith("batch decode", StringComparison.Ordinal))
        {
            var batch = Number(r.Shape, @"batch=(\d+)");
            var kv = Number(r.Shape, @"kv_len=(\d+)(k)?");
            var heads = Number(r.Shape, @"(\d+) kv\)");
            var hd = Number(r.Shape, @"hd=(\d+)");
            if (batch is null || kv is null || heads is null || hd is null || r.Metric != "gbps") return "decode row without batch, KV length, heads or head dim";
            // One layer's K and V for every sequence, fp16.
            var bytes = batch.Value * kv.Value * heads.Value * hd.Value * 2 * 2;
            var bw = d.Bandwidth;
            cases.Add(new KernelCase(r.Id, KernelCategory.DecodeAttention, arch.Name(), bytes / (r.Value * 1e9),
                model => model.DecodeFor(arch).Time(bytes, bw)));
            return null;
        }

        if (!r.Shape.StartsWith("prefill fwd", StringComparison.Ordinal)) return "not a forward prefill or batch decode shape (training pass, MLA/sparse headline, or unnamed shape)";
        var seq = Number(r.Shape, @"seq=(\d+)(k)?");
        var headDim = Number(r.Shape, @"hd=(\d+)");
        var causal = r.Shape.Contains("non-causal", StringComparison.Ordinal) ? false : r.Shape.Contains("causal", StringComparison.Ordinal) ? true : (bool?)null;
        if (seq is null || headDim is null || causal is null || r.Metric != "tflops") return "prefill row without sequence length, head dim or mask";
        var current = r.Notes.StartsWith("FlashAttention-3", StringComparison.Ordinal) || r.Notes.StartsWith("cuDNN", StringComparison.Ordinal)
            || r.Notes.StartsWith("FlashAttention-4", StringComparison.Ordinal) || r.Notes.StartsWith("hd128 reaches", StringComparison.Ordinal);
        if (!current) return "older kernel generation on this GPU (FlashAttention-2, Triton, unfused PyTorch), which serving engines do not use";
        if (d.Accelerator.Peaks.For(Precision.Bf16) is not { } peak) return "no bf16 peak";
        var flopsPerSecond = r.Value * 1e12;
        var p = peak.Value;
        double S = seq.Value, D = headDim.Value;
        var isCausal = causal.Value;
        // A unit of work (1 FLOP at the measured rate) predicted at the model's rate: time ratio = rate ratio.
        cases.Add(new KernelCase(r.Id, KernelCategory.PrefillAttention, arch.Name(), 1 / flopsPerSecond,
            model => 1 / (model.PrefillFor(arch).Efficiency(S, D, isCausal) * p)));
        return null;
    }

    private static string? Collective(Row r, Device d, List<KernelCase> cases)
    {
        if (r.Shape.StartsWith("all_reduce msg", StringComparison.Ordinal) && r.Metric == "us"
            && (r.Shape.Contains("symmetric memory", StringComparison.Ordinal) || r.Shape.Contains("CUDA graph", StringComparison.Ordinal)
                || r.Shape.Contains("msg<=", StringComparison.Ordinal)))
        {
            if (r.Shape.Contains("capture of", StringComparison.Ordinal)) return "back-to-back replay of many all-reduces in one graph: a per-op throughput, not a latency";
            cases.Add(new KernelCase(r.Id, KernelCategory.CollectiveLatencyFloor, "tuned", r.Value * 1e-6, model => model.GraphCollectiveLatencySeconds));
            return null;
        }

        if (r.Shape.StartsWith("all_reduce msg=", StringComparison.Ordinal))
        {
            var size = Number(r.Shape, @"msg=(\d+)(KB|MB|GB|B)");
            var n = Number(r.Shape, @", (\d+) GPUs");
            if (size is null || n is null) return "all-reduce row without message size or GPU count";
            if (!r.Notes.Contains("busbw", StringComparison.Ordinal) && r.Metric == "gbps") return "not a bus-bandwidth figure";
            var devices = (int)n.Value;
            var link = devices > d.Accelerator.ScaleUpDomain || r.Shape.Contains("IB", StringComparison.Ordinal) || r.Shape.Contains("racks)", StringComparison.Ordinal)
                ? LinkClass.Network : LinkClasses.Of(d.Accelerator, Math.Min(devices, d.Accelerator.ScaleUpDomain));
            var factor = 2.0 * (devices - 1) / devices;
            var bytes = size.Value;
            var measured = r.Metric == "us" ? r.Value * 1e-6 : bytes * factor / (r.Value * 1e9);
            var nominal = link == LinkClass.Network ? d.Accelerator.ScaleOutBandwidth.Value : d.ScaleUpBandwidth;
            cases.Add(new KernelCase(r.Id, KernelCategory.AllReduce, link.Name(), measured, model =>
            {
                var c = model.AllReduceFor(link);
                return c.LatencySeconds + bytes * factor / (c.BandwidthFraction * nominal);
            }));
            return null;
        }

        if (r.Metric == "us" && Number(r.Shape, @"EP=(\d+)") is { } ep && Number(r.Shape, @"tokens_per_rank=(\d+)") is { } tokens
            && Number(r.Shape, @"hidden=(\d+)") is { } hidden && Number(r.Shape, @"topk=(\d+)") is { } topK)
        {
            var bytesPerElement = r.Precision.Contains("FP8", StringComparison.Ordinal) ? 1.0 : 2.0;
            var rdma = r.Notes.Contains("RDMA", StringComparison.Ordinal) || r.Shape.Contains("Internode", StringComparison.Ordinal);
            var link = rdma ? LinkClass.Network : LinkClasses.Of(d.Accelerator, Math.Min((int)ep, d.Accelerator.ScaleUpDomain));
            var nominal = link == LinkClass.Network ? d.Accelerator.ScaleOutBandwidth.Value : d.ScaleUpBandwidth;
            var bytes = tokens * topK * hidden * bytesPerElement;
            var share = (ep - 1) / ep;
            cases.Add(new KernelCase(r.Id, KernelCategory.AllToAll, link.Name(), r.Value * 1e-6, model =>
            {
                var c = model.AllToAllFor(link);
                return c.LatencySeconds + bytes * share / (c.BandwidthFraction * nominal);
            }));
            return null;
        }

        return r.Metric == "gbps" && r.Shape.Contains("EP", StringComparison.Ordinal)
            ? "bandwidth view of an all-to-all whose time row is the case (or a throughput-only DeepEP figure)"
            : "a link or latency statement, not a sized collective (used as a source for the tuned-stack latency)";
    }
}
