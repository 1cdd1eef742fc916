using CsCheck;
using Infercost.Serving;
using Xunit;

namespace Infercost.Tests.Properties;

public class MemoryProperties
{
    [Fact]
    public void MaxBatch_IsNonIncreasingInContext()
    {
        Gen.Select(Generators.ModelAndTensor, Gen.Int[1, 500_000], Gen.Int[1, 500_000])
            .Sample((mt, c1, c2) =>
            {
                // Given a layout and two context lengths
                var setup = Generators.Setup(mt.Model, mt.Tensor);
                var (shorter, longer) = c1 <= c2 ? (c1, c2) : (c2, c1);

                // When memory is planned for each
                var a = MemoryPlanner.Plan(setup, shorter);
                var b = MemoryPlanner.Plan(setup, longer);

                // Then longer sequences never let more of them fit
                Assert.True(b.MaxBatch <= a.MaxBatch, $"{mt.Model.Id} TP{mt.Tensor}: {b.MaxBatch} at {longer} > {a.MaxBatch} at {shorter}");
            });
    }

    [Fact]
    public void FittingBatch_StaysFittingWhenSmaller_AndOneMoreDoesNot()
    {
        Gen.Select(Generators.ModelAndTensor, Gen.Int[1, 200_000], Gen.Double[0, 1])
            .Sample((mt, context, fraction) =>
            {
                // Given a plan whose weights fit
                var setup = Generators.Setup(mt.Model, mt.Tensor);
                var plan = MemoryPlanner.Plan(setup, context);
                if (!plan.Fits) return;

                // When any batch from 1 to the largest is checked
                var smaller = 1 + (int)(fraction * (plan.MaxBatch - 1));

                // Then it fits, and one sequence past the largest does not
                MemoryPlanner.EnsureFits(setup, plan, smaller);
                MemoryPlanner.EnsureFits(setup, plan, plan.MaxBatch);
                Assert.Throws<ModelDoesNotFitException>(() => MemoryPlanner.EnsureFits(setup, plan, plan.MaxBatch + 1));
            });
    }
}
