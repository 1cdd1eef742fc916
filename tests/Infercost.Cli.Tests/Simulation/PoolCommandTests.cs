using System.Text.Json;

namespace Infercost.Cli.Tests.Simulation;

// simulate --pool: more pools behind the run's one router (the --gpu/--gpus replicas are pool 1).
public sealed class PoolCommandTests
{
    private static readonly string[] Simulate = ["simulate", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "2", "--rate", "20", "--requests", "1500",
        "--input", "800", "--output", "200", "--router", "least-tokens"];

    [Fact]
    public void Pool_TextShowsEachPool_AndJsonCarriesThem()
    {
        var text = CliRunner.Run([.. Simulate, "--pool", "gpu=nvidia-a100-sxm-80gb,gpus=2,price=1.5"]);
        var json = CliRunner.Run([.. Simulate, "--pool", "gpu=nvidia-a100-sxm-80gb,gpus=2,price=1.5", "--json"]);

        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Contains("Pools (one router over all)", text.Console, StringComparison.Ordinal);
        Assert.Contains("2 of 1 × nvidia-a100-sxm-80gb (TP1)", text.Console, StringComparison.Ordinal);
        Assert.Contains("$3.00/h", text.Console, StringComparison.Ordinal); // the A100 pool at its own price
        using var doc = JsonDocument.Parse(json.Out);
        var pools = doc.RootElement.GetProperty("pools");
        Assert.Equal(2, pools.GetArrayLength());
        Assert.Equal("nvidia-h100-sxm", pools[0].GetProperty("accelerator").GetString());
        Assert.Equal("nvidia-a100-sxm-80gb", pools[1].GetProperty("accelerator").GetString());
        var completed = pools.EnumerateArray().Sum(p => p.GetProperty("result").GetProperty("completed").GetInt64());
        Assert.Equal(doc.RootElement.GetProperty("result").GetProperty("completed").GetInt64(), completed);
        Assert.Equal(4, doc.RootElement.GetProperty("result").GetProperty("replicas").GetInt32());
    }

    [Fact]
    public void PoolOfTheRunsOwnSetup_IsTheRunWithItsReplicasAdded()
    {
        // Two H100 replicas plus a pool of two more of the same kind: the run of four, figure for figure.
        var four = CliRunner.Run([.. Simulate.Select(a => a == "2" ? "4" : a), "--json"]);
        var split = CliRunner.Run([.. Simulate, "--pool", "gpus=2", "--json"]);

        Assert.True(split.ExitCode == 0, split.Error);
        using var a = JsonDocument.Parse(four.Out);
        using var b = JsonDocument.Parse(split.Out);
        Assert.Equal(a.RootElement.GetProperty("result").GetRawText(), b.RootElement.GetProperty("result").GetRawText());
    }

