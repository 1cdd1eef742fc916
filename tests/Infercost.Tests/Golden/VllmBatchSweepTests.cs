using Infercost.Calibration;
using Infercost.Requests;
using Infercost.Serving;
using Infercost.Simulation;
using Xunit;

namespace Infercost.Tests.Golden;

// Golden case 4D (Mazurek & Gabriel, "LLM Inference Economics from First Principles", Tensor Economics 2025): vLLM,
// Llama 3.3 70B, TP4 on 4 × H100, 2,035 in / 300 out, B requests sent at once; measured elapsed seconds per batch.
// The engine's figures are not tuned to these: the vLLM profile's runtime is the kernel benchmarks' collective floor and
// a documented host time per step (Calibration/ServingSoftware.cs); only the scheduler is vLLM's. Issue 8's target
// (batch 1 within 15%, median |error| over the sweep ≤ 10%) is not met; the test pins what the engine does now.
public class VllmBatchSweepTests(ITestOutputHelper output)
{
    private static readonly (int Batch, double Elapsed)[] Measured =
    [
        (1, 5.56523), (2, 5.83159), (4, 6.58055), (8, 7.50709), (16, 8.96685),
        (32, 12.41070), (64, 19.92798), (128, 36.80828), (256, 66.85449), (512, 129.60231),
    ];

    /// <summary>simulate --model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 4 --tp 4 --input 2035 --output 300
    /// --concurrency B --requests B --engine vllm, through the same request record the CLI builds.</summary>
    internal static double SimulatedElapsed(int batch, string engine = "vllm")
    {
        var request = new ServingRequest { Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 4, Tp = 4, Input = 2035, Output = 300, Engine = engine };
        request.Validate();
        var subject = request.Resolve(Infercost.Catalog.Catalog.Embedded);
        var config = request.ToConfig().Validated();
        var setup = new ServingSetup(subject.Model, subject.Accelerator, config.Parallelism!, config);
        var options = new SimulationOptions(new SchedulerConfig(config.PrefillChunkTokens, config.MaxBatch), Slo.Default);
        var result = ServingSimulator.RunClosedLoop(setup, batch, new FixedLength(2035), new FixedLength(300), batch, 1, options);
        return result.WallTime.Value;
    }

    [Fact]
    public void VllmProfile_BatchSweep_IsWithinTwentyPercentAtBatchOne_AndTooFastThroughout()
    {
        // Given the measured sweep, When each batch is simulated with the vLLM profile
        var errors = Measured.Select(m => (m.Batch, Error: SimulatedElapsed(m.Batch) / m.Elapsed - 1)).ToList();
        foreach (var (b, e) in errors) output.WriteLine($"batch {b}: simulated elapsed {e * 100:+0.0;-0.0}% vs measured");

        // Then (as docs/validation.md#golden-4d reports, 2026-12-08): batch 1 is 16% fast, the sweep's median |error| 20%;
        // issue 8's targets (batch 1 within 15%, median within 10%) are NOT met. Every batch is too fast, so what is
        // missing is not a small-batch stall but efficiency the calibration never saw (BF16 on Hopper, vLLM's kernels).
        Assert.InRange(errors[0].Error, -0.20, 0.0);
        Assert.InRange(ErrorSummary.Percentile(errors.Select(x => Math.Abs(x.Error)), 0.5), 0.10, 0.25);
        Assert.All(errors, x => Assert.True(x.Error < 0, $"batch {x.Batch}: {x.Error:P1}"));
    }

    [Fact]
    public void VllmProfile_BatchSweep_EveryMeasurementLiesInsideThePrintedBand()
    {
        // Given the sweep simulated as the CLI's `simulate ... --concurrency B --requests B --engine vllm --bands` does
        var inside = 0;
        foreach (var (batch, elapsed) in Measured)
        {
            var request = new SimulateRequest
            {
                Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 4, Tp = 4, Input = 2035, Output = 300,
                Concurrency = batch, Requests = batch, Engine = "vllm", Bands = true,
            };
            var wall = request.Answer(Infercost.Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken).Bands!.WallTime;
            output.WriteLine($"batch {batch}: measured {elapsed:0.00} s, simulated {wall.Value:0.00} s, P10-P90 {wall.P10:0.00}-{wall.P90:0.00} s");
            if (elapsed >= wall.P10 && elapsed <= wall.P90) inside++;
        }

        // Then every measured elapsed time lies inside the printed P10–P90 (vLLM is an engine the calibration never saw,
        // so the band carries the engine width fitted on TensorRT-LLM 0.14's rows): 10 of 10, where an honest 80% band
        // would hold about 8. The central figure is 16–29% fast; the band says how far it may be.
        Assert.Equal(Measured.Length, inside);
    }

    [Fact]
    public void CalibratedTensorRtLlmRuntime_IsSlowerAtBatchOne_ThanTheVllmProfile()
    {
        // The fitted 34 µs per collective of TensorRT-LLM 0.17 against vLLM's graph-captured floor: a TP4 70B decode step
        // has 160 all-reduces, so the calibrated runtime must take longer at batch 1 (physics, not a fitted per-engine factor).
        Assert.True(SimulatedElapsed(1, "trtllm") > SimulatedElapsed(1, "vllm") * 1.1);
    }
}
