using CsCheck;
using Infercost.Requests;
using Infercost.Serving;
using Infercost.Speculation;
using Xunit;

namespace Infercost.Tests.Speculation;

// A tree's acceptance derived from the heads' per-rank accuracies (Medusa, Cai et al. 2024, §2.3.3): a node whose path
// takes ranks (i_1..i_d) is accepted with Π a_j^(i_j), heads independent; the expected acceptance length is the sum over
// the nodes. What pins it down: a chain is Leviathan's chain formula with the top-1 accuracies, to the bit; Medusa's
// Cartesian tree (§2.1.2) comes out as the product it is; the greedy tree of N nodes is the N likeliest nodes.
public sealed class TopKTreeTests
{
    private static readonly Infercost.Catalog.Catalog Catalog = Infercost.Catalog.Catalog.Embedded;

    // Three heads, each rank's own accuracy (not cumulative), falling with rank and with depth.
    private static readonly TopKAccuracy Heads = new([[0.6, 0.15, 0.08], [0.4, 0.12, 0.07], [0.3, 0.1, 0.05]]);

    // Valid accuracies: 1 to 4 heads of 1 to 4 ranks, each falling and summing to at most 1.
    private static readonly Gen<TopKAccuracy> Accuracies = Gen.Select(Gen.Double[0.01, 1].Array[1, 4], Gen.Double[0.05, 1])
        .Select((raw, total) => (IReadOnlyList<double>)[.. raw.OrderByDescending(x => x).Select(x => x * total / raw.Sum())])
        .Array[1, 4].Select(heads => new TopKAccuracy(heads));

    [Fact]
    public void Chain_IsTheChainFormulaWithTheTopOneAccuracies_ToTheBit()
    {
        Accuracies.Sample(accuracy =>
        {
            for (var k = 1; k <= accuracy.Depth; k++)
            {
                // Given the chain of the top-1 candidates and today's chain with those rates
                var chain = accuracy.Chain(k);
                double[] topOne = [.. Enumerable.Range(1, k).Select(d => accuracy.At(d, 1))];
                var today = new SpeculationConfig(SpeculationMethod.Mtp, k, topOne);

                // Then Medusa's node sum is Leviathan's 1 + Σ Π a_j, to the last bit, and the rates are the accuracies
                Assert.Equal(today.ExpectedTokensPerStep, chain.ExpectedTokensPerStep);
                Assert.Equal(topOne, chain.Acceptance);
                Assert.Equal(today.ExpectedTokensPerStep, chain.Config(SpeculationMethod.Mtp, chain: true).ExpectedTokensPerStep);
                Assert.Equal(k, chain.NodeCount);
            }
        });
    }

    [Fact]
    public void Chain_StepIsTodaysChainStep_ToTheBit()
    {
        var setup = Fixtures.Setup(Fixtures.Llama8B, Fixtures.H100, new Parallelism(1, 1, 1, 1));
        var fromTopK = Heads.Speculation(SpeculationMethod.Eagle, null, null, null, 3);
        var given = new SpeculationConfig(SpeculationMethod.Eagle, 3, [0.6, 0.4, 0.3]);

        var (a, b) = (SpeculativeDecoding.Step(setup, 16, 1500, fromTopK), SpeculativeDecoding.Step(setup, 16, 1500, given));

        Assert.Null(fromTopK.Tree);
        Assert.Equal(b.TokensPerStep, a.TokensPerStep);
        Assert.Equal(b.StepTime.Value, a.StepTime.Value);
        Assert.Equal(b.SpeedUp, a.SpeedUp);
    }

    [Fact]
    public void AnyTree_PerDepthRatesGiveTheNodeSum()
    {
        Accuracies.Sample(accuracy =>
        {
            var best = accuracy.Best(Math.Min(6, MostNodes(accuracy)));
            var config = best.Config(SpeculationMethod.Medusa);

            // 1 + Σ_d Π_{j≤d} a_j with a_d = R_d / R_{d−1} telescopes to 1 + Σ_d R_d, the sum over the nodes
            Assert.Equal(best.ExpectedTokensPerStep, config.ExpectedTokensPerStep, 1e-12);
            Assert.Equal(best.ExpectedTokensPerStep, 1 + best.Reach.Sum(), 1e-12);
            Assert.All(best.Acceptance, a => Assert.InRange(a, 0, 1));
        });
    }

