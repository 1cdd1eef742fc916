using Infercost.Quantities;

namespace Infercost.Datacenter;

/// <summary>A published "N accelerators and P watts" set against the power chain, with the factor that reconciles them.</summary>
/// <param name="Accelerators">The claimed count.</param>
/// <param name="Claimed">The claimed facility power.</param>
/// <param name="ClaimedPerAccelerator">Claimed ÷ count: all-in watts per accelerator.</param>
/// <param name="BoardOnly">Count × board power (what counting TDP alone gives).</param>
/// <param name="Modelled">Count × facility watts from the chain.</param>
/// <param name="Ratio">Claimed ÷ modelled.</param>
/// <param name="ImpliedPue">The PUE that makes the chain give the claim with every other factor held: claimed ÷ (count ×
/// IT W). Below 1 means the claim is under the IT load itself.</param>
/// <param name="ImpliedServerDrawFraction">The fraction of the servers' rated draw (board × (1 + host overhead)) that
/// gives the claim at the chain's PUE, network and storage shares.</param>
public sealed record PowerClaimCheck(
    long Accelerators, Watts Claimed, Watts ClaimedPerAccelerator, Watts BoardOnly, Watts Modelled, double Ratio,
    double ImpliedPue, double ImpliedServerDrawFraction)
{
    /// <summary>Checks a claim of <paramref name="claimed"/> for <paramref name="accelerators"/> accelerators.</summary>
    /// <remarks>Implied PUE = P ÷ (N × IT W); implied draw = P ÷ (N × server W × (1 + network + storage) × PUE).</remarks>
    public static PowerClaimCheck For(long accelerators, Watts claimed, PowerChain chain, FacilityParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(parameters);
        if (accelerators < 1) throw new InvalidInputException("gpus", $"gpus must be >= 1; was {accelerators}.");
        Guard.Positive(claimed.Value, "claimed-megawatts");
        var modelled = chain.Facility * accelerators;
        var perAccelerator = claimed / accelerators;
        return new PowerClaimCheck(accelerators, claimed, perAccelerator, chain.Board * accelerators, modelled,
            claimed / modelled, perAccelerator / chain.It,
            perAccelerator / (chain.Server * ((1 + parameters.NetworkShare + parameters.StorageShare) * parameters.Pue)));
    }
}
