namespace Infercost.Quantities;

/// <summary>A physical or monetary amount held as one finite <see cref="double"/> in a canonical unit.</summary>
/// <typeparam name="TSelf">The quantity type itself.</typeparam>
// Static abstract members let one JSON converter and one parser serve every quantity.
public interface IQuantity<TSelf> where TSelf : struct, IQuantity<TSelf>
{
    /// <summary>The amount in the canonical unit.</summary>
    double Value { get; }

    /// <summary>The symbol of the canonical unit, for example <c>B/s</c>.</summary>
    static abstract string Symbol { get; }

    /// <summary>Creates an amount from a value in the canonical unit; rejects NaN and infinity.</summary>
    static abstract TSelf FromCanonical(double value);
}
