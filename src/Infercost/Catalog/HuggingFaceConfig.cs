using System.Text.Json;
using Infercost.Models;

namespace Infercost.Catalog;

// A Hugging Face config.json describes the shape of a model in the library's own field names, which
// differ by family (num_local_experts vs num_experts vs n_routed_experts, sliding_window vs
// use_sliding_window vs layer_types). This reader maps the families the core models and refuses,
// by name, any key that would change the shape in a way the core does not model, rather than
// returning a plausible but wrong architecture. Keys that do not change the parameter count or the
// KV cache (rope settings, token ids, router loss weights, MTP heads) are ignored.

/// <summary>Reads a Hugging Face <c>config.json</c> into a <see cref="ModelArchitecture"/>.</summary>
public static class HuggingFaceConfig
{
    private static readonly string[] Supported =
        ["llama", "mistral", "mixtral", "qwen2", "qwen3", "qwen3_moe", "deepseek_v3", "gpt_oss"];

    /// <summary>The <c>model_type</c> values this reader understands.</summary>
    public static IReadOnlyList<string> SupportedModelTypes => Supported;

    /// <summary>Parses <paramref name="json"/>, the text of a <c>config.json</c>, as model <paramref name="id"/>.</summary>
    /// <param name="json">The config text.</param>
    /// <param name="id">The id to give the model (it also serves as its display name).</param>
    /// <param name="sourceName">Names the file in error messages and in the model's provenance.</param>
    /// <exception cref="InvalidInputException">Unsupported <c>model_type</c>; required keys missing or out of range;
    /// keys that would change the shape in a way that is not modelled. The message lists every problem with its key.</exception>
    public static ModelArchitecture Parse(string json, string id, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(sourceName);
        using var document = ParseDocument(json, sourceName);
        var problems = new CatalogProblems();
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            problems.Add("$", $"must be a JSON object; was {JsonObjectReader.Raw(document.RootElement)}");
            problems.ThrowIfAny(sourceName);
        }

        var r = new JsonObjectReader(document.RootElement, "", problems);
        var modelType = r.String("model_type");
        if (modelType is not null && !Supported.Contains(modelType, StringComparer.Ordinal))
            r.Problem("model_type", $"must be one of {string.Join(", ", Supported)}; was \"{modelType}\"");
        problems.ThrowIfAny(sourceName);

        var model = Read(r, modelType!, id, sourceName);
        problems.ThrowIfAny(sourceName);
        return model!;
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

    private static ModelArchitecture? Read(JsonObjectReader r, string type, string id, string sourceName)
    {
        var layers = r.Int("num_hidden_layers", 1, ShapeLimits.MaxLayers);
        var hidden = r.Int("hidden_size", 1, ShapeLimits.MaxHiddenSize);
        var heads = r.Int("num_attention_heads", 1, ShapeLimits.MaxHeads);
        var kvHeads = r.Has("num_key_value_heads") ? r.Int("num_key_value_heads", 1, heads ?? ShapeLimits.MaxHeads) : heads;
        var vocab = r.Int("vocab_size", 1, ShapeLimits.MaxVocabSize);
        var context = r.Int("max_position_embeddings", 1, ShapeLimits.MaxContextTokens);
        var tied = r.Bool("tie_word_embeddings");
        var isMla = type == "deepseek_v3";
        var mla = isMla ? ReadMla(r) : null;
        var headDim = isMla ? (mla is null ? null : mla.QkNopeHeadDim + mla.QkRopeHeadDim) : ReadHeadDim(r, hidden, heads);
        var moe = ReadMoe(r, type, layers);
        var dense = ReadDenseIntermediate(r, type, moe);
        var sliding = ReadSlidingWindow(r, type, layers);
        var (weightPrecision, expertPrecision) = ReadPrecision(r);
        var (qkvBias, outputBias) = ReadAttentionBias(r, type);
        if (r.Bool("mlp_bias")) r.Problem("mlp_bias", "true is not modelled (biases on the MLP projections); accepted: false");
        if (!isMla && heads is { } h && kvHeads is { } kv && h % kv != 0)
            r.Problem("num_key_value_heads", $"must divide num_attention_heads ({h}); was {kv}");

        if (layers is null || hidden is null || heads is null || kvHeads is null || headDim is null || vocab is null
            || context is null || (isMla && mla is null))
        {
            return null;
        }

        return new ModelArchitecture
        {
            Id = id,
            Name = id,
            Layers = layers.Value,
            HiddenSize = hidden.Value,
            AttentionHeads = heads.Value,
            KvHeads = kvHeads.Value,
            HeadDim = headDim.Value,
            DenseIntermediateSize = dense,
            VocabSize = vocab.Value,
            TieWordEmbeddings = tied,
            Attention = isMla ? AttentionKind.Mla : AttentionKind.Gqa,
            Mla = mla,
            SlidingWindow = sliding,
            AttentionSinks = type == "gpt_oss",
            QkvBias = qkvBias,
            OutputBias = outputBias,
            QkNorm = type is "qwen3" or "qwen3_moe",
            Moe = moe,
            MaxContextTokens = context.Value,
            DefaultWeightPrecision = weightPrecision,
            DefaultExpertPrecision = expertPrecision,
            Source = new Provenance([sourceName], "user-supplied", [$"Read from a Hugging Face config.json (model_type {type})."]),
        };
    }

