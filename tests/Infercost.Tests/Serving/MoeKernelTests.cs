using Infercost.Calibration;
using Infercost.Kernels;
using Infercost.Serving;
using Xunit;

namespace Infercost.Tests.Serving;

// The kernel that runs a MoE layer's experts is part of the engine's profile: TensorRT-LLM's TRTLLM-Gen module on
// Blackwell, its CUTLASS module elsewhere, vLLM's and SGLang's Triton fused_moe for 16- and 8-bit experts and CUTLASS for
// NVFP4. The step pays that kernel's fixed cost per MoE layer and its time per touched expert.
public class MoeKernelTests
{
    private static readonly Infercost.Catalog.Catalog Catalog = Infercost.Catalog.Catalog.Embedded;

    [Theory]
    [InlineData("vllm", "nvidia-h100-sxm", "bf16", MoeKernel.Triton)]
    [InlineData("vllm", "nvidia-h100-sxm", "fp8", MoeKernel.Triton)]
    [InlineData("vllm", "nvidia-b200", "fp4", MoeKernel.Cutlass)]
    [InlineData("vllm", "nvidia-h100-sxm", "int4", MoeKernel.Triton)]
    [InlineData("sglang", "nvidia-h200-sxm", "fp8", MoeKernel.Triton)]
    [InlineData("sglang", "nvidia-b200", "fp4", MoeKernel.Cutlass)]
    [InlineData("trtllm", "nvidia-h100-sxm", "fp8", MoeKernel.Cutlass)]
    [InlineData("trtllm-1", "nvidia-h200-sxm", "fp8", MoeKernel.Cutlass)]
    [InlineData("trtllm-1", "nvidia-b200", "fp4", MoeKernel.TrtllmGen)]
    [InlineData("trtllm-1", "nvidia-b200", "fp8", MoeKernel.TrtllmGen)]
    public void EachEngine_RunsItsDocumentedMoeKernel(string engine, string gpu, string experts, MoeKernel expected)
    {
        var setup = Setup("qwen3-30b-a3b", gpu, ServingSoftware.Named(engine, "engine"), PrecisionInfo.Parse(experts, "weights"), new Parallelism(1));
        Assert.Equal(expected, setup.StepKernels!.MoeKernel);
    }

    [Theory]
    [InlineData("qwen3-30b-a3b", "nvidia-h100-sxm", "bf16", 1, 1, 64)]
    [InlineData("qwen3-30b-a3b", "nvidia-b200", "fp4", 1, 1, 8)]
    [InlineData("deepseek-r1", "nvidia-h200-sxm", "fp8", 8, 8, 256)]
    [InlineData("mixtral-8x7b", "nvidia-h100-sxm", "fp8", 2, 1, 32)]
    public void TheStepPaysTheKernelsFixedCostPerLayer_AndItsTimePerTouchedExpert(string model, string gpu, string weights, int tensor, int expert, int batch)
    {
        // Given one setup run by two engine profiles that differ only in their MoE kernel
        var triton = ServingSoftware.Vllm with { MoeKernel = MoeKernel.Triton, MoeKernelFp4 = MoeKernel.Triton };
        var cutlass = ServingSoftware.Vllm with { MoeKernel = MoeKernel.Cutlass, MoeKernelFp4 = MoeKernel.Cutlass };
        var precision = PrecisionInfo.Parse(weights, "weights");
        var layout = new Parallelism(tensor, Expert: expert);
        var a = Setup(model, gpu, triton, precision, layout);
        var b = Setup(model, gpu, cutlass, precision, layout);

        // When a decode step is costed on each
        var stepA = DecodeModel.Step(a, batch, 2000);
        var stepB = DecodeModel.Step(b, batch, 2000);

        // Then the steps differ by the two kernels' fixed costs over the device's MoE layers and their times per expert
        // over the experts the device runs (touched ÷ EP per layer), and by nothing else
        var kernels = EfficiencyFactors.Default.Kernels!;
        var (ka, kb) = (kernels.GroupedGemmFor(MoeKernel.Triton), kernels.GroupedGemmFor(MoeKernel.Cutlass));
        var layers = (double)a.Model.MoeLayers;
        var expected = layers * (kb.FixedSeconds - ka.FixedSeconds)
                       + stepA.ExpertsTouchedPerLayer / expert * layers * (kb.PerExpertSeconds - ka.PerExpertSeconds);
        Assert.Equal(stepA.ExpertsTouchedPerLayer, stepB.ExpertsTouchedPerLayer);
        Assert.Equal(expected, (stepB.StepTime - stepA.StepTime).Value, 1e-9);
        Assert.Equal(expected, (stepB.Overhead - stepA.Overhead).Value, 1e-9);
        Assert.True(expected > 0, "CUTLASS's module costs more than Triton's on the benchmarks");
    }

