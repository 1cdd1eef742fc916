using System.Globalization;
using Infercost.Simulation;

namespace Infercost.Requests;

// A pool is typed as one token of KEY=VALUE items (the CLI's --pool gpu=nvidia-a100-sxm-80gb,gpus=48,tp=8, the JSON
// "pool": ["gpu=...,gpus=48,tp=8"]), so a scenario file and a shell history keep it as typed. Each key is the field of
// the same name on the request and is checked against that field's range; what a pool does not give is the request's
// (engine, efficiency, batch limits), except the layout, which is the pool's own: its GPU is not the request's.

/// <summary>One <c>pool</c> entry of a <c>simulate</c> request: a pool of replicas on their own GPU, layout and
/// precisions beside the replicas the request's own <c>gpu</c>/<c>gpus</c> describe.</summary>
/// <param name="Text">The entry as given.</param>
/// <param name="Gpu">Accelerator id; null for the request's <c>gpu</c>.</param>
/// <param name="Gpus">Devices in the pool.</param>
/// <param name="Replicas">Replicas in the pool (with a layout, instead of or as well as <paramref name="Gpus"/>).</param>
/// <param name="Tp">Tensor-parallel degree; any of tp/pp/ep/dp fixes the pool's layout, none lets the planner choose.</param>
/// <param name="Pp">Pipeline-parallel degree.</param>
/// <param name="Ep">Expert-parallel degree.</param>
/// <param name="Dp">Attention data-parallel degree.</param>
/// <param name="Weights">Weight precision; null for the request's.</param>
/// <param name="Kv">KV-cache precision; null for the request's.</param>
/// <param name="Price">Rental price of one of its GPUs, $/GPU-hour; null for the request's basis (its gpuPrice only
/// when the pool's GPU is the request's, else the catalog's price).</param>
public sealed record PoolSpec(string Text, string? Gpu, int? Gpus, int? Replicas, int? Tp, int? Pp, int? Ep, int? Dp,
    Precision? Weights, Precision? Kv, double? Price)
{
    /// <summary>The keys a pool accepts, as the messages list them.</summary>
    public const string Keys = "gpu, gpus, replicas, tp, pp, ep, dp, weights, kv, price, role";

    /// <summary>The accepted roles, as the messages list them.</summary>
    public const string Roles = "combined, prefill, decode";

    /// <summary>What the pool's replicas do (<c>role=</c>): <see cref="ReplicaRole.Combined"/> unless given.</summary>
    public ReplicaRole Role { get; init; }

    /// <summary>The FP4 layout <c>weights=</c> or <c>kv=</c> names (<c>nvfp4</c>, <c>mxfp4</c>); null for the request's.</summary>
    public Fp4Format? Fp4Format { get; init; }

    /// <summary>Most pools one request gives (beside its own replicas).</summary>
    public const int MaxPools = 64;

    /// <summary>Accepted ranges of the keys that are not request fields of their own.</summary>
    public static readonly WholeField ReplicasField = new("replicas", 1, ServingSimulator.MaxReplicas);

    /// <summary>Accepted range of <see cref="Price"/> (<see cref="PricedRequest.GpuPriceField"/>'s).</summary>
    public static readonly NumberField PriceField = new("price", PricedRequest.GpuPriceField.Low, PricedRequest.GpuPriceField.High);

    /// <summary>Whether the pool fixes its layout.</summary>
    public bool FixesLayout => Tp is not null || Pp is not null || Ep is not null || Dp is not null;

    /// <summary>Parses <c>KEY=VALUE[,KEY=VALUE...]</c>.</summary>
    /// <exception cref="InvalidInputException">Field <c>pool</c>; the message quotes the entry, names the key, its accepted
    /// range and the value.</exception>
    public static PoolSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Braces would read as field placeholders in the message template; no key or value has them.
        if (text.Contains('{', StringComparison.Ordinal) || text.Contains('}', StringComparison.Ordinal))
        {
            throw new InvalidInputException("pool", $"pool must be KEY=VALUE items separated by commas (keys {Keys}); was '{text}'.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var spec = new PoolSpec(text, null, null, null, null, null, null, null, null, null, null);
        var items = text.Split(',', StringSplitOptions.TrimEntries);
        if (text.Trim().Length == 0) throw Problem(text, $"give KEY=VALUE items separated by commas (keys {Keys})");
        foreach (var item in items)
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (item.Length == 0) throw Problem(text, "an item is empty");
            if (eq <= 0) throw Problem(text, $"'{item}' is not KEY=VALUE (keys {Keys})");
            var key = item[..eq].Trim().ToLowerInvariant();
            var value = item[(eq + 1)..].Trim();
            if (!seen.Add(key)) throw Problem(text, $"{key} is given twice");
            if (value.Length == 0) throw Problem(text, $"{key} has no value");
            spec = key switch
            {
                "gpu" => spec with { Gpu = value },
                "gpus" => spec with { Gpus = Whole(text, DeploymentRequest.GpusField, value) },
                "replicas" => spec with { Replicas = Whole(text, ReplicasField, value) },
                "tp" => spec with { Tp = Whole(text, DeploymentRequest.TpField, value) },
                "pp" => spec with { Pp = Whole(text, DeploymentRequest.PpField, value) },
                "ep" => spec with { Ep = Whole(text, DeploymentRequest.EpField, value) },
                "dp" => spec with { Dp = Whole(text, DeploymentRequest.DpField, value) },
                "weights" => spec with { Weights = Checked(text, () => PrecisionInfo.ParseStored(value, "weights")), Fp4Format = Layout(text, spec, value) },
                "kv" => spec with { Kv = Checked(text, () => PrecisionInfo.ParseStored(value, "kv")), Fp4Format = Layout(text, spec, value) },
                "price" => spec with { Price = Checked(text, () => PriceField.Check(Number(text, "price", value))) },
                "role" => spec with { Role = TryRole(value) ?? throw Problem(text, $"role must be one of {Roles}; was '{value}'") },
                _ => throw Problem(text, $"unknown key '{key}'; the keys are {Keys}"),
            };
        }

        if (spec.Gpus is null && spec.Replicas is null) throw Problem(text, "give gpus=N (or replicas=N with a layout)");
        if (spec.Gpus is null && !spec.FixesLayout) throw Problem(text, "replicas=N needs a layout (tp, pp, ep or dp) to know the GPUs; give gpus=N, or a layout");
        return spec;
    }

    /// <summary>A role as typed (case-insensitive), or null when it is none of <see cref="Roles"/>.</summary>
    public static ReplicaRole? TryRole(string value) => value?.Trim().ToLowerInvariant() switch
    {
        "combined" => ReplicaRole.Combined,
        "prefill" => ReplicaRole.Prefill,
        "decode" => ReplicaRole.Decode,
        _ => null,
    };

    /// <summary>The pool's devices: <see cref="Gpus"/>, else replicas × tp × pp × dp.</summary>
    public int DevicesGiven() => Gpus ?? (int)Math.Min(int.MaxValue, (long)Replicas!.Value * (Tp ?? 1) * (Pp ?? 1) * (Dp ?? 1));

    /// <summary>An error about this entry: "pool 'TEXT': WHAT.".</summary>
    public InvalidInputException Problem(string what) => Problem(Text, what);

    // weights=nvfp4 and kv=mxfp4 in one pool would store its fp4 tensors in two layouts; one setup has one.
    private static Fp4Format? Layout(string text, PoolSpec spec, string value) =>
        PrecisionInfo.Fp4FormatOf(value) is not { } format ? spec.Fp4Format
        : spec.Fp4Format is { } earlier && earlier != format ? throw Problem(text, $"weights and kv name different FP4 layouts ({earlier.ToString().ToLowerInvariant()}, {value}); a pool stores its fp4 tensors in one")
        : format;

    private static InvalidInputException Problem(string text, string what) =>
        RequestFields.Error("pool", $"{{pool}} '{text}': {what}.");

    private static int Whole(string text, WholeField field, string value)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v != Math.Floor(v) || value.Contains('.', StringComparison.Ordinal))
        {
            throw Problem(text, $"{field.Name} must be a whole number; was '{value}'");
        }

        if (v < field.Low || v > field.High) throw Problem(text, $"{field.Name} must be in [{field.Low}, {field.High}]; was {value}");
        return (int)v;
    }

    private static double Number(string text, string key, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw Problem(text, $"{key} must be a number; was '{value}'");

    private static T Checked<T>(string text, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (InvalidInputException e) when (e.Field != "pool")
        {
            throw Problem(text, e.Message.TrimEnd('.'));
        }
    }
}
