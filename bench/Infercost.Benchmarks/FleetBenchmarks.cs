using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Infercost.Serving;
using Infercost.Simulation;

namespace Infercost.Benchmarks;

/// <summary>Fleet scale (issue 14): one million requests over 10,000 replicas (Llama 3.1 8B on one H100 each, Poisson
/// arrivals at 20 req/s per replica, 200,000 req/s in all, 512-token prompts, 128-token answers: each replica carries
/// the load <see cref="SimulatorBenchmarks"/> puts on one), with each router. Before the indexed pool every arrival
/// advanced and scanned every replica, so this run cost 10^10 replica visits.</summary>
/// <remarks>Target: ≤ 5 s on one core. Run:
/// dotnet run -c Release --project bench/Infercost.Benchmarks -- --filter '*FleetBenchmarks*' --job short</remarks>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class FleetBenchmarks
{
    private ServingSetup _setup = null!;

    /// <summary>Replicas in the fleet.</summary>
    [Params(10_000)]
    public int Replicas { get; set; }

    /// <summary>The router.</summary>
    [Params(RouterPolicy.LeastRequests, RouterPolicy.PowerOfTwo, RouterPolicy.RoundRobin)]
    public RouterPolicy Router { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _setup = BenchSetups.Llama8bOnH100();
    }

    /// <summary>One open-loop run of one million requests.</summary>
    [Benchmark]
    public SimulationResult MillionRequests()
    {
        var stream = new RequestGenerator(ArrivalProcess.Poisson(20.0 * Replicas), new FixedLength(512), new FixedLength(128), Seed: 42, MaxRequests: 1_000_000);
        return ServingSimulator.Run(_setup, Replicas, stream, new SimulationOptions(SchedulerConfig.Default, Slo.Default, Router: Router));
    }
}

/// <summary>Heterogeneous pools (<see cref="ServingSimulator.RunFleet"/>): the <see cref="FleetBenchmarks"/> load over a
/// fleet of half H100 and half A100 80GB replicas, least-tokens weighted by decode rate, against the same number of
/// H100 replicas in one pool. Per arrival both cost O(log R): one queue, one tree; the weights only change a comparison.</summary>
/// <remarks>Run: dotnet run -c Release --project bench/Infercost.Benchmarks -- --filter '*MixedFleetBenchmarks*'</remarks>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class MixedFleetBenchmarks
{
    private ServingSetup _h100 = null!, _a100 = null!, _l40s = null!;

    /// <summary>Replicas in the fleet (half in each pool when mixed).</summary>
    [Params(2_000)]
    public int Replicas { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _h100 = BenchSetups.Llama8bOnH100();
        _a100 = BenchSetups.Llama8bOnA100();
        _l40s = BenchSetups.Llama8bOnL40s();
    }

    private RequestGenerator Stream() =>
        new(ArrivalProcess.Poisson(10.0 * Replicas), new FixedLength(512), new FixedLength(128), Seed: 42, MaxRequests: 300_000);

    private static SimulationOptions Options => new(SchedulerConfig.Default, Slo.Default, Router: RouterPolicy.LeastTokens);

    /// <summary>One pool of H100 replicas.</summary>
    [Benchmark(Baseline = true)]
    public SimulationResult OnePool() => ServingSimulator.Run(_h100, Replicas, Stream(), Options);

    /// <summary>Half H100, half A100, one router.</summary>
    [Benchmark]
    public FleetResult TwoPools() => ServingSimulator.RunFleet(
        [new FleetPool("h100", _h100, Replicas / 2), new FleetPool("a100", _a100, Replicas - Replicas / 2)], Stream(), Options);

    /// <summary>Half H100, half L40S: unequal KV caches, so every arrival is classed per pool (KV-aware routing).</summary>
    [Benchmark]
    public FleetResult TwoPoolsUnequalCaches() => ServingSimulator.RunFleet(
        [new FleetPool("h100", _h100, Replicas / 2), new FleetPool("l40s", _l40s, Replicas - Replicas / 2)], Stream(), Options);

    /// <summary>Half H100 prefill, half A100 decode behind one router (prefill and decode roles).</summary>
    [Benchmark]
    public FleetResult PrefillAndDecodePools() => ServingSimulator.RunFleet(
        [new FleetPool("h100", _h100, Replicas / 2, Role: ReplicaRole.Prefill), new FleetPool("a100", _a100, Replicas - Replicas / 2, Role: ReplicaRole.Decode)],
        Stream(), Options);
}

/// <summary>Independent runs on all cores (<see cref="ParallelRuns"/>): eight seeds of 100,000 requests through one
/// replica (the <see cref="SimulatorBenchmarks"/> workload), one thread against all of them.</summary>
/// <remarks>Run: dotnet run -c Release --project bench/Infercost.Benchmarks -- --filter '*ParallelRunsBenchmarks*' --job short</remarks>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class ParallelRunsBenchmarks
{
    private ServingSetup _setup = null!;

    /// <summary>Threads: 1, or 0 for one per core.</summary>
    [Params(1, 0)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _setup = BenchSetups.Llama8bOnH100();
    }

    /// <summary>Eight seeded runs.</summary>
    [Benchmark]
    public SimulationResult[] EightSeeds() => ParallelRuns.Run(8, 42, (_, seed) => ServingSimulator.Run(_setup, 1,
        new RequestGenerator(ArrivalProcess.Poisson(20), new FixedLength(512), new FixedLength(128), seed, 100_000), SimulationOptions.Default), Threads == 0 ? null : Threads);
}