    [Fact]
    public void TheLayoutSearchFloor_StaysBelowTheStep_AndCountsTheKernelsCosts()
    {
        // Given DeepSeek-R1 on 8 H200 (TP8 EP8) under two profiles that differ only in their MoE kernel
        var triton = Setup("deepseek-r1", "nvidia-h200-sxm", ServingSoftware.Vllm with { MoeKernel = MoeKernel.Triton }, Precision.Fp8, new Parallelism(8, Expert: 8));
        var cutlass = Setup("deepseek-r1", "nvidia-h200-sxm", ServingSoftware.Vllm with { MoeKernel = MoeKernel.Cutlass }, Precision.Fp8, new Parallelism(8, Expert: 8));
        double Floor(ServingSetup s) => s.DecodeStepFloor(8, 1, 8, 1, 8, 64, s.DecodeWorkPerSequence(2000));

        // Then each floor is below its step, and the floors differ by the kernels' fixed costs over the MoE layers and
        // their times per expert over the experts the floor counts: the bound E·xt/(1 + xt) per layer, x = k/E, t = 64
        Assert.True(Floor(triton) <= DecodeModel.Step(triton, 64, 2000).StepTime.Value);
        Assert.True(Floor(cutlass) <= DecodeModel.Step(cutlass, 64, 2000).StepTime.Value);
        var kernels = EfficiencyFactors.Default.Kernels!;
        var (kt, kc) = (kernels.GroupedGemmFor(MoeKernel.Triton), kernels.GroupedGemmFor(MoeKernel.Cutlass));
        var moe = triton.Model.Moe!;
        var xt = (double)moe.ExpertsPerToken / moe.Experts * 64;
        var touched = moe.Experts * xt / (1 + xt);
        var layers = (double)triton.Model.MoeLayers;
        var gap = layers * (kc.FixedSeconds - kt.FixedSeconds) + touched / 8 * layers * (kc.PerExpertSeconds - kt.PerExpertSeconds);
        Assert.Equal(gap, Floor(cutlass) - Floor(triton), 1e-7);
    }

    [Fact]
    public void AChosenKernel_OverridesTheEnginesForEveryPrecision()
    {
        // Given vLLM (Triton at 16 bits, CUTLASS at 4) with moeKernel triton, When resolved for NVFP4 experts on a B200
        var request = new Infercost.Requests.ServingRequest { Model = "qwen3-30b-a3b", Gpu = "nvidia-b200", Gpus = 1, Weights = Precision.Fp4, MoeKernel = "triton" };
        request.Validate();
        var config = request.ToConfig().Validated();
        var subject = request.Resolve(Catalog);
        var setup = new ServingSetup(subject.Model, subject.Accelerator, new Parallelism(1), config);

        // Then the step runs the chosen kernel, not vLLM's fp4 default
        Assert.Equal(MoeKernel.Triton, setup.StepKernels!.MoeKernel);
        Assert.True(config.Engine.MoeKernelChosen);
    }

