using Infercost.Quantities;

namespace Infercost.Economics.PriceCurves;

/// <summary>One number per model from separate input and output prices, as the trend studies blend them.</summary>
public static class BlendedPrice
{
    /// <summary>Epoch AI / Artificial Analysis blend, 3 input : 1 output: (3 × input + output) / 4.
    /// GPT-4-0314: (3 × $30 + $60) / 4 = $37.50.</summary>
    public static DollarsPerMillionTokens ThreeToOne(DollarsPerMillionTokens input, DollarsPerMillionTokens output) =>
        ((3 * input) + output) / 4;

    /// <summary>a16z "LLMflation" blend: the simple mean (input + output) / 2.</summary>
    public static DollarsPerMillionTokens Mean(DollarsPerMillionTokens input, DollarsPerMillionTokens output) =>
        (input + output) / 2;
}
