using System.Text.Json;
using Infercost.Hardware;
using Infercost.Models;
using Infercost.Quantities;

namespace Infercost.Catalog;

// The catalog format is the project's own (camelCase keys, unit in the key name), distinct from the
// Hugging Face format read by HuggingFaceConfig. Parsing goes through JsonDocument rather than
// serializer attributes so that every problem can be reported with its JSON path, all at once,
// and so that unknown fields are errors rather than silently dropped.

/// <summary>Parses catalog JSON (<c>{"accelerators": [...], "models": [...]}</c>) into records.</summary>
internal static class CatalogParser
{
    /// <summary>Default per-device scale-out bandwidth: one 400 Gb/s NIC, 50 GB/s per direction.</summary>
    public const double DefaultScaleOutGBps = 50;

    private static readonly string[] RootFields = ["accelerators", "models"];

    private static readonly string[] AcceleratorFields =
    [
        "id", "name", "vendor", "memoryGB", "memoryBandwidthTBps", "denseTflops", "tdpW", "scaleUpGBpsPerDirection",
        "scaleUpDomain", "scaleOutGBpsPerDirection", "rentalUsdPerHour", "purchaseUsd", "sources", "asOf", "notes",
        "interconnect", "hopLatencyUs",
    ];

    /// <summary>Largest accepted <c>hopLatencyUs</c>: one ICI hop above a millisecond is not a chip-to-chip link.</summary>
    public const double MaxHopLatencyUs = 1000;

    private static readonly string[] PeakFields = ["fp16", "bf16", "fp8", "int8", "int4", "fp4"];

    private static readonly string[] ModelFields =
    [
        "id", "name", "hfRepo", "layers", "hiddenSize", "attentionHeads", "kvHeads", "headDim", "denseIntermediateSize",
        "vocabSize", "tieWordEmbeddings", "attention", "mla", "slidingWindow", "attentionSinks", "qkvBias", "outputBias",
        "qkNorm", "moe", "maxContextTokens", "defaultWeightPrecision", "defaultExpertPrecision", "defaultEmbeddingPrecision", "defaultLmHeadPrecision", "publishedTotalBillions",
        "publishedActiveBillions", "releaseDate", "sources", "asOf", "notes",
        "moeLayerCount", "mlpFreeLayers", "mixerFreeLayers", "mlpProjections", "recurrent", "indexer", "attentionOutputGate",
        "mtpLayers", "encoderBillions", "globalAttention",
    ];

    private static readonly string[] GlobalAttentionFields = ["kvHeads", "headDim", "sharedKeyValue"];

    private static readonly string[] RecurrentFields = ["kind", "layers", "keyHeads", "keyHeadDim", "valueHeads", "valueHeadDim", "convKernel"];
    private static readonly string[] IndexerFields = ["heads", "headDim", "topK"];

    private static readonly string[] MlaFields = ["qLoraRank", "kvLoraRank", "qkNopeHeadDim", "qkRopeHeadDim", "vHeadDim"];
    private static readonly string[] SlidingFields = ["windowTokens", "layers", "chunked"];

    private static readonly string[] MoeFields =
    [
        "experts", "expertsPerToken", "sharedExperts", "expertIntermediateSize", "firstDenseLayers", "expertBias", "routerBias",
        "sharedExpertIntermediateSize",
    ];

    /// <summary>Parses <paramref name="json"/>; throws one <see cref="InvalidInputException"/> listing every problem.</summary>
    public static (IReadOnlyList<Accelerator> Accelerators, IReadOnlyList<ModelArchitecture> Models) Parse(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(sourceName);
        using var document = ParseDocument(json, sourceName);
        var problems = new CatalogProblems();
        var accelerators = new List<Accelerator>();
        var models = new List<ModelArchitecture>();

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Add("$", $"must be an object with 'accelerators' and/or 'models' arrays; was {JsonObjectReader.Raw(root)}");
            problems.ThrowIfAny(sourceName);
        }

        var reader = new JsonObjectReader(root, "", problems);
        reader.RejectUnknown(RootFields);
        foreach (var entry in Entries(reader, "accelerators"))
        {
            if (ReadAccelerator(entry, problems) is { } a) accelerators.Add(a);
        }

