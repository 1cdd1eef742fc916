using System.Text.Json;

namespace Infercost.Catalog;

// Checkpoints say how their weights are stored in one of several places: quantization_config inside config.json (with
// quant_method fp8, mxfp4, modelopt, compressed-tensors, awq, gptq, bitsandbytes, fbgemm_fp8, ...; ModelOpt exports
// sometimes omit quant_method and give only quant_algo), hf_quant_config.json beside it (NVIDIA's ModelOpt releases), or
// MLX's "quantization" block. Each names a format and, usually, the modules left out of it (attention, the router,
// shared experts, lm_head), which keep the checkpoint's dtype. The core carries a precision for routed experts, one for
// everything else, and one each for the input embedding and the LM head; the split is taken from which of those the
// exclusions cover. A file that says it is quantised in a way this reader cannot tell is refused with the flag that sets
// the precision, never read as bf16.

/// <summary>Reads the weight precision of a checkpoint from its config and quantisation files.</summary>
internal static class HfQuantization
{
    /// <summary>What was found: precision of non-expert and of routed-expert weights, and notes saying where from.</summary>
    public readonly record struct Result(Precision Weights, Precision? Experts, IReadOnlyList<string> Notes)
    {
        /// <summary>Precision of the input embedding when it differs from <see cref="Weights"/>; null otherwise.</summary>
        public Precision? Embedding { get; init; }

        /// <summary>Precision of the LM head when it differs from <see cref="Weights"/>; null otherwise.</summary>
        public Precision? LmHead { get; init; }

        /// <summary>Block-scale layout of the checkpoint's fp4 tensors where the config names it (NVFP4, MXFP4,
        /// bitsandbytes fp4); null otherwise.</summary>
        public BlockScales? Fp4Scales { get; init; }

        /// <summary>Block-scale layout of the checkpoint's int4 tensors (group size, zero points); null otherwise.</summary>
        public BlockScales? Int4Scales { get; init; }
    }

    private const string Flags = "set the precision with --weights (and --expert-weights for routed experts)";

    /// <summary>Reads the precision; problems go to <paramref name="problems"/> (config.json) or <paramref name="quantProblems"/>.</summary>
    public static Result Read(JsonObjectReader root, JsonObjectReader text, JsonElement? hfQuant, string hfQuantName,
        CatalogProblems problems, CatalogProblems quantProblems)
    {
        var dtype = ReadDtype(text, root);
        if (hfQuant is { } hq)
        {
            var reader = new JsonObjectReader(hq, "", quantProblems);
            if (hq.ValueKind != JsonValueKind.Object)
            {
                quantProblems.Add("$", $"must be a JSON object; was {JsonObjectReader.Raw(hq)}");
                return new Result(dtype, null, []);
            }

            var q = reader.Object("quantization");
            return q is null ? new Result(dtype, null, []) : FromModelOpt(q, dtype, $"{hfQuantName} (modelopt)");
        }

        var holder = root.Has("quantization_config") ? root : text.Has("quantization_config") ? text : null;
        if (holder is not null)
        {
            var qc = holder.Object("quantization_config");
            return qc is null ? new Result(dtype, null, []) : FromQuantizationConfig(qc, dtype);
        }

        if (root.Object("quantization", required: false) is { } mlx)
        {
            var bits = mlx.Int("bits", 2, 16);
            var p = bits switch { 8 => Precision.Int8, 4 => Precision.Int4, null => (Precision?)null, _ => null };
            if (bits is not null && p is null) mlx.Problem("bits", $"{bits}-bit weights have no precision in this tool (accepted: 4, 8); {Flags}");
            // MLX stores an fp16 scale and an fp16 bias per group (mlx.core.quantize; group_size default 64).
            var group = mlx.Has("group_size") ? mlx.Int("group_size", 1, 1_048_576) ?? 64 : 64;
            return p is { } mp
                ? new Result(mp, mp, [$"Quantisation from config.json quantization (MLX, {bits}-bit, group {group}): every quantised module {mp.Name()}."])
                { Int4Scales = mp == Precision.Int4 ? new BlockScales($"mlx g{group}", group, 16, 16) : null }
                : new Result(dtype, null, []);
        }

        return new Result(dtype, null, []);
    }

