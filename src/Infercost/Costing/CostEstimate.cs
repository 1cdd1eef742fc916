using Infercost.Quantities;

namespace Infercost.Costing;

/// <summary>What serving costs: per hour, per million input and output tokens, per request, and in energy.</summary>
/// <param name="Cluster">Hourly cost of every device in the cluster.</param>
/// <param name="Utilisation">Fraction of hours spent doing useful work; idle hours are paid for too.</param>
/// <param name="InputPerMillion">Cluster $/h ÷ (input tokens per hour × utilisation), the cluster only prefilling.</param>
/// <param name="OutputPerMillion">Cluster $/h ÷ (output tokens per hour × utilisation), the cluster only decoding.</param>
/// <param name="PerRequest">Input tokens × input price + output tokens × output price: the device time one request uses.</param>
/// <param name="BlendedPerMillion">Per-request cost ÷ (input + output tokens).</param>
/// <param name="ClusterPower">Devices × power per device × PUE; null when the catalog has no power figure.</param>
/// <param name="JoulesPerInputToken">Cluster power ÷ input tokens per second.</param>
/// <param name="JoulesPerOutputToken">Cluster power ÷ output tokens per second.</param>
/// <param name="KilowattHoursPerMillionOutput">Energy for one million output tokens.</param>
public sealed record CostEstimate(
    HourlyCost Cluster,
    double Utilisation,
    DollarsPerMillionTokens InputPerMillion,
    DollarsPerMillionTokens OutputPerMillion,
    Dollars PerRequest,
    DollarsPerMillionTokens BlendedPerMillion,
    Watts? ClusterPower,
    double? JoulesPerInputToken,
    double? JoulesPerOutputToken,
    double? KilowattHoursPerMillionOutput);
