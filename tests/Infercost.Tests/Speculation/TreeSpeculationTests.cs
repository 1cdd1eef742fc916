using Infercost.Models;
using Infercost.Requests;
using Infercost.Serving;
using Infercost.Speculation;
using Xunit;

namespace Infercost.Tests.Speculation;

// Tree speculation (Medusa, EAGLE-2/3, a draft model over a token tree): every node of the tree is verified in one
// pass, a step keeps one path. The limits that pin the model down: a chain tree is today's chain; nothing accepted is
// one token per step; the wider the tree, the more a large batch pays for it.
public sealed class TreeSpeculationTests
{
    private static readonly Infercost.Catalog.Catalog Catalog = Infercost.Catalog.Catalog.Embedded;

    private static readonly ServingSetup Plain = Fixtures.Setup(Fixtures.Llama70B, Fixtures.H100, new Parallelism(4, 1, 1, 1));

    private static ServingSetup With(SpeculationConfig config) => new(Plain.Model, Plain.Accelerator, Plain.Parallelism, Plain.Config with { Speculation = config });

    private static readonly int[] Chain4 = [1, 1, 1, 1];
    private static readonly int[] Tree4 = [4, 8, 8, 4];
    private static readonly double[] Rates = [0.8, 0.7, 0.6, 0.5];
    private static readonly int[] Batches = [1, 32, 256];
    private static readonly int[] GrowingBatches = [1, 16, 64, 256];

    public static TheoryData<SpeculationMethod> Methods => new() { SpeculationMethod.DraftModel, SpeculationMethod.Medusa, SpeculationMethod.Eagle };

    private static SpeculationConfig Config(SpeculationMethod method, int[]? tree = null, IReadOnlyList<double>? rates = null) =>
        new(method, 4, rates ?? Rates, method == SpeculationMethod.DraftModel ? Fixtures.Llama8B : null, Tree: tree);

    [Theory]
    [MemberData(nameof(Methods))]
    public void ChainTree_IsTodaysChain(SpeculationMethod method)
    {
        // Given a chain of 4 and the tree of one node per depth, 4 deep
        var chain = Config(method);
        var tree = Config(method, Chain4);

        foreach (var batch in Batches)
        {
            var a = SpeculativeDecoding.Step(With(chain), batch, 1500, chain);
            var b = SpeculativeDecoding.Step(With(tree), batch, 1500, tree);

            // Then every figure is the same, to the last bit
            Assert.Equal(a.StepTime.Value, b.StepTime.Value);
            Assert.Equal(a.DraftTime.Value, b.DraftTime.Value);
            Assert.Equal(a.TokensPerStep, b.TokensPerStep);
            Assert.Equal(a.HardwareFlopsUtilisation, b.HardwareFlopsUtilisation);
        }

        Assert.Equal(SpeculationMemory.WeightsPerDevice(With(chain), chain).Value, SpeculationMemory.WeightsPerDevice(With(tree), tree).Value);
        Assert.Equal(SpeculationMemory.KvPerSequencePerDevice(With(chain), chain, 2000).Value, SpeculationMemory.KvPerSequencePerDevice(With(tree), tree, 2000).Value);
        Assert.Equal(4, tree.VerifyTokens);
    }

