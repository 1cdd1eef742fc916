using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Infercost.Serving;
using Infercost.Simulation;

namespace Infercost.Benchmarks;

/// <summary>The serving simulator's throughput: one million requests through one replica (Llama 3.1 8B on one H100,
/// Poisson arrivals at 20 req/s, 512-token prompts, 128-token answers: the replica is busy all the time with a batch of
/// about 40 and never saturates, so every request passes through admission, chunked prefill and decode).</summary>
/// <remarks>Target: under 10 s on one core. Each iteration is one whole run, so a few iterations suffice.
/// Run: dotnet run -c Release --project bench/Infercost.Benchmarks -- --filter '*SimulatorBenchmarks*'</remarks>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class SimulatorBenchmarks
{
    private ServingSetup _setup = null!;
    private SimulationOptions _options = null!;

    /// <summary>Requests per run.</summary>
    [Params(1_000_000)]
    public int Requests { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _setup = BenchSetups.Llama8bOnH100();
        _options = new SimulationOptions(SchedulerConfig.Default, Slo.Default);
    }

    /// <summary>One open-loop run of <see cref="Requests"/> requests.</summary>
    [Benchmark]
    public SimulationResult OneReplicaOpenLoop()
    {
        var stream = new RequestGenerator(ArrivalProcess.Poisson(20), new FixedLength(512), new FixedLength(128), Seed: 42, MaxRequests: Requests);
        return ServingSimulator.Run(_setup, 1, stream, _options);
    }
}
