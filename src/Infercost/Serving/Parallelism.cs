namespace Infercost.Serving;

/// <summary>How one model replica is spread over devices.</summary>
/// <param name="Tensor">Tensor-parallel degree: each layer's matrices split across this many devices.</param>
/// <param name="Pipeline">Pipeline-parallel degree: layers split into this many sequential stages.</param>
/// <param name="Expert">Expert-parallel degree: routed experts split across this many devices (1 = experts are tensor-split).</param>
/// <param name="AttentionData">Attention data-parallel degree: attention (and its KV cache) replicated this many times,
/// each copy serving its own share of the batch, while experts are sharded across all devices of the replica.</param>
// Devices per replica = Tensor × Pipeline × AttentionData; expert parallelism re-partitions those same devices.
public sealed record Parallelism(int Tensor = 1, int Pipeline = 1, int Expert = 1, int AttentionData = 1)
{
    /// <summary>Devices in one replica: tensor × pipeline × attention-data.</summary>
    public int DevicesPerReplica => Tensor * Pipeline * AttentionData;

    /// <summary>One device, no parallelism.</summary>
    public static Parallelism Single { get; } = new();

    /// <summary>Checks each degree and that expert parallelism divides the replica.</summary>
    public Parallelism Validated()
    {
        Validate(Tensor, Pipeline, Expert, AttentionData);
        return this;
    }

    /// <summary>The checks of <see cref="Validated"/> on the four degrees.</summary>
    internal static void Validate(int tensor, int pipeline, int expert, int attentionData)
    {
        Guard.InRange(tensor, 1, 1024, "tensorParallel");
        Guard.InRange(pipeline, 1, 1024, "pipelineParallel");
        Guard.InRange(attentionData, 1, 1024, "attentionDataParallel");
        var devices = tensor * pipeline * attentionData;
        Guard.InRange(expert, 1, devices, "expertParallel");
        if (devices % expert != 0)
        {
            throw new InvalidInputException("expertParallel",
                $"expertParallel must divide the replica's {devices} devices (tensor × pipeline × attention-data); was {expert}.");
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"TP{Tensor}" + (Pipeline > 1 ? $" PP{Pipeline}" : "") + (Expert > 1 ? $" EP{Expert}" : "") + (AttentionData > 1 ? $" DP{AttentionData}" : "");
}
