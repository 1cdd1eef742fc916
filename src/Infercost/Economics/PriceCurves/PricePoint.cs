using Infercost.Quantities;

namespace Infercost.Economics.PriceCurves;

/// <summary>A price observed on a date: a model's release-date price, or a catalog price in effect from a date.</summary>
/// <param name="Date">Date the price applies from (Epoch: the model's release date).</param>
/// <param name="Price">Price per million tokens (&gt; 0; a log-linear fit needs positive prices).</param>
/// <param name="Label">Optional name, for example the model.</param>
public sealed record PricePoint(DateOnly Date, DollarsPerMillionTokens Price, string? Label = null)
{
    /// <summary>Price per million tokens (&gt; 0).</summary>
    public DollarsPerMillionTokens Price { get; } = DollarsPerMillionTokens.FromDollarsPerMillionTokens(Guard.Positive(Price.Value, "price"));
}
