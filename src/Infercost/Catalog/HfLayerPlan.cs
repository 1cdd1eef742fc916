using System.Text.Json;
using Infercost.Models;

namespace Infercost.Catalog;

// Which layer carries what. Configs write the per-layer plan in several ways: an explicit list (layer_types,
// layers_block_type), a pattern string (Nemotron-H's hybrid_override_pattern), an interval (full_attention_interval,
// sliding_window_pattern, interleave_moe_layer_step, decoder_sparse_step, moe_layer_freq), a list of exceptions
// (mlp_only_layers, no_rope_layers, moe_layers_enum) or a single window for every layer. Each is expanded into one
// entry per layer, and the counts the core models are taken from that.

/// <summary>The per-layer plan of a config: mixer and MLP kind of every layer, expanded and counted.</summary>
internal sealed class HfLayerPlan
{
    private enum Mixer { Full, Sliding, Chunked, GatedDeltaNet, Mamba, None }

    private enum Mlp { Dense, Moe, None }

    public SlidingWindow? Window { get; private init; }
    public RecurrentKind? RecurrentKind { get; private init; }
    public int RecurrentLayers { get; private init; }
    public int MixerFreeLayers { get; private init; }
    public int MlpFreeLayers { get; private init; }
    public int MoeLayers { get; private init; }
    public int FirstDenseLayers { get; private init; }
    public string? Note { get; private init; }

    /// <summary>The plan of a model whose every layer has full attention and, if it has experts, a MoE block.</summary>
    public static HfLayerPlan Uniform { get; } = new() { MoeLayers = 1 };

    public static HfLayerPlan Read(JsonObjectReader r, string type, int layers, int? context)
    {
        var mixers = new Mixer[layers];
        var mlps = new Mlp[layers];
        var explicitMlp = ReadMixers(r, type, layers, mixers, mlps);
        if (!explicitMlp) ReadMoeLayers(r, layers, mlps);

        var sliding = mixers.Count(m => m == Mixer.Sliding);
        var chunked = mixers.Count(m => m == Mixer.Chunked);
        var gdn = mixers.Count(m => m == Mixer.GatedDeltaNet);
        var mamba = mixers.Count(m => m == Mixer.Mamba);
        SlidingWindow? window = null;
        string? note = null;
        if (sliding > 0 && chunked > 0)
            r.Problem("layer_types", "sliding-window and chunked layers in one model are not modelled (one window length per model)");
        if (gdn > 0 && mamba > 0)
            r.Problem("layer_types", "Gated DeltaNet and Mamba layers in one model are not modelled (one recurrent kind per model)");
        if (sliding > 0 && WindowTokens(r, "sliding_window", context) is { } w)
        {
            window = new SlidingWindow(w, sliding);
        }
        else if (chunked > 0 && WindowTokens(r, "attention_chunk_size", context) is { } c)
        {
            window = new SlidingWindow(c, chunked, Chunked: true);
            note = $"{chunked} of {layers} layers use chunked attention ({c:N0}-token chunks), modelled as a window of the chunk length.";
        }

        var firstDense = 0;
        while (firstDense < layers && mlps[firstDense] == Mlp.Dense) firstDense++;
        var moeLayers = mlps.Count(m => m == Mlp.Moe);
        return new HfLayerPlan
        {
            Window = window,
            RecurrentKind = gdn > 0 ? Models.RecurrentKind.GatedDeltaNet : mamba > 0 ? Models.RecurrentKind.Mamba2 : null,
            RecurrentLayers = gdn + mamba,
            MixerFreeLayers = mixers.Count(m => m == Mixer.None),
            MlpFreeLayers = mlps.Count(m => m == Mlp.None),
            MoeLayers = moeLayers,
            FirstDenseLayers = moeLayers == 0 ? 0 : firstDense,
            Note = note,
        };
    }

    // A window field that is null, Infinity or at least the context means "no window".
    private static int? WindowTokens(JsonObjectReader r, string key, int? context)
    {
        if (!r.TryGet(key, out var v))
        {
            r.Problem(key, "required when layers use a window; field is missing");
            return null;
        }

        if (LenientJson.IsInfinity(v)) return null;
        var w = r.Int(key, 1, ShapeLimits.MaxContextTokens);
        return w is { } x && context is { } ctx && x >= ctx ? null : w;
    }

    private static bool HasWindow(JsonObjectReader r, string key) =>
        r.TryGet(key, out var v) && !LenientJson.IsInfinity(v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) && i > 0;

