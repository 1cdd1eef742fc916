using Infercost.Requests;

namespace Infercost.Speculation;

// Medusa (Cai et al. 2024, arXiv 2401.10774, §2.3.3) builds its sparse trees from measured accuracies: a_d^(i), the
// chance that head d's i-th most likely token is the right one, on a calibration set. These are per rank, not
// cumulative: top-k accuracy is Σ_{i≤k} a_d^(i). The events "the right token is head d's rank i" are disjoint, so a
// head's list sums to at most 1, and ranked by the head's own probability it falls from rank 1 down. A list that rises
// is refused rather than sorted: it is most likely a cumulative top-k curve, and summing it would overcount.

/// <summary>Per-depth accuracies of a drafter's ranked candidates (Medusa heads, an EAGLE layer's top-k, a draft
/// model's top-k), from which a token tree's acceptance is derived instead of given.</summary>
/// <param name="Heads"><c>Heads[d − 1][i − 1]</c> = a_d^(i), the probability (unitless, in [0, 1]) that the drafter's
/// i-th ranked candidate at depth d is the token the served model emits there, given the path above it was right. One
/// list per depth (head), 1 to <see cref="MaxCandidates"/> ranks each, non-increasing, summing to at most 1.</param>
public sealed record TopKAccuracy(IReadOnlyList<IReadOnlyList<double>> Heads)
{
    /// <summary>Most heads (depths): the longest draft, 16.</summary>
    public const int MaxHeads = 16;

    /// <summary>Most ranked candidates one head may list: a depth's widest, <see cref="SpeculationConfig.MaxTreeWidth"/>.</summary>
    public const int MaxCandidates = SpeculationConfig.MaxTreeWidth;

    // Accuracies measured on a calibration set are rounded; a head whose ranks sum to 1 + this is accepted as 1.
    private const double SumTolerance = 1e-9;

    /// <summary>Heads listed (the deepest tree these accuracies can describe).</summary>
    public int Depth => Heads.Count;

    /// <summary>a_d^(i): depth <paramref name="depth"/>'s rank-<paramref name="rank"/> accuracy (both 1-based).</summary>
    public double At(int depth, int rank) => Heads[depth - 1][rank - 1];

    /// <summary>Ranked candidates listed for depth <paramref name="depth"/> (1-based).</summary>
    public int CandidatesAt(int depth) => Heads[depth - 1].Count;

    /// <summary>Checks every list; messages name <c>specTopk</c>, the accepted range and the value.</summary>
    /// <exception cref="InvalidInputException">Names <c>specTopk</c>.</exception>
    public TopKAccuracy Validated()
    {
        if (Heads is not { Count: > 0 and <= MaxHeads })
        {
            throw RequestFields.Error("specTopk", $"{{specTopk}} must list 1 to {MaxHeads} heads, one per depth; was {Heads?.Count ?? 0}.");
        }

        for (var d = 1; d <= Heads.Count; d++)
        {
            var head = Heads[d - 1];
            if (head is not { Count: > 0 and <= MaxCandidates })
            {
                throw RequestFields.Error("specTopk", $"{{specTopk}} head {d} must list 1 to {MaxCandidates} ranked accuracies; was {head?.Count ?? 0}.");
            }

            double sum = 0;
            for (var i = 0; i < head.Count; i++)
            {
                Guard.InRange(head[i], 0, 1, "specTopk");
                if (i > 0 && head[i] > head[i - 1])
                {
                    throw RequestFields.Error("specTopk",
                        $"{{specTopk}} head {d} must give each rank's own accuracy from top-1 down (non-increasing); was {List(head)}. " +
                        "A rising list looks like cumulative top-k accuracy: give its differences.");
                }

                sum += head[i];
            }

            if (sum > 1 + SumTolerance)
            {
                throw RequestFields.Error("specTopk",
                    $"{{specTopk}} head {d}'s accuracies must sum to at most 1 (the right token has one rank); was {Guard.Format(sum)} ({List(head)}).");
            }
        }

        return this;
    }

    /// <summary>The chain of <paramref name="length"/> drafts: each depth's top-1 candidate, a_d = a_d^(1).</summary>
    public TokenTree Chain(int length) => Tree([.. Enumerable.Repeat(1, length)]);

    /// <summary>The tree of <paramref name="widths"/> nodes per depth built from the top candidates: depth d keeps the
    /// w_d children (of the w_{d−1} nodes above, each with head d's ranked candidates) whose path probability
    /// Π_j a_j^(i_j) is highest (Medusa §2.3.3, under its independence assumption). With w_{d−1} = 1 that is head d's
    /// top w_d; with head candidates enough for a full product it is Medusa §2.1.2's Cartesian tree.</summary>
    /// <exception cref="InvalidInputException">Names <c>specTree</c> (deeper than the heads, or wider than the
    /// candidates above it allow) or <c>specTopk</c>.</exception>
    public TokenTree Tree(IReadOnlyList<int> widths)
    {
        ArgumentNullException.ThrowIfNull(widths);
        Validated();
        if (widths.Count == 0 || widths.Count > Depth)
        {
            throw RequestFields.Error("specTree",
                $"{{specTree}} must be 1 to {Depth} depths deep: {{specTopk}} lists {Depth} head{(Depth == 1 ? "" : "s")}; was {widths.Count}.");
        }

        var level = new List<TreeNode> { TreeNode.Root };
        var nodes = new List<TreeNode>();
        for (var d = 1; d <= widths.Count; d++)
        {
            var width = widths[d - 1];
            var candidates = level.Count * CandidatesAt(d);
            if (width < 1 || width > candidates)
            {
                throw RequestFields.Error("specTree",
                    $"{{specTree}} depth {d} must hold 1 to {candidates} nodes ({level.Count} above it × {CandidatesAt(d)} candidate{(CandidatesAt(d) == 1 ? "" : "s")} of head {d} in {{specTopk}}); was {width}.");
            }

            // Ordered by path probability, ties to the earlier parent and the better rank (a stable sort).
            var children = level.SelectMany(parent => Enumerable.Range(1, CandidatesAt(d)).Select(rank => parent.Child(rank, At(d, rank))));
            level = [.. children.OrderByDescending(c => c.Probability).Take(width)];
            nodes.AddRange(level);
        }

        return TokenTree.Of(this, nodes, widths.Count);
    }

