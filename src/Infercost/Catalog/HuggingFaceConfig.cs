using System.Text.Json;
using Infercost.Models;

namespace Infercost.Catalog;

// A Hugging Face config.json describes the shape of a model in the library's own field names, which differ by family
// (num_local_experts vs num_experts vs n_routed_experts; sliding_window vs layer_types vs sliding_window_pattern). The
// reader goes by structure, not by model_type: it looks for the fields that describe each part of a layer (attention,
// latent attention, a sparse indexer, windowed or chunked layers, linear-attention and state-space layers, a dense or
// expert MLP and the layers that carry which) and builds the shape from whichever are there, so a family it has never
// seen loads when its fields say what it is. model_type is consulted only for facts a family's config does not write
// down (Qwen2's q/k/v biases, Gemma's tied embeddings, gpt-oss's expert biases). Fields that would change the shape in
// a way the core does not model are refused by name rather than read into a plausible but wrong architecture; keys
// that change neither the parameter count nor the caches (rope settings, token ids, router loss weights) are ignored.

/// <summary>Reads a Hugging Face <c>config.json</c> (and an optional <c>hf_quant_config.json</c>) into a <see cref="ModelArchitecture"/>.</summary>
public static class HuggingFaceConfig
{
    /// <summary>Parses <paramref name="json"/>, the text of a <c>config.json</c>, as model <paramref name="id"/>.</summary>
    /// <param name="json">The config text.</param>
    /// <param name="id">The id to give the model (it also serves as its display name).</param>
    /// <param name="sourceName">Names the file in error messages and in the model's provenance.</param>
    /// <exception cref="InvalidInputException">Not JSON (with the 1-based line and column); required keys missing or out of
    /// range; keys that would change the shape in a way that is not modelled; quantisation that cannot be told. The
    /// message lists every problem with its key.</exception>
    public static ModelArchitecture Parse(string json, string id, string sourceName) => Parse(json, id, sourceName, null, null);

    /// <summary>Parses a <c>config.json</c> together with the <c>hf_quant_config.json</c> that NVIDIA ModelOpt
    /// checkpoints ship beside it.</summary>
    /// <param name="json">The config text.</param>
    /// <param name="id">The id to give the model.</param>
    /// <param name="sourceName">Names the config file.</param>
    /// <param name="quantJson">The text of <c>hf_quant_config.json</c>, or null when there is none.</param>
    /// <param name="quantSourceName">Names the quantisation file.</param>
    /// <exception cref="InvalidInputException">As <see cref="Parse(string, string, string)"/>, for either file.</exception>
    public static ModelArchitecture Parse(string json, string id, string sourceName, string? quantJson, string? quantSourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(sourceName);
        using var document = LenientJson.Parse(json, sourceName);
        using var quantDocument = quantJson is null ? null : LenientJson.Parse(quantJson, quantSourceName ?? "hf_quant_config.json");
        var problems = new CatalogProblems();
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            problems.Add("$", $"must be a JSON object; was {JsonObjectReader.Raw(document.RootElement)}");
            problems.ThrowIfAny(sourceName);
        }

