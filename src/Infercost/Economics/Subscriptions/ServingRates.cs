using Infercost.Quantities;

namespace Infercost.Economics.Subscriptions;

// Alderson's Claude Code figures ($16.89, $4.92) follow from $0.005/$5.13, which are his headline $0.003/$3.08 divided
// by 0.6: the midpoint of the "30-50% MoE throughput reduction" he mentions but never applies in the text. The factor
// is an explicit input here so that the two published chains can both be reproduced and the assumption is visible.

/// <summary>What the provider pays to serve a million tokens, before and after an efficiency derating.</summary>
/// <param name="Input">Headline serving cost per million input tokens (Alderson: $0.003).</param>
/// <param name="Output">Headline serving cost per million output tokens (Alderson: $3.08).</param>
/// <param name="MoeEfficiency">Fraction of the headline throughput actually achieved, in (0, 1]; serving cost is divided by
/// it. 1 applies the headline as is; 0.6 is Alderson's implicit MoE routing penalty (headline ÷ 0.6 = $0.005/$5.13).</param>
public sealed record ServingRates(DollarsPerMillionTokens Input, DollarsPerMillionTokens Output, double MoeEfficiency = 1)
{
    /// <summary>Alderson's implicit MoE efficiency: 1 − 40 %, the midpoint of his "30-50 % throughput reduction".</summary>
    public const double AldersonMoeEfficiency = 0.6;

    /// <summary>Headline input cost (&gt;= 0).</summary>
    public DollarsPerMillionTokens Input { get; } = DollarsPerMillionTokens.FromDollarsPerMillionTokens(Guard.NonNegative(Input.Value, "costIn"));

    /// <summary>Headline output cost (&gt;= 0).</summary>
    public DollarsPerMillionTokens Output { get; } = DollarsPerMillionTokens.FromDollarsPerMillionTokens(Guard.NonNegative(Output.Value, "costOut"));

    /// <summary>Efficiency in (0, 1].</summary>
    public double MoeEfficiency { get; } = Guard.InRange(MoeEfficiency, 1e-3, 1, "moeEfficiency");

    /// <summary>Input cost actually paid: headline ÷ MoE efficiency.</summary>
    public DollarsPerMillionTokens EffectiveInput => Input / MoeEfficiency;

    /// <summary>Output cost actually paid: headline ÷ MoE efficiency.</summary>
    public DollarsPerMillionTokens EffectiveOutput => Output / MoeEfficiency;

    /// <summary>Cost of serving <paramref name="input"/> and <paramref name="output"/> tokens at the effective rates.</summary>
    public Dollars CostOf(Tokens input, Tokens output) => (input * EffectiveInput) + (output * EffectiveOutput);
}