        foreach (var entry in Entries(reader, "models"))
        {
            if (ReadModel(entry, problems) is { } m) models.Add(m);
        }

        RejectDuplicates(reader, "accelerators", problems);
        RejectDuplicates(reader, "models", problems);
        problems.ThrowIfAny(sourceName);
        return (accelerators, models);
    }

    private static JsonDocument ParseDocument(string json, string sourceName)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidInputException("$", $"{sourceName}: not valid JSON: {e.Message}");
        }
    }

    private static IEnumerable<JsonObjectReader> Entries(JsonObjectReader root, string arrayName)
    {
        if (!root.TryGet(arrayName, out var array)) yield break;
        if (array.ValueKind != JsonValueKind.Array)
        {
            root.Problem(arrayName, $"must be an array; was {JsonObjectReader.Raw(array)}");
            yield break;
        }

        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"{arrayName}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                root.Problem(path, $"must be an object; was {JsonObjectReader.Raw(item)}");
                continue;
            }

            yield return root.At(item, path);
        }
    }

    private static void RejectDuplicates(JsonObjectReader root, string arrayName, CatalogProblems problems)
    {
        if (!root.TryGet(arrayName, out var array) || array.ValueKind != JsonValueKind.Array) return;
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
            {
                var text = id.GetString()!;
                if (seen.TryGetValue(text, out var first))
                    problems.Add($"{arrayName}[{i}].id", $"duplicates {arrayName}[{first}].id; ids must be unique (case-insensitive); was \"{text}\"");
                else
                    seen[text] = i;
            }

            i++;
        }
    }

    private static Accelerator? ReadAccelerator(JsonObjectReader r, CatalogProblems problems)
    {
        var before = problems.Count;
        r.RejectUnknown(AcceleratorFields);
        var id = Id(r);
        var name = r.String("name");
        var vendor = r.String("vendor");
        var memory = r.Positive("memoryGB", high: ShapeLimits.MaxMemoryGB);
        var bandwidth = r.Positive("memoryBandwidthTBps", high: ShapeLimits.MaxBandwidthTBps);
        var peaks = ReadPeaks(r);
        var tdp = r.Positive("tdpW", required: false, high: ShapeLimits.MaxWatts);
        var scaleUp = r.Positive("scaleUpGBpsPerDirection", required: false, high: ShapeLimits.MaxLinkGBps);
        var domain = r.Int("scaleUpDomain", 1, ShapeLimits.MaxScaleUpDomain);
        var scaleOut = r.Positive("scaleOutGBpsPerDirection", required: false, high: ShapeLimits.MaxLinkGBps) ?? DefaultScaleOutGBps;
        var rental = r.Positive("rentalUsdPerHour", required: false, high: ShapeLimits.MaxUsd);
        var purchase = r.Positive("purchaseUsd", required: false, high: ShapeLimits.MaxUsd);
        var interconnect = ReadInterconnect(r);
        var hop = r.Positive("hopLatencyUs", required: false, high: MaxHopLatencyUs);
        if (hop is not null && interconnect == Interconnect.Switch)
            r.Problem("hopLatencyUs", "applies only to a torus interconnect; set \"interconnect\" to torus2d or torus3d, or remove it");
        var source = ReadProvenance(r);
        if (problems.Count > before) return null;

        return new Accelerator(
            id!, name!, vendor!,
            Bytes.FromGigabytes(memory!.Value),
            BytesPerSecond.FromTerabytesPerSecond(bandwidth!.Value),
            peaks!,
            tdp is { } w ? Watts.FromWatts(w) : null,
            scaleUp is { } up ? BytesPerSecond.FromGigabytesPerSecond(up) : null,
            domain!.Value,
            BytesPerSecond.FromGigabytesPerSecond(scaleOut),
            rental is { } hourly ? DollarsPerHour.FromDollarsPerHour(hourly) : null,
            purchase is { } usd ? Dollars.FromDollars(usd) : null,
            source!)
        {
            Interconnect = interconnect ?? Interconnect.Switch,
            HopLatency = hop is { } us ? Seconds.FromMicroseconds(us) : null,
        };
    }

    private static Interconnect? ReadInterconnect(JsonObjectReader r)
    {
        var text = r.String("interconnect", required: false);
        if (text is null) return Interconnect.Switch;
        if (Interconnects.Parse(text) is { } known) return known;
        r.Problem("interconnect", $"must be one of {string.Join(", ", Interconnects.Names)}; was \"{text}\"");
        return null;
    }

    private static PeakCompute? ReadPeaks(JsonObjectReader r)
    {
        if (r.Object("denseTflops") is not { } p) return null;
        p.RejectUnknown(PeakFields);
        FlopsPerSecond? Peak(string name) =>
            p.Positive(name, required: false, high: ShapeLimits.MaxTflops) is { } t ? FlopsPerSecond.FromTeraflops(t) : null;
        return new PeakCompute(Peak("fp16"), Peak("bf16"), Peak("fp8"), Peak("int8"), Peak("int4"), Peak("fp4"));
    }

    private static ModelArchitecture? ReadModel(JsonObjectReader r, CatalogProblems problems)
    {
        var before = problems.Count;
        r.RejectUnknown(ModelFields);
        var id = Id(r);
        var name = r.String("name");
        _ = r.String("hfRepo", required: false);
        var layers = r.Int("layers", 1, ShapeLimits.MaxLayers);
        var hidden = r.Int("hiddenSize", 1, ShapeLimits.MaxHiddenSize);
        var heads = r.Int("attentionHeads", 1, ShapeLimits.MaxHeads);
        var kvHeads = r.Int("kvHeads", 1, heads ?? ShapeLimits.MaxHeads);
        var headDim = r.Int("headDim", 1, ShapeLimits.MaxHeadDim);
        var dense = r.Int("denseIntermediateSize", 1, ShapeLimits.MaxIntermediateSize, required: false);
        var vocab = r.Int("vocabSize", 1, ShapeLimits.MaxVocabSize);
        var attention = ReadAttentionKind(r);
        var mla = ReadMla(r, attention, headDim);
        var sliding = ReadSlidingWindow(r, layers);
        var moe = ReadMoe(r, layers);
        var context = r.Int("maxContextTokens", 1, ShapeLimits.MaxContextTokens);
        var weightPrecision = ReadPrecision(r, "defaultWeightPrecision") ?? Precision.Bf16;
        var expertPrecision = ReadPrecision(r, "defaultExpertPrecision");
        var embeddingPrecision = ReadPrecision(r, "defaultEmbeddingPrecision");
        var lmHeadPrecision = ReadPrecision(r, "defaultLmHeadPrecision");
        var fp4Scales = ReadFp4Scales(r, "defaultWeightPrecision", "defaultExpertPrecision", "defaultEmbeddingPrecision", "defaultLmHeadPrecision");
        var total = r.Positive("publishedTotalBillions", required: false, high: ShapeLimits.MaxBillions);
        var active = r.Positive("publishedActiveBillions", required: false, high: ShapeLimits.MaxBillions);
        var release = r.String("releaseDate", required: false);
        if (release is not null && !ShapeLimits.IsIsoDate(release))
            r.Problem("releaseDate", $"must be an ISO 8601 date (2024-07-23, 2024-07 or 2024); was \"{release}\"");
        var source = ReadProvenance(r);
        var tied = r.Bool("tieWordEmbeddings");
        var sinks = r.Bool("attentionSinks");
        var qkvBias = r.Bool("qkvBias");
        var outputBias = r.Bool("outputBias");
        var qkNorm = r.Bool("qkNorm");
        var moeLayerCount = r.Int("moeLayerCount", 0, layers ?? ShapeLimits.MaxLayers, required: false);
        var mlpFree = r.Int("mlpFreeLayers", 0, layers ?? ShapeLimits.MaxLayers, required: false) ?? 0;
        var mixerFree = r.Int("mixerFreeLayers", 0, layers ?? ShapeLimits.MaxLayers, required: false) ?? 0;
        var projections = r.Int("mlpProjections", 2, 3, required: false) ?? 3;
        var recurrent = ReadRecurrent(r, layers);
        var indexer = ReadIndexer(r);
        var global = ReadGlobalAttention(r, heads, attention, sliding);
        var outputGate = r.Bool("attentionOutputGate");
        var mtp = r.Int("mtpLayers", 0, ShapeLimits.MaxLayers, required: false) ?? 0;
        var encoder = r.Positive("encoderBillions", required: false, high: ShapeLimits.MaxBillions);
        if (layers is { } l && (recurrent?.Layers ?? 0) + mixerFree > l)
            r.Problem("recurrent", $"recurrent.layers + mixerFreeLayers must be at most layers ({l}); was {(recurrent?.Layers ?? 0) + mixerFree}");

        if (attention == AttentionKind.Gqa && heads is { } h && kvHeads is { } kv && h % kv != 0)
            r.Problem("kvHeads", $"must divide attentionHeads ({h}) for gqa attention; was {kv}");
        if (total is { } t && active is { } a && a > t)
            r.Problem("publishedActiveBillions", $"must be <= publishedTotalBillions ({Guard.Format(t)}); was {Guard.Format(a)}");
        // A dense MLP width is needed when some layer is dense: no moe at all, or leading dense layers.
        // (An invalid moe block has already been reported; it does not also make the width required.)
        var interleavedDense = moeLayerCount is { } moeCount && layers is { } all && moeCount + mlpFree < all - (moe?.FirstDenseLayers ?? 0);
        if (dense is null && !r.Has("denseIntermediateSize") && (!r.Has("moe") || moe is { FirstDenseLayers: > 0 } || interleavedDense))
        {
            r.Problem("denseIntermediateSize", moe is null
                ? "required for a dense model (moe is null); was missing or null"
                : $"required when moe.firstDenseLayers > 0 ({moe.FirstDenseLayers}); was missing or null");
        }

        if (problems.Count > before) return null;
        return new ModelArchitecture
        {
            Id = id!,
            Name = name!,
            Layers = layers!.Value,
            HiddenSize = hidden!.Value,
            AttentionHeads = heads!.Value,
            KvHeads = kvHeads!.Value,
            HeadDim = headDim!.Value,
            DenseIntermediateSize = dense,
            VocabSize = vocab!.Value,
            TieWordEmbeddings = tied,
            Attention = attention ?? AttentionKind.Gqa,
            Mla = mla,
            SlidingWindow = sliding,
            AttentionSinks = sinks,
            QkvBias = qkvBias,
            OutputBias = outputBias,
            QkNorm = qkNorm,
            Moe = moe,
            MoeLayerCount = moeLayerCount,
            MlpFreeLayers = mlpFree,
            MixerFreeLayers = mixerFree,
            MlpProjections = projections,
            Recurrent = recurrent,
            Indexer = indexer,
            GlobalAttention = global,
            AttentionOutputGate = outputGate,
            MtpLayers = mtp,
            EncoderParameters = encoder is { } e ? e * 1e9 : null,
            MaxContextTokens = context!.Value,
            DefaultWeightPrecision = weightPrecision,
            DefaultExpertPrecision = expertPrecision,
            DefaultEmbeddingPrecision = embeddingPrecision,
            DefaultLmHeadPrecision = lmHeadPrecision,
            Fp4Scales = fp4Scales,
            PublishedTotalBillions = total,
            PublishedActiveBillions = active,
            ReleaseDate = release,
            Source = source!,
        };
    }

    private static AttentionKind? ReadAttentionKind(JsonObjectReader r)
    {
        var text = r.String("attention", required: false);
        switch (text)
        {
            case null: return AttentionKind.Gqa;
            case "gqa": return AttentionKind.Gqa;
            case "mla": return AttentionKind.Mla;
            default:
                r.Problem("attention", $"must be one of gqa, mla; was \"{text}\"");
                return null;
        }
    }

    private static MlaShape? ReadMla(JsonObjectReader r, AttentionKind? attention, int? headDim)
    {
        if (attention != AttentionKind.Mla)
        {
            if (r.Has("mla")) r.Problem("mla", "only allowed when attention is \"mla\"");
            return null;
        }

        if (r.Object("mla") is not { } m) return null;
        m.RejectUnknown(MlaFields);
        var q = m.Int("qLoraRank", 0, ShapeLimits.MaxLoraRank);
        var kv = m.Int("kvLoraRank", 1, ShapeLimits.MaxLoraRank);
        var nope = m.Int("qkNopeHeadDim", 0, ShapeLimits.MaxHeadDim);
        var rope = m.Int("qkRopeHeadDim", 1, ShapeLimits.MaxHeadDim);
        var v = m.Int("vHeadDim", 1, ShapeLimits.MaxHeadDim);
        if (headDim is { } d && nope is { } n && rope is { } ro && d != n + ro)
            r.Problem("headDim", $"must equal mla.qkNopeHeadDim + mla.qkRopeHeadDim ({n + ro}) for mla attention; was {d}");
        return q is null || kv is null || nope is null || rope is null || v is null
            ? null
            : new MlaShape(q.Value, kv.Value, nope.Value, rope.Value, v.Value);
    }

    private static SlidingWindow? ReadSlidingWindow(JsonObjectReader r, int? layers)
    {
        if (!r.Has("slidingWindow")) return null;
        if (r.Object("slidingWindow") is not { } s) return null;
        s.RejectUnknown(SlidingFields);
        var window = s.Int("windowTokens", 1, ShapeLimits.MaxContextTokens);
        var count = s.Int("layers", 1, layers ?? ShapeLimits.MaxLayers);
        var chunked = s.Bool("chunked");
        return window is null || count is null ? null : new SlidingWindow(window.Value, count.Value, chunked);
    }

    private static RecurrentLayers? ReadRecurrent(JsonObjectReader r, int? layers)
    {
        if (!r.Has("recurrent") || r.Object("recurrent") is not { } m) return null;
        m.RejectUnknown(RecurrentFields);
        var kindText = m.String("kind");
        RecurrentKind? kind = kindText switch
        {
            "gated-deltanet" => RecurrentKind.GatedDeltaNet,
            "mamba2" => RecurrentKind.Mamba2,
            null => null,
            _ => null,
        };
        if (kindText is not null && kind is null) m.Problem("kind", $"must be one of gated-deltanet, mamba2; was \"{kindText}\"");
        var count = m.Int("layers", 1, layers ?? ShapeLimits.MaxLayers);
        var kh = m.Int("keyHeads", 1, ShapeLimits.MaxHeads);
        var kd = m.Int("keyHeadDim", 1, ShapeLimits.MaxHeadDim);
        var vh = m.Int("valueHeads", 1, ShapeLimits.MaxHeads);
        var vd = m.Int("valueHeadDim", 1, ShapeLimits.MaxHeadDim);
        var conv = m.Int("convKernel", 1, 64);
        return kind is null || count is null || kh is null || kd is null || vh is null || vd is null || conv is null
            ? null
            : new RecurrentLayers(kind.Value, count.Value, kh.Value, kd.Value, vh.Value, vd.Value, conv.Value);
    }

    // Full-attention layers with their own geometry (Gemma 4); only meaningful beside windowed layers of another shape.
    private static GlobalAttention? ReadGlobalAttention(JsonObjectReader r, int? heads, AttentionKind? attention, SlidingWindow? sliding)
    {
        if (!r.Has("globalAttention") || r.Object("globalAttention") is not { } g) return null;
        g.RejectUnknown(GlobalAttentionFields);
        var kv = g.Int("kvHeads", 1, heads ?? ShapeLimits.MaxHeads);
        var dim = g.Int("headDim", 1, ShapeLimits.MaxHeadDim);
        var shared = g.Bool("sharedKeyValue");
        if (attention == AttentionKind.Mla) r.Problem("globalAttention", "applies to gqa attention only; was given with mla");
        if (sliding is null) r.Problem("globalAttention", "needs slidingWindow (the windowed layers keep headDim and kvHeads); was given without one");
        if (heads is { } h && kv is { } k && h % k != 0) g.Problem("kvHeads", $"must divide attentionHeads ({h}); was {k}");
        return kv is null || dim is null ? null : new GlobalAttention(kv.Value, dim.Value, shared);
    }

    private static SparseIndexer? ReadIndexer(JsonObjectReader r)
    {
        if (!r.Has("indexer") || r.Object("indexer") is not { } m) return null;
        m.RejectUnknown(IndexerFields);
        var heads = m.Int("heads", 1, ShapeLimits.MaxHeads);
        var dim = m.Int("headDim", 1, ShapeLimits.MaxHeadDim);
        var topK = m.Int("topK", 1, ShapeLimits.MaxContextTokens);
        return heads is null || dim is null || topK is null ? null : new SparseIndexer(heads.Value, dim.Value, topK.Value);
    }

    private static MoeShape? ReadMoe(JsonObjectReader r, int? layers)
    {
        if (!r.Has("moe")) return null;
        if (r.Object("moe") is not { } m) return null;
        m.RejectUnknown(MoeFields);
        var experts = m.Int("experts", 1, ShapeLimits.MaxExperts);
        var perToken = m.Int("expertsPerToken", 1, experts ?? ShapeLimits.MaxExperts);
        var shared = m.Int("sharedExperts", 0, ShapeLimits.MaxSharedExperts, required: false) ?? 0;
        var width = m.Int("expertIntermediateSize", 1, ShapeLimits.MaxIntermediateSize);
        var firstDense = m.Int("firstDenseLayers", 0, layers is { } l ? l - 1 : ShapeLimits.MaxLayers, required: false) ?? 0;
        var expertBias = m.Bool("expertBias");
        var routerBias = m.Bool("routerBias");
        var sharedWidth = m.Int("sharedExpertIntermediateSize", 1, ShapeLimits.MaxIntermediateSize, required: false);
        return experts is null || perToken is null || width is null
            ? null
            : new MoeShape(experts.Value, perToken.Value, shared, width.Value, firstDense, expertBias, routerBias, sharedWidth);
    }

    // A precision field may name the FP4 layout (nvfp4, mxfp4) rather than plain fp4: the entry's fp4 tensors are then
    // stored in it (gpt-oss's experts: mxfp4). Two fields naming different layouts contradict each other.
    private static BlockScales? ReadFp4Scales(JsonObjectReader r, params ReadOnlySpan<string> names)
    {
        (Fp4Format Format, string Field)? found = null;
        foreach (var name in names)
        {
            if (!r.Has(name) || PrecisionInfo.Fp4FormatOf(r.String(name, required: false)) is not { } format) continue;
            if (found is { } f && f.Format != format)
            {
                r.Problem(name, $"names {format.ToString().ToLowerInvariant()} but {f.Field} names {f.Format.ToString().ToLowerInvariant()}; an entry's fp4 tensors share one layout");
                continue;
            }

            found = (format, name);
        }

        return found is { } g ? BlockScales.Of(g.Format) : null;
    }

    private static Precision? ReadPrecision(JsonObjectReader r, string name)
    {
        var text = r.String(name, required: false);
        if (text is null) return null;
        if (PrecisionInfo.TryParse(text, out var p)) return p;
        r.Problem(name, $"must be one of {PrecisionInfo.AcceptedNames}; was \"{text}\"");
        return null;
    }

    private static string? Id(JsonObjectReader r)
    {
        var id = r.String("id");
        if (id is not null && id.Any(char.IsWhiteSpace))
        {
            r.Problem("id", $"must not contain spaces; was \"{id}\"");
            return null;
        }

        return id;
    }

    private static Provenance? ReadProvenance(JsonObjectReader r)
    {
        var sources = r.Strings("sources", allowEmpty: false);
        var asOf = r.String("asOf");
        if (asOf is not null && !ShapeLimits.IsIsoDate(asOf))
            r.Problem("asOf", $"must be an ISO 8601 date (2026-08-21, 2026-08 or 2026); was \"{asOf}\"");
        var notes = r.Strings("notes", required: false) ?? [];
        return sources is null || asOf is null ? null : new Provenance(sources, asOf, notes);
    }
}