    // Fills mixers (and, for block patterns that say so, the MLP kinds). Returns true when the MLP kinds came with it.
    private static bool ReadMixers(JsonObjectReader r, string type, int layers, Mixer[] mixers, Mlp[] mlps)
    {
        if (r.TryGet("hybrid_override_pattern", out var pattern)) return FromBlockPattern(r, pattern, layers, mixers, mlps);
        if (r.TryGet("layers_block_type", out var blocks) && blocks.ValueKind == JsonValueKind.Array)
            return FromBlockList(r, blocks, layers, mixers, mlps);

        var linearKind = r.Has("mamba_num_heads") && !r.Has("linear_num_value_heads") ? Mixer.Mamba : Mixer.GatedDeltaNet;
        if (r.TryGet("layer_types", out var types))
        {
            FromLayerTypes(r, types, layers, mixers, linearKind);
            return false;
        }

        if (r.TryGet("full_attention_interval", out _) && r.Has("linear_num_value_heads"))
        {
            var n = r.Int("full_attention_interval", 1, layers) ?? 1;
            for (var i = 0; i < layers; i++) mixers[i] = (i + 1) % n == 0 ? Mixer.Full : Mixer.GatedDeltaNet;
            return false;
        }

        if (r.Has("attention_chunk_size") && HasWindow(r, "attention_chunk_size"))
        {
            // Llama 4: layers that use RoPE attend within their chunk; every no_rope_layers == 0 layer (by default every
            // fourth) is a global NoPE layer.
            if (r.TryGet("no_rope_layers", out var rope) && rope.ValueKind == JsonValueKind.Array && rope.GetArrayLength() == layers)
            {
                var i = 0;
                foreach (var flag in rope.EnumerateArray()) mixers[i++] = flag.ValueKind == JsonValueKind.Number && flag.GetInt32() == 0 ? Mixer.Full : Mixer.Chunked;
            }
            else
            {
                var interval = r.Has("nope_layer_interval") ? r.Int("nope_layer_interval", 1, layers) ?? 4 : 4;
                for (var i = 0; i < layers; i++) mixers[i] = (i + 1) % interval == 0 ? Mixer.Full : Mixer.Chunked;
            }

            return false;
        }

        var sliding = HasWindow(r, "sliding_window") && r.Bool("use_sliding_window", fallback: true);
        if (!sliding) return false;
        var defaultPattern = FamilyDefaults.For(type).SlidingWindowPattern;
        if (r.Has("sliding_window_pattern") || type == "gemma2" || defaultPattern is not null)
        {
            // Gemma: every n-th layer is global, the others slide (Gemma 2: n = 2; Gemma 3: sliding_window_pattern,
            // 6 by default when the config leaves it out).
            var n = r.Has("sliding_window_pattern") ? r.Int("sliding_window_pattern", 1, layers) ?? 2 : defaultPattern ?? 2;
            for (var i = 0; i < layers; i++) mixers[i] = (i + 1) % n == 0 ? Mixer.Full : Mixer.Sliding;
        }
        else if (type == "gpt_oss")
        {
            for (var i = 0; i < layers; i++) mixers[i] = i % 2 == 0 ? Mixer.Sliding : Mixer.Full;
        }
        else if (r.Has("max_window_layers") && r.Has("use_sliding_window"))
        {
            // Qwen2: the window applies from layer max_window_layers on.
            var from = r.Int("max_window_layers", 0, layers) ?? layers;
            for (var i = from; i < layers; i++) mixers[i] = Mixer.Sliding;
        }
        else
        {
            // Mistral 7B v0.1, Phi-3: one window on every layer.
            Array.Fill(mixers, Mixer.Sliding);
        }

        return false;
    }

    private static void FromLayerTypes(JsonObjectReader r, JsonElement types, int layers, Mixer[] mixers, Mixer linearKind)
    {
        if (types.ValueKind != JsonValueKind.Array)
        {
            r.Problem("layer_types", $"must be an array of layer kinds; was {JsonObjectReader.Raw(types)}");
            return;
        }

        var i = 0;
        foreach (var t in types.EnumerateArray())
        {
            var text = t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            Mixer? kind = text switch
            {
                "full_attention" or "attention" or "global_attention" or "global" => Mixer.Full,
                "sliding_attention" or "sliding_window_attention" or "local_attention" or "sliding" or "local" => Mixer.Sliding,
                "chunked_attention" => Mixer.Chunked,
                "linear_attention" => linearKind,
                "mamba" or "mamba2" or "ssm" => Mixer.Mamba,
                _ => null,
            };
            if (kind is null)
                r.Problem($"layer_types[{i}]", $"must be one of full_attention, sliding_attention, chunked_attention, linear_attention, mamba (other layer kinds are not modelled); was {JsonObjectReader.Raw(t)}");
            else if (i < layers)
                mixers[i] = kind.Value;
            i++;
        }

        if (i != layers) r.Problem("layer_types", $"must list one entry per layer ({layers}); had {i}");
    }