    [Theory]
    [InlineData("qwen3-30b-a3b", "nvidia-h100-sxm", "bf16", 1, 1)]
    [InlineData("mixtral-8x7b", "nvidia-h100-sxm", "fp8", 2, 1)]
    [InlineData("deepseek-r1", "nvidia-h200-sxm", "fp8", 8, 8)]
    public void RoutingImbalance_AddsTheBusiestExpertsRows_ToTheLinearCompute_NotToTheFlopCount(string model, string gpu, string weights, int tensor, int expert)
    {
        // Given one setup with the shipped kernel model (imbalance 1.304) and with every MoE module's imbalance set to 1
        var kernels = EfficiencyFactors.Default.Kernels!;
        var even = kernels with
        {
            GroupedGemm = kernels.GroupedGemm with { Imbalance = 1 },
            MoeModules = kernels.MoeModules.ToDictionary(kv => kv.Key, kv => kv.Value with { Imbalance = 1 }),
        };
        var layout = new Parallelism(tensor, Expert: expert);
        var precision = PrecisionInfo.Parse(weights, "weights");
        var skewed = Setup(model, gpu, ServingSoftware.Vllm, precision, layout);
        var uniform = Setup(model, gpu, ServingSoftware.Vllm, precision, layout, EfficiencyFactors.Default with { Kernels = even });

        // When a prompt pass of 4,000 tokens and a decode step of 256 sequences are costed on each
        var prefillA = PrefillModel.Estimate(skewed, 4000);
        var prefillB = PrefillModel.Estimate(uniform, 4000);
        var decodeA = BatchStepModel.Work(skewed, Decodes(256, 2000));
        var decodeB = BatchStepModel.Work(uniform, Decodes(256, 2000));

        // Then the skewed linear compute term is longer by (ι − 1) × 2 × the routed-expert parameters a token multiplies
        // through (k experts × MoE layers) × tokens per device, at the GEMM rate; the FLOPs the estimate reports are the
        // model's, the same for both
        var moe = skewed.Model.Moe!;
        var iota = kernels.GroupedGemmFor(skewed.StepKernels!.MoeKernel).Imbalance;
        var perToken = (iota - 1) * 2 * skewed.Parameters.RoutedExpert * moe.ExpertsPerToken * skewed.Model.MoeLayers;
        var n = (double)skewed.DevicesPerReplica;
        var tokens = prefillA.Tokens.Value;
        Assert.Equal(perToken * tokens / n / skewed.StepKernels.ComputeRate,
            (prefillA.Cost!.Value.LinearCompute - prefillB.Cost!.Value.LinearCompute).Value, 1e-12);
        Assert.Equal(prefillB.Flops.Value, prefillA.Flops.Value);
        Assert.Equal(perToken * 256 / n, decodeA.ImbalanceFlops.Value, 1e-3);
        Assert.Equal(0, decodeB.ImbalanceFlops.Value);
        Assert.Equal(decodeB.LinearFlops.Value, decodeA.LinearFlops.Value);
        Assert.True(decodeA.Cost(skewed).Total > decodeB.Cost(uniform).Total);
    }

    [Fact]
    public void RoutingImbalance_IsOne_WhenEveryTokenGoesToEveryExpert_AndAbsentForADenseModel()
    {
        var curve = EfficiencyFactors.Default.Kernels!.GroupedGemmFor(MoeKernel.Triton);
        Assert.Equal(1, curve.ImbalanceFor(experts: 4, topK: 4));
        Assert.Equal(curve.Imbalance, curve.ImbalanceFor(experts: 128, topK: 8));
        Assert.True(curve.Imbalance > 1);
        var dense = Setup("llama-3.1-8b", "nvidia-h100-sxm", ServingSoftware.Vllm, Precision.Bf16, new Parallelism(1));
        Assert.Equal(0, dense.StepKernels!.ImbalanceFlopsPerToken);
    }

    [Theory]
    [InlineData(0.5, 8)]
    [InlineData(8, 8)]
    [InlineData(9, 16)]
    [InlineData(40, 64)]
    [InlineData(64, 64)]
    [InlineData(65, 128)]
    [InlineData(130, 192)]
    public void TokenTile_RoundsTheBusiestRows_UpToItsTile(double rows, double padded) =>
        Assert.Equal(padded, new TokenTile(8, 64).PaddedRows(rows));

