using Infercost.Physics;
using Infercost.Quantities;

namespace Infercost.Cli.Reports;

/// <summary>What <c>infercost check</c> found: the claim, its verdict at the claim's precision, and how far it is from
/// the highest dense peak the device has at any precision.</summary>
/// <param name="Claim">The claim as checked.</param>
/// <param name="Verdict">Ceilings, factors and explanation at <see cref="Physics.Claim.Precision"/>.</param>
/// <param name="HighestPeakPrecision">The precision with the device's highest dense peak.</param>
/// <param name="HighestPeak">That peak, per device.</param>
/// <param name="FactorOverHighestPeak">Claimed rate ÷ the compute ceiling at the highest peak.</param>
/// <param name="WeightBytesMethod">How <see cref="Physics.Claim.WeightBytesPerStep"/> was derived; null when not used.</param>
public sealed record CheckReport(
    Claim Claim,
    ClaimVerdict Verdict,
    Precision HighestPeakPrecision,
    FlopsPerSecond HighestPeak,
    double FactorOverHighestPeak,
    string? WeightBytesMethod);