        var root = new JsonObjectReader(document.RootElement, "", problems);
        var notes = new List<string>();
        var text = LanguageModel(root, notes);
        var modelType = (text.TryGet("model_type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null)
            ?? (root.TryGet("model_type", out var rt) && rt.ValueKind == JsonValueKind.String ? rt.GetString() : null) ?? "";
        var model = Read(root, text, modelType, id, sourceName, notes);
        var quantProblems = new CatalogProblems();
        var quant = HfQuantization.Read(root, text, quantDocument?.RootElement, quantSourceName ?? "hf_quant_config.json", problems, quantProblems);
        var (kv, kvNote) = HfQuantization.ReadKv(root, text, quantDocument?.RootElement, quantSourceName ?? "hf_quant_config.json", quantProblems);
        problems.ThrowIfAny(sourceName);
        quantProblems.ThrowIfAny(quantSourceName ?? "hf_quant_config.json");
        notes.AddRange(quant.Notes);
        if (kvNote is not null) notes.Add(kvNote);
        var sources = quantSourceName is null ? new[] { sourceName } : [sourceName, quantSourceName];
        return model! with
        {
            DefaultWeightPrecision = quant.Weights,
            DefaultExpertPrecision = quant.Experts,
            DefaultEmbeddingPrecision = quant.Embedding,
            DefaultLmHeadPrecision = quant.LmHead,
            DefaultKvPrecision = kv,
            // An fp4 KV cache is only ever NVFP4 here (kv_cache_quant_algo NVFP4), whatever the weights are.
            Fp4Scales = quant.Fp4Scales ?? (kv == Precision.Fp4 ? BlockScales.Nvfp4 : null),
            Int4Scales = quant.Int4Scales,
            Source = new Provenance(sources, "user-supplied", notes),
        };
    }

    // Multimodal checkpoints wrap the language model in text_config (llm_config for some NVIDIA ones); the served model
    // is that language model. Fields the wrapper keeps at its own level (tied embeddings, dtype, quantisation) are read
    // from there when the text config does not repeat them.
    private static JsonObjectReader LanguageModel(JsonObjectReader root, List<string> notes)
    {
        foreach (var key in (ReadOnlySpan<string>)["text_config", "llm_config", "language_config"])
        {
            if (!root.TryGet(key, out var inner) || inner.ValueKind != JsonValueKind.Object) continue;
            var encoder = EncoderTower(root);
            notes.Add(encoder is { } e
                ? $"Multimodal checkpoint: the language model in {key} is served; its encoder tower (about {e / 1e9:0.00}B parameters, estimated from vision_config) is counted apart."
                : $"Multimodal checkpoint: the language model in {key} is served; any encoder tower is not counted.");
            return root.At(inner, key);
        }

        // LLaVA-style checkpoints (Phi-4-reasoning-vision) keep the language model's keys at the top level beside vision_config.
        if (EncoderTower(root) is { } flat)
            notes.Add($"Multimodal checkpoint: the language model's keys sit beside vision_config and it is served; its encoder tower (about {flat / 1e9:0.00}B parameters, estimated from vision_config) is counted apart.");
        return root;
    }

    /// <summary>Parameters of a ViT-style encoder from <c>vision_config</c>: per layer 4·h² (attention) + 2·h·f (MLP) + biases
    /// and norms, plus a projector into the language model's width. An estimate (patch embedding and merger details vary).</summary>
    internal static double? EncoderTower(JsonObjectReader root)
    {
        if (!root.TryGet("vision_config", out var v) || v.ValueKind != JsonValueKind.Object) return null;
        static double? Num(JsonElement o, params ReadOnlySpan<string> names)
        {
            foreach (var n in names)
            {
                if (o.TryGetProperty(n, out var x) && x.ValueKind == JsonValueKind.Number && x.TryGetDouble(out var d) && d > 0) return d;
            }

            return null;
        }

        var layers = Num(v, "depth", "num_hidden_layers", "num_layers");
        var h = Num(v, "hidden_size", "embed_dim", "width");
        var f = Num(v, "intermediate_size", "mlp_dim") ?? (h * 4);
        if (layers is null || h is null || f is null) return null;
        var perLayer = 4 * h.Value * h.Value + 2 * h.Value * f.Value + 9 * h.Value + f.Value;
        var output = Num(v, "out_hidden_size", "projector_output_dim", "vision_output_dim", "output_dim") ?? h.Value;
        return layers.Value * perLayer + h.Value * output;
    }

    private static ModelArchitecture? Read(JsonObjectReader root, JsonObjectReader r, string type, string id, string sourceName, List<string> notes)
    {
        RejectUnmodelled(r);
        var layers = Required(r, 1, ShapeLimits.MaxLayers, "num_hidden_layers", "num_layers", "n_layer", "n_layers");
        var hidden = Required(r, 1, ShapeLimits.MaxHiddenSize, "hidden_size", "d_model", "n_embd", "dim");
        var heads = Required(r, 1, ShapeLimits.MaxHeads, "num_attention_heads", "n_head", "n_heads", "num_heads");
        var kvKey = r.FirstPresent("num_key_value_heads", "num_kv_heads", "n_kv_heads", "multi_query_group_num");
        var kvHeads = kvKey is null ? heads : r.Int(kvKey, 1, heads ?? ShapeLimits.MaxHeads);
        var defaults = FamilyDefaults.For(type);
        var vocab = defaults.VocabSize is { } dv && r.FirstPresent("vocab_size", "padded_vocab_size") is null
            ? Defaulted(notes, "vocab_size", dv, defaults)
            : Required(r, 1, ShapeLimits.MaxVocabSize, "vocab_size", "padded_vocab_size");
        var contextKey = r.FirstPresent("max_position_embeddings", "seq_length", "max_sequence_length", "n_positions", "model_max_length");
        int? context = contextKey is not null ? ContextLength(r, contextKey)
            : defaults.MaxContextTokens is { } dc ? Defaulted(notes, "max_position_embeddings", dc, defaults)
            : Missing(r, "max_position_embeddings", "the longest context the model supports");
        var tied = TiedEmbeddings(root, r, type);
        var mla = ReadMla(r);
        var isMla = mla is not null || r.Has("kv_lora_rank");
        var headDim = isMla ? (mla is null ? null : mla.QkNopeHeadDim + mla.QkRopeHeadDim)
            : defaults.HeadDim is { } dh && r.FirstPresent("head_dim", "kv_channels", "attention_head_dim") is null ? Defaulted(notes, "head_dim", dh, defaults)
            : ReadHeadDim(r, hidden, heads);
        if (!isMla && heads is { } h && kvHeads is { } kv && h % kv != 0)
            r.Problem(kvKey ?? "num_key_value_heads", $"must divide num_attention_heads ({h}); was {kv}");

        // Without a valid layer count the per-layer plan cannot be expanded; the rest is still read so that every
        // problem is reported at once.
        var total = layers ?? 0;
        var plan = layers is null ? HfLayerPlan.Uniform : HfLayerPlan.Read(r, type, total, context);
        var mlpAct = r.TryGet("mlp_hidden_act", out var act) && act.ValueKind == JsonValueKind.String ? act.GetString() : null;
        var projections = mlpAct is "relu2" ? 2 : 3;
        var (moe, dense) = ReadMlp(r, type, plan, total);
        var recurrent = plan.RecurrentKind is { } kind ? ReadRecurrent(r, kind, plan.RecurrentLayers) : null;
        var indexer = ReadIndexer(r);
        var global = isMla ? null : ReadGlobalAttention(r, kvHeads, headDim, heads);
        var (qkvBias, outputBias) = ReadAttentionBias(r, type, isMla);
        if (r.Bool("mlp_bias")) r.Problem("mlp_bias", "true is not modelled (biases on the MLP projections); accepted: false");
        var mtp = ReadMtp(r);
        if (mtp > 0) notes.Add($"{mtp} multi-token-prediction layer(s) counted apart from the total; not run unless speculative decoding uses them.");
        if (plan.Note is { } n) notes.Add(n);

        if (layers is null || hidden is null || heads is null || kvHeads is null || headDim is null || vocab is null || context is null
            || (isMla && mla is null) || (plan.RecurrentKind is not null && recurrent is null))
        {
            return null;
        }

        notes.Insert(0, $"Read from a Hugging Face config.json (model_type {(type.Length == 0 ? "not given" : type)}).");
        return new ModelArchitecture
        {
            Id = id,
            Name = id,
            Layers = total,
            HiddenSize = hidden.Value,
            AttentionHeads = heads.Value,
            KvHeads = kvHeads.Value,
            HeadDim = headDim.Value,
            DenseIntermediateSize = dense,
            VocabSize = vocab.Value,
            TieWordEmbeddings = tied,
            Attention = isMla ? AttentionKind.Mla : AttentionKind.Gqa,
            Mla = mla,
            SlidingWindow = plan.Window,
            GlobalAttention = global,
            AttentionSinks = type == "gpt_oss",
            QkvBias = qkvBias,
            OutputBias = outputBias,
            QkNorm = QkNorm(r, type),
            AttentionOutputGate = r.Bool("attn_output_gate", fallback: type == "qwen3_next"),
            Moe = moe,
            MoeLayerCount = moe is null || plan.MoeLayers == total - moe.FirstDenseLayers ? null : plan.MoeLayers,
            MlpFreeLayers = plan.MlpFreeLayers,
            MixerFreeLayers = plan.MixerFreeLayers,
            MlpProjections = projections,
            Recurrent = recurrent,
            Indexer = indexer,
            MtpLayers = mtp,
            EncoderParameters = EncoderTower(root),
            MaxContextTokens = context.Value,
            Source = new Provenance([sourceName], "user-supplied", []),
        };
    }

    // Structures the core has no shape for. Each is named with what it is, so the user knows why the file is refused.
    private static void RejectUnmodelled(JsonObjectReader r)
    {
        if (r.Has("compress_ratios"))
            r.Problem("compress_ratios", "compressed attention (DeepSeek-V4: per-layer KV compression with hyper-connections) is not modelled");
        // Gemma 4's larger checkpoints write hidden_size_per_layer_input: 0 (no per-layer embeddings); only a width refuses.
        if (r.TryGet("hidden_size_per_layer_input", out var perLayer) && !(perLayer.ValueKind == JsonValueKind.Number && perLayer.TryGetInt32(out var pl) && pl == 0))
            r.Problem("hidden_size_per_layer_input", $"per-layer input embeddings (Gemma 3n, Gemma 4 E2B/E4B) are not modelled; accepted: 0; was {JsonObjectReader.Raw(perLayer)}");
        if (r.Bool("enable_moe_block"))
            r.Problem("enable_moe_block", "layers that run a dense MLP and an expert block side by side (Gemma 4 26B-A4B) are not modelled; accepted: false");
        if (r.TryGet("num_kv_shared_layers", out var shared) && shared.ValueKind == JsonValueKind.Number && shared.TryGetInt32(out var s) && s > 0)
            r.Problem("num_kv_shared_layers", $"layers that reuse another layer's KV cache are not modelled; accepted: 0; was {s}");
        // MiniMax writes one entry per layer: 0 lightning (linear) attention, 1 softmax attention. MiniMax-M2 lists only 1s.
        if (r.TryGet("attn_type_list", out var kinds))
        {
            var i = 0;
            foreach (var k in kinds.ValueKind == JsonValueKind.Array ? kinds.EnumerateArray() : default)
            {
                if (!(k.ValueKind == JsonValueKind.Number && k.TryGetInt32(out var kind) && kind == 1))
                {
                    r.Problem($"attn_type_list[{i}]", $"lightning (linear) attention layers of MiniMax-01/M1 are not modelled; accepted: 1 (softmax attention); was {JsonObjectReader.Raw(k)}");
                    break;
                }

                i++;
            }

            if (kinds.ValueKind != JsonValueKind.Array)
                r.Problem("attn_type_list", $"must be an array of per-layer attention kinds; was {JsonObjectReader.Raw(kinds)}");
        }
        if (r.Has("linear_attn_config"))
            r.Problem("linear_attn_config", "Kimi Delta Attention layers are not modelled");
    }

    private static int? Required(JsonObjectReader r, int low, int high, params ReadOnlySpan<string> names)
    {
        var key = r.FirstPresent(names);
        if (key is not null) return r.Int(key, low, high);
        var also = names.Length > 1 ? $" (also read as {string.Join(" or ", names[1..].ToArray())})" : "";
        r.Problem(names[0], $"required field is missing{also}");
        return null;
    }

    private static int Defaulted(List<string> notes, string key, int value, FamilyDefaults defaults)
    {
        notes.Add($"{key} is not in the config; {defaults.Family}'s default {value:N0} ({defaults.Source}) is used.");
        return value;
    }

    private static int? Missing(JsonObjectReader r, string name, string why)
    {
        r.Problem(name, $"required field is missing: {why}");
        return null;
    }

    // max_position_embeddings as Infinity means "no limit"; the core needs a number, so it is refused with what to do.
    private static int? ContextLength(JsonObjectReader r, string key)
    {
        r.TryGet(key, out var v);
        if (LenientJson.IsInfinity(v))
        {
            r.Problem(key, $"must be a finite token count in [1, {ShapeLimits.MaxContextTokens}] (the core needs the longest context to size caches); was Infinity");
            return null;
        }

        // Some configs state a context beyond the core's range (Llama 4 Scout: 10,485,760 is within it); clamp nothing.
        return r.Int(key, 1, ShapeLimits.MaxContextTokens);
    }

    // Hugging Face's default for tie_word_embeddings is true, but most families' configs override it to false in code;
    // when the key is absent, Gemma (which ties) is the family that relies on the default.
    private static bool TiedEmbeddings(JsonObjectReader root, JsonObjectReader r, string type)
    {
        if (r.Has("tie_word_embeddings")) return r.Bool("tie_word_embeddings");
        if (root.Has("tie_word_embeddings")) return root.Bool("tie_word_embeddings");
        return type.StartsWith("gemma", StringComparison.Ordinal);
    }

    private static int? ReadHeadDim(JsonObjectReader r, int? hidden, int? heads)
    {
        var key = r.FirstPresent("head_dim", "kv_channels", "attention_head_dim");
        if (key is not null) return r.Int(key, 1, ShapeLimits.MaxHeadDim);
        if (hidden is not { } h || heads is not { } n) return null;
        if (h % n == 0) return h / n;
        r.Problem("head_dim", $"required when hidden_size ({h}) is not a multiple of num_attention_heads ({n}); field is missing");
        return null;
    }

    private static MlaShape? ReadMla(JsonObjectReader r)
    {
        if (!r.Has("kv_lora_rank")) return null;
        var q = r.Has("q_lora_rank") ? r.Int("q_lora_rank", 0, ShapeLimits.MaxLoraRank) : 0;
        var kv = r.Int("kv_lora_rank", 1, ShapeLimits.MaxLoraRank);
        var nope = r.Int("qk_nope_head_dim", 0, ShapeLimits.MaxHeadDim);
        var rope = r.Int("qk_rope_head_dim", 1, ShapeLimits.MaxHeadDim);
        var v = r.Int("v_head_dim", 1, ShapeLimits.MaxHeadDim);
        return q is null || kv is null || nope is null || rope is null || v is null
            ? null
            : new MlaShape(q.Value, kv.Value, nope.Value, rope.Value, v.Value);
    }

    // Gemma 4: full-attention layers with wider heads, fewer KV heads and keys that double as values. Null when the
    // config gives no such keys or they repeat the main geometry.
    private static GlobalAttention? ReadGlobalAttention(JsonObjectReader r, int? kvHeads, int? headDim, int? heads)
    {
        if (!r.Has("global_head_dim") && !r.Has("num_global_key_value_heads") && !r.Bool("attention_k_eq_v")) return null;
        var d = r.Has("global_head_dim") ? r.Int("global_head_dim", 1, ShapeLimits.MaxHeadDim) : headDim;
        var kv = r.Has("num_global_key_value_heads") ? r.Int("num_global_key_value_heads", 1, heads ?? ShapeLimits.MaxHeads) : kvHeads;
        var shared = r.Bool("attention_k_eq_v");
        if (d is null || kv is null) return null;
        if (heads is { } h && h % kv.Value != 0)
            r.Problem("num_global_key_value_heads", $"must divide num_attention_heads ({h}); was {kv}");
        return d == headDim && kv == kvHeads && !shared ? null : new GlobalAttention(kv.Value, d.Value, shared);
    }

    private static SparseIndexer? ReadIndexer(JsonObjectReader r)
    {
        if (!r.Has("index_topk")) return null;
        var heads = r.Int("index_n_heads", 1, ShapeLimits.MaxHeads);
        var dim = r.Int("index_head_dim", 1, ShapeLimits.MaxHeadDim);
        var topK = r.Int("index_topk", 1, ShapeLimits.MaxContextTokens);
        return heads is null || dim is null || topK is null ? null : new SparseIndexer(heads.Value, dim.Value, topK.Value);
    }

    private static int ReadMtp(JsonObjectReader r)
    {
        var key = r.FirstPresent("num_nextn_predict_layers", "mtp_num_hidden_layers", "num_mtp_layers", "mtp_num_layers");
        return key is null ? 0 : r.Int(key, 0, ShapeLimits.MaxLayers) ?? 0;
    }

    private static RecurrentLayers? ReadRecurrent(JsonObjectReader r, RecurrentKind kind, int layers)
    {
        if (kind == RecurrentKind.GatedDeltaNet)
        {
            var kh = r.Int("linear_num_key_heads", 1, ShapeLimits.MaxHeads);
            var kd = r.Int("linear_key_head_dim", 1, ShapeLimits.MaxHeadDim);
            var vh = r.Int("linear_num_value_heads", 1, ShapeLimits.MaxHeads);
            var vd = r.Int("linear_value_head_dim", 1, ShapeLimits.MaxHeadDim);
            var conv = r.Has("linear_conv_kernel_dim") ? r.Int("linear_conv_kernel_dim", 1, 64) : 4;
            return kh is null || kd is null || vh is null || vd is null || conv is null
                ? null
                : new RecurrentLayers(kind, layers, kh.Value, kd.Value, vh.Value, vd.Value, conv.Value);
        }

        var heads = r.Int("mamba_num_heads", 1, ShapeLimits.MaxHeads);
        var headDim = r.Int("mamba_head_dim", 1, ShapeLimits.MaxHeadDim);
        var state = r.Int("ssm_state_size", 1, ShapeLimits.MaxHeadDim);
        var groups = r.Has("n_groups") ? r.Int("n_groups", 1, ShapeLimits.MaxHeads) : 1;
        var kernel = r.Has("conv_kernel") ? r.Int("conv_kernel", 1, 64) : 4;
        return heads is null || headDim is null || state is null || groups is null || kernel is null
            ? null
            : new RecurrentLayers(kind, layers, groups.Value, state.Value, heads.Value, headDim.Value, kernel.Value);
    }

    private static (MoeShape? Moe, int? Dense) ReadMlp(JsonObjectReader r, string type, HfLayerPlan plan, int layers)
    {
        MoeShape? moe = null;
        var expertsKey = r.FirstPresent("n_routed_experts", "num_local_experts", "num_experts", "moe_num_experts", "n_experts");
        var isMoe = expertsKey is not null && r.TryGet(expertsKey, out var ev) && ev.ValueKind == JsonValueKind.Number
            && ev.TryGetInt32(out var en) && en > 0;
        if (expertsKey is not null && r.TryGet(expertsKey, out var arr) && arr.ValueKind == JsonValueKind.Array)
            r.Problem(expertsKey, $"a different expert count per layer is not modelled; give one count; was {JsonObjectReader.Raw(arr)}");
        if (isMoe && plan.MoeLayers > 0)
        {
            var experts = r.Int(expertsKey!, 1, ShapeLimits.MaxExperts);
            var perTokenKey = r.FirstPresent("num_experts_per_tok", "experts_per_token", "moe_top_k", "num_experts_per_token", "top_k");
            var perToken = perTokenKey is null
                ? Missing(r, "num_experts_per_tok", "how many experts each token is routed to")
                : r.Int(perTokenKey, 1, experts ?? ShapeLimits.MaxExperts);
            var widthKey = r.FirstPresent("moe_intermediate_size", "expert_intermediate_size") ?? "intermediate_size";
            var width = r.Int(widthKey, 1, ShapeLimits.MaxIntermediateSize);
            var sharedWidthKey = r.FirstPresent("shared_expert_intermediate_size", "moe_shared_expert_intermediate_size", "shared_intermediate_size");
            var sharedWidth = sharedWidthKey is null ? null : r.Int(sharedWidthKey, 0, ShapeLimits.MaxIntermediateSize);
            var sharedKey = r.FirstPresent("n_shared_experts", "num_shared_experts", "moe_num_shared_experts");
            var shared = sharedKey is not null ? r.Int(sharedKey, 0, ShapeLimits.MaxSharedExperts)
                : sharedWidth is > 0 || type.StartsWith("llama4", StringComparison.Ordinal) ? 1 : 0;
            if (sharedWidth == 0) shared = 0;
            // noaux_tc routing adds e_score_correction_bias: one learned value per routed expert (DeepSeek-V3, GLM-4.5, Kimi K2).
            // MiniMax-M2 says the same with use_routing_bias.
            var routerBias = (r.TryGet("topk_method", out var method) && method.ValueKind == JsonValueKind.String
                && method.GetString() == "noaux_tc") || type == "gpt_oss" || r.Bool("use_routing_bias");
            if (experts is not null && perToken is not null && width is not null && shared is not null)
            {
                moe = new MoeShape(experts.Value, perToken.Value, shared.Value, width.Value, plan.FirstDenseLayers,
                    ExpertBias: type == "gpt_oss", routerBias,
                    sharedWidth is > 0 && sharedWidth != width ? sharedWidth : null);
            }
        }

        var denseLayers = ReferenceEquals(plan, HfLayerPlan.Uniform)
            ? (moe is null ? 1 : 0)
            : layers - (moe is null ? 0 : plan.MoeLayers) - plan.MlpFreeLayers;
        if (denseLayers <= 0) return (moe, null);
        // A MoE config's intermediate_size is the dense layers' width when experts have their own key; Llama 4 names the
        // dense width intermediate_size_mlp because its intermediate_size is the expert width.
        var denseKey = r.FirstPresent("intermediate_size_mlp", "dense_intermediate_size")
            ?? (moe is null || r.Has("moe_intermediate_size") ? "intermediate_size" : null);
        if (denseKey is null)
        {
            r.Problem("intermediate_size", $"{denseLayers} layer(s) use a dense MLP but the config gives no width for it apart from the experts'");
            return (moe, null);
        }

        var dense = denseKey == "intermediate_size" && r.FirstPresent("intermediate_size", "ffn_hidden_size", "n_inner") is { } k
            ? r.Int(k, 1, ShapeLimits.MaxIntermediateSize)
            : r.Int(denseKey, 1, ShapeLimits.MaxIntermediateSize);
        return (moe, dense);
    }

    private static (bool Qkv, bool Output) ReadAttentionBias(JsonObjectReader r, string type, bool isMla)
    {
        // Qwen2 (and its MoE and VL variants) always has Q/K/V biases and no output bias; the config has no key for it.
        // MiMo builds on Qwen2's attention module (modeling_mimo.py): its attention_bias: true is the same q/k/v biases.
        if (type.StartsWith("qwen2", StringComparison.Ordinal) || (type == "mimo" && r.Bool("attention_bias", fallback: true))) return (true, false);
        var bias = r.Bool("attention_bias");
        if (isMla && bias) r.Problem("attention_bias", "true is not modelled for MLA attention; accepted: false");
        if (isMla) return (false, false);
        // Llama, Mistral, Qwen3 and gpt-oss put attention_bias on q, k, v and o alike.
        return (bias, bias);
    }

    // Per-head q/k RMSNorm weights: Qwen3 (all variants), Gemma 3 and later, and configs that say use_qk_norm (MiniMax,
    // GLM-4.5). Llama 4's use_qk_norm is a weightless L2 norm, so it adds no parameters.
    private static bool QkNorm(JsonObjectReader r, string type)
    {
        if (type.StartsWith("llama4", StringComparison.Ordinal)) return false;
        if (r.Has("use_qk_norm")) return r.Bool("use_qk_norm");
        return type.StartsWith("qwen3", StringComparison.Ordinal) || type.StartsWith("gemma3", StringComparison.Ordinal)
            || type.StartsWith("gemma4", StringComparison.Ordinal);
    }
}
