namespace Infercost.Datacenter;

/// <summary>What a datacentre is sized from.</summary>
public enum SizingBasis
{
    /// <summary>A number of accelerators.</summary>
    Accelerators,

    /// <summary>Facility power (what the grid delivers), W.</summary>
    FacilityPower,

    /// <summary>A capital budget (hardware + facility), $.</summary>
    Capex,

    /// <summary>Tokens (input + output) to serve per day.</summary>
    TokensPerDay,

    /// <summary>Users at a usage profile (tokens per user per day).</summary>
    Users,
}

/// <summary>The one quantity a datacentre is sized from, in the unit its basis names (count, W, $, tokens/day, users).</summary>
/// <param name="Basis">What <paramref name="Value"/> is.</param>
/// <param name="Value">The amount (> 0).</param>
public sealed record DatacenterSizing(SizingBasis Basis, double Value);
