using System.Text.Json;

namespace Infercost.Cli.Tests.Simulation;

public sealed class TraceCommandTests
{
    private static readonly string[] Simulate = ["simulate", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "2"];

    private const string Mooncake = """
        {"timestamp": 0, "input_length": 1000, "output_length": 20, "hash_ids": [0, 1]}
        {"timestamp": 500, "input_length": 1500, "output_length": 30, "hash_ids": [0, 1, 2]}
        {"timestamp": 900, "input_length": 600, "output_length": 10, "hash_ids": [3, 4]}
        {"timestamp": 1500, "input_length": 2000, "output_length": 15, "hash_ids": [0, 1, 2, 5]}
        """;

    private const string Azure = """
        TIMESTAMP,ContextTokens,GeneratedTokens
        2023-11-16 18:17:03.9799600,4808,10
        2023-11-16 18:17:04.0319600,3180,8
        2023-11-16 18:17:04.0781490,110,27
        2023-11-16 18:17:04.1206440,7433,14
        """;

    private static CliRun Run(string text, params string[] args) =>
        CliRunner.Run(new Dictionary<string, string> { ["t.jsonl"] = text }, [.. Simulate, "--trace", "t.jsonl", .. args]);

    [Fact]
    public void SimulateTrace_WithBands_ReplaysTheTraceAtBothEngineSpeeds()
    {
        // Given 400 requests at 40 per second (25 ms apart) onto two H100s: a queue at the slow end, none at the fast
        var lines = string.Join('\n', Enumerable.Range(0, 400).Select(i => $"{{\"timestamp\": {i * 25}, \"input_length\": 1200, \"output_length\": 120, \"hash_ids\": [{3 * i}, {(3 * i) + 1}, {(3 * i) + 2}]}}"));

        var run = Run(lines, "--bands", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var bands = json.RootElement.GetProperty("bands");
        var ttft = bands.GetProperty("ttftP90");
        var (value, p10, p90) = (ttft.GetProperty("value").GetDouble(), ttft.GetProperty("p10").GetDouble(), ttft.GetProperty("p90").GetDouble());
        Assert.True(p10 <= value && value < p90, $"{p10} {value} {p90}");
        // Every request of the trace is served in each run; the band is the calibrated one for what the run extrapolates.
        Assert.Equal(400, json.RootElement.GetProperty("result").GetProperty("completed").GetInt64());
        Assert.Contains("engine", bands.GetProperty("speed").GetProperty("basis").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void SimulateTrace_Mooncake_ReplaysEveryRequestWithPrefixHits()
    {
        // Given four requests whose blocks repeat: 2 of 3, then 3 of 4 blocks seen before (5 of 11 in all, one replica)
        var run = CliRunner.Run(new Dictionary<string, string> { ["t.jsonl"] = Mooncake },
            ["simulate", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "1", "--trace", "t.jsonl", "--prefix-cache", "unbounded", "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var result = json.RootElement.GetProperty("result");
        Assert.Equal(4, result.GetProperty("completed").GetInt64());
        Assert.Equal(5, result.GetProperty("prefixCache").GetProperty("blocksHit").GetInt64());
        Assert.Equal(11, result.GetProperty("prefixCache").GetProperty("blocksLookedUp").GetInt64());
        Assert.StartsWith("trace t.jsonl (Mooncake), 4 requests", json.RootElement.GetProperty("arrivals").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void SimulateTrace_Azure_TableShowsTheTraceAndItsLengths()
    {
        var run = Run(Azure, "--trace-speed", "2");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.Contains("trace t.jsonl (Azure), 4 requests, 2× speed", run.Console, StringComparison.Ordinal);
        Assert.Contains("4 completed of 4", run.Console, StringComparison.Ordinal);
        Assert.Contains("from the trace (mean 3,883)", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void SimulateTrace_BadLine_OneLineWithItsNumberAndExit2()
    {
        var bad = Azure.Replace("3180,8", "-3180,8", StringComparison.Ordinal);

        var run = Run(bad);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("--trace line 3: ContextTokens must be in [1, 10000000]; was -3180. (--trace-bad skip skips bad lines)", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void SimulateTrace_BadLineSkipped_RunsTheRestAndSaysSo()
    {
        var bad = Azure.Replace("3180,8", "-3180,8", StringComparison.Ordinal);

        var run = Run(bad, "--trace-bad", "skip");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("3 completed of 3", run.Console, StringComparison.Ordinal);
        Assert.Contains("Skipped 1 bad line of the trace; first: line 3: ContextTokens", run.Console, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--rate", "3")]
    [InlineData("--concurrency", "4")]
    public void SimulateTrace_WithGeneratedArrivals_IsRejected(string flag, string value)
    {
        var run = Run(Azure, flag, value);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("--trace gives the arrivals and lengths", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void SimulateTrace_KvOffload_FindsEvictedBlocksBelowHbm_AndSaysWhatAReloadCosts()
    {
        // Given the four requests on one replica whose HBM prefix cache holds one block, over a host tier:
        // request 2 finds block 1 in HBM and block 0 (evicted by 1) in the tier; request 4 finds 0, 1 and 2 in the tier
        var run = CliRunner.Run(new Dictionary<string, string> { ["t.jsonl"] = Mooncake },
            ["simulate", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "1", "--trace", "t.jsonl", "--prefix-cache", "1",
             "--kv-offload", "1TB@50GB/s", "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var cache = json.RootElement.GetProperty("result").GetProperty("prefixCache");
        Assert.Equal(5, cache.GetProperty("blocksHit").GetInt64());
        var tier = Assert.Single(cache.GetProperty("offload").EnumerateArray().ToList());
        Assert.Equal(4, tier.GetProperty("blocksHit").GetInt64());
        Assert.Equal(4 * 131_072.0 * 512 / 50e9, tier.GetProperty("loadSeconds").GetDouble(), 12);
        Assert.Contains(json.RootElement.GetProperty("notes").EnumerateArray(), n => n.GetString()!.StartsWith(
            "KV offload tier 1: reloading a 512-token block takes 1.34 ms per device (67.11 MB at 50 GB/s), faster than recomputing it", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--kv-offload", "1TB", "kv-offload tier 1 must be SIZE@BANDWIDTH such as 1TB@50GB/s; was '1TB'.")]
    [InlineData("--kv-offload", "1TB@fast", "kv-offload tier 1 must be SIZE@BANDWIDTH such as 1TB@50GB/s; was '1TB@fast'.")]
    [InlineData("--kv-offload", "1TB@50GB/s,2TB@0.0000001GB/s", "kv-offload bandwidth must be in [0.001, 10000] GB/s; was 1E-07 GB/s.")]
    [InlineData("--kv-offload", "1KB@50GB/s", "kv-offload capacity must be in [1MB, 1000TB]; was 1000 bytes.")]
    public void SimulateTrace_BadKvOffload_OneLine(string flag, string value, string message)
    {
        var run = Run(Mooncake, flag, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(message, Assert.Single(run.ErrorLines));
    }

    private static readonly string[] Sessions = ["simulate", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "8",
        "--rate", "4", "--requests", "2000", "--input", "600", "--output", "300", "--turns", "6", "--think-time", "60s"];

    [Fact]
    public void SimulateSessions_PrefixCache_DecidesTheHits_AndSessionRoutingRaisesThem()
    {
        // Given sessions on eight replicas whose follow-ups are looked up in each replica's cache (16-token blocks)
        double CachedShare(params string[] args)
        {
            var run = CliRunner.Run([.. Sessions, .. args, "--json"]);
            Assert.True(run.ExitCode == 0, run.Error);
            using var json = JsonDocument.Parse(run.Out);
            var result = json.RootElement.GetProperty("result");
            Assert.Equal(16, result.GetProperty("prefixCache").GetProperty("blockTokens").GetInt32());
            Assert.EndsWith("follow-up hits from each replica's prefix cache (16-token blocks)", json.RootElement.GetProperty("arrivals").GetString(), StringComparison.Ordinal);
            return result.GetProperty("cachedPromptTokens").GetDouble() / result.GetProperty("promptTokens").GetDouble();
        }

        // Then sending a session's turns to one replica finds more of them cached than spreading them by load
        var spread = CachedShare("--prefix-cache", "kv");
        var affine = CachedShare("--prefix-cache", "kv", "--router", "session");
        Assert.True(affine > spread + 0.2, $"session {affine} vs least-requests {spread}");
    }

    [Theory]
    [InlineData(new[] { "--prefix-cache", "kv", "--prefix-hit", "0.5" }, "--prefix-hit is a fixed hit probability; --prefix-cache lets the cache decide the hit. Use one.")]
    [InlineData(new[] { "--kv-offload", "1TB@50GB/s" }, "--kv-offload shapes the prefix cache; add --prefix-cache, or drop it.")]
    [InlineData(new[] { "--prefix-cache", "0" }, "--prefix-cache must be in [1, 10000000000] blocks; was 0.")]
    public void SimulateSessions_BadPrefixCache_OneLine(string[] args, string message)
    {
        var run = CliRunner.Run([.. Sessions, .. args]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(message, Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void Simulate_PrefixCacheWithoutTraceOrTurns_SaysWhatItAppliesTo()
    {
        var run = CliRunner.Run([.. Simulate, "--rate", "1", "--prefix-cache", "kv"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("--prefix-cache applies to a trace replay or to sessions; add --trace FILE or --turns N.", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void SimulateTrace_KvOffloadOverAnUnboundedCache_IsRefused()
    {
        var run = Run(Mooncake, "--prefix-cache", "unbounded", "--kv-offload", "1TB@50GB/s");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("kv-offload needs a bounded prefix cache", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--trace-window", "5m..1m", "traceWindow must end after it starts; was 300 s to 60 s.")]
    [InlineData("--prefix-cache", "lots", "prefix-cache must be kv, unbounded, off, a block count or a size such as 200GB; was 'lots'.")]
    [InlineData("--trace-format", "parquet", "trace-format must be auto, azure, mooncake or burstgpt; was 'parquet'.")]
    public void SimulateTrace_BadOption_OneLine(string flag, string value, string message)
    {
        var run = Run(Mooncake, flag, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(message, Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void SimulateTrace_MissingFile_OneLine()
    {
        var run = CliRunner.Run([.. Simulate, "--trace", "nowhere.csv"]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("cannot read --trace file 'nowhere.csv'", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void PlanTrace_SizesForTheTracesRateAndLengths()
    {
        var run = CliRunner.Run(new Dictionary<string, string> { ["t.jsonl"] = Mooncake },
            ["plan", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--trace", "t.jsonl", "--max-gpus-per-replica", "1", "--trial-time", "10"]);

        Assert.Equal(0, run.ExitCode);
        // 3 gaps over 1.5 s: 2 req/s
        Assert.Contains("at 2.00 req/s peak", run.Console, StringComparison.Ordinal);
        Assert.Contains("Workload from the trace: 4 requests", run.Console, StringComparison.Ordinal);
        Assert.Contains("45.5% of prompt blocks repeat", run.Console, StringComparison.Ordinal);
    }
}
