using Infercost.Economics.Workloads;

namespace Infercost.Economics.Routing;

/// <summary>One tier of a router: the rates of the model it sends to and the share of traffic it gets.</summary>
/// <param name="Prices">The tier's rates (a list price, or a self-hosted tier's $/MTok).</param>
/// <param name="Share">Fraction of requests sent to this tier, in [0, 1]; a router's shares sum to 1.</param>
public sealed record RouteTier(PriceSheet Prices, double Share);
