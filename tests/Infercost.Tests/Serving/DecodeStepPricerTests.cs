using CsCheck;
using Infercost.Serving;
using Xunit;

namespace Infercost.Tests.Serving;

// The simulator's decode fast-forward prices its steps with DecodeStepPricer, which caches the terms that depend only
// on the batch size. Its answer must be BatchStepModel's to the last bit, or a fast-forwarded run would drift from a
// stepped one: every embedded model (dense, MoE, MLA, sliding-window, sparse-indexer, recurrent hybrids), with and
// without the kernel model, at tensor and expert parallelism, and with the batch size changing between calls.
public sealed class DecodeStepPricerTests
{
    private static readonly Infercost.Catalog.Catalog Embedded = Infercost.Catalog.Catalog.Embedded;

    public static TheoryData<string, string, int, bool> Setups()
    {
        var data = new TheoryData<string, string, int, bool>();
        foreach (var model in Embedded.Models)
        {
            foreach (var (gpu, tp) in new[] { ("nvidia-h100-sxm", 1), ("nvidia-h100-sxm", 8), ("amd-mi300x", 2) })
            {
                // Layouts the model cannot take (heads not divisible by tp) are refused by the setup itself.
                if (Build(model.Id, gpu, tp, true) is null) continue;
                data.Add(model.Id, gpu, tp, true);
                data.Add(model.Id, gpu, tp, false);
            }
        }

        return data;
    }

    private static ServingSetup? Build(string modelId, string gpuId, int tp, bool kernels)
    {
        var efficiency = kernels ? EfficiencyFactors.Default : EfficiencyFactors.Default with { Kernels = null };
        try
        {
            return new ServingSetup(Embedded.GetModel(modelId), Embedded.GetAccelerator(gpuId), new Parallelism(tp),
                new ServingConfig { TotalDevices = tp, Efficiency = efficiency });
        }
        catch (InvalidInputException)
        {
            return null;
        }
    }

    [Fact]
    public void EveryEmbeddedModel_IsCovered() =>
        Assert.Equal(Embedded.Models.Count, Setups().Select(row => (string)((ITheoryDataRow)row).GetData()[0]!).Distinct().Count());

    [Theory]
    [MemberData(nameof(Setups))]
    public void AnyDecodeBatch_SameSecondsAsTheBatchStepModel(string modelId, string gpuId, int tp, bool kernels)
    {
        var setup = Build(modelId, gpuId, tp, kernels)!;
        var pricer = new DecodeStepPricer(setup);

        // Batch sizes repeat and change, so the cached per-size terms are both reused and replaced.
        Gen.Select(Gen.Int[1, 512], Gen.Double[0, 1], Gen.Int[1, 200_000]).Sample((n, share, meanContext) =>
        {
            var full = (double)n * meanContext;
            var windowed = Math.Floor(full * share);
            var expected = BatchStepModel.Cost(setup, BatchComposition.OfDecodes(n, full, windowed)).Total.Value;
            Assert.Equal(expected, pricer.Seconds(n, full, windowed));
        }, iter: 200, threads: 1); // one pricer, one thread: it is not thread-safe
    }
}
