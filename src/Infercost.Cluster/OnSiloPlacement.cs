using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace Infercost.Cluster;

// The client spreads a wave over the silos itself (so a lost silo's units are known and re-sent elsewhere): a worker's
// key is the address of the silo it must run on, and this strategy puts it there or nowhere.

/// <summary>Places a grain on the silo whose parsable address is its string key.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class OnSiloPlacement : PlacementStrategy
{
}

/// <summary>Marks a grain class for <see cref="OnSiloPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class OnSiloPlacementAttribute : PlacementAttribute
{
    /// <summary>Creates the attribute.</summary>
    public OnSiloPlacementAttribute() : base(new OnSiloPlacement())
    {
    }
}

/// <summary>Puts the activation on the silo named by the grain's key; fails when that silo is not an active member.</summary>
internal sealed class OnSiloPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var wanted = target.GrainIdentity.Key.ToString();
        foreach (var silo in context.GetCompatibleSilos(target))
        {
            if (silo.ToParsableString() == wanted) return Task.FromResult(silo);
        }

        throw new SiloUnavailableException($"silo {wanted} is not an active member of the cluster");
    }
}