    // Source: Cai et al. 2024, "Medusa: Simple LLM Inference Acceleration Framework with Multiple Decoding Heads" (arXiv
    // 2401.10774), §2.1.2 and Figure 2: "the top-2 predictions from the first Medusa head and the top-3 from the second
    // result in a total of 2 × 3 = 6 candidates", and "the cumulative number of new tokens is Σ_{k=1}^{K} Π_{i=1}^{k} s_i"
    // (here 2 + 6 = 8). Reproduced exactly: the tree of widths 2, 6 over heads of 2 and 3 candidates is that Cartesian
    // product, its 8 nodes are what the verify pass carries, and (§2.3.3, heads independent) its expected acceptance
    // length is 1 + A₁ + A₁·A₂ with A_k the sum of head k's listed accuracies.
    [Fact]
    public void MedusaCartesianTree_IsTheProductOfTheHeadsTopCandidates()
    {
        var accuracy = new TopKAccuracy([[0.55, 0.12], [0.32, 0.1, 0.06]]);

        var tree = accuracy.Tree([2, 6]);

        Assert.Equal(6, tree.Nodes.Count(n => n.Depth == 2));
        Assert.Equal(8, tree.NodeCount);
        Assert.Equal(8, tree.Config(SpeculationMethod.Medusa).VerifyTokens);
        var paths = tree.Nodes.Where(n => n.Depth == 2).Select(n => (n.Path[0], n.Path[1])).ToHashSet();
        Assert.Equal([(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3)], paths.Order());
        var (a1, a2) = (0.55 + 0.12, 0.32 + 0.1 + 0.06);
        Assert.Equal(1 + a1 + (a1 * a2), tree.ExpectedTokensPerStep, 1e-15);
    }

    [Fact]
    public void GivenWidths_TakeTheLikeliestChildrenOfTheNodesAbove()
    {
        // Given depth 1: the top 2 (0.6, 0.15); depth 2: the 3 likeliest of their 6 children
        var tree = Heads.Tree([2, 3]);

        // Then 0.6·0.4 = 0.24, 0.6·0.12 = 0.072 and 0.15·0.4 = 0.06 (not 0.6·0.07 = 0.042)
        Assert.Equal([0.24, 0.072, 0.06], tree.Nodes.Where(n => n.Depth == 2).Select(n => Math.Round(n.Probability, 12)));
        Assert.Equal(1 + 0.75 + 0.372, tree.ExpectedTokensPerStep, 1e-12);
        Assert.Equal(0.75, tree.Acceptance[0], 1e-12);
        Assert.Equal(0.372 / 0.75, tree.Acceptance[1], 1e-12);
    }

    [Fact]
    public void BestTree_IsTheLikeliestNodes_ByMedusasGreedyConstruction()
    {
        // The 4 likeliest nodes: 0.6, 0.6·0.4 = 0.24, 0.15 and 0.08 (before 0.6·0.12 = 0.072 and 0.6·0.4·0.3 = 0.072)
        var best = Heads.Best(4);
        Assert.Equal([3, 1], best.Widths);
        Assert.Equal(1 + 0.6 + 0.24 + 0.15 + 0.08, best.ExpectedTokensPerStep, 1e-12);

        Accuracies.Sample(accuracy =>
        {
            var all = AllNodes(accuracy).Select(n => n.Probability).OrderDescending().ToList();
            for (var n = 1; n <= Math.Min(12, all.Count); n++)
            {
                // Then the greedy tree of n nodes sums the n likeliest nodes of the whole candidate tree
                Assert.Equal(1 + all.Take(n).Sum(), accuracy.Best(n).ExpectedTokensPerStep, 1e-12);
            }
        });
    }

    // Medusa §3.3.1 on its optimised sparse trees: "The acceleration rate increase follows a logarithmic trend and slows
    // down when the tree size grows." The greedy tree adds nodes in falling path probability, so each node adds no more
    // than the one before: the expected length is concave in the node budget, for any accuracies.
    [Fact]
    public void BestTree_GainsLessWithEveryNodeAdded()
    {
        Accuracies.Sample(accuracy =>
        {
            var most = Math.Min(24, MostNodes(accuracy));
            var e = Enumerable.Range(1, most).Select(n => accuracy.Best(n).ExpectedTokensPerStep).Prepend(1).ToList();
            // Each expected length (1 to about 5) is a sum of products good to a few ulps, so a difference of two gains
            // carries rounding of order 1e-15 (seed 16kCpd2VVRj1 gives 1.8e-15); 1e-13 is far below any real gain.
            for (var n = 2; n < e.Count; n++) Assert.True(e[n] - e[n - 1] <= e[n - 1] - e[n - 2] + 1e-13, $"gain of node {n}: {e[n] - e[n - 1]} after {e[n - 1] - e[n - 2]}");
        });
    }