    /// <summary>The KV-cache precision the checkpoint was calibrated for, where it says: ModelOpt's <c>kv_cache_quant_algo</c>
    /// (in <c>hf_quant_config.json</c> or an inline modelopt <c>quantization_config</c>) or compressed-tensors'
    /// <c>kv_cache_scheme</c>. Null when the checkpoint says nothing (the cache is then the serving default, bf16).</summary>
    public static (Precision? Kv, string? Note) ReadKv(JsonObjectReader root, JsonObjectReader text, JsonElement? hfQuant,
        string hfQuantName, CatalogProblems quantProblems)
    {
        if (hfQuant is { ValueKind: JsonValueKind.Object } hq)
        {
            var q = new JsonObjectReader(hq, "", quantProblems).Object("quantization", required: false);
            return q is null ? (null, null) : KvAlgo(q, hfQuantName);
        }

        var holder = root.Has("quantization_config") ? root : text.Has("quantization_config") ? text : null;
        if (holder?.Object("quantization_config", required: false) is not { } qc) return (null, null);
        var inner = qc.Object("quantization", required: false) ?? qc;
        if (inner.Has("kv_cache_quant_algo")) return KvAlgo(inner, "config.json quantization_config");
        if (qc.Object("kv_cache_scheme", required: false) is not { } scheme) return (null, null);
        var bits = scheme.Int("num_bits", 1, 16);
        var type = scheme.String("type", required: false) ?? "int";
        Precision? p = (bits, type) switch { (8, "float") => Precision.Fp8, (8, _) => Precision.Int8, _ => null };
        if (p is null && bits is not null)
            scheme.Problem("num_bits", $"{bits}-bit {type} KV cache has no precision in this tool (accepted: 8-bit float or int); set it with --kv");
        return p is { } kv ? (kv, $"KV cache {kv.Name()} by default, as the checkpoint's config.json quantization_config.kv_cache_scheme says (--kv overrides).") : (null, null);
    }

    private static (Precision? Kv, string? Note) KvAlgo(JsonObjectReader q, string where)
    {
        if (!q.Has("kv_cache_quant_algo") || q.String("kv_cache_quant_algo") is not { } algo) return (null, null);
        Precision? p = algo.ToUpperInvariant() switch { "FP8" => Precision.Fp8, "NVFP4" => Precision.Fp4, "INT8" => Precision.Int8, _ => null };
        if (p is null)
        {
            q.Problem("kv_cache_quant_algo", $"\"{algo}\" is not a KV-cache format this reader knows (accepted: FP8, NVFP4, INT8, or null); set the cache precision with --kv");
            return (null, null);
        }

        return (p, $"KV cache {p.Value.Name()} by default, as {where} kv_cache_quant_algo {algo} says (--kv overrides).");
    }

    private static Precision ReadDtype(JsonObjectReader text, JsonObjectReader root)
    {
        var holder = text.Has("torch_dtype") || text.Has("dtype") ? text : root;
        var key = holder.Has("torch_dtype") ? "torch_dtype" : "dtype";
        if (!holder.Has(key) || holder.String(key) is not { } dtype) return Precision.Bf16;
        switch (dtype)
        {
            case "bfloat16": return Precision.Bf16;
            case "float16": return Precision.Fp16;
            // Full-precision checkpoints are served in 16-bit; the core has no fp32 weight path.
            case "float32": return Precision.Bf16;
            default:
                holder.Problem(key, $"must be one of bfloat16, float16, float32; was \"{dtype}\"");
                return Precision.Bf16;
        }
    }

