using Infercost.Quantities;

namespace Infercost.Economics.Workloads;

/// <summary>What one request type costs: per request, by component, and per day.</summary>
/// <param name="Request">The request type.</param>
/// <param name="Tokens">Its billed token split (per request).</param>
/// <param name="Input">Uncached prompt tokens × input rate.</param>
/// <param name="CacheRead">Cache reads × cached-input rate.</param>
/// <param name="CacheWrite">Cache writes × cache-write rate.</param>
/// <param name="Output">(Output + reasoning) × output rate.</param>
/// <param name="PerRequest">Sum of the components, after any batch discount.</param>
/// <param name="PerDay">Per request × requests per day.</param>
/// <param name="LongContextApplied">True when the prompt exceeded the long-context threshold.</param>
/// <param name="BatchDiscountApplied">The batch discount applied (0 when none).</param>
public sealed record RequestCost(
    RequestType Request,
    BilledTokens Tokens,
    Dollars Input,
    Dollars CacheRead,
    Dollars CacheWrite,
    Dollars Output,
    Dollars PerRequest,
    Dollars PerDay,
    bool LongContextApplied,
    double BatchDiscountApplied);