    // Nemotron-H: one character per block. M = Mamba-2 mixer, * = attention, - = MLP, E = MoE; each block has only that.
    private static bool FromBlockPattern(JsonObjectReader r, JsonElement pattern, int layers, Mixer[] mixers, Mlp[] mlps)
    {
        if (pattern.ValueKind != JsonValueKind.String)
        {
            r.Problem("hybrid_override_pattern", $"must be a string of M, *, - and E; was {JsonObjectReader.Raw(pattern)}");
            return true;
        }

        var text = pattern.GetString()!;
        if (text.Length != layers)
        {
            r.Problem("hybrid_override_pattern", $"must have one character per layer ({layers}); had {text.Length}");
            return true;
        }

        for (var i = 0; i < layers; i++)
        {
            if (!Block(text[i].ToString(), out mixers[i], out mlps[i]))
                r.Problem("hybrid_override_pattern", $"character {i} must be M (Mamba), * (attention), - (MLP) or E (MoE); was '{text[i]}'");
        }

        return true;
    }

    private static bool FromBlockList(JsonObjectReader r, JsonElement blocks, int layers, Mixer[] mixers, Mlp[] mlps)
    {
        var i = 0;
        foreach (var b in blocks.EnumerateArray())
        {
            var text = b.ValueKind == JsonValueKind.String ? b.GetString()! : "";
            if (i < layers && !Block(text, out mixers[i], out mlps[i]))
                r.Problem($"layers_block_type[{i}]", $"must be mamba, attention, mlp or moe; was {JsonObjectReader.Raw(b)}");
            i++;
        }

        if (i != layers) r.Problem("layers_block_type", $"must list one entry per layer ({layers}); had {i}");
        return true;
    }

    private static bool Block(string kind, out Mixer mixer, out Mlp mlp)
    {
        (mixer, mlp) = kind switch
        {
            "M" or "mamba" => (Mixer.Mamba, Mlp.None),
            "*" or "attention" => (Mixer.Full, Mlp.None),
            "-" or "mlp" => (Mixer.None, Mlp.Dense),
            "E" or "moe" => (Mixer.None, Mlp.Moe),
            _ => (Mixer.Full, Mlp.Dense),
        };
        return kind is "M" or "mamba" or "*" or "attention" or "-" or "mlp" or "E" or "moe";
    }

    // Which layers use experts (when the config has experts at all; the caller ignores this otherwise).
    private static void ReadMoeLayers(JsonObjectReader r, int layers, Mlp[] mlps)
    {
        var firstDense = r.Has("first_k_dense_replace") ? r.Int("first_k_dense_replace", 0, layers) ?? 0 : 0;
        var freq = 1;
        if (r.TryGet("moe_layer_freq", out var f))
        {
            if (f.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var x in f.EnumerateArray())
                {
                    if (i < layers) mlps[i] = x.ValueKind == JsonValueKind.Number && x.GetInt32() != 0 ? Mlp.Moe : Mlp.Dense;
                    i++;
                }

                if (i != layers) r.Problem("moe_layer_freq", $"must list one entry per layer ({layers}); had {i}");
                return;
            }

            freq = r.Int("moe_layer_freq", 1, layers) ?? 1;
        }

        var step = r.FirstPresent("interleave_moe_layer_step", "decoder_sparse_step") is { } stepKey ? r.Int(stepKey, 0, layers) ?? 1 : 1;
        var only = new HashSet<int>();
        if (r.TryGet("mlp_only_layers", out var onlyList))
        {
            if (onlyList.ValueKind == JsonValueKind.Array)
            {
                foreach (var x in onlyList.EnumerateArray())
                {
                    if (x.ValueKind == JsonValueKind.Number && x.TryGetInt32(out var idx)) only.Add(idx);
                }
            }
            else
            {
                r.Problem("mlp_only_layers", $"must be an array of layer indices; was {JsonObjectReader.Raw(onlyList)}");
            }
        }

        HashSet<int>? listed = null;
        if (r.TryGet("moe_layers_enum", out var e) && e.ValueKind == JsonValueKind.String)
        {
            listed = [];
            foreach (var part in e.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (int.TryParse(part, System.Globalization.CultureInfo.InvariantCulture, out var idx)) listed.Add(idx);
                else r.Problem("moe_layers_enum", $"must be comma-separated layer indices; had \"{part}\"");
            }
        }
        else if (r.TryGet("moe_layers", out var ml) && ml.ValueKind == JsonValueKind.Array)
        {
            listed = [.. ml.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Number).Select(x => x.GetInt32())];
        }

        for (var i = 0; i < layers; i++)
        {
            var moe = listed is not null
                ? listed.Contains(i)
                : i >= firstDense && i % freq == 0 && step > 0 && (i + 1) % step == 0 && !only.Contains(i);
            mlps[i] = moe ? Mlp.Moe : Mlp.Dense;
        }
    }
}
