using Infercost.Costing;
using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Cli.Reports;

/// <summary>What <c>infercost sweep</c> computed: one decode estimate and output price per batch size.</summary>
/// <param name="ModelId">Model id.</param>
/// <param name="AcceleratorId">Accelerator id.</param>
/// <param name="TotalDevices">Devices in the cluster.</param>
/// <param name="Parallelism">Layout of one replica.</param>
/// <param name="Replicas">Whole replicas in the cluster.</param>
/// <param name="ContextTokens">Context per sequence the memory plan was made for (input + output).</param>
/// <param name="MaxBatch">Largest batch per replica whose KV cache fits at that context.</param>
/// <param name="Basis">How the devices are paid for.</param>
/// <param name="Rows">One row per requested batch, in the order given.</param>
public sealed record SweepReport(
    string ModelId,
    string AcceleratorId,
    int TotalDevices,
    Parallelism Parallelism,
    int Replicas,
    int ContextTokens,
    int MaxBatch,
    CostBasis Basis,
    IReadOnlyList<SweepRow> Rows);

/// <summary>One batch size of a sweep.</summary>
/// <param name="Batch">Sequences per replica.</param>
/// <param name="Fits">False when the batch's KV cache does not fit; the other fields are then null.</param>
/// <param name="Decode">The decode step at this batch.</param>
/// <param name="ClusterOutputTokensPerSecond">Replicas × decode tokens/s.</param>
/// <param name="OutputPerMillion">Price per million output tokens at this batch.</param>
public sealed record SweepRow(
    int Batch,
    bool Fits,
    DecodeEstimate? Decode,
    TokensPerSecond? ClusterOutputTokensPerSecond,
    DollarsPerMillionTokens? OutputPerMillion);
