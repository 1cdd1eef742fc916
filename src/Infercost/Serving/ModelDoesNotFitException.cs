using Infercost.Quantities;

namespace Infercost.Serving;

/// <summary>The model's weights, or the requested batch's KV cache, exceed device memory.</summary>
// A domain failure, not a bug: shells print Message (required vs available, and the way out) and exit 2.
public sealed class ModelDoesNotFitException : Exception
{
    private ModelDoesNotFitException(string message, Bytes required, Bytes available) : base(message)
    {
        Required = required;
        Available = available;
    }

    /// <summary>Bytes needed per device.</summary>
    public Bytes Required { get; }

    /// <summary>Bytes available per device.</summary>
    public Bytes Available { get; }

    /// <summary>The weights alone do not fit.</summary>
    public static ModelDoesNotFitException Weights(string modelId, string layout, Bytes required, Bytes available, string wayOut) =>
        new($"{modelId} does not fit on {layout}: weights need {Gb(required)} GB per device, {Gb(available)} GB available " +
            $"after the runtime reserve. {wayOut}", required, available);

    /// <summary>The weights fit but the KV cache of the requested batch does not.</summary>
    /// <remarks>The way out lists <paramref name="lowerPrecisions"/> ("fp8 KV cache", "fp8 weights"): only precisions that
    /// would shrink what does not fit, so the advice never suggests one the model is already below.</remarks>
    public static ModelDoesNotFitException KvCache(string modelId, string layout, int batch, int context, Bytes required, Bytes available, int maxBatch,
        IReadOnlyList<string> lowerPrecisions)
    {
        ArgumentNullException.ThrowIfNull(lowerPrecisions);
        var ways = (maxBatch > 0 ? new[] { $"--batch {maxBatch}", "more GPUs" } : ["more GPUs"]).Concat(lowerPrecisions).Append("a shorter context").ToList();
        var list = string.Join(", ", ways.Take(ways.Count - 1)) + " or " + ways[^1];
        return new($"{modelId} on {layout}: batch {batch} at {context} tokens of context needs {Gb(required)} GB of KV cache per device, " +
            $"{Gb(available)} GB left after weights. " +
            (maxBatch > 0 ? $"At most batch {maxBatch} fits; use {list}." : $"Not even one sequence fits; use {list}."),
            required, available);
    }

    private static string Gb(Bytes b) => Guard.Format(Math.Round(b.Gigabytes, 2));
}