    [Fact]
    public void MtpChainTree_IsTodaysChain()
    {
        var model = Catalog.GetModel("deepseek-v3");
        var layout = new Parallelism(1, 1, 16, 16);
        ServingSetup Served(SpeculationConfig c) => new(model, Fixtures.H100, layout, new ServingConfig { TotalDevices = 16, Parallelism = layout, Speculation = c });
        var chain = new SpeculationConfig(SpeculationMethod.Mtp, 2, [0.85]);
        var tree = chain with { Tree = [1, 1] };

        var a = SpeculativeDecoding.Step(Served(chain), 64, 1500, chain);
        var b = SpeculativeDecoding.Step(Served(tree), 64, 1500, tree);

        Assert.Equal(a.StepTime.Value, b.StepTime.Value);
        Assert.Equal(a.SpeedUp, b.SpeedUp);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void NothingAccepted_IsOneTokenPerStep_AndASlowdown(SpeculationMethod method)
    {
        var config = Config(method, Tree4, [0.0]);

        var step = SpeculativeDecoding.Step(With(config), 8, 1500, config);

        Assert.Equal(1, config.ExpectedTokensPerStep);
        Assert.Equal(1, step.TokensPerStep);
        Assert.True(step.SpeedUp < 1, $"speed-up {step.SpeedUp} with nothing accepted");
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void TheBenefitShrinksAsTheBatchGrowsIntoComputeBound(SpeculationMethod method)
    {
        var config = Config(method, Tree4);
        var gains = GrowingBatches.Select(b => SpeculativeDecoding.Step(With(config), b, 1500, config).SpeedUp).ToList();

        for (var i = 1; i < gains.Count; i++) Assert.True(gains[i] < gains[i - 1], $"{method} speed-ups by batch: {string.Join(", ", gains)}");
        // At batch 1 the verify pass is memory-bound: a tree of 24 nodes costs about a plain step, so the gain is E (2.86)
        // less the drafting: a one-layer EAGLE or the Medusa heads take little (above 2), an 8B draft's four passes over
        // the frontiers about 0.4 of a 70B step (1.4)
        Assert.True(gains[0] > (method == SpeculationMethod.DraftModel ? 1.3 : 2), $"{method} at batch 1: {gains[0]} (E = {config.ExpectedTokensPerStep})");
        Assert.True(gains[0] < config.ExpectedTokensPerStep);
    }

    [Fact]
    public void AWiderTree_VerifiesMoreTokens_AndPaysForThemAtLargeBatch()
    {
        // Given the same per-depth acceptance verified over a chain and over a tree of 24 nodes
        var chain = Config(SpeculationMethod.Eagle);
        var tree = Config(SpeculationMethod.Eagle, Tree4);

        // Then the tree's verify pass carries 25 tokens per sequence against 5, its FLOPs accordingly
        Assert.Equal(24, tree.VerifyTokens);
        var (a, b) = (SpeculativeDecoding.Step(With(chain), 64, 1500, chain), SpeculativeDecoding.Step(With(tree), 64, 1500, tree));
        Assert.InRange(b.VerifyFlopsPerDevice.Value / a.VerifyFlopsPerDevice.Value, 3, 25.0 / 5 * 1.01);
        // And at a large batch, with equal acceptance, the extra nodes are wasted compute: the tree is slower
        Assert.True(b.StepTime > a.StepTime);
        Assert.True(b.SpeedUp < a.SpeedUp);
        Assert.True(b.HardwareFlopsUtilisation > a.HardwareFlopsUtilisation);
    }

    [Fact]
    public void MedusaHeads_AreOneLinearLayerAndAnOutputHeadEach()
    {
        // Cai et al. 2024 §2.1.1: W₁ h × h (+ bias), W₂ vocabulary × h per head; 4 heads, bf16, over TP4
        var config = Config(SpeculationMethod.Medusa);
        var setup = With(config);
        double h = Fixtures.Llama70B.HiddenSize, v = Fixtures.Llama70B.VocabSize;
        var perHead = (h * h) + h + (v * h);

        Assert.Equal(perHead, Drafter.MedusaHeadParameters(Fixtures.Llama70B));
        Assert.Equal(4 * perHead * 2 / 4, SpeculationMemory.WeightsPerDevice(setup, config).Value, 1e-6);
        Assert.Equal(0, SpeculationMemory.KvPerSequencePerDevice(setup, config, 2000).Value);
        // One pass of the heads per step, whatever the tree: 2 FLOPs per parameter per sequence, over the 4 devices
        var (_, flops) = new Drafter(setup, config).Step(32, 1500);
        Assert.Equal(2 * 4 * perHead * 32 / 4, flops.Value, 1e-3);
        var (_, treeFlops) = new Drafter(With(Config(SpeculationMethod.Medusa, Tree4)), Config(SpeculationMethod.Medusa, Tree4)).Step(32, 1500);
        Assert.Equal(flops.Value, treeFlops.Value);
    }

    [Fact]
    public void EagleLayer_IsOneDenseDecoderLayerWithAnInputProjection()
    {
        // Li et al. 2024 §3: an FC layer (2h → h) and one decoder layer, sharing the embedding and output head
        var config = Config(SpeculationMethod.Eagle);
        var setup = With(config);
        var counted = ParameterCounter.Count(Fixtures.Llama70B);
        double h = Fixtures.Llama70B.HiddenSize;
        var layer = (2 * h * h) + counted.AttentionPerLayer + counted.NormsPerLayer + counted.DenseMlpPerLayer;

        Assert.Equal(layer * 2 / 4, SpeculationMemory.WeightsPerDevice(setup, config).Value, 1e-6);
        // Its KV: one layer of the model's attention per sequence, sharded as the model's
        var oneLayer = KvCache.BytesPerSequence(Fixtures.Llama70B with { Layers = 1 }, setup.KvPrecision, 2000).Value;
        Assert.Equal(oneLayer / Math.Min(4, Fixtures.Llama70B.KvHeads), SpeculationMemory.KvPerSequencePerDevice(setup, config, 2000).Value, 1e-6);
    }

    [Fact]
    public void ThroughTheRequest_TheTreeReachesCostAndTheNote()
    {
        var request = new CostRequest
        {
            Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 4, Tp = 4, Batch = 8, SpecMethod = "eagle", SpecTree = [4, 8, 8, 4], SpecAcceptance = [0.8, 0.7, 0.6, 0.5],
        };

        var e = request.Answer(Catalog).Serving;

        Assert.Equal("eagle", e.Speculation!.Method);
        Assert.Equal(4, e.Speculation.Length);
        Assert.Equal(1 + 0.8 + (0.8 * 0.7) + (0.8 * 0.7 * 0.6) + (0.8 * 0.7 * 0.6 * 0.5), e.Speculation.TokensPerStep, 1e-12);
        Assert.Contains(e.Notes, n => n.Contains("EAGLE", StringComparison.Ordinal) && n.Contains("25 tokens per sequence", StringComparison.Ordinal));
    }

    public static TheoryData<CostRequest, string> BadTrees => new()
    {
        { Bad with { SpecTree = [4, 0] }, "specTree" },
        { Bad with { SpecTree = [4, 65] }, "specTree" },
        { Bad with { SpecTree = [64, 64, 64, 64, 64] }, "specTree" },
        { Bad with { SpecTree = [4, 8], SpecLength = 3 }, "specTree" },
        { Bad with { SpecMethod = null, SpecTree = [4, 8] }, "specTree" },
        { Bad with { SpecMethod = "hydra" }, "specMethod" },
        { Bad with { DraftModel = "llama-3.1-8b" }, "draftModel" },
    };

    private static readonly CostRequest Bad = new() { Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 4, Tp = 4, SpecMethod = "medusa" };

    [Theory]
    [MemberData(nameof(BadTrees))]
    public void BadTree_NamesTheField(CostRequest request, string field)
    {
        var e = Assert.Throws<InvalidInputException>(() => request.Answer(Catalog));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void Simulate_ChainTree_IsTheChainRun()
    {
        var chain = new SimulateRequest
        {
            Model = "llama-3.1-8b", Gpu = "nvidia-h100-sxm", Gpus = 1, Rate = 5, Requests = 300, Input = 500, Output = 100, SpecMethod = "eagle", SpecLength = 3, SpecAcceptance = [0.7],
        };
        var tree = chain with { SpecLength = null, SpecTree = [1, 1, 1] };
        var wide = chain with { SpecLength = null, SpecTree = [2, 4, 4] };

        var token = TestContext.Current.CancellationToken;
        var (a, b, c) = (chain.Answer(Catalog, cancellation: token).Result, tree.Answer(Catalog, cancellation: token).Result, wide.Answer(Catalog, cancellation: token).Result);

        Assert.Equal(Serialization.InfercostJson.Serialize(a), Serialization.InfercostJson.Serialize(b));
        // The wider tree verifies 10 drafts per sequence against 3 with the same per-depth acceptance: every request still
        // gets its output, and the replica spends longer in steps doing it
        Assert.Equal(a.OutputTokens, c.OutputTokens);
        var (busyChain, busyTree) = (a.BusyFraction * a.WallTime.Value, c.BusyFraction * c.WallTime.Value);
        Assert.True(busyTree > busyChain, $"tree busy {busyTree} s, chain {busyChain} s");
    }
}
