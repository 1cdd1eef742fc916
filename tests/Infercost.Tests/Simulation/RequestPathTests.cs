using Infercost.Quantities;
using Infercost.Requests;
using Infercost.Serving;
using Infercost.Simulation;
using Xunit;

namespace Infercost.Tests.Simulation;

// TensorRT-LLM 0.14's Triton front end (CalibratedOnlineRuntime.RequestLatencyMs, fitted to the online rows) is on the
// client's side of every first token: the simulator adds it to each TTFT and end-to-end time and judges the SLO on it.
public class RequestPathTests
{
    private static SimulationResult Run(Func<ServingConfig, ServingConfig> change)
    {
        var request = new ServingRequest { Model = "llama-3.1-8b", Gpu = "nvidia-h100-sxm", Gpus = 1, Input = 500, Output = 100, Engine = "trtllm-0.14" };
        request.Validate();
        var subject = request.Resolve(Infercost.Catalog.Catalog.Embedded);
        var config = change(request.ToConfig().Validated());
        var setup = new ServingSetup(subject.Model, subject.Accelerator, new Parallelism(1), config);
        var options = new SimulationOptions(new SchedulerConfig(config.PrefillChunkTokens, config.MaxBatch), Slo.Default);
        return ServingSimulator.Run(setup, 1, new RequestGenerator(ArrivalProcess.Poisson(4), new FixedLength(500), new FixedLength(100), 3, 400), options);
    }

    [Fact]
    public void TensorRtLlm014_TtftAndEndToEnd_CarryTheRequestPath_StepsDoNot()
    {
        var withPath = Run(c => c);
        var without = Run(c => c with { Engine = c.Engine with { Runtime = c.Engine.Runtime! with { RequestLatency = Seconds.Zero } } });

        var path = Infercost.Calibration.CalibratedOnlineRuntime.RequestLatencyMs / 1000;
        Assert.Equal(without.TimeToFirstToken.Mean.Value + path, withPath.TimeToFirstToken.Mean.Value, 1e-12);
        Assert.Equal(without.EndToEnd.Mean.Value + path, withPath.EndToEnd.Mean.Value, 1e-12);
        // The engine's schedule is the same: same steps, same time per output token, same wall time.
        Assert.Equal(without.Steps, withPath.Steps);
        Assert.Equal(without.TimePerOutputToken.Mean.Value, withPath.TimePerOutputToken.Mean.Value, 1e-15);
        Assert.Equal(without.WallTime.Value, withPath.WallTime.Value);
    }

    [Fact]
    public void TensorRtLlm014_CostsTtft_CarriesTheRequestPath_ThroughputDoesNot()
    {
        // The same setup as `cost --engine trtllm-0.14` resolves, with the request path and without it
        var request = new ServingRequest { Model = "llama-3.1-8b", Gpu = "nvidia-h100-sxm", Gpus = 1, Input = 500, Output = 100, Engine = "trtllm-0.14" };
        request.Validate();
        var subject = request.Resolve(Infercost.Catalog.Catalog.Embedded);
        var config = request.ToConfig().Validated();
        var noPath = config with { Engine = config.Engine with { Runtime = config.Engine.Runtime! with { RequestLatency = Seconds.Zero } } };

        var withPath = ServingEstimator.Estimate(new ServingSetup(subject.Model, subject.Accelerator, new Parallelism(1), config));
        var without = ServingEstimator.Estimate(new ServingSetup(subject.Model, subject.Accelerator, new Parallelism(1), noPath));

        var path = Infercost.Calibration.CalibratedOnlineRuntime.RequestLatencyMs / 1000;
        Assert.Equal(without.Prefill.TimeToFirstToken.Value + path, withPath.Prefill.TimeToFirstToken.Value, 1e-12);
        Assert.Equal(without.RequestLatency.Value + path, withPath.RequestLatency.Value, 1e-12);
        Assert.Equal(without.Prefill.Time.Value, withPath.Prefill.Time.Value);
        Assert.Equal(without.ClusterPrefillTokensPerSecond.Value, withPath.ClusterPrefillTokensPerSecond.Value);
        Assert.Equal(without.ClusterDecodeTokensPerSecond.Value, withPath.ClusterDecodeTokensPerSecond.Value);
        Assert.Contains(withPath.Notes, n => n.Contains("request path of 5.16 ms", StringComparison.Ordinal));
        Assert.DoesNotContain(without.Notes, n => n.Contains("request path", StringComparison.Ordinal));
    }
}