    private static int? ReadHeadDim(JsonObjectReader r, int? hidden, int? heads)
    {
        if (r.Has("head_dim")) return r.Int("head_dim", 1, ShapeLimits.MaxHeadDim);
        if (hidden is not { } h || heads is not { } n) return null;
        if (h % n == 0) return h / n;
        r.Problem("head_dim", $"required when hidden_size ({h}) is not a multiple of num_attention_heads ({n}); field is missing");
        return null;
    }

    private static MlaShape? ReadMla(JsonObjectReader r)
    {
        var q = r.Has("q_lora_rank") ? r.Int("q_lora_rank", 0, ShapeLimits.MaxLoraRank) : 0;
        var kv = r.Int("kv_lora_rank", 1, ShapeLimits.MaxLoraRank);
        var nope = r.Int("qk_nope_head_dim", 0, ShapeLimits.MaxHeadDim);
        var rope = r.Int("qk_rope_head_dim", 1, ShapeLimits.MaxHeadDim);
        var v = r.Int("v_head_dim", 1, ShapeLimits.MaxHeadDim);
        return q is null || kv is null || nope is null || rope is null || v is null
            ? null
            : new MlaShape(q.Value, kv.Value, nope.Value, rope.Value, v.Value);
    }

    private static MoeShape? ReadMoe(JsonObjectReader r, string type, int? layers)
    {
        switch (type)
        {
            case "mixtral":
            {
                var experts = r.Int("num_local_experts", 1, ShapeLimits.MaxExperts);
                var perToken = r.Int("num_experts_per_tok", 1, experts ?? ShapeLimits.MaxExperts);
                var width = r.Int("intermediate_size", 1, ShapeLimits.MaxIntermediateSize);
                return Moe(experts, perToken, 0, width, 0, false, false);
            }

            case "qwen3_moe":
            {
                var experts = r.Int("num_experts", 1, ShapeLimits.MaxExperts);
                var perToken = r.Int("num_experts_per_tok", 1, experts ?? ShapeLimits.MaxExperts);
                var width = r.Int("moe_intermediate_size", 1, ShapeLimits.MaxIntermediateSize);
                if (r.TryGet("mlp_only_layers", out var only) && (only.ValueKind != JsonValueKind.Array || only.GetArrayLength() > 0))
                    r.Problem("mlp_only_layers", $"dense layers inside a MoE stack are not modelled; accepted: []; was {JsonObjectReader.Raw(only)}");
                // Only decoder_sparse_step 1 (every layer MoE) is modelled; Int records the problem otherwise.
                if (r.Has("decoder_sparse_step")) _ = r.Int("decoder_sparse_step", 1, 1);
                return Moe(experts, perToken, 0, width, 0, false, false);
            }

            case "deepseek_v3":
            {
                var experts = r.Int("n_routed_experts", 1, ShapeLimits.MaxExperts);
                var perToken = r.Int("num_experts_per_tok", 1, experts ?? ShapeLimits.MaxExperts);
                var width = r.Int("moe_intermediate_size", 1, ShapeLimits.MaxIntermediateSize);
                var shared = r.Has("n_shared_experts") ? r.Int("n_shared_experts", 0, ShapeLimits.MaxSharedExperts) : 0;
                var firstDense = r.Has("first_k_dense_replace")
                    ? r.Int("first_k_dense_replace", 0, layers is { } l ? l - 1 : ShapeLimits.MaxLayers)
                    : 0;
                // Only moe_layer_freq 1 (every layer after the dense ones is MoE) is modelled.
                if (r.Has("moe_layer_freq")) _ = r.Int("moe_layer_freq", 1, 1);
                // noaux_tc routing adds e_score_correction_bias: one learned value per routed expert.
                var routerBias = r.TryGet("topk_method", out var method) && method.ValueKind == JsonValueKind.String
                    && method.GetString() == "noaux_tc";
                return Moe(experts, perToken, shared, width, firstDense, false, routerBias);
            }

            case "gpt_oss":
            {
                var expertsKey = r.Has("num_local_experts") ? "num_local_experts" : "num_experts";
                var experts = r.Int(expertsKey, 1, ShapeLimits.MaxExperts);
                var perTokenKey = r.Has("num_experts_per_tok") ? "num_experts_per_tok" : "experts_per_token";
                var perToken = r.Int(perTokenKey, 1, experts ?? ShapeLimits.MaxExperts);
                var width = r.Int("intermediate_size", 1, ShapeLimits.MaxIntermediateSize);
                return Moe(experts, perToken, 0, width, 0, true, true);
            }

            default:
                return null;
        }
    }

    private static MoeShape? Moe(int? experts, int? perToken, int? shared, int? width, int? firstDense, bool expertBias, bool routerBias) =>
        experts is null || perToken is null || shared is null || width is null || firstDense is null
            ? null
            : new MoeShape(experts.Value, perToken.Value, shared.Value, width.Value, firstDense.Value, expertBias, routerBias);

