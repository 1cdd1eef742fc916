using Infercost.Serving;
using Infercost.Speculation;
using Xunit;

namespace Infercost.Tests.Speculation;

public class SpeculativeDecodingTests
{
    private static ServingSetup Setup(string model, string gpu, int gpus)
    {
        var catalog = Infercost.Catalog.Catalog.Embedded;
        var m = catalog.GetModel(model);
        var a = catalog.GetAccelerator(gpu);
        var config = new ServingConfig { TotalDevices = gpus, InputTokens = 1000, OutputTokens = 1000 };
        var layout = ParallelismPlanner.Choose(m, a, config);
        return new ServingSetup(m, a, layout, config with { Parallelism = layout });
    }

    private static SpeculationConfig Mtp(double acceptance, int k = 1) => new(SpeculationMethod.Mtp, k, [acceptance]);

    [Fact]
    public void ExpectedTokens_IsOnePlusSumOfAcceptedRuns()
    {
        Assert.Equal(1.85, Mtp(0.85).ExpectedTokensPerStep, 1e-12);
        var three = new SpeculationConfig(SpeculationMethod.Mtp, 3, [0.8, 0.7, 0.6]);
        Assert.Equal(1 + 0.8 + (0.8 * 0.7) + (0.8 * 0.7 * 0.6), three.ExpectedTokensPerStep, 1e-12);

        // The last rate repeats past the list
        Assert.Equal(1 + 0.5 + 0.25 + 0.125, new SpeculationConfig(SpeculationMethod.Mtp, 3, [0.5]).ExpectedTokensPerStep, 1e-12);
    }

    // Source: DeepSeek-AI, "DeepSeek-V3 Technical Report" (arXiv 2412.19437), §5.4.3 Multi-Token Prediction Evaluation:
    // with one MTP module "the acceptance rate of the second token prediction ranges between 85% and 90%", which
    // "enables DeepSeek-V3 to achieve a significantly improved decoding speed, delivering 1.8 times TPS". The engine,
    // from the step physics alone (no fitting to the 1.8), gives 1.6-1.8x across batches on an EP16 deployment.
    [Theory]
    [InlineData(0.85)]
    [InlineData(0.90)]
    public void DeepSeekV3_Mtp_SpeedUpIsInThePublishedBand(double acceptance)
    {
        var setup = Setup("deepseek-v3", "nvidia-h100-sxm", 16);
        foreach (var batch in new[] { 1, 16, 128 })
        {
            var step = SpeculativeDecoding.Step(setup, batch, 1500, Mtp(acceptance));
            // 1.45: since the step is costed from kernel curves (per-kernel fixed latencies, tile-quantised small GEMMs)
            // batch 128 sits lowest, at 1.49 with the 2026-12-08 calibration (34 µs per collective, no host overhead
            // beyond the kernels' fixed latencies: the time a verify shares with a plain decode step is smaller than it
            // was at 41 µs + 64 µs, when batch 128 gave 1.54); batch 1 stays near the published 1.8 (below).
            Assert.InRange(step.SpeedUp, 1.45, 1.9);
        }

        var one = SpeculativeDecoding.Step(setup, 1, 1500, Mtp(0.875));
        Assert.Equal(1.8, one.SpeedUp, 0.1);
    }

    [Fact]
    public void Dense_AtBatchOne_VerifyCostsAboutAPlainStep_AndTheGainShrinksWithBatch()
    {
        var setup = Setup("llama-3.1-8b", "nvidia-h100-sxm", 1);
        var config = Mtp(0.8, k: 3);
        var small = SpeculativeDecoding.Step(setup, 1, 1500, config);
        var large = SpeculativeDecoding.Step(setup, 128, 1500, config);

        Assert.True(small.Verify.Total.Value / small.Baseline.StepTime.Value < 1.1, "a memory-bound verify of 4 tokens reads what one token reads");
        Assert.True(large.SpeedUp < small.SpeedUp);
        // Not 128x: a 4-row GEMM already pays for a tile of M_half rows (kernel model), so compute grows ~10x, not 128x.
        Assert.True(large.Verify.ComputeTime.Value > small.Verify.ComputeTime.Value * 5);
        Assert.True(large.Mfu > large.BaselineMfu, "the kept tokens do more useful work per step");
    }

    [Fact]
    public void NothingAccepted_IsASlowdown()
    {
        var setup = Setup("llama-3.1-8b", "nvidia-h100-sxm", 1);
        var step = SpeculativeDecoding.Step(setup, 32, 1500, Mtp(0, k: 4));
        Assert.Equal(1, step.TokensPerStep);
        Assert.True(step.SpeedUp < 1);
    }

    [Fact]
    public void DraftModel_AddsItsOwnSteps()
    {
        var setup = Setup("llama-3.3-70b", "nvidia-h100-sxm", 4);
        var draft = Infercost.Catalog.Catalog.Embedded.GetModel("llama-3.1-8b");
        var step = SpeculativeDecoding.Step(setup, 8, 1500, new SpeculationConfig(SpeculationMethod.DraftModel, 4, [0.8], draft));
        Assert.True(step.DraftTime.Value > 0);
        Assert.Equal(step.Verify.Total.Value + step.DraftTime.Value, step.StepTime.Value, 1e-12);
    }

    [Theory]
    [InlineData(0, 0.8, "specLength")]
    [InlineData(17, 0.8, "specLength")]
    [InlineData(1, 1.5, "specAcceptance")]
    [InlineData(1, double.NaN, "specAcceptance")]
    public void BadConfig_IsInvalidInput(int k, double a, string field)
    {
        var e = Assert.Throws<InvalidInputException>(() => new SpeculationConfig(SpeculationMethod.Mtp, k, [a]).Validated());
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void DraftMethodWithoutADraftModel_IsInvalidInput()
    {
        var e = Assert.Throws<InvalidInputException>(() => new SpeculationConfig(SpeculationMethod.DraftModel, 2, [0.8]).Validated());
        Assert.Equal("draftModel", e.Field);
    }
}
