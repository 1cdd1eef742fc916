using Infercost.Serving;

namespace Infercost.Cli.Reports;

/// <summary>What <c>infercost fit</c> found: the layout, the per-device memory plan, and whether the batch fits.</summary>
/// <param name="ModelId">Model id.</param>
/// <param name="AcceleratorId">Accelerator id.</param>
/// <param name="TotalDevices">Devices in the cluster.</param>
/// <param name="Parallelism">Layout of one replica (given, chosen, or for a model that does not fit, the largest tried).</param>
/// <param name="Replicas">Whole replicas in the cluster.</param>
/// <param name="WeightPrecision">Non-expert weight precision.</param>
/// <param name="ExpertPrecision">Routed-expert weight precision.</param>
/// <param name="KvPrecision">KV-cache precision.</param>
/// <param name="Batch">Sequences per replica that must fit.</param>
/// <param name="Memory">Per-device memory plan at the context.</param>
/// <param name="Fits">True when the weights and the batch fit.</param>
/// <param name="Verdict">One sentence: how much fits, or why not and the way out.</param>
public sealed record FitReport(
    string ModelId,
    string AcceleratorId,
    int TotalDevices,
    Parallelism Parallelism,
    int Replicas,
    Precision WeightPrecision,
    Precision ExpertPrecision,
    Precision KvPrecision,
    int Batch,
    MemoryPlan Memory,
    bool Fits,
    string Verdict);
