using BenchmarkDotNet.Attributes;
using Infercost.Costing;
using Infercost.Hardware;
using Infercost.Models;
using Infercost.Serving;

namespace Infercost.Benchmarks;

/// <summary>One full cost estimate (layout already chosen, as in a design-space sweep) and a 10,000-point sweep.</summary>
// Median (the target's statistic) and minimum beside the mean: on a shared machine the mean carries other
// processes' preemptions, the minimum what one call costs when it runs undisturbed.
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
public class EstimateBenchmarks
{
    private ModelArchitecture _model = null!;
    private Accelerator _gpu = null!;
    private ServingConfig _config = null!;
    private ServingConfig _autoLayout = null!;
    private readonly RentalCost _rental = new();

    [GlobalSetup]
    public void Setup()
    {
        var catalog = Catalog.Catalog.Embedded;
        _model = catalog.GetModel("deepseek-r1");
        _gpu = catalog.GetAccelerator("nvidia-h100-sxm");
        _config = new ServingConfig { TotalDevices = 72, Parallelism = new Parallelism(Tensor: 8, Pipeline: 3), InputTokens = 1000, OutputTokens = 1000 };
        _autoLayout = _config with { Parallelism = null };
    }

    /// <summary>Serving estimate + cost for DeepSeek-R1 on 72 H100 with a fixed layout.</summary>
    [Benchmark(Baseline = true)]
    public CostEstimate OneEstimate()
    {
        var serving = ServingEstimator.Estimate(_model, _gpu, _config);
        return CostModel.Estimate(serving, _gpu, _rental);
    }

    /// <summary>The same with the layout search (the CLI's default path).</summary>
    [Benchmark]
    public CostEstimate OneEstimateWithLayoutSearch()
    {
        var serving = ServingEstimator.Estimate(_model, _gpu, _autoLayout);
        return CostModel.Estimate(serving, _gpu, _rental);
    }

    /// <summary>10,000 points: 100 batch sizes × 100 output lengths, each a full estimate and cost.</summary>
    [Benchmark(OperationsPerInvoke = 10_000)]
    public double Sweep10k()
    {
        double sum = 0;
        for (var b = 1; b <= 100; b++)
        {
            for (var o = 1; o <= 100; o++)
            {
                var config = _config with { Batch = b, OutputTokens = o * 10 };
                var serving = ServingEstimator.Estimate(_model, _gpu, config);
                sum += CostModel.Estimate(serving, _gpu, _rental).OutputPerMillion.Value;
            }
        }

        return sum;
    }
}
