using CsCheck;
using Infercost.Models;
using Infercost.Serving;
using Xunit;

namespace Infercost.Tests.Properties;

// A mixture of one expert, one expert per token and no shared experts is the dense model of that shape plus its router:
// an h × 1 matrix per layer (the engine counts it, as a real checkpoint holds it). The property therefore says the two
// agree exactly once the router's h parameters per layer, 2h FLOPs per token per layer and h·2 B per layer are taken out.
public class MoeProperties
{
    private static readonly Gen<ModelArchitecture> DenseShape =
        Gen.Select(Gen.Int[1, 96], Gen.Int[1, 64], Gen.OneOfConst(64, 128), Gen.Int[1, 8], Gen.Int[1, 512], Gen.Int[1000, 200_000])
            .Select((layers, headGroups, headDim, kvHeads, mlpUnits, vocab) => Fixtures.Llama8B with
            {
                Id = "dense", Layers = layers, AttentionHeads = 8 * headGroups, KvHeads = Math.Min(kvHeads, 8 * headGroups),
                HeadDim = headDim, HiddenSize = 8 * headGroups * headDim, DenseIntermediateSize = 128 * mlpUnits, VocabSize = vocab,
            });

    private static ModelArchitecture SingleExpert(ModelArchitecture dense) => dense with
    {
        Id = "moe-1x1",
        DenseIntermediateSize = null,
        Moe = new MoeShape(Experts: 1, ExpertsPerToken: 1, SharedExperts: 0, ExpertIntermediateSize: dense.DenseIntermediateSize!.Value,
            FirstDenseLayers: 0, ExpertBias: false, RouterBias: false),
    };

    [Fact]
    public void SingleExpertMoe_HasTheDenseParameterCount_PlusItsRouter()
    {
        DenseShape.Sample(dense =>
        {
            // Given a dense shape and its one-expert MoE twin
            var d = ParameterCounter.Count(dense);
            var m = ParameterCounter.Count(SingleExpert(dense));

            // Then the counts differ by exactly the h × 1 router of each layer
            Assert.Equal(dense.HiddenSize, m.RouterPerLayer);
            Assert.Equal(d.Total, m.Total - dense.Layers * m.RouterPerLayer);
            Assert.Equal(d.ActiveCompute, m.ActiveCompute - dense.Layers * m.RouterPerLayer);
            Assert.Equal(d.DenseMlpPerLayer, m.RoutedExpert);
        });
    }

    [Fact]
    public void SingleExpertMoe_HasTheDenseFlops_PlusItsRouter()
    {
        Gen.Select(DenseShape, Gen.Int[0, 100_000]).Sample((dense, context) =>
        {
            // Given a dense shape and its one-expert MoE twin
            var moe = SingleExpert(dense);
            var router = 2.0 * dense.Layers * dense.HiddenSize;

            // When decode and prefill FLOPs are counted
            var dDecode = FlopCounter.DecodePerToken(dense, ParameterCounter.Count(dense), context);
            var mDecode = FlopCounter.DecodePerToken(moe, ParameterCounter.Count(moe), context);
            var dPrefill = FlopCounter.Prefill(dense, ParameterCounter.Count(dense), Math.Max(1, context));
            var mPrefill = FlopCounter.Prefill(moe, ParameterCounter.Count(moe), Math.Max(1, context));

            // Then they agree once the router's 2h FLOPs per token per layer are removed
            Assert.Equal(1.0, (mDecode.Value - router) / dDecode.Value, 1e-12);
            Assert.Equal(1.0, (mPrefill.Value - router * Math.Max(1, context)) / dPrefill.Value, 1e-12);
        });
    }

    [Fact]
    public void SingleExpertMoe_HasTheDenseDecodeStep_PlusItsRouter()
    {
        Gen.Select(DenseShape, Gen.OneOfConst(1, 2, 4, 8), Gen.Int[1, 1024], Gen.Int[0, 100_000], Generators.Efficiency)
            .Sample((dense, tensor, batch, context, efficiency) =>
            {
                // Given a dense shape, its twin, and the same layout (TP must divide the heads, a multiple of 8)
                var d = DecodeModel.Step(Generators.Setup(dense, tensor, efficiency: efficiency), batch, context);
                var moeSetup = Generators.Setup(SingleExpert(dense), tensor, efficiency: efficiency);
                var m = DecodeModel.Step(moeSetup, batch, context);
                var routerBytesPerDevice = dense.Layers * (double)dense.HiddenSize * moeSetup.WeightPrecision.BytesPerElement() / tensor;
                var routerFlopsPerDevice = 2.0 * dense.Layers * dense.HiddenSize * batch / tensor;

                // Then every expert is touched, nothing is sent between experts, and memory and compute terms differ only
                // by the router's bytes and FLOPs
                Assert.Equal(1.0, m.ExpertsTouchedPerLayer);
                Assert.Equal(d.CommunicationTime, m.CommunicationTime);
                Assert.Equal(d.KvBytesPerDevice, m.KvBytesPerDevice);
                Assert.Equal(1.0, (m.WeightBytesPerDevice.Value - routerBytesPerDevice) / d.WeightBytesPerDevice.Value, 1e-12);
                Assert.Equal(1.0, (m.FlopsPerDevice.Value - routerFlopsPerDevice) / d.FlopsPerDevice.Value, 1e-12);
                // (the MoE layer also pays its MoE kernel's fixed cost, router, top-k and permutation kernels, and its time
                // for the one touched expert)
                var module = moeSetup.StepKernels is null ? default : efficiency.Kernels!.GroupedGemmFor(moeSetup.StepKernels.MoeKernel);
                var moduleFixed = (module.FixedSeconds + module.PerExpertSeconds) * dense.Layers;
                Assert.Equal(1.0, (m.StepTime.Value - moduleFixed) / d.StepTime.Value, 1e-3);
            });
    }
}
