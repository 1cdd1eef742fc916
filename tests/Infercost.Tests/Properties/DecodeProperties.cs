using CsCheck;
using Infercost.Serving;
using Xunit;

namespace Infercost.Tests.Properties;

public class DecodeProperties
{
    [Fact]
    public void MoreMemoryBandwidth_NeverLowersDecodeThroughput()
    {
        Gen.Select(Generators.ModelAndTensor, Gen.Int[1, 1024], Gen.Int[0, 200_000], Gen.Double[1, 16], Generators.Efficiency)
            .Sample((mt, batch, context, factor, efficiency) =>
            {
                // Given the same model, layout, batch and context on a device with `factor` times the bandwidth
                var slow = Generators.Setup(mt.Model, mt.Tensor, Fixtures.H100, efficiency);
                var fast = Generators.Setup(mt.Model, mt.Tensor, Generators.WithBandwidth(Fixtures.H100, factor), efficiency);

                // When a decode step is estimated on both
                var before = DecodeModel.Step(slow, batch, context);
                var after = DecodeModel.Step(fast, batch, context);

                // Then the faster memory never produces fewer tokens per second
                Assert.True(after.TokensPerSecond >= before.TokensPerSecond,
                    $"{mt.Model.Id} TP{mt.Tensor} b={batch} ctx={context} ×{factor}: {after.TokensPerSecond} < {before.TokensPerSecond}");
            });
    }

    [Fact]
    public void StepTime_IsNonDecreasingInContext()
    {
        Gen.Select(Generators.ModelAndTensor, Gen.Int[1, 512], Gen.Int[0, 200_000], Gen.Int[0, 200_000], Generators.Efficiency)
            .Sample((mt, batch, c1, c2, efficiency) =>
            {
                // Given two context lengths, shorter and longer
                var setup = Generators.Setup(mt.Model, mt.Tensor, efficiency: efficiency);
                var (shorter, longer) = c1 <= c2 ? (c1, c2) : (c2, c1);

                // When a decode step is estimated at each
                var a = DecodeModel.Step(setup, batch, shorter);
                var b = DecodeModel.Step(setup, batch, longer);

                // Then attending to more cached tokens never makes the step faster
                Assert.True(b.StepTime >= a.StepTime, $"{mt.Model.Id} TP{mt.Tensor} b={batch}: ctx {longer} {b.StepTime} < ctx {shorter} {a.StepTime}");
            });
    }
}