    [Theory]
    [InlineData("deepseek-r1", 8, 8)]
    [InlineData("qwen3-30b-a3b", 1, 1)]
    public void TrtllmGenTokenTiles_ReplaceTheDensePadding_OfTheExperts(string model, int tensor, int expert)
    {
        // Given a Blackwell setup whose engine runs FP4 experts with TRTLLM-Gen (token tiles of 8-64 rows), and the same
        // with the module's tiles removed (each expert padded by the dense curve's M_half, as before)
        var kernels = EfficiencyFactors.Default.Kernels!;
        var padded = kernels with { GroupedGemm = kernels.GroupedGemm with { Tile = null } };
        var layout = new Parallelism(tensor, Expert: expert);
        var tiled = Setup(model, "nvidia-b200", ServingSoftware.TensorRtLlm1, Precision.Fp4, layout);
        var dense = Setup(model, "nvidia-b200", ServingSoftware.TensorRtLlm1, Precision.Fp4, layout, EfficiencyFactors.Default with { Kernels = padded });
        Assert.Equal(MoeKernel.TrtllmGen, tiled.StepKernels!.MoeKernel);
        Assert.NotNull(tiled.StepKernels.ExpertTile);

        // When a decode step of 64 sequences is costed on each
        var a = BatchStepModel.Work(tiled, Decodes(64, 2000));
        var b = BatchStepModel.Work(dense, Decodes(64, 2000));

        // Then the tiled step charges each touched expert 2·N·K × its tile rows instead of × (busiest rows + M_half):
        // 2 × expert elements on the device × (tile rows − busiest rows) − the dense padding on their bytes
        var moe = tiled.Model.Moe!;
        var k = tiled.StepKernels;
        var touched = a.ExpertsTouchedPerLayer;
        var busiest = 64.0 * moe.ExpertsPerToken / touched * k.ExpertImbalance;
        var n = (double)tiled.DevicesPerReplica;
        var elements = tiled.Parameters.RoutedExpert * tiled.Model.MoeLayers * touched / n;
        var expertBytes = tiled.ExpertWeightBytes.Value / (tiled.Model.MoeLayers * (double)moe.Experts) * tiled.Model.MoeLayers * touched / n;
        var expected = 2 * elements * (k.ExpertTile!.Value.PaddedRows(busiest) - busiest) - k.TileFlopsPerWeightByte * expertBytes;
        Assert.Equal(expected, a.ExpertTileFlops.Value, Math.Abs(expected) * 1e-9);
        Assert.True(a.ExpertTileFlops.Value < 0, "8-64-row tiles pad less than the dense curve's M_half");
        Assert.Equal(0, b.ExpertTileFlops.Value);
        Assert.Equal(b.LinearFlops.Value, a.LinearFlops.Value);
        Assert.True(a.Cost(tiled).LinearCompute < b.Cost(dense).LinearCompute);

        // And a prompt pass of 4,000 tokens moves by the same term at the GEMM rate, its FLOP count unchanged
        var prefillA = PrefillModel.Estimate(tiled, 4000);
        var prefillB = PrefillModel.Estimate(dense, 4000);
        Assert.True(prefillA.Cost!.Value.LinearCompute < prefillB.Cost!.Value.LinearCompute);
        Assert.Equal(prefillB.Flops.Value, prefillA.Flops.Value);
    }

    private static BatchComposition Decodes(int sequences, double context)
    {
        var batch = new BatchComposition();
        batch.AddDecodes(sequences, context, double.PositiveInfinity);
        return batch;
    }

    private static ServingSetup Setup(string model, string gpu, ServingSoftware engine, Precision weights, Parallelism layout, EfficiencyFactors factors) =>
        new(Catalog.GetModel(model), Catalog.GetAccelerator(gpu), layout,
            new ServingConfig { TotalDevices = layout.DevicesPerReplica, Engine = engine, WeightPrecision = weights, Efficiency = engine.Over(factors) }.Validated());

    private static ServingSetup Setup(string model, string gpu, ServingSoftware engine, Precision weights, Parallelism layout) =>
        new(Catalog.GetModel(model), Catalog.GetAccelerator(gpu), layout,
            new ServingConfig { TotalDevices = layout.DevicesPerReplica, Engine = engine, WeightPrecision = weights, Efficiency = engine.Over(EfficiencyFactors.Default) }.Validated());
}