    private static int? ReadDenseIntermediate(JsonObjectReader r, string type, MoeShape? moe) => type switch
    {
        "llama" or "mistral" or "qwen2" or "qwen3" => r.Int("intermediate_size", 1, ShapeLimits.MaxIntermediateSize),
        // DeepSeek's first_k_dense_replace layers use the dense MLP of intermediate_size.
        "deepseek_v3" when moe is { FirstDenseLayers: > 0 } => r.Int("intermediate_size", 1, ShapeLimits.MaxIntermediateSize),
        // Mixtral and gpt-oss use intermediate_size as the expert width; Qwen3-MoE's intermediate_size is unused.
        _ => null,
    };

    private static SlidingWindow? ReadSlidingWindow(JsonObjectReader r, string type, int? layers)
    {
        if (layers is not { } total) return null;
        if (r.TryGet("layer_types", out var types)) return FromLayerTypes(r, types, total);
        switch (type)
        {
            case "mistral" or "mixtral":
                // Every layer uses the window when one is set (Mistral 7B v0.1: 4096); null means full attention.
                return r.Has("sliding_window") && r.Int("sliding_window", 1, ShapeLimits.MaxContextTokens) is { } w
                    ? new SlidingWindow(w, total)
                    : null;
            case "qwen2" or "qwen3" or "qwen3_moe":
            {
                // Qwen applies sliding_window only when use_sliding_window is true, and then only to the layers
                // from max_window_layers on.
                if (!r.Bool("use_sliding_window")) return null;
                var window = r.Int("sliding_window", 1, ShapeLimits.MaxContextTokens);
                var full = r.Has("max_window_layers") ? r.Int("max_window_layers", 0, total) : 0;
                return window is null || full is null || total - full == 0 ? null : new SlidingWindow(window.Value, total - full.Value);
            }

            case "gpt_oss":
            {
                // Without layer_types, gpt-oss alternates sliding and full attention starting with a sliding layer.
                var window = r.Int("sliding_window", 1, ShapeLimits.MaxContextTokens);
                return window is null ? null : new SlidingWindow(window.Value, (total + 1) / 2);
            }

            default:
                return null;
        }
    }

    private static SlidingWindow? FromLayerTypes(JsonObjectReader r, JsonElement types, int layers)
    {
        if (types.ValueKind != JsonValueKind.Array)
        {
            r.Problem("layer_types", $"must be an array of \"sliding_attention\" or \"full_attention\"; was {JsonObjectReader.Raw(types)}");
            return null;
        }

        var sliding = 0;
        var i = 0;
        foreach (var t in types.EnumerateArray())
        {
            var text = t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (text == "sliding_attention") sliding++;
            else if (text != "full_attention")
                r.Problem($"layer_types[{i}]", $"must be \"sliding_attention\" or \"full_attention\" (other layer kinds are not modelled); was {JsonObjectReader.Raw(t)}");
            i++;
        }

        if (i != layers) r.Problem("layer_types", $"must list one entry per layer ({layers}); had {i}");
        if (sliding == 0) return null;
        var window = r.Int("sliding_window", 1, ShapeLimits.MaxContextTokens);
        return window is null ? null : new SlidingWindow(window.Value, sliding);
    }

    private static (bool Qkv, bool Output) ReadAttentionBias(JsonObjectReader r, string type)
    {
        switch (type)
        {
            case "qwen2":
                // Qwen2 always has Q/K/V biases and no output bias; the config has no key for it.
                return (true, false);
            case "deepseek_v3":
                if (r.Bool("attention_bias")) r.Problem("attention_bias", "true is not modelled for MLA attention; accepted: false");
                return (false, false);
            default:
                // Llama, Mistral, Qwen3 and gpt-oss put attention_bias on q, k, v and o alike.
                var bias = r.Bool("attention_bias");
                return (bias, bias);
        }
    }

    private static (Precision Weights, Precision? Experts) ReadPrecision(JsonObjectReader r)
    {
        var weights = Precision.Bf16;
        var dtypeKey = r.Has("torch_dtype") ? "torch_dtype" : "dtype";
        if (r.Has(dtypeKey) && r.String(dtypeKey) is { } dtype)
        {
            switch (dtype)
            {
                case "bfloat16": weights = Precision.Bf16; break;
                case "float16": weights = Precision.Fp16; break;
                // Full-precision checkpoints are served in 16-bit; the core has no fp32 weight path.
                case "float32": weights = Precision.Bf16; break;
                default: r.Problem(dtypeKey, $"must be one of bfloat16, float16, float32; was \"{dtype}\""); break;
            }
        }

        if (r.Object("quantization_config", required: false) is not { } q) return (weights, null);
        var method = q.String("quant_method");
        if (method is null) return (weights, null);
        if (method == "mxfp4") return (weights, Precision.Fp4);   // gpt-oss: experts only; attention, router, embeddings stay 16-bit.
        if (PrecisionInfo.TryParse(method, out var p)) return (p, null);
        q.Problem("quant_method", $"must be one of fp8, mxfp4, nvfp4, awq, gptq; was \"{method}\"");
        return (weights, null);
    }
}
