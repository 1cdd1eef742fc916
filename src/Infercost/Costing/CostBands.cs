using Infercost.Calibration;
using Infercost.Serving;

namespace Infercost.Costing;

/// <summary>P10–P90 bands on the throughputs and prices of one estimate.</summary>
/// <param name="ThroughputRatio">The model-error band applied to throughput.</param>
/// <param name="ClusterPrefillTokensPerSecond">Input tokens/s for the cluster.</param>
/// <param name="ClusterDecodeTokensPerSecond">Output tokens/s for the cluster.</param>
/// <param name="DecodeTokensPerSecondPerUser">Output tokens/s one sequence sees.</param>
/// <param name="InputPerMillion">$ per million input tokens.</param>
/// <param name="OutputPerMillion">$ per million output tokens.</param>
/// <param name="PerRequest">$ per request.</param>
/// <param name="Method">How the bands were formed.</param>
public sealed record CostBands(
    PredictionBand ThroughputRatio,
    Banded ClusterPrefillTokensPerSecond,
    Banded ClusterDecodeTokensPerSecond,
    Banded DecodeTokensPerSecondPerUser,
    Banded InputPerMillion,
    Banded OutputPerMillion,
    Banded PerRequest,
    string Method)
{
    /// <summary>Bands for <paramref name="central"/>: throughputs scaled by the model-error band; prices from the
    /// cheapest input corner (<paramref name="cheapest"/>, evaluated at the user's low price / high utilisation)
    /// divided by the high throughput ratio, and the dearest corner divided by the low ratio.</summary>
    /// <remarks>Taking the extremes of input ranges together with the model-error percentiles makes the price band
    /// wider than a true P10–P90 of the combined uncertainty: a deliberate, conservative choice (docs/validation.md#bands).</remarks>
    public static CostBands Of(ServingEstimate serving, CostEstimate central, CostEstimate cheapest, CostEstimate dearest, PredictionBand throughputRatio)
    {
        ArgumentNullException.ThrowIfNull(serving);
        ArgumentNullException.ThrowIfNull(central);
        ArgumentNullException.ThrowIfNull(cheapest);
        ArgumentNullException.ThrowIfNull(dearest);
        ArgumentNullException.ThrowIfNull(throughputRatio);
        Banded Price(double c, double low, double high) => new(c, low / throughputRatio.High, high / throughputRatio.Low);
        var inputsVary = cheapest != central || dearest != central;
        return new CostBands(
            throughputRatio,
            Banded.Of(serving.ClusterPrefillTokensPerSecond.Value, throughputRatio),
            Banded.Of(serving.ClusterDecodeTokensPerSecond.Value, throughputRatio),
            Banded.Of(serving.Decode.TokensPerSecondPerUser.Value, throughputRatio),
            Price(central.InputPerMillion.Value, cheapest.InputPerMillion.Value, dearest.InputPerMillion.Value),
            Price(central.OutputPerMillion.Value, cheapest.OutputPerMillion.Value, dearest.OutputPerMillion.Value),
            Price(central.PerRequest.Value, cheapest.PerRequest.Value, dearest.PerRequest.Value),
            "throughput × [" + Guard.Format(throughputRatio.Low) + ", " + Guard.Format(throughputRatio.High) + "] (" + throughputRatio.Basis + ")"
            + (inputsVary ? "; prices also span the given input ranges at their extremes" : ""));
    }
}