    [Fact]
    public void BestTree_BeatsOrMatchesEveryTreeOfItsSize()
    {
        int[][] shapes = [[1, 1, 1, 1, 1, 1], [2, 2, 2], [3, 3], [2, 4], [3, 2, 1], [1, 2, 3], [6]];
        var accuracy = new TopKAccuracy([[0.5, 0.2, 0.1, 0.05, 0.03, 0.02], [0.4, 0.2, 0.1], [0.3, 0.2, 0.1], [0.3], [0.3], [0.3]]);
        var best = accuracy.Best(6);

        foreach (var shape in shapes) Assert.True(best.ExpectedTokensPerStep >= accuracy.Tree(shape).ExpectedTokensPerStep - 1e-15, string.Join(",", shape));
    }

    // Source: DeepSeek-AI, "DeepSeek-V3 Technical Report" (arXiv 2412.19437), §5.4.3: with one MTP module "the acceptance
    // rate of the second token prediction ranges between 85% and 90%", "delivering 1.8 times TPS". Given as the one MTP
    // head's top-1 accuracy (--spec-topk 0.85, 0.875, 0.9), the chain gives the acceptance path's 1.85-1.90 tokens per
    // step exactly, and on SpeculativeDecodingTests' EP16 H100 deployment at batch 1 a speed-up of 1.70 at 85% and within
    // 1.8 ± 0.1 at 87.5% and 90% (nothing fitted to the 1.8).
    [Theory]
    [InlineData(0.85)]
    [InlineData(0.875)]
    [InlineData(0.90)]
    public void DeepSeekV3_MtpTopOneAccuracy_IsThePublishedSpeedUp(double accuracy)
    {
        var request = new CostRequest { Model = "deepseek-v3", Gpu = "nvidia-h100-sxm", Gpus = 16, Batch = 1, SpecMethod = "mtp", SpecTopk = [[accuracy]] };
        Assert.Equal(1 + accuracy, request.Answer(Catalog).Serving.Speculation!.TokensPerStep);

        var model = Catalog.GetModel("deepseek-v3");
        var config = new ServingConfig { TotalDevices = 16, InputTokens = 1000, OutputTokens = 1000 };
        var gpu = Catalog.GetAccelerator("nvidia-h100-sxm");
        var layout = ParallelismPlanner.Choose(model, gpu, config);
        var setup = new ServingSetup(model, gpu, layout, config with { Parallelism = layout });
        var step = SpeculativeDecoding.Step(setup, 1, 1500, new TopKAccuracy([[accuracy]]).Speculation(SpeculationMethod.Mtp, null, null, null, null));

        Assert.Equal(1 + accuracy, step.TokensPerStep);
        // The paper's 1.8 is for acceptance 85-90% together; at the low end the chain gives 1.70 (1.85 tokens a step,
        // the verify 9% dearer than a plain step), at 87.5% and 90% within 1.8 ± 0.1.
        Assert.InRange(step.SpeedUp, accuracy < 0.86 ? 1.65 : 1.7, 1.9);
    }

    [Fact]
    public void ThroughTheRequest_TheBestTreeReachesCostAndItsNote()
    {
        var request = new CostRequest
        {
            Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 4, Tp = 4, Batch = 8, SpecMethod = "medusa",
            SpecTopk = [[0.6, 0.15, 0.08], [0.4, 0.12, 0.07], [0.3, 0.1, 0.05]], SpecTreeNodes = 4,
        };

        var e = request.Answer(Catalog).Serving;

        Assert.Equal(2, e.Speculation!.Length);
        Assert.Equal(Heads.Best(4).ExpectedTokensPerStep, e.Speculation.TokensPerStep, 1e-12);
        Assert.Contains(e.Notes, n => n.Contains("5 tokens per sequence (a tree of 3,1 nodes per depth)", StringComparison.Ordinal));
    }

    private static readonly CostRequest Medusa = new()
    {
        Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 4, Tp = 4, SpecMethod = "medusa", SpecTopk = [[0.6, 0.15], [0.4, 0.1]],
    };