    /// <summary>The tree of <paramref name="nodes"/> nodes with the greatest expected acceptance length, by Medusa's
    /// greedy construction (§2.3.3): "the contribution of a new node to the expectation is exactly the accuracy
    /// associated with the node", so add, one at a time, the node joined to the tree whose path probability is highest.
    /// Each head's list falls with rank and each child is no likelier than its parent, so the candidates are each added
    /// node's next sibling and first child; no depth takes more than <see cref="MaxCandidates"/> nodes.</summary>
    /// <exception cref="InvalidInputException">Names <c>specTreeNodes</c>: out of [1, 256], or more nodes than the
    /// candidates can form.</exception>
    public TokenTree Best(int nodes)
    {
        Validated();
        Guard.InRange(nodes, 1, SpeculationConfig.MaxTreeNodes, "specTreeNodes");
        var frontier = new PriorityQueue<TreeNode, (double, long)>();
        var order = 0L;
        void Offer(TreeNode node) => frontier.Enqueue(node, (-node.Probability, order++));
        Offer(TreeNode.Root.Child(1, At(1, 1)));
        var widths = new int[Depth];
        var chosen = new List<TreeNode>();
        while (chosen.Count < nodes && frontier.TryDequeue(out var node, out _))
        {
            // A full depth: this node and its later siblings are out, and it has no place for children.
            if (widths[node.Depth - 1] == MaxCandidates) continue;
            chosen.Add(node);
            widths[node.Depth - 1]++;
            if (node.Rank < CandidatesAt(node.Depth)) Offer(node.Parent!.Child(node.Rank + 1, At(node.Depth, node.Rank + 1)));
            if (node.Depth < Depth) Offer(node.Child(1, At(node.Depth + 1, 1)));
        }

        if (chosen.Count < nodes)
        {
            throw RequestFields.Error("specTreeNodes",
                $"{{specTreeNodes}} must be in [1, {chosen.Count}]: {{specTopk}}'s candidates make at most {chosen.Count} nodes; was {nodes}.");
        }

        // Listed depth by depth (the order Tree gives), each depth by path probability.
        var byDepth = chosen.OrderBy(n => n.Depth).ThenByDescending(n => n.Probability).ToList();
        return TokenTree.Of(this, byDepth, byDepth[^1].Depth);
    }

    /// <summary>The speculation a request with these accuracies describes: the best tree of <paramref name="treeNodes"/>
    /// nodes when given, else the tree of <paramref name="widths"/>, else the chain of <paramref name="length"/> drafts
    /// (default: one per head), with the per-depth acceptance each gives (<see cref="TokenTree.Acceptance"/>).</summary>
    /// <exception cref="InvalidInputException">Names the field at fault.</exception>
    public SpeculationConfig Speculation(SpeculationMethod method, Models.ModelArchitecture? draft, IReadOnlyList<int>? widths, int? treeNodes, int? length)
    {
        if (treeNodes is { } nodes) return Best(nodes).Config(method, draft);
        if (widths is { Count: > 0 }) return Tree(widths).Config(method, draft);
        var k = length ?? Depth;
        if (k > Depth)
        {
            throw RequestFields.Error("specLength", $"{{specLength}} must be in [1, {Depth}]: {{specTopk}} lists {Depth} head{(Depth == 1 ? "" : "s")}; was {k}.");
        }

        return Chain(k).Config(method, draft, chain: true);
    }

    private static string List(IReadOnlyList<double> values) => string.Join(", ", values.Select(Guard.Format));
}

/// <summary>One node of a token tree: the ranks of its path and that path's probability.</summary>
/// <param name="Parent">The node above (null for the root, the last accepted token).</param>
/// <param name="Depth">Depth (the root is 0).</param>
/// <param name="Rank">This node's rank among its head's candidates (1-based; 0 for the root).</param>
/// <param name="Probability">Π_{j≤depth} a_j^(i_j): the chance the whole path is accepted (Medusa §2.3.3).</param>
public sealed record TreeNode(TreeNode? Parent, int Depth, int Rank, double Probability)
{
    /// <summary>The root: the token the verify pass always yields, probability 1.</summary>
    public static TreeNode Root { get; } = new(null, 0, 0, 1);

    /// <summary>The child of rank <paramref name="rank"/> whose head accuracy is <paramref name="accuracy"/>.</summary>
    public TreeNode Child(int rank, double accuracy) => new(this, Depth + 1, rank, Probability * accuracy);

    /// <summary>The ranks from depth 1 to this node (Medusa's <c>medusa_choices</c> entry, 1-based).</summary>
    public IReadOnlyList<int> Path
    {
        get
        {
            var ranks = new int[Depth];
            for (var n = this; n.Depth > 0; n = n.Parent!) ranks[n.Depth - 1] = n.Rank;
            return ranks;
        }
    }
}
