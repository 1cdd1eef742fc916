using Infercost.Costing;
using Infercost.Serving;

namespace Infercost.Requests;

/// <summary>What <c>cost</c> computed: the serving estimate, how the devices are paid for, and the cost.</summary>
/// <param name="Serving">Layout, memory, prefill, decode and cluster throughput.</param>
/// <param name="Basis">Rental or owned, with its inputs.</param>
/// <param name="Cost">Hourly cost, prices per million tokens and per request, energy.</param>
/// <param name="Bands">P10-P90 bands on throughputs and prices (calibrated model error, widened by input ranges).</param>
public sealed record CostReport(ServingEstimate Serving, CostBasis Basis, CostEstimate Cost, CostBands Bands);

/// <summary>The <c>cost</c> question: throughput, latency and cost per million tokens of serving a model on a cluster.</summary>
public sealed record CostRequest : PricedRequest
{
    /// <summary>Validates, resolves the model and accelerator in <paramref name="catalog"/> and answers.</summary>
    /// <exception cref="InvalidInputException">A field out of range, an unknown id, or a model that does not fit.</exception>
    public CostReport Answer(Catalog.Catalog catalog, string? modelConfigSource = null)
    {
        Validate();
        return Answer(Resolve(catalog, modelConfigSource)).Report;
    }

    /// <summary>Answers for an already resolved <paramref name="subject"/>, with the subject for rendering.</summary>
    public (CostReport Report, Subject Subject) Answer(Subject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        Validate();
        EnsureContext(subject.Model);
        var basis = Basis();
        var estimate = ServingEstimator.Estimate(subject.Model, subject.Accelerator, ToConfig(subject));
        var (cost, bands) = Estimate(estimate, subject.Accelerator);
        return (new CostReport(estimate, basis, cost, bands), subject);
    }
}