    [Theory]
    [InlineData("gpus=2,tp=0", "--pool 'gpus=2,tp=0': tp must be in [1, 1024]; was 0.")]
    [InlineData("gpus=2,colour=red", "--pool 'gpus=2,colour=red': unknown key 'colour'; the keys are gpu, gpus, replicas, tp, pp, ep, dp, weights, kv, price, role.")]
    [InlineData("gpus=2,replicas=3", "--pool 'gpus=2,replicas=3': replicas 3 disagrees with gpus 2")]
    [InlineData("gpu=nvidia-a100-sxm-40gb,gpus=1", "--pool 'gpu=nvidia-a100-sxm-40gb,gpus=1'")]
    public void BadPool_OneLineNamingPoolAndTheKey(string spec, string message)
    {
        var model = spec.Contains("40gb", StringComparison.Ordinal) ? "llama-3.1-70b" : "llama-3.1-8b";
        var run = CliRunner.Run(["simulate", "--model", model, "--gpu", "nvidia-h100-sxm", "--gpus", "4", "--rate", "1", "--pool", spec]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(message, Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--pool", "gpus=2,role=decode" }, "--pool 'gpus=2,role=decode': role=decode needs a role on every pool, and pool 1 (the request's own replicas) is combined; give it --role prefill or decode.")]
    [InlineData(new[] { "--role", "prefill", "--pool", "gpus=2,role=prefill" }, "--pool 'gpus=2,role=prefill': every pool is role=prefill; a fleet with roles needs at least one decode pool too.")]
    [InlineData(new[] { "--role", "decode", "--pool", "gpus=2,role=decode" }, "--pool 'gpus=2,role=decode': every pool is role=decode; a fleet with roles needs at least one prefill pool too.")]
    [InlineData(new[] { "--role", "prefill", "--pool", "gpus=2,role=decode", "--pool", "gpus=2" }, "--pool 'gpus=2': a pool with no role (combined) beside pools with roles; give it role=prefill or role=decode, or give no pool a role.")]
    [InlineData(new[] { "--role", "prefill", "--pool", "gpus=2,role=dec" }, "--pool 'gpus=2,role=dec': role must be one of combined, prefill, decode; was 'dec'.")]
    [InlineData(new[] { "--role", "pre", "--pool", "gpus=2,role=decode" }, "--role must be one of combined, prefill, decode; was 'pre'.")]
    [InlineData(new[] { "--role", "prefill" }, "--role prefill needs pools of the other role (--pool role=...); was given without --pool.")]
    [InlineData(new[] { "--role", "prefill", "--pool", "gpus=2,role=decode", "--mtbf", "1h" }, "--pool 'gpus=2,role=decode': prefill and decode roles are simulated with arrivals, without --mtbf yet; drop one.")]
    public void BadRoles_OneLineNamingPool_Exit2(string[] args, string message)
    {
        var run = CliRunner.Run([.. Simulate, .. args]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(message, Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void Roles_PrefillOnH100_DecodeOnA100_ShowEachPoolsRole()
    {
        var text = CliRunner.Run([.. Simulate, "--role", "prefill", "--pool", "gpu=nvidia-a100-sxm-80gb,gpus=2,price=1.5,role=decode"]);
        var json = CliRunner.Run([.. Simulate, "--role", "prefill", "--pool", "gpu=nvidia-a100-sxm-80gb,gpus=2,price=1.5,role=decode", "--json"]);

        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Contains("Pools (prefill and decode)", text.Console, StringComparison.Ordinal);
        Assert.Contains("prefill", text.Console, StringComparison.Ordinal);
        Assert.Contains("Handover, prefill end → KV cache on the decode replica: P50", text.Console, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 0, json.Error);
        using var doc = JsonDocument.Parse(json.Out);
        var pools = doc.RootElement.GetProperty("pools");
        Assert.Equal(["prefill", "decode"], pools.EnumerateArray().Select(p => p.GetProperty("role").GetString()));
        var fleet = doc.RootElement.GetProperty("result");
        Assert.Equal(1500, fleet.GetProperty("completed").GetInt64());
        Assert.Equal(1500, pools[0].GetProperty("result").GetProperty("arrived").GetInt64());
        Assert.Equal(1500, pools[1].GetProperty("result").GetProperty("completed").GetInt64()); // 200-token answers all end on the decode pool
        Assert.Equal(1500, doc.RootElement.GetProperty("handoff").GetProperty("count").GetInt64());
    }

    [Fact]
    public void RolesWithRuns_RunZeroIsTheSingleRun_HandoverIncluded()
    {
        string[] fleet = ["simulate", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "2", "--role", "prefill",
            "--pool", "gpu=nvidia-h200-sxm,gpus=2,role=decode", "--rate", "10", "--requests", "600", "--json"];
        var once = CliRunner.Run(fleet);
        var thrice = CliRunner.Run([.. fleet, "--runs", "3"]);

        Assert.True(thrice.ExitCode == 0, thrice.Error);
        using var single = System.Text.Json.JsonDocument.Parse(once.Out);
        using var repeated = System.Text.Json.JsonDocument.Parse(thrice.Out);
        foreach (var field in new[] { "result", "pools", "handoff" })
        {
            Assert.Equal(single.RootElement.GetProperty(field).GetRawText(), repeated.RootElement.GetProperty(field).GetRawText());
        }

        Assert.Equal(System.Text.Json.JsonValueKind.Object, repeated.RootElement.GetProperty("handoff").ValueKind);
    }

    [Fact]
    public void PoolWithRuns_RunZeroIsTheSingleRun_AndTheSpreadCoversEveryRun()
    {
        // Given a fleet of two pools, once and as three seed-runs
        var once = CliRunner.Run([.. Simulate, "--pool", "gpu=nvidia-a100-sxm-80gb,gpus=2", "--json"]);
        var thrice = CliRunner.Run([.. Simulate, "--pool", "gpu=nvidia-a100-sxm-80gb,gpus=2", "--runs", "3", "--json"]);

        Assert.True(once.ExitCode == 0, once.Error);
        Assert.True(thrice.ExitCode == 0, thrice.Error);
        using var single = System.Text.Json.JsonDocument.Parse(once.Out);
        using var repeated = System.Text.Json.JsonDocument.Parse(thrice.Out);

        // Then run 0 (the base seed) is the single run, fleet and pools alike, and the spread is over the three runs
        Assert.Equal(single.RootElement.GetProperty("result").GetRawText(), repeated.RootElement.GetProperty("result").GetRawText());
        Assert.Equal(single.RootElement.GetProperty("pools").GetRawText(), repeated.RootElement.GetProperty("pools").GetRawText());
        Assert.Equal(3, repeated.RootElement.GetProperty("spread").GetProperty("runs").GetInt32());
    }

    [Fact]
    public void RolesWithTrace_EveryRowIsPrefilledThenDecodedOnce()
    {
        // 300 Mooncake rows, 50 ms apart, through a prefill pool (prefix router, prefix cache) and a decode pool on A100s
        var rows = string.Join('\n', Enumerable.Range(0, 300).Select(i =>
            $"{{\"timestamp\": {i * 50}, \"input_length\": {1100 + i * 37 % 400}, \"output_length\": {20 + i * 13 % 200}, \"hash_ids\": [{i % 5}, {5 + i % 5}, {10 + i}]}}"));
        var files = new Dictionary<string, string> { ["t.jsonl"] = rows };
        var run = CliRunner.Run(files, ["simulate", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "2", "--trace", "t.jsonl", "--prefix-cache", "kv",
            "--router", "prefix", "--role", "prefill", "--pool", "gpu=nvidia-a100-sxm-80gb,gpus=2,role=decode", "--json"]);

        Assert.True(run.ExitCode == 0, run.Error);
        using var doc = JsonDocument.Parse(run.Out);
        var pools = doc.RootElement.GetProperty("pools");
        Assert.Equal(300, doc.RootElement.GetProperty("result").GetProperty("completed").GetInt64());
        Assert.Equal(300, pools[0].GetProperty("result").GetProperty("arrived").GetInt64());
        Assert.Equal(300, pools[1].GetProperty("result").GetProperty("completed").GetInt64());
        Assert.True(pools[0].GetProperty("result").GetProperty("prefixCache").GetProperty("blocksHit").GetInt64() > 0, "the prefill pool keeps the prefix cache");
    }

    [Fact]
    public void PoolWithTrace_OfTheRunsOwnSetup_IsTheTraceOnTheirReplicasTogether()
    {
        // The trace through 2 + 2 replicas of one setup is the trace through 4, figure for figure, with both pools reported.
        // 800 Mooncake rows, 40 ms apart, sharing leading blocks within groups of seven conversations.
        // (Mooncake's 512-token blocks: 1,100 to 2,499 prompt tokens are three to five blocks.)
        var rows = string.Join('\n', Enumerable.Range(0, 800).Select(i =>
        {
            var input = 1100 + i * 37 % 1400;
            var blocks = string.Join(", ", new[] { i % 7, 7 + i % 7 }.Concat(Enumerable.Range(0, (input + 511) / 512 - 2).Select(k => 14 + 5 * i + k)));
            return $"{{\"timestamp\": {i * 40}, \"input_length\": {input}, \"output_length\": {20 + i * 13 % 200}, \"hash_ids\": [{blocks}]}}";
        }));
        var files = new Dictionary<string, string> { ["t.jsonl"] = rows };
        string[] trace = ["simulate", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--trace", "t.jsonl", "--prefix-cache", "kv", "--router", "prefix", "--json"];
        var four = CliRunner.Run(files, [.. trace, "--gpus", "4"]);
        var split = CliRunner.Run(files, [.. trace, "--gpus", "2", "--pool", "gpus=2"]);

        Assert.True(split.ExitCode == 0, split.Error);
        using var a = JsonDocument.Parse(four.Out);
        using var b = JsonDocument.Parse(split.Out);
        Assert.Equal(a.RootElement.GetProperty("result").GetRawText(), b.RootElement.GetProperty("result").GetRawText());
        var pools = b.RootElement.GetProperty("pools");
        Assert.Equal(2, pools.GetArrayLength());
        Assert.Equal(800, pools.EnumerateArray().Sum(p => p.GetProperty("result").GetProperty("arrived").GetInt64()));
    }

    [Fact]
    public void PoolWithConcurrency_TheUsersShareEveryPool()
    {
        var run = CliRunner.Run(["simulate", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "2", "--concurrency", "48", "--requests", "600",
            "--input", "800", "--output", "200", "--router", "least-tokens", "--pool", "gpu=nvidia-a100-sxm-80gb,gpus=2,price=1.5", "--json"]);

        Assert.True(run.ExitCode == 0, run.Error);
        using var doc = JsonDocument.Parse(run.Out);
        Assert.Equal("closed loop, 48 users over every pool", doc.RootElement.GetProperty("arrivals").GetString());
        Assert.Equal(4, doc.RootElement.GetProperty("result").GetProperty("replicas").GetInt32());
        var completed = doc.RootElement.GetProperty("pools").EnumerateArray().Select(p => p.GetProperty("result").GetProperty("completed").GetInt64()).ToList();
        Assert.All(completed, c => Assert.True(c > 0));
        Assert.Equal(600, completed.Sum());
    }

    [Fact]
    public void PoolWithMtbf_EachPoolReportsItsFailures_SummingToTheFleets()
    {
        var run = CliRunner.Run([.. Simulate, "--pool", "gpu=nvidia-a100-sxm-80gb,gpus=2,price=1.5", "--mtbf", "1m", "--repair-time", "20s", "--json"]);

        Assert.True(run.ExitCode == 0, run.Error);
        using var doc = JsonDocument.Parse(run.Out);
        var fleet = doc.RootElement.GetProperty("result");
        var pools = doc.RootElement.GetProperty("pools").EnumerateArray().Select(p => p.GetProperty("result")).ToList();
        Assert.True(fleet.GetProperty("failures").GetProperty("failures").GetInt64() > 0);
        Assert.Equal(fleet.GetProperty("failures").GetProperty("failures").GetInt64(), pools.Sum(p => p.GetProperty("failures").GetProperty("failures").GetInt64()));
        Assert.Equal(1500, fleet.GetProperty("completed").GetInt64());
        Assert.All(pools, p => Assert.Equal(p.GetProperty("arrived").GetInt64(), p.GetProperty("completed").GetInt64()));
    }

    [Fact]
    public void PoolWithAutoscale_EachPoolReportsWhatItProvisioned()
    {
        var run = CliRunner.Run([.. Simulate, "--pool", "gpu=nvidia-a100-sxm-80gb,gpus=2,price=1.5", "--autoscale-min", "2", "--cold-start", "30s", "--json"]);

        Assert.True(run.ExitCode == 0, run.Error);
        using var doc = JsonDocument.Parse(run.Out);
        var fleet = doc.RootElement.GetProperty("result");
        var pools = doc.RootElement.GetProperty("pools").EnumerateArray().Select(p => p.GetProperty("result")).ToList();
        Assert.Equal(fleet.GetProperty("autoscale").GetProperty("provisionedReplicaSeconds").GetDouble(),
            pools.Sum(p => p.GetProperty("autoscale").GetProperty("provisionedReplicaSeconds").GetDouble()), 6);
        Assert.Equal(fleet.GetProperty("cost").GetDouble(), pools.Sum(p => p.GetProperty("cost").GetDouble()), 9);
        Assert.All(pools, p => Assert.True(p.GetProperty("autoscale").GetProperty("peakReplicas").GetInt32() >= 1)); // the minimum of 2 is one of each
    }

    [Fact]
    public void PoolWithMtbfAndWithAutoscale_TheTextShowsEachPoolsShare()
    {
        var failing = CliRunner.Run([.. Simulate, "--pool", "gpu=nvidia-a100-sxm-80gb,gpus=2,price=1.5", "--mtbf", "1m", "--repair-time", "20s"]);
        var scaling = CliRunner.Run([.. Simulate, "--pool", "gpu=nvidia-a100-sxm-80gb,gpus=2,price=1.5", "--autoscale-min", "2", "--cold-start", "30s"]);

        Assert.True(failing.ExitCode == 0, failing.Error);
        Assert.Contains("requests recomputed)", failing.Console, StringComparison.Ordinal);
        Assert.True(scaling.ExitCode == 0, scaling.Error);
        Assert.Contains("Replicas paid (mean, peak)", scaling.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void PoolWithAutoscaleMinAboveTheFleet_IsRefusedWithTheFleetsSize()
    {
        var run = CliRunner.Run([.. Simulate, "--pool", "gpus=2", "--autoscale-min", "5"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("autoscale-min must be in [0, 4]", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }
}
