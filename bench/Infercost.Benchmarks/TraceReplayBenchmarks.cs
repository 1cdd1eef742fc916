using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Infercost.Serving;
using Infercost.Simulation;
using Infercost.Simulation.Traces;

namespace Infercost.Benchmarks;

/// <summary>Replaying the Mooncake FAST'25 conversation trace (12,031 requests over an hour, mean prompt 12,035 tokens,
/// 36.6% of prompt blocks reused) through the simulator: parse every line, find prefix-cache hits from the block
/// hashes (LRU over each replica's KV pool), and run the fleet step by step. Llama 3.1 8B on replicas of one H100.</summary>
/// <remarks>Target: ≤ 0.2 s per replay. The trace's lines are read into memory once in setup, so disk reads are not
/// timed; parsing is. Run: dotnet run -c Release --project bench/Infercost.Benchmarks -- --filter '*TraceReplay*'</remarks>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class TraceReplayBenchmarks
{
    private string[] _lines = [];
    private ServingSetup _setup = null!;
    private SimulationOptions _options = null!;

    /// <summary>Replicas (one H100 each).</summary>
    [Params(4, 8)]
    public int Replicas { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var path = Path.Combine(Root(), "data", "traces", "mooncake-fast25-conversation.jsonl");
        _lines = File.ReadAllLines(path);
        _setup = BenchSetups.Llama8bOnH100();
        _options = new SimulationOptions(SchedulerConfig.Default, Slo.Default, PrefixCache: PrefixCacheSpec.OfKvPool);
    }

    /// <summary>Parse, replay and simulate the whole trace.</summary>
    [Benchmark]
    public SimulationResult MooncakeConversation()
    {
        var requests = TraceReplay.Whole.Requests(TraceReader.Read(_lines, TraceFormat.Mooncake, BadLinePolicy.Fail));
        return ServingSimulator.Run(_setup, Replicas, requests, _options);
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Infercost.slnx"))) return dir.FullName;
        }

        throw new DirectoryNotFoundException("Infercost.slnx not found above " + AppContext.BaseDirectory);
    }
}
