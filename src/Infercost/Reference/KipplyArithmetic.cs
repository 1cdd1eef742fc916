using Infercost.Hardware;
using Infercost.Quantities;

namespace Infercost.Reference;

/// <summary>kipply's closed-form latency and capacity formulas, with the accelerator's figures as A_f (dense peak),
/// A_bm (memory bandwidth) and A_c (scale-up link bandwidth).</summary>
/// <remarks>Source: kipply (Carol Chen), "Transformer Inference Arithmetic" (2022-03-30), sections "kv cache",
/// "capacity", "latency calculations" and "batch sizes" (golden cases 5A–5M). Differences from the engine: P is the
/// nominal parameter count (52B, 260B) rather than one counted from the shape; comms at small batch are latency only
/// (4 messages per layer: each of the two all-reduces is a scatter of shards and a gather back) and at large batch
/// bandwidth only, with (N − 1)/N rounded to 1; and compute and comms overlap (the step is their max).</remarks>
public static class KipplyArithmetic
{
    /// <summary>Bytes per weight and per cached element: 16-bit throughout.</summary>
    public const double BytesPerElement = 2.0;

    /// <summary>Latency of one message, "approximately 8 microseconds" (Citadel's V100 NVLink measurement).</summary>
    public static Seconds MessageLatency { get; } = Seconds.FromMicroseconds(8);

    /// <summary>KV bytes per token: 2 (K, V) × 2 B × n_layers × d_model.</summary>
    public static Bytes KvBytesPerToken(int layers, int modelWidth) =>
        Bytes.FromBytes(2 * BytesPerElement * layers * (double)modelWidth);

    /// <summary>Memory-bound step (small batch): 2 B × P ÷ (N × A_bm).</summary>
    public static Seconds MemoryBoundStep(double parameters, int devices, Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        Guard.Positive(parameters, "parameters");
        Guard.InRange(devices, 1, 1_000_000, "devices");
        return Bytes.FromBytes(BytesPerElement * parameters) / (accelerator.MemoryBandwidth * devices);
    }

    /// <summary>Compute-bound step (large batch): B × 2·P FLOPs ÷ (N × A_f), A_f the 16-bit dense peak.</summary>
    public static Seconds ComputeBoundStep(int batch, double parameters, int devices, Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        Guard.InRange(batch, 1, 10_000_000, "batch");
        Guard.Positive(parameters, "parameters");
        Guard.InRange(devices, 1, 1_000_000, "devices");
        return Flops.FromFlops(batch * 2 * parameters) / (Peak16(accelerator) * devices);
    }

    /// <summary>Small-batch comms, latency only: 4 messages per layer × n_layers × <see cref="MessageLatency"/>.</summary>
    /// <remarks>The source's formula reads 2·4·n_layers·8 µs, but its arithmetic is 4·80·8 µs = 2,560 µs; the arithmetic
    /// (and the section on model parallelism: two all-reduces of two messages each per layer) is used here.</remarks>
    public static Seconds SmallBatchComms(int layers) => MessageLatency * (4.0 * layers);

    /// <summary>Large-batch comms, bandwidth only: B × 2 B × 4 × n_layers × d_model ÷ A_c.</summary>
    public static Seconds LargeBatchComms(int batch, int layers, int modelWidth, Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        var link = accelerator.ScaleUpBandwidth
            ?? throw new InvalidInputException("scaleUpBandwidth", $"{accelerator.Id} has no scale-up link; kipply's A_c is the NVLink bandwidth.");
        return Bytes.FromBytes(batch * BytesPerElement * 4.0 * layers * modelWidth) / link;
    }

    /// <summary>Batch at which the flops time B·2P/(N·A_f) meets the memory time 2P/(N·A_bm): A_f ÷ A_bm.</summary>
    /// <remarks>The source prints the ratio as "A_bw/A_f", inverted; its value, 208, is A_f/A_bm.</remarks>
    public static double CrossoverBatch(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        return Peak16(accelerator) / accelerator.MemoryBandwidth;
    }

    /// <summary>Tokens of KV cache that fit beside the weights: (memory − weights) ÷ KV bytes per token.</summary>
    public static double CapacityTokens(Bytes totalMemory, Bytes weights, Bytes kvBytesPerToken) =>
        (totalMemory - weights) / kvBytesPerToken;

    private static FlopsPerSecond Peak16(Accelerator accelerator) =>
        accelerator.Peaks.For(Precision.Bf16)
        ?? throw new InvalidInputException("peak", $"{accelerator.Id} has no 16-bit dense peak.");
}
