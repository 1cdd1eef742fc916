using Infercost.Serving;

namespace Infercost.Simulation;

/// <summary>A fleet split into a prefill pool (prompt processing only) and a decode pool (decode steps only), the
/// prompt's KV cache crossing the network between them (DistServe, NVIDIA Dynamo, vLLM disaggregated prefill).</summary>
/// <param name="Prefill">Model, device and layout of one prefill replica.</param>
/// <param name="PrefillReplicas">Replicas in the prefill pool.</param>
/// <param name="Decode">Model, device and layout of one decode replica (the same model; the layout may differ).</param>
/// <param name="DecodeReplicas">Replicas in the decode pool.</param>
public sealed record DisaggregatedFleet(ServingSetup Prefill, int PrefillReplicas, ServingSetup Decode, int DecodeReplicas)
{
    /// <summary>Devices in both pools.</summary>
    public int Devices => PrefillReplicas * Prefill.DevicesPerReplica + DecodeReplicas * Decode.DevicesPerReplica;

    /// <summary>Both pools, for example "2 prefill × 1 × nvidia-h100-sxm (TP1) + 3 decode × 1 × nvidia-h100-sxm (TP1)".</summary>
    public string Layout => $"{PrefillReplicas} prefill × {Prefill.Layout} + {DecodeReplicas} decode × {Decode.Layout}";

    /// <summary>Checks the pool sizes and that both pools serve the same model.</summary>
    public DisaggregatedFleet Validated()
    {
        ArgumentNullException.ThrowIfNull(Prefill);
        ArgumentNullException.ThrowIfNull(Decode);
        Guard.InRange(PrefillReplicas, 1, 100_000, "prefillReplicas");
        Guard.InRange(DecodeReplicas, 1, 100_000, "decodeReplicas");
        if (Prefill.Model.Id != Decode.Model.Id)
        {
            throw new InvalidInputException("decode", $"decode must serve the prefill pool's model {Prefill.Model.Id}; was {Decode.Model.Id}.");
        }

        return this;
    }
}
