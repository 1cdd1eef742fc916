using Infercost.Costing;
using Infercost.Serving;

namespace Infercost.Cli.Reports;

/// <summary>What <c>infercost cost</c> computed: the serving estimate, how the devices are paid for, and the cost.</summary>
/// <param name="Serving">Layout, memory, prefill, decode and cluster throughput.</param>
/// <param name="Basis">Rental or owned, with its inputs.</param>
/// <param name="Cost">Hourly cost, prices per million tokens and per request, energy.</param>
/// <param name="Bands">P10-P90 bands on throughputs and prices (calibrated model error, widened by input ranges).</param>
public sealed record CostReport(ServingEstimate Serving, CostBasis Basis, CostEstimate Cost, CostBands Bands);
