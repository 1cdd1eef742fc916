using System.Text.Json;

namespace Infercost.Cli.Tests.Simulation;

public sealed class SimulationCommandTests
{
    private static readonly string[] Simulate = ["simulate", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "1"];
    private static readonly string[] Plan = ["plan", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm"];
    private static readonly string[] Frontier = ["frontier", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "1"];

    [Theory]
    [InlineData("simulate")]
    [InlineData("plan")]
    [InlineData("frontier")]
    public void Help_EachCommand_ShowsAnExample(string command)
    {
        var run = CliRunner.Run(command, "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Example", run.Out, StringComparison.Ordinal);
        Assert.Contains("infercost " + command, run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_SmallRun_RendersLatencyThroughputAndCost()
    {
        var run = CliRunner.Run([.. Simulate, "--rate", "4", "--requests", "300", "--input", "500", "--output", "100", "--slo-ttft", "2s", "--slo-tpot", "50ms"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        foreach (var title in new[] { "Simulation", "Latency", "Throughput and SLO", "Cost (idle time included)", "Over time" }) Assert.Contains(title, run.Console);
        Assert.Contains("300 completed of 300", run.Console);
        Assert.Matches(@"\$/MTok output\s+│ \$[0-9.,]+/MTok", run.Console);
    }

    [Fact]
    public void Simulate_Json_CarriesPercentilesAndIsReproducible()
    {
        string[] args = [.. Simulate, "--rate", "3", "--requests", "200", "--input-dist", "lognormal:400:1", "--output-dist", "lognormal:100:0.7", "--turns", "3", "--seed", "5", "--json"];

        var first = CliRunner.Run(args);
        var second = CliRunner.Run(args);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Out, second.Out);
        using var json = JsonDocument.Parse(first.Out);
        var result = json.RootElement.GetProperty("result");
        Assert.Equal(200, result.GetProperty("completed").GetInt64());
        var ttft = result.GetProperty("timeToFirstToken");
        Assert.True(ttft.GetProperty("p90").GetDouble() >= ttft.GetProperty("p50").GetDouble());
        Assert.True(result.GetProperty("cachedPromptTokens").GetDouble() > 0);
    }

    [Fact]
    public void Simulate_Bands_PrintsEachFigureBetweenItsP10AndP90()
    {
        var text = CliRunner.Run([.. Simulate, "--concurrency", "8", "--requests", "32", "--input", "500", "--output", "100", "--bands"]);
        var json = CliRunner.Run([.. Simulate, "--concurrency", "8", "--requests", "32", "--input", "500", "--output", "100", "--bands", "--json"]);

        Assert.Equal(0, text.ExitCode);
        Assert.Equal("", text.Error);
        Assert.Contains("P10–P90 (engine speed", text.Console, StringComparison.Ordinal);
        Assert.Matches(@"Wall time\s+│ [0-9.]+ (ms|s)\s+│ [0-9.]+ (ms|s)\s+│ [0-9.]+ (ms|s)", text.Console);
        using var doc = JsonDocument.Parse(json.Out);
        var bands = doc.RootElement.GetProperty("bands");
        var wall = bands.GetProperty("wallTime");
        Assert.Equal(doc.RootElement.GetProperty("result").GetProperty("wallTime").GetDouble(), wall.GetProperty("value").GetDouble());
        // A closed loop stretches exactly: the slow end is the run at the band's low speed ratio.
        Assert.Equal(wall.GetProperty("value").GetDouble() / bands.GetProperty("speed").GetProperty("low").GetDouble(), wall.GetProperty("p90").GetDouble(), 1e-9);
    }

    [Fact]
    public void Simulate_ClosedLoop_RunsAtAFixedConcurrency()
    {
        var run = CliRunner.Run([.. Simulate, "--concurrency", "16", "--requests", "100", "--input", "200", "--output", "50", "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("closed loop, 16 users", json.RootElement.GetProperty("arrivals").GetString());
    }

    [Fact]
    public void Simulate_RateCurveFile_IsRead()
    {
        var csv = "hour,rate\n" + string.Join('\n', Enumerable.Range(0, 24).Select(h => $"{h},{(h < 12 ? 0.5 : 1)}"));
        var run = CliRunner.Run(new Dictionary<string, string> { ["day.csv"] = csv },
            [.. Simulate, "--rate-curve", "day.csv", "--requests", "100", "--input", "100", "--output", "20", "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Contains("day curve peaking at 1.00 req/s", json.RootElement.GetProperty("arrivals").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_SmallRun_FindsAFleetAndPricesTheDay()
    {
        var run = CliRunner.Run([.. Plan, "--rate", "5", "--input", "500", "--output", "100", "--max-gpus-per-replica", "2", "--trial-time", "20s", "--diurnal"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        foreach (var title in new[] { "Plan: llama-3.1-8b", "Replica sizes tried", "A day of serving", "Autoscaled fleet" }) Assert.Contains(title, run.Console);
        Assert.Contains("1 replica of 1 × nvidia-h100-sxm (TP1) = 1 GPUs", run.Console);
        Assert.Contains("Static estimate", run.Console);
    }

    [Fact]
    public void Plan_Bands_TablesTheFleetAtBothEngineSpeeds()
    {
        var run = CliRunner.Run([.. Plan, "--rate", "30", "--input", "1000", "--output", "200", "--max-gpus-per-replica", "1", "--trial-time", "30s", "--bands"]);
        var json = CliRunner.Run([.. Plan, "--rate", "30", "--input", "1000", "--output", "200", "--max-gpus-per-replica", "1", "--trial-time", "30s", "--bands", "--json"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("The plan at the band's engine speeds", run.Console, StringComparison.Ordinal);
        Assert.Contains("extrapolating:", run.Console, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json.Out);
        var bands = doc.RootElement.GetProperty("bands");
        var devices = doc.RootElement.GetProperty("plan").GetProperty("devices").GetInt32();
        Assert.True(bands.GetProperty("slow").GetProperty("devices").GetInt32() > devices);
        Assert.True(bands.GetProperty("fast").GetProperty("devices").GetInt32() <= devices);
    }

    [Fact]
    public void Plan_DisaggregatedBands_TablesBothPoolsAtBothEngineSpeeds()
    {
        string[] args = [.. Plan, "--rate", "60", "--input", "1000", "--output", "200", "--max-gpus-per-replica", "1", "--trial-time", "20s", "--disaggregated", "--bands"];
        var run = CliRunner.Run(args);
        var json = CliRunner.Run([.. args, "--json"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.Contains("The split plan at the band's engine speeds", run.Console, StringComparison.Ordinal);
        Assert.Contains("extrapolating: vLLM", run.Console, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json.Out);
        var bands = doc.RootElement.GetProperty("bands");
        var split = doc.RootElement.GetProperty("disaggregated");
        Assert.Contains($"{split.GetProperty("prefillReplicas").GetInt32()} prefill replicas + {split.GetProperty("decodeReplicas").GetInt32()} decode replica",
            run.Console, StringComparison.Ordinal);
        Assert.True(bands.GetProperty("slow").GetProperty("devices").GetInt32() > split.GetProperty("devices").GetInt32());
        Assert.True(bands.GetProperty("fast").GetProperty("devices").GetInt32() <= split.GetProperty("devices").GetInt32());
        Assert.Equal("engine", doc.RootElement.GetProperty("extrapolating")[0].GetProperty("dimension").GetString());
    }

    [Fact]
    public void Plan_Json_ShowsOneFewerMissingTheSlo()
    {
        var run = CliRunner.Run([.. Plan, "--rate", "40", "--input", "1000", "--output", "200", "--max-gpus-per-replica", "1", "--trial-time", "30s", "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var plan = json.RootElement.GetProperty("plan");
        Assert.True(plan.GetProperty("replicas").GetInt32() >= 2);
        Assert.True(plan.GetProperty("atPeak").GetProperty("meetsSloAtP90").GetBoolean());
        Assert.False(plan.GetProperty("oneFewer").GetProperty("meetsSloAtP90").GetBoolean());
    }

    [Fact]
    public void Plan_AMillionRequestsPerSecond_IsAFleetCheckCallsPossible()
    {
        // Given a plan at 1,000,000 req/s of 200-token prompts and 50-token answers
        var run = CliRunner.Run([.. Plan, "--rate", "1000000", "--input", "200", "--output", "50", "--max-gpus-per-replica", "1", "--json"]);
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var devices = json.RootElement.GetProperty("plan").GetProperty("devices").GetInt32();

        // When check is asked whether that many GPUs can decode 50 tokens for each of those requests
        var check = CliRunner.Run("check", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", devices.ToString(System.Globalization.CultureInfo.InvariantCulture), "--decode-tps", "5e7");

        // Then the physics bound does not call the plan impossible
        Assert.Equal(0, check.ExitCode);
        Assert.Contains("POSSIBLE", check.Console, StringComparison.Ordinal);
        Assert.DoesNotContain("IMPOSSIBLE", check.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_Disaggregated_TablesThePoolsAgainstTheAggregatedPlan()
    {
        var run = CliRunner.Run([.. Plan, "--rate", "40", "--input", "1000", "--output", "400", "--slo-tpot", "20ms", "--max-gpus-per-replica", "1", "--trial-time", "30s", "--disaggregated"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        foreach (var title in new[] { "Disaggregated plan: llama-3.1-8b", "Prefill pool", "Decode pool", "One prefill replica fewer", "One decode replica fewer", "Disaggregated against aggregated" })
        {
            Assert.Contains(title, run.Console);
        }

        Assert.Contains("misses the SLO", run.Console);
        Assert.DoesNotContain("meets the SLO", run.Console);
    }

    [Fact]
    public void Plan_DisaggregatedJson_CarriesBothPlansAndMinimalPools()
    {
        var run = CliRunner.Run([.. Plan, "--rate", "40", "--input", "1000", "--output", "400", "--slo-tpot", "20ms", "--max-gpus-per-replica", "1", "--trial-time", "30s",
            "--disaggregated", "--prefill-gpus-per-replica", "1", "--decode-gpus-per-replica", "1", "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var split = json.RootElement.GetProperty("disaggregated");
        var devices = split.GetProperty("prefillReplicas").GetInt32() + split.GetProperty("decodeReplicas").GetInt32();
        Assert.Equal(devices, split.GetProperty("devices").GetInt32());
        Assert.True(split.GetProperty("atPeak").GetProperty("fleet").GetProperty("meetsSloAtP90").GetBoolean());
        Assert.False(split.GetProperty("oneDecodeFewer").GetProperty("fleet").GetProperty("meetsSloAtP90").GetBoolean());
        Assert.True(split.GetProperty("atPeak").GetProperty("handoff").GetProperty("count").GetInt64() > 0);
        Assert.True(json.RootElement.GetProperty("aggregated").GetProperty("devices").GetInt32() >= 2);
    }

    [Fact]
    public void Frontier_EachPointHasItsBand_AndTheLineSaysWhichLieOutsideTheCalibratedRegime()
    {
        var (run, doc) = BandedTables.Run([.. Frontier, "--concurrency", "1,64", "--input", "500", "--output", "100"]);
        using var _ = doc;

        Assert.Contains("P10–P90", run.Console, StringComparison.Ordinal);
        Assert.Contains("extrapolating: vLLM, decode batch outside the calibrated 9–2048 at users 1;", run.Console, StringComparison.Ordinal);
        var points = doc.RootElement.GetProperty("frontier").GetProperty("points");
        var bands = doc.RootElement.GetProperty("bands");
        Assert.Equal(points.GetArrayLength(), bands.GetArrayLength());
        for (var i = 0; i < bands.GetArrayLength(); i++)
        {
            var (value, band) = (points[i].GetProperty("outputPerGpu").GetDouble(), bands[i].GetProperty("outputPerGpu"));
            var speed = bands[i].GetProperty("speed");
            Assert.Equal(value * speed.GetProperty("low").GetDouble(), band.GetProperty("p10").GetDouble(), 1e-9 * value);
            Assert.Equal(value * speed.GetProperty("high").GetDouble(), band.GetProperty("p90").GetDouble(), 1e-9 * value);
            BandedTables.ShowsRange(run.Console, band.GetProperty("p10").GetDouble(), band.GetProperty("p90").GetDouble());
        }
    }

    [Fact]
    public void Frontier_SmallRun_TabulatesEachConcurrency()
    {
        var run = CliRunner.Run([.. Frontier, "--concurrency", "1,8,32", "--input", "500", "--output", "100", "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var points = json.RootElement.GetProperty("frontier").GetProperty("points").EnumerateArray().ToList();
        Assert.Equal([1, 8, 32], points.Select(p => p.GetProperty("concurrency").GetInt32()));
        // More users: more throughput per GPU, fewer tokens per second for each user
        Assert.True(points[2].GetProperty("outputPerGpu").GetDouble() > points[0].GetProperty("outputPerGpu").GetDouble());
        Assert.True(points[2].GetProperty("perUser").GetDouble() < points[0].GetProperty("perUser").GetDouble());
    }

    [Fact]
    public void Frontier_Table_RendersARowPerLevel()
    {
        var run = CliRunner.Run([.. Frontier, "--concurrency", "1,4", "--input", "200", "--output", "50"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Throughput vs interactivity", run.Console);
        Assert.Contains("tok/s/user", run.Console);
    }

    public static TheoryData<string, string> OneLineFailures => new()
    {
        { "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --requests 10", "rate is required" },
        { "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --rate 0", "rate must be in [1E-06, 1E+06]; was 0." },
        { "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --rate 1 --slo-tpot fast", "slo-tpot must be a duration such as 2s, 50ms or 1.5 (seconds); was 'fast'." },
        { "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --rate 1 --requests 0", "requests must be in [1, 100000000]; was 0." },
        { "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --rate 1 --input-dist normal:3", "input-dist must be N or lognormal:MEDIAN:SIGMA[:MAX]; was 'normal:3'." },
        { "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --rate 1 --arrival uniform", "arrival must be poisson or gamma; was 'uniform'." },
        { "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --rate 1 --prefix-hit 2", "prefix-hit must be in [0, 1]; was 2." },
        { "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --rate-curve none.csv", "cannot read --rate-curve file 'none.csv'" },
        { "plan --model llama-3.1-8b --gpu nvidia-h100-sxm --rate -1", "rate must be in [1E-06, 1E+06]; was -1." },
        { "plan --model llama-3.1-8b --gpu nvidia-h100-sxm --rate 1 --slo-ttft 1ms --max-gpus-per-replica 1", "no layout of up to 1 nvidia-h100-sxm per replica meets the SLO" },
        { "plan --model llama-3.1-8b --gpu nvidia-h100-sxm --rate 4 --disaggregated --decode-gpus-per-replica 0", "decode-gpus-per-replica must be in [1, 1024]; was 0." },
        { "plan --model llama-3.1-8b --gpu nvidia-h100-sxm --rate 4 --prefill-gpus-per-replica 2", "add --disaggregated" },
        { "plan --model llama-3.1-8b --gpu nvidia-h100-sxm --rate 1 --slo-ttft 1ms --disaggregated --prefill-gpus-per-replica 1 --decode-gpus-per-replica 1", "no disaggregated fleet meets the SLO" },
        { "frontier --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --concurrency 0", "concurrency must be in [1, 1000000]; was 0." },
        // A distribution no request of which fits is the same error as the fixed length: not a run of rejections
        { "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --rate 1 --requests 10 --output 10000000", "Not even one sequence fits" },
        { "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --rate 1 --requests 10 --output-dist 10000000", "Not even one sequence fits" },
        { "frontier --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --output-dist 10000000", "Not even one sequence fits" },
        // Work is bounded up front, with the figure and the limit
        { "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --rate 1 --requests 100000000", "--requests 100000000 means about 100,000,000 requests × 1000 output tokens = 100 billion tokens to simulate; one run simulates at most 2 billion" },
        { "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --concurrency 64 --requests 100000000", "one run simulates at most 2 billion" },
        { "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --rate 1000 --duration 24h", "--duration 24h at this rate means about" },
        { "frontier --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --concurrency 1000000", "one run simulates at most 2 billion" },
        // --bands runs three simulations: its budget is three runs', and it is not combined with seed runs
        { "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 8 --rate 100 --requests 2500000 --output 400 --bands", "--bands (three runs of 2.50 M requests) means about 7,500,000 requests" },
    };

    [Theory]
    [MemberData(nameof(OneLineFailures))]
    public void InvalidInput_ExitsTwoWithOneLine(string args, string expected)
    {
        var run = CliRunner.Run(args.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }
}
