using Infercost.Quantities;

namespace Infercost.Physics;

/// <summary>Whether a claim fits inside the rooflines, and by how much it overshoots if not.</summary>
/// <param name="Possible">True when the claimed rate is at or under every ceiling.</param>
/// <param name="ClaimedRate">The claim as tokens per second (price claims converted through the cluster cost).</param>
/// <param name="ComputeCeiling">Devices × peak ÷ (2 × active parameters): no faster at 100% MFU.</param>
/// <param name="BandwidthCeiling">For decode: devices × bandwidth × batch ÷ weight bytes per step; null when not checked.</param>
/// <param name="RequiredFlopsPerSecondPerDevice">Claimed rate × 2 × active parameters ÷ devices.</param>
/// <param name="FactorOverCompute">Claimed rate ÷ compute ceiling (above 1 is impossible).</param>
/// <param name="FactorOverBandwidth">Claimed rate ÷ bandwidth ceiling; null when not checked.</param>
/// <param name="FloorPrice">For price claims: cluster cost ÷ the tighter ceiling: no cheaper at 100% efficiency.</param>
/// <param name="Explanation">One paragraph saying which ceiling binds and by what factor.</param>
public sealed record ClaimVerdict(
    bool Possible,
    TokensPerSecond ClaimedRate,
    TokensPerSecond ComputeCeiling,
    TokensPerSecond? BandwidthCeiling,
    FlopsPerSecond RequiredFlopsPerSecondPerDevice,
    double FactorOverCompute,
    double? FactorOverBandwidth,
    DollarsPerMillionTokens? FloorPrice,
    string Explanation);
