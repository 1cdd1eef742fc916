using Infercost.Models;

namespace Infercost.Speculation;

/// <summary>A token tree whose nodes were chosen from a drafter's per-depth top-k accuracies, and what it accepts.</summary>
/// <param name="Widths">Nodes per depth, w_1..w_D (the <c>specTree</c> it verifies).</param>
/// <param name="Nodes">Every node but the root, depth by depth, each depth by path probability.</param>
/// <param name="Reach">R_d = Σ over depth d's nodes of their path probability: the chance (unitless) that the
/// accepted path reaches depth d. A depth's nodes are disjoint events (different tokens at one position), so the sum is
/// a probability.</param>
/// <param name="Acceptance">a_d = R_d ÷ R_{d−1} (R_0 = 1): the per-depth acceptance <see cref="SpeculationConfig"/>
/// takes, P(the path reaches d | it reached d − 1); 0 when R_{d−1} is 0. At a depth of one node under one node it is
/// that node's head accuracy itself, so a chain's rates are the top-1 accuracies, exactly.</param>
/// <param name="ExpectedTokensPerStep">Expected tokens per sequence per verify step, 1 + Σ over the nodes of Π_j
/// a_j^(i_j): Medusa's expected acceptance length (Cai et al. 2024, §2.3.3, "the expectation of the acceptance length"
/// as the sum over every node of its path's accuracy, heads assumed independent), with the root's 1 for the token the
/// verify pass always yields. For a chain it is Leviathan et al.'s 1 + Σ_d Π_{j≤d} a_j^(1), summed in the same order, so
/// equal to the bit to <see cref="SpeculationConfig.ExpectedTokensPerStep"/> with those rates.</param>
public sealed record TokenTree(IReadOnlyList<int> Widths, IReadOnlyList<TreeNode> Nodes, IReadOnlyList<double> Reach, IReadOnlyList<double> Acceptance,
    double ExpectedTokensPerStep)
{
    /// <summary>Depth D (draft length k).</summary>
    public int Depth => Widths.Count;

    /// <summary>Nodes verified beside the root, Σ w_d.</summary>
    public int NodeCount => Nodes.Count;

    /// <summary>The speculation this tree describes: D drafts, per-depth acceptance <see cref="Acceptance"/>, and the
    /// tree's widths, or none when <paramref name="chain"/> (a chain is priced as today's chain).</summary>
    public SpeculationConfig Config(SpeculationMethod method, ModelArchitecture? draft = null, bool chain = false) =>
        new(method, Depth, Acceptance, draft, Tree: chain ? null : Widths);

    /// <summary>Sums <paramref name="nodes"/> (listed depth by depth) into a tree <paramref name="depth"/> deep.</summary>
    internal static TokenTree Of(TopKAccuracy accuracy, IReadOnlyList<TreeNode> nodes, int depth)
    {
        var widths = new int[depth];
        var reach = new double[depth];
        double expected = 1;
        foreach (var node in nodes)
        {
            widths[node.Depth - 1]++;
            reach[node.Depth - 1] += node.Probability;
            expected += node.Probability;
        }

        var acceptance = new double[depth];
        for (var d = 1; d <= depth; d++)
        {
            var above = d == 1 ? 1 : reach[d - 2];
            var lone = widths[d - 1] == 1 && (d == 1 || widths[d - 2] == 1);
            // A lone node under a lone node: its probability is the parent's × its accuracy, so the rate is the accuracy.
            acceptance[d - 1] = lone ? accuracy.At(d, nodes.First(n => n.Depth == d).Rank)
                : above > 0 ? Math.Min(1, reach[d - 1] / above) : 0;
        }

        return new TokenTree(widths, nodes, reach, acceptance, expected);
    }
}