    public static TheoryData<CostRequest, string, string> BadTopK => new()
    {
        { Medusa with { SpecTopk = [[0.6, 1.5]] }, "specTopk", "specTopk must be in [0, 1]; was 1.5." },
        { Medusa with { SpecTopk = [[0.6, 0.75, 0.83]] }, "specTopk", "specTopk head 1 must give each rank's own accuracy from top-1 down (non-increasing); was 0.6, 0.75, 0.83. A rising list looks like cumulative top-k accuracy: give its differences." },
        { Medusa with { SpecTopk = [[0.6, 0.3], [0.7, 0.5]] }, "specTopk", "specTopk head 2's accuracies must sum to at most 1 (the right token has one rank); was 1.2 (0.7, 0.5)." },
        { Medusa with { SpecTopk = [], SpecTreeNodes = 8 }, "specTreeNodes", "specTreeNodes builds the tree from the heads' accuracies: give specTopk too." },
        { Medusa with { SpecTreeNodes = 0 }, "specTreeNodes", "specTreeNodes must be in [1, 256]; was 0." },
        { Medusa with { SpecTreeNodes = 7 }, "specTreeNodes", "specTreeNodes must be in [1, 6]: specTopk's candidates make at most 6 nodes; was 7." },
        { Medusa with { SpecTreeNodes = 4, SpecTree = [2, 2] }, "specTreeNodes", "specTreeNodes chooses the tree; drop specTree." },
        { Medusa with { SpecTree = [2, 2, 2] }, "specTree", "specTree must be 1 to 2 depths deep: specTopk lists 2 heads; was 3." },
        { Medusa with { SpecTree = [2, 5] }, "specTree", "specTree depth 2 must hold 1 to 4 nodes (2 above it × 2 candidates of head 2 in specTopk); was 5." },
        { Medusa with { SpecLength = 3 }, "specLength", "specLength must be in [1, 2]: specTopk lists 2 heads; was 3." },
        { Medusa with { SpecAcceptance = [0.8] }, "specTopk", "specTopk gives the acceptance (derived depth by depth); drop specAcceptance." },
        { Medusa with { SpecMethod = null }, "specTopk", "specTopk applies when speculating: give specMethod or draftModel ID." },
    };

    [Theory]
    [MemberData(nameof(BadTopK))]
    public void BadTopK_NamesTheFieldTheRangeAndTheValue(CostRequest request, string field, string message)
    {
        var e = Assert.Throws<InvalidInputException>(() => request.Answer(Catalog));

        Assert.Equal(field, e.Field);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void TopK_ReachesTheSimulator()
    {
        var chain = new SimulateRequest
        {
            Model = "llama-3.1-8b", Gpu = "nvidia-h100-sxm", Gpus = 1, Rate = 5, Requests = 200, Input = 500, Output = 100, SpecMethod = "eagle", SpecLength = 2, SpecAcceptance = [0.6, 0.4],
        };
        var topk = chain with { SpecAcceptance = null, SpecTopk = [[0.6, 0.2], [0.4, 0.2]] };
        var token = TestContext.Current.CancellationToken;

        // The chain from top-k accuracies is the chain of their top-1 rates: the same run, draw for draw
        Assert.Equal(Serialization.InfercostJson.Serialize(chain.Answer(Catalog, cancellation: token).Result),
            Serialization.InfercostJson.Serialize(topk.Answer(Catalog, cancellation: token).Result));
    }

    [Fact]
    public void Search_GivesEachModeItsOwnAcceptance_OrTheOneTheHeadsDerive()
    {
        var request = new SearchRequest
        {
            Model = ["llama-3.1-8b"], Gpu = ["nvidia-h100-sxm"], GpusPerReplica = [1], Rate = 2, SpecMethod = ["off", "eagle", "medusa", "mtp"],
            SpecTopk = [[0.6, 0.2], [0.4]], SpecTree = [2, 1], SpecAcceptanceFor = new Dictionary<string, IReadOnlyList<double>> { ["EAGLE"] = [0.8, 0.7], ["mtp"] = [0.9] },
        };

        var modes = request.Prepare(Catalog).Space.Speculation!;

        Assert.Null(modes[0]);
        // EAGLE and MTP: their own rates over the tree; Medusa: depth 1 reaches 0.6 + 0.2, depth 2 the likeliest child 0.6 · 0.4
        Assert.Equal([0.8, 0.7], modes[1]!.Acceptance);
        Assert.Equal(1 + 0.8 + (0.8 * 0.7), modes[1]!.ExpectedTokensPerStep, 1e-12);
        Assert.Equal([0.8, 0.24 / 0.8], modes[2]!.Acceptance.Select(a => Math.Round(a, 12)));
        Assert.Equal(1 + 0.8 + 0.24, modes[2]!.ExpectedTokensPerStep, 1e-12);
        Assert.Equal(1 + 0.9 + 0.81, modes[3]!.ExpectedTokensPerStep, 1e-12);
        Assert.All(modes.Skip(1), m => Assert.Equal([2, 1], m!.Tree!));
    }

    private static int MostNodes(TopKAccuracy accuracy) => AllNodes(accuracy).Count;

    private static List<TreeNode> AllNodes(TopKAccuracy accuracy)
    {
        var all = new List<TreeNode>();
        var level = new List<TreeNode> { TreeNode.Root };
        for (var d = 1; d <= accuracy.Depth; d++)
        {
            level = [.. level.SelectMany(p => Enumerable.Range(1, accuracy.CandidatesAt(d)).Select(r => p.Child(r, accuracy.At(d, r))))];
            all.AddRange(level);
        }

        return all;
    }
}
