using Infercost.Costing;
using Infercost.Hardware;
using Infercost.Models;
using Infercost.Serving;

namespace Infercost.Economics.Workloads;

/// <summary>A self-hosted deployment's rates from the engine: the serving and cost estimates and the price sheet they give.</summary>
/// <param name="Serving">Throughputs from <see cref="ServingEstimator"/>.</param>
/// <param name="Cost">Cluster $/h and $/MTok from <see cref="CostModel"/>.</param>
/// <param name="Prices">Input at the prefill cost, output at the decode cost, cached prompt tokens at the given fraction of prefill.</param>
public sealed record SelfHostedQuote(ServingEstimate Serving, CostEstimate Cost, PriceSheet Prices);

/// <summary>Turns the engine's estimate for a model on a cluster into per-token rates a workload can be costed with.</summary>
public static class SelfHostedPricing
{
    /// <summary>Request shape for the engine from a workload: the mean prompt and output (+ reasoning) per request,
    /// weighted by volume, at the workload's levers; capped at the model's context length.</summary>
    public static (int InputTokens, int OutputTokens) RequestShape(Workload workload, WorkloadLevers? levers, ModelArchitecture model)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(model);
        var l = (levers ?? WorkloadLevers.None).Validated();
        var hit = l.CacheHitRate ?? workload.CacheHitRate;
        double volume = 0, prompt = 0, output = 0;
        foreach (var r in workload.Requests)
        {
            var t = RequestBilling.Split(r, hit, l.Compaction, l.OutputReduction);
            var weight = Math.Max(r.RequestsPerDay, 1e-12);
            volume += weight;
            prompt += t.Prompt.Value * weight;
            output += t.BilledOutput.Value * weight;
        }

        var input = (int)Math.Clamp(Math.Round(prompt / volume), 1, model.MaxContextTokens);
        var outputTokens = (int)Math.Clamp(Math.Round(output / volume), 1, Math.Max(1, model.MaxContextTokens - input));
        return (input, outputTokens);
    }

    /// <summary>Estimates <paramref name="model"/> on <paramref name="accelerator"/> under <paramref name="config"/> and
    /// prices it on <paramref name="basis"/> at <paramref name="utilisation"/>.</summary>
    /// <param name="model">The model served.</param>
    /// <param name="accelerator">The device.</param>
    /// <param name="config">Serving configuration (devices, precisions, request shape).</param>
    /// <param name="basis">Rental or owned.</param>
    /// <param name="utilisation">Fraction of hours doing useful work, in (0, 1].</param>
    /// <param name="cachedPrefillFraction">What a cached prompt token costs as a fraction of a prefilled one (0: skipped).</param>
    public static SelfHostedQuote Quote(ModelArchitecture model, Accelerator accelerator, ServingConfig config, CostBasis basis,
        double utilisation = 1, double cachedPrefillFraction = 0)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        var serving = ServingEstimator.Estimate(model, accelerator, config);
        var cost = CostModel.Estimate(serving, accelerator, basis, utilisation);
        var label = $"self-hosted {model.Id} on {serving.TotalDevices} × {accelerator.Id}";
        var basisText = $"engine: {serving.Replicas} replica(s) ({serving.Parallelism}), cluster ${Guard.Format(cost.Cluster.Total.Value)}/h, utilisation {Guard.Format(utilisation * 100)}%"
            + (serving.Speculation is { } s ? "; " + Speculated(s, serving.Decode.Batch) : "");
        var sheet = PriceSheet.SelfHosted(label, cost.InputPerMillion, cost.OutputPerMillion, cachedPrefillFraction, basisText);
        return new SelfHostedQuote(serving, cost, sheet);
    }

    /// <summary>What speculation did to the output price, for the sheet's basis: the method, k and the decode speed-up at
    /// the batch the engine ran (the output $/MTok is the cluster's $/h over the speculative decode tokens/s, so it is the
    /// plain price ÷ that speed-up).</summary>
    private static string Speculated(Speculation.SpeculationSummary s, int batch) =>
        $"speculative decoding ({s.Method}{(s.DraftModel is { } d ? " " + d : "")}, k = {s.Length}): " +
        $"{Guard.Format(Math.Round(s.SpeedUp, 3))}× decode tokens/s at batch {batch}";
}
