using Infercost.Hardware;
using Infercost.Models;
using Infercost.Quantities;
using Infercost.Serving;
using Infercost.Speculation;

namespace Infercost.Search;

/// <summary>An accelerator the search may use and what one of it costs per hour.</summary>
/// <param name="Accelerator">The device.</param>
/// <param name="Price">Rental price per device-hour.</param>
public sealed record SearchDevice(Accelerator Accelerator, DollarsPerHour Price);

/// <summary>The design space: every combination of these is one candidate configuration.</summary>
/// <param name="Models">Models to serve (the search compares them on the same workload).</param>
/// <param name="Devices">Accelerators with their prices.</param>
/// <param name="Weights">Weight precisions; a null entry is the model's published precision.</param>
/// <param name="Kv">KV-cache precisions.</param>
/// <param name="ReplicaSizes">Devices per replica.</param>
/// <param name="AllLayouts">True: every tensor × pipeline split (and, for MoE, expert parallelism with attention data
/// parallelism) of each size, as <see cref="ParallelismPlanner.Candidates"/> lists them; false: the widest tensor split only.</param>
/// <param name="MaxBatches">Scheduler sequence caps per attention-data-parallel rank (vLLM's max_num_seqs).</param>
/// <param name="TokenBudgets">Scheduler token budgets per step (vLLM's max_num_batched_tokens: the chunked-prefill size).</param>
/// <param name="Disaggregation">Aggregated (false), disaggregated prefill/decode pools of the same layout (true), or both.</param>
/// <param name="Speculation">Decoding modes: a null entry decodes one token per step, others speculate (MTP or a draft
/// model, each with its draft length); null for plain decoding only. A mode a model cannot run (MTP on a model without
/// MTP modules, a draft of another vocabulary) leaves that candidate invalid.</param>
public sealed record SearchSpace(
    IReadOnlyList<ModelArchitecture> Models,
    IReadOnlyList<SearchDevice> Devices,
    IReadOnlyList<Precision?> Weights,
    IReadOnlyList<Precision> Kv,
    IReadOnlyList<int> ReplicaSizes,
    bool AllLayouts,
    IReadOnlyList<int> MaxBatches,
    IReadOnlyList<int> TokenBudgets,
    IReadOnlyList<bool> Disaggregation,
    IReadOnlyList<SpeculationConfig?>? Speculation = null)
{
    /// <summary>Most candidates one search enumerates: the bound on its work (each candidate's own work is bounded by
    /// the planner's trial limits).</summary>
    public const int MaxCandidates = 100_000;

    /// <summary>Every candidate in a fixed order (model, device, weights, KV, size, layout, batch cap, token budget,
    /// disaggregation, speculation), numbered from 0. The order, and so each index, depends only on the space.</summary>
    /// <exception cref="InvalidInputException">More than <see cref="MaxCandidates"/> candidates, or none.</exception>
    public IReadOnlyList<SearchCandidate> Candidates()
    {
        var list = new List<SearchCandidate>();
        IReadOnlyList<SpeculationConfig?> modes = Speculation is { Count: > 0 } given ? given : [null];
        foreach (var model in Models)
        {
            foreach (var device in Devices)
            {
                var layouts = new List<Parallelism>();
                foreach (var size in ReplicaSizes)
                {
                    if (AllLayouts) layouts.AddRange(ParallelismPlanner.Candidates(model, device.Accelerator, size).Where(c => c.DevicesPerReplica == size));
                    else if (ParallelismPlanner.Layout(model, device.Accelerator, size) is { } widest) layouts.Add(widest);
                }

                foreach (var weights in Weights.Distinct())
                {
                    foreach (var kv in Kv.Distinct())
                    {
                        foreach (var layout in layouts)
                        {
                            foreach (var batch in MaxBatches.Distinct())
                            {
                                foreach (var budget in TokenBudgets.Distinct())
                                {
                                    foreach (var split in Disaggregation.Distinct())
                                    {
                                        foreach (var mode in modes.Distinct())
                                        {
                                            if (list.Count >= MaxCandidates)
                                            {
                                                throw new InvalidInputException("candidates",
                                                    $"candidates must be at most {MaxCandidates:N0} per search; this space has more. Narrow a dimension.");
                                            }

                                            list.Add(new SearchCandidate(list.Count, model, device, weights, kv, layout, batch, budget, split, mode));
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        if (list.Count == 0) throw new InvalidInputException("gpusPerReplica", "gpusPerReplica gives no valid layout for any model and GPU; try other sizes.");
        return list;
    }
}

/// <summary>One configuration of the design space.</summary>
/// <param name="Index">Its place in <see cref="SearchSpace.Candidates"/>.</param>
/// <param name="Model">The model.</param>
/// <param name="Device">The accelerator and its price.</param>
/// <param name="Weights">Weight precision; null for the model's published one.</param>
/// <param name="Kv">KV-cache precision.</param>
/// <param name="Parallelism">One replica's layout (both pools' when disaggregated).</param>
/// <param name="MaxBatch">Sequence cap per attention-data-parallel rank.</param>
/// <param name="TokenBudget">Tokens per step.</param>
/// <param name="Disaggregated">Separate prefill and decode pools.</param>
/// <param name="Speculation">Speculative decoding in every decode step; null decodes one token per step.</param>
public sealed record SearchCandidate(int Index, ModelArchitecture Model, SearchDevice Device, Precision? Weights, Precision Kv,
    Parallelism Parallelism, int MaxBatch, int TokenBudget, bool Disaggregated, SpeculationConfig? Speculation = null)
{
    /// <summary>The decoding mode in words: "off", "mtp k 2" or "draft llama-3.2-1b k 4".</summary>
    public string SpeculationText => Speculation is { } s
        ? $"{s.MethodName}{(s.Draft is { } d ? " " + d.Id : "")} k {s.Length}{(s.Tree is { } t ? " tree " + string.Join(",", t) : "")}"
        : "off";

    /// <summary>Devices per replica.</summary>
    public int DevicesPerReplica => Parallelism.DevicesPerReplica;

    /// <summary>The weight precision served.</summary>
    public Precision WeightsServed => Weights ?? Model.DefaultWeightPrecision;

    /// <summary>The configuration in words.</summary>
    public override string ToString() =>
        $"{Model.Id} {WeightsServed.Name()} (KV {Kv.Name()}) on {DevicesPerReplica} × {Device.Accelerator.Id} ({Parallelism}), max-batch {MaxBatch}, " +
        $"chunk {TokenBudget}{(Disaggregated ? ", disaggregated" : "")}{(Speculation is null ? "" : ", speculation " + SpeculationText)}";
}