    private static Result FromQuantizationConfig(JsonObjectReader q, Precision dtype)
    {
        var method = q.TryGet("quant_method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()!.ToLowerInvariant() : null;
        if (method is null && (q.Has("quant_algo") || q.Has("quantization")))
            method = "modelopt";
        const string where = "config.json quantization_config";
        switch (method)
        {
            case null:
                q.Problem("quant_method", $"required to tell how the weights are stored (fp8, mxfp4, modelopt, compressed-tensors, awq, gptq, bitsandbytes); field is missing; {Flags}");
                return new Result(dtype, null, []);
            case "modelopt":
                return FromModelOpt(q.Has("quantization") ? q.Object("quantization")! : q, dtype, $"{where} (modelopt)");
            case "fp8" or "fbgemm_fp8" or "fp8_dynamic":
            {
                var block = q.TryGet("weight_block_size", out var b) && b.ValueKind == JsonValueKind.Array ? $"block {JsonObjectReader.Raw(b)}" : "per-tensor";
                return Split(Precision.Fp8, dtype, Excluded(q, "modules_to_not_convert", "ignored_layers", "ignore"), $"{where} ({method}, {block})", HeadOutside(method));
            }

            case "mxfp4":
                return Split(Precision.Fp4, dtype, Excluded(q, "modules_to_not_convert", "ignore"), $"{where} (mxfp4)", HeadOutside("mxfp4")) with { Fp4Scales = BlockScales.Mxfp4 };
            case "nvfp4":
                return Split(Precision.Fp4, dtype, Excluded(q, "modules_to_not_convert", "ignore", "exclude_modules"), $"{where} (nvfp4)") with { Fp4Scales = BlockScales.Nvfp4 };
            case "awq" or "gptq" or "auto-round" or "autoround" or "hqq" or "marlin" or "gptq_marlin" or "awq_marlin":
            {
                var bitsKey = q.FirstPresent("bits", "w_bit", "nbits");
                var bits = bitsKey is null ? 4 : q.Int(bitsKey, 1, 16);
                var p = bits switch { 4 => Precision.Int4, 8 => Precision.Int8, null => (Precision?)null, _ => null };
                if (p is null)
                {
                    if (bits is not null) q.Problem(bitsKey!, $"{bits}-bit {method} weights have no precision in this tool (accepted: 4, 8); {Flags}");
                    return new Result(dtype, null, []);
                }

                // These quantise the decoder blocks' linear layers; the head only where the config says so (GPTQModel's lm_head: true).
                var headQuantised = q.TryGet("lm_head", out var lh) && lh.ValueKind == JsonValueKind.True;
                // One fp16 scale and one packed 4-bit zero point per group (AWQ's zero_point: false drops the zero point);
                // group_size -1 is per channel.
                var groupKey = q.FirstPresent("group_size", "q_group_size");
                var group = groupKey is null ? BlockScales.DefaultIntGroupSize : q.Int(groupKey, -1, 1_048_576) ?? BlockScales.DefaultIntGroupSize;
                var zeroPoint = !(q.TryGet("zero_point", out var zp) && zp.ValueKind == JsonValueKind.False);
                return Split(p.Value, dtype, Excluded(q, "modules_to_not_convert", "modules_in_block_to_quantize_excluded", "ignore"), $"{where} ({method} {bits}-bit, group {group})",
                    headQuantised ? null : $"{method} quantises the decoder blocks only") with { Int4Scales = p == Precision.Int4 ? BlockScales.IntGroups(group, zeroPoint) : null };
            }

            case "bitsandbytes":
            {
                var four = q.Bool("load_in_4bit");
                var eight = q.Bool("load_in_8bit");
                if (!four && !eight)
                {
                    q.Problem("load_in_4bit", $"bitsandbytes config loads neither 4-bit nor 8-bit weights; {Flags}");
                    return new Result(dtype, null, []);
                }

                var kind = four ? (q.TryGet("bnb_4bit_quant_type", out var qt) && qt.ValueKind == JsonValueKind.String ? qt.GetString() : "fp4") : "int8";
                var p = four ? (kind == "nf4" ? Precision.Int4 : Precision.Fp4) : Precision.Int8;
                // bitsandbytes 4-bit: one fp32 absmax per block of 64; with double quantisation the absmax is 8-bit with one
                // fp32 scale per 256 blocks (Dettmers et al. 2023, QLoRA §3: 32/64 = 0.5 → 8/64 + 32/(64·256) = 0.127 bit).
                var doubleQuant = q.TryGet("bnb_4bit_use_double_quant", out var dq) && dq.ValueKind == JsonValueKind.True;
                var bnb = new BlockScales(doubleQuant ? "bnb-dq g64" : "bnb g64", 64, doubleQuant ? 8 + (32.0 / 256) : 32);
                return Split(p, dtype, Excluded(q, "llm_int8_skip_modules", "modules_to_not_convert"), $"{where} (bitsandbytes {kind})", HeadOutside("bitsandbytes"))
                    with { Fp4Scales = p == Precision.Fp4 ? bnb : null, Int4Scales = p == Precision.Int4 ? bnb : null };
            }

            case "compressed-tensors":
                return FromCompressedTensors(q, dtype, where);
            default:
                q.Problem("quant_method", $"\"{method}\" is not a format this reader knows (accepted: fp8, fbgemm_fp8, mxfp4, nvfp4, modelopt, compressed-tensors, awq, gptq, bitsandbytes); {Flags}");
                return new Result(dtype, null, []);
        }
    }

    private static Result FromModelOpt(JsonObjectReader q, Precision dtype, string where)
    {
        var algo = q.String("quant_algo", required: false);
        var excluded = Excluded(q, "exclude_modules", "ignore", "modules_to_not_convert");
        if (algo is null)
        {
            q.Problem("quant_algo", $"required to tell how the weights are stored (FP8, NVFP4, MIXED_PRECISION, ...); field is missing or null; {Flags}");
            return new Result(dtype, null, []);
        }

        if (algo.Equals("MIXED_PRECISION", StringComparison.OrdinalIgnoreCase))
        {
            // Per-module formats: the experts' format and the non-experts' format, each from the modules listed.
            if (q.Object("quantized_layers") is not { } layers) return new Result(dtype, null, []);
            Precision? experts = null, other = null, head = null;
            BlockScales? fp4Scales = null, int4Scales = null;
            var ambiguous = false;
            foreach (var module in layers.Element.EnumerateObject())
            {
                var sub = layers.At(module.Value, layers.PathOf(module.Name));
                if (module.Value.ValueKind != JsonValueKind.Object || sub.String("quant_algo") is not { } a) continue;
                if (Algo(a) is not { } p)
                {
                    sub.Problem("quant_algo", $"\"{a}\" is not a format this reader knows (accepted: FP8, NVFP4, W4A16_AWQ, W4A8_AWQ, INT8_SQ, W8A8); {Flags}");
                    continue;
                }

                fp4Scales ??= Fp4ScalesOf(a);
                int4Scales ??= p == Precision.Int4 ? ModelOptIntGroups(sub, q) : null;
                if (IsHead(module.Name))
                {
                    head = p;
                    continue;
                }

                var isExpert = IsRoutedExperts(module.Name);
                ref var slot = ref isExpert ? ref experts : ref other;
                if (slot is { } prev && prev != p) ambiguous = true;
                slot = p;
            }

            var weights = other ?? dtype;
            var lmHead = head ?? dtype;
            var note = $"Quantisation from {where}: MIXED_PRECISION; routed experts {(experts ?? dtype).Name()}, other weights {weights.Name()}"
                + (other is null ? " (not in quantized_layers, so kept at the checkpoint dtype)" : "")
                + (ambiguous ? "; modules of one kind use several formats, the last listed is used" : "")
                + (lmHead != weights || dtype != weights ? $"; lm_head {lmHead.Name()}{(head is null ? " (not in quantized_layers)" : "")}, input embedding {dtype.Name()} (a lookup table, not quantised)" : "") + ".";
            return new Result(weights, experts ?? other ?? dtype, [note])
            {
                Embedding = dtype == weights ? null : dtype,
                LmHead = lmHead == weights ? null : lmHead,
                Fp4Scales = fp4Scales,
                Int4Scales = int4Scales,
            };
        }

        if (Algo(algo) is not { } precision)
        {
            q.Problem("quant_algo", $"\"{algo}\" is not a format this reader knows (accepted: FP8, FP8_PB_WO, NVFP4, NVFP4_AWQ, W4A16_AWQ, W4A8_AWQ, INT8_SQ, W8A8, MIXED_PRECISION); {Flags}");
            return new Result(dtype, null, []);
        }

        return Split(precision, dtype, excluded, $"{where} ({algo})") with
        {
            Fp4Scales = Fp4ScalesOf(algo),
            Int4Scales = precision == Precision.Int4 ? ModelOptIntGroups(q, q) : null,
        };
    }

    // ModelOpt's FP4 algorithms are NVFP4 (E4M3 scale per 16) but for MXFP4; W4A8_NVFP4_FP8 stores NVFP4 weights.
    private static BlockScales? Fp4ScalesOf(string algo) => algo.ToUpperInvariant() switch
    {
        "MXFP4" => BlockScales.Mxfp4,
        "NVFP4" or "NVFP4_AWQ" or "NVFP4_SVDQUANT" or "W4A8_NVFP4_FP8" => BlockScales.Nvfp4,
        _ => null,
    };

    // ModelOpt's INT4 AWQ is symmetric: one fp16 scale per group_size elements (128 by default), no zero point.
    private static BlockScales ModelOptIntGroups(JsonObjectReader module, JsonObjectReader whole)
    {
        var holder = module.Has("group_size") ? module : whole;
        var group = holder.Has("group_size") ? holder.Int("group_size", -1, 1_048_576) ?? BlockScales.DefaultIntGroupSize : BlockScales.DefaultIntGroupSize;
        return BlockScales.IntGroups(group, zeroPoint: false);
    }

    // compressed-tensors: config_groups name the format of the weights each group targets; ignore lists modules left out.
    private static Result FromCompressedTensors(JsonObjectReader q, Precision dtype, string where)
    {
        var format = q.TryGet("format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        Precision? precision = null;
        BlockScales? scales = null;
        if (q.Object("config_groups", required: false) is { } groups)
        {
            foreach (var group in groups.Element.EnumerateObject())
            {
                if (group.Value.ValueKind != JsonValueKind.Object || !group.Value.TryGetProperty("weights", out var w) || w.ValueKind != JsonValueKind.Object) continue;
                var bits = w.TryGetProperty("num_bits", out var nb) && nb.TryGetInt32(out var nbi) ? nbi : 0;
                var type = w.TryGetProperty("type", out var ty) && ty.ValueKind == JsonValueKind.String ? ty.GetString() : "int";
                Precision? p = (bits, type) switch
                {
                    (8, "float") => Precision.Fp8,
                    (8, _) => Precision.Int8,
                    (4, "float") => Precision.Fp4,
                    (4, _) => Precision.Int4,
                    _ => null,
                };
                if (p is null)
                {
                    groups.Problem($"{group.Name}.weights", $"{bits}-bit {type} weights have no precision in this tool (accepted: 4 or 8 bits, int or float); {Flags}");
                    continue;
                }

                // Several groups: the coarsest-to-finest choice is ambiguous, so the wider (more bytes) is taken (value bytes
                // decide; the scales follow the group taken).
                if (precision is { } prev && prev.BytesPerElement() >= p.Value.BytesPerElement()) continue;
                precision = p;
                // Scales in the checkpoint dtype (16 bits) per group_size elements, for the "group" and "tensor_group"
                // strategies; FP4 groups of 16 with fp8 scales are NVFP4, of 32 MXFP4. Asymmetric int adds a zero point.
                var groupSize = w.TryGetProperty("group_size", out var gs) && gs.TryGetInt32(out var g) ? g : 0;
                var symmetric = !w.TryGetProperty("symmetric", out var sy) || sy.ValueKind != JsonValueKind.False;
                scales = p switch
                {
                    Precision.Fp4 => groupSize == 32 ? BlockScales.Mxfp4 : groupSize is 16 or 0 ? BlockScales.Nvfp4 : new BlockScales($"g{groupSize}", groupSize, 8),
                    Precision.Int4 => groupSize > 0 ? new BlockScales($"g{groupSize}", groupSize, 16, symmetric ? 0 : 4) : BlockScales.IntGroups(0),
                    _ => null,
                };
            }
        }

        if (precision is null && format is not null)
        {
            precision = format switch
            {
                "nvfp4-pack-quantized" or "mxfp4-pack-quantized" => Precision.Fp4,
                "float-quantized" => Precision.Fp8,
                "pack-quantized" or "int-quantized" => Precision.Int4,
                _ => null,
            };
        }

        if (precision is null)
        {
            q.Problem("config_groups", $"no weight format could be read (format {format ?? "not given"}); {Flags}");
            return new Result(dtype, null, []);
        }

        if (precision == Precision.Fp4 && format == "mxfp4-pack-quantized") scales = BlockScales.Mxfp4;
        if (precision == Precision.Fp4 && format == "nvfp4-pack-quantized") scales = BlockScales.Nvfp4;
        return Split(precision.Value, dtype, Excluded(q, "ignore"), $"{where} (compressed-tensors{(format is null ? "" : ", " + format)})") with
        {
            Fp4Scales = precision == Precision.Fp4 ? scales ?? BlockScales.Nvfp4 : null,
            Int4Scales = precision == Precision.Int4 ? scales : null,
        };
    }

    private static Precision? Algo(string algo) => algo.ToUpperInvariant() switch
    {
        "FP8" or "FP8_PB_WO" or "FP8_BLOCK" or "FP8_PER_CHANNEL_PER_TOKEN" or "FP8_BLOCKWISE" => Precision.Fp8,
        "NVFP4" or "NVFP4_AWQ" or "MXFP4" or "NVFP4_SVDQUANT" or "W4A8_NVFP4_FP8" => Precision.Fp4,
        "W4A16_AWQ" or "INT4_AWQ" or "W4A8_AWQ" or "W4A16" or "INT4" => Precision.Int4,
        "INT8_SQ" or "W8A8" or "INT8" or "W8A16" => Precision.Int8,
        _ => null,
    };

    private static List<string> Excluded(JsonObjectReader q, params ReadOnlySpan<string> keys)
    {
        var all = new List<string>();
        foreach (var key in keys)
        {
            if (!q.TryGet(key, out var v)) continue;
            if (v.ValueKind != JsonValueKind.Array)
            {
                q.Problem(key, $"must be an array of module names; was {JsonObjectReader.Raw(v)}");
                continue;
            }

            all.AddRange(v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!));
        }

        return all;
    }

    // "lm_head" in its many spellings (model.lm_head, re:.*lm_head, lm_head*); "head" is DeepSeek's own name (V4's export).
    private static bool IsHead(string module) =>
        module.Contains("lm_head", StringComparison.OrdinalIgnoreCase) || module.Equals("head", StringComparison.OrdinalIgnoreCase);

    // Formats whose quantiser leaves the output head out whatever the config lists: Transformers' fp8, fbgemm_fp8, mxfp4
    // and bitsandbytes quantisers add the output embedding to modules_to_not_convert themselves, and DeepSeek's own fp8
    // checkpoints build the head in the default dtype, bf16 (deepseek-ai/DeepSeek-V3 inference/model.py @ 013e2213:
    // ColumnParallelLinear(dim, vocab_size, dtype=torch.get_default_dtype()), where only Linear layers take fp8).
    private static string HeadOutside(string method) => $"{method} leaves the output head out";

    private static bool IsRoutedExperts(string module) =>
        module.Contains("experts", StringComparison.OrdinalIgnoreCase) && !module.Contains("shared", StringComparison.OrdinalIgnoreCase);

    // The core has two weight precisions: routed experts, and everything else. Routed experts take the format unless the
    // exclusions name them; the rest takes it unless the exclusions name the attention projections, which are the bulk
    // of the non-expert weights in the MoE checkpoints that exclude them (ModelOpt's DeepSeek and Kimi NVFP4 releases).
    // The router and norms are left out by almost every exporter; they are small and are counted at the non-expert
    // precision. The LM head is read whole every decode step and the input embedding is resident, so each keeps its own:
    // the head the checkpoint's dtype when the exclusions name it or the format never quantises it (headOutside says
    // why), the format's otherwise; the embedding always the dtype, as no format here quantises a lookup table (they
    // replace linear layers).
    private static Result Split(Precision precision, Precision dtype, IReadOnlyList<string> excluded, string where, string? headOutside = null)
    {
        var attention = excluded.Any(m => m.Contains("attn", StringComparison.OrdinalIgnoreCase) || m.Contains("attention", StringComparison.OrdinalIgnoreCase));
        var experts = excluded.Any(m => IsRoutedExperts(m) && !m.Contains("gate", StringComparison.OrdinalIgnoreCase));
        var weights = attention ? dtype : precision;
        var expertPrecision = experts ? dtype : precision;
        var kept = new List<string>();
        if (attention) kept.Add("attention");
        if (excluded.Any(m => m.Contains("shared_expert", StringComparison.OrdinalIgnoreCase))) kept.Add("shared experts");
        if (experts) kept.Add("routed experts");
        var headListed = excluded.Any(IsHead);
        if (headListed) kept.Add("lm_head");
        var lmHead = headListed || headOutside is not null ? dtype : precision;
        var tables = lmHead == weights && dtype == weights ? ""
            : $"; lm_head {lmHead.Name()}{(!headListed && headOutside is not null ? $" ({headOutside})" : "")}, input embedding {dtype.Name()} (a lookup table, not quantised), each counted at its own precision";
        var note = $"Quantisation from {where}: routed experts {expertPrecision.Name()}, other weights {weights.Name()}"
            + (kept.Count > 0 ? $"; left unquantised by the checkpoint: {string.Join(", ", kept)} ({dtype.Name()})" : "") + tables + ".";
        return new Result(weights, expertPrecision == weights ? null : expertPrecision, [note])
        {
            Embedding = dtype == weights ? null : dtype,
            LmHead = lmHead == weights ? null : lmHead,
        };
    }
}
