using Infercost.Hardware;
using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Costing;

/// <summary>Turns throughput into money and energy.</summary>
/// <remarks>Each phase is priced by its own time: $/MTok(input) = cluster $/h ÷ prefill tokens per hour, $/MTok(output)
/// = cluster $/h ÷ decode tokens per hour, both divided by utilisation. A request's cost is the device time its tokens
/// use. See docs/methodology.md#cost.</remarks>
public static class CostModel
{
    /// <summary>Price per million tokens for a cluster producing <paramref name="throughput"/> at <paramref name="utilisation"/>:
    /// ($/h) ÷ (tokens/h × utilisation) × 10^6.</summary>
    public static DollarsPerMillionTokens PerMillion(DollarsPerHour cluster, TokensPerSecond throughput, double utilisation = 1)
    {
        Guard.InRange(utilisation, 1e-6, 1, "utilisation");
        Guard.Positive(throughput.Value, "throughput");
        return cluster / (throughput * utilisation);
    }

    /// <summary>Costs a serving estimate.</summary>
    /// <param name="serving">Throughputs from <see cref="ServingEstimator"/>.</param>
    /// <param name="accelerator">The device (for its price and power).</param>
    /// <param name="basis">Rental or owned.</param>
    /// <param name="utilisation">Fraction of hours the cluster does useful work, in (0, 1].</param>
    /// <param name="pue">Facility PUE for the energy figures under rental (owned costs use their own PUE).</param>
    public static CostEstimate Estimate(ServingEstimate serving, Accelerator accelerator, CostBasis basis, double utilisation = 1, double pue = 1.3)
    {
        ArgumentNullException.ThrowIfNull(serving);
        ArgumentNullException.ThrowIfNull(accelerator);
        ArgumentNullException.ThrowIfNull(basis);
        Guard.InRange(utilisation, 1e-6, 1, "utilisation");
        Guard.InRange(pue, 1, 5, "pue");
        var cluster = basis.PerDevice(accelerator).Times(serving.TotalDevices);
        var input = PerMillion(cluster.Total, serving.ClusterPrefillTokensPerSecond, utilisation);
        var output = PerMillion(cluster.Total, serving.ClusterDecodeTokensPerSecond, utilisation);
        var perRequest = Tokens.FromTokens(serving.InputTokens) * input + Tokens.FromTokens(serving.OutputTokens) * output;
        var blended = perRequest / Tokens.FromTokens(serving.InputTokens + serving.OutputTokens);

        var facilityPue = basis is OwnedCost owned ? owned.Pue : pue;
        var devicePower = basis is OwnedCost { PowerPerDevice: { } w } ? w : accelerator.Tdp;
        Watts? power = devicePower is { } p ? p * (serving.TotalDevices * facilityPue) : null;
        double? jIn = power is { } pw ? Watts.JoulesPerToken(pw, serving.ClusterPrefillTokensPerSecond * utilisation) : null;
        double? jOut = power is { } pw2 ? Watts.JoulesPerToken(pw2, serving.ClusterDecodeTokensPerSecond * utilisation) : null;
        double? kwh = jOut is { } j ? Joules.FromJoules(j * 1e6).KilowattHours : null;
        return new CostEstimate(cluster, utilisation, input, output, perRequest, blended, power, jIn, jOut, kwh);
    }
}
