using Infercost.Serialization;
using Infercost.Serving;
using Infercost.Simulation;
using Xunit;

namespace Infercost.Tests.Simulation;

// A disaggregated fleet at low load must reproduce the step-time model plus the network: one request's TTFT is its
// prefill step on a prefill replica plus the transfer of its KV cache; its TPOT is the decode pool's single-sequence step.
public sealed class DisaggregatedSimulationTests
{
    private static readonly ServingSetup Setup = SimulationFixtures.Llama8BOnH100;
    private static readonly double Window = double.PositiveInfinity; // Llama 3.1 has no sliding window

    private static DisaggregatedFleet Fleet(int prefill, int decode, ServingSetup? decodeSetup = null) =>
        new(Setup, prefill, decodeSetup ?? Setup, decode);

    private static double DecodeStep(ServingSetup setup, double context)
    {
        var step = new BatchComposition();
        step.AddDecode(context, Window);
        return BatchStepModel.Cost(setup, step).Total.Value;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(8000)]
    public void Ttft_IdleFleet_IsPrefillStepPlusKvTransfer_ClosedForm(int prompt)
    {
        // Given one request arriving at an idle fleet of one prefill and one decode replica
        var one = new[] { new SimRequest(0, 3.0, prompt, 0, 10) };

        // When it is simulated
        var result = ServingSimulator.RunDisaggregated(Fleet(1, 1), one, SimulationFixtures.Options());

        // Then TTFT = prefill step + collective latency + KV bytes / (scale-out bandwidth × link efficiency), where the
        // KV bytes of Llama 3.1 8B are 2 (K, V) × 32 layers × 8 KV heads × 128 dims × 2 bytes (bf16) per token
        var chunk = new BatchComposition();
        chunk.AddPrefillChunk(prompt, 0, Window);
        var prefill = BatchStepModel.Cost(Setup, chunk).Total.Value;
        var kvBytes = 2.0 * 32 * 8 * 128 * 2 * prompt;
        var efficiency = Setup.Efficiency;
        var transfer = efficiency.CollectiveLatency.Value + kvBytes / (50e9 * efficiency.LinkEfficiency);
        Assert.Equal(prefill + transfer, result.Fleet.TimeToFirstToken.Mean.Value, (prefill + transfer) * 0.01);
        Assert.Equal(prefill + transfer, result.Fleet.TimeToFirstToken.P50.Value, (prefill + transfer) * 0.01);
        Assert.Equal(transfer, result.Handoff.Mean.Value, transfer * 1e-9);
        Assert.Equal(transfer, Communication.KvTransfer(Setup, Setup, prompt).Value, transfer * 1e-12);
    }

    [Fact]
    public void Tpot_SingleRequest_IsTheDecodePoolsSingleSequenceStep()
    {
        // Given one request of 500 prompt and 100 output tokens, decoded on a two-device (TP2) decode replica
        const int prompt = 500, output = 100;
        var tp2 = new ServingSetup(Fixtures.Llama8B, Fixtures.H100, new Parallelism(2, 1, 1, 1), new ServingConfig { TotalDevices = 2 });
        var result = ServingSimulator.RunDisaggregated(Fleet(1, 1, tp2), [new SimRequest(0, 0, prompt, 0, output)], SimulationFixtures.Options());

        // Then TPOT = mean over tokens 2..100 of the TP2 replica's single-sequence decode step at context prompt + k
        var expected = Enumerable.Range(1, output - 1).Average(k => DecodeStep(tp2, prompt + k));
        Assert.Equal(expected, result.Fleet.TimePerOutputToken.Mean.Value, expected * 1e-9);
        Assert.Equal(1, result.Fleet.Completed);
        Assert.Equal(output, result.Fleet.OutputTokens.Value);
        Assert.Equal(3, result.Fleet.TotalDevices);
        Assert.Equal(output - 1, result.Decode.Steps);
        Assert.Equal(1, result.Prefill.Steps);
    }

    [Fact]
    public void Tpot_LightLoad_EqualsTheSingleSequenceDecodeStep()
    {
        // Given requests 0.5 s apart on average (each is alone on its decode replica most of the time)
        var stream = SimulationFixtures.Poisson(0.5, 300, 50, 200, seed: 7);

        // When they run through 1 prefill and 2 decode replicas
        var result = ServingSimulator.RunDisaggregated(Fleet(1, 2), stream, SimulationFixtures.Options());

        // Then the median TPOT is the single-sequence decode step at the mean context (within 1%)
        var single = DecodeStep(Setup, 300 + 25);
        Assert.Equal(200, result.Fleet.Completed);
        Assert.Equal(single, result.Fleet.TimePerOutputToken.P50.Value, single * 0.01);
    }

    [Fact]
    public void OneOutputToken_IsServedByThePrefillPoolWithoutATransfer()
    {
        var result = ServingSimulator.RunDisaggregated(Fleet(1, 1), [new SimRequest(0, 0, 1000, 0, 1)], SimulationFixtures.Options());

        var chunk = new BatchComposition();
        chunk.AddPrefillChunk(1000, 0, Window);
        Assert.Equal(BatchStepModel.Cost(Setup, chunk).Total.Value, result.Fleet.TimeToFirstToken.Mean.Value, 12);
        Assert.Equal(0, result.Handoff.Count);
        Assert.Equal(0, result.Decode.Steps);
    }

    [Fact]
    public void Congestion_SmallDecodePoolWithTightCache_EveryRequestCompletesOnceWithAllItsTokens()
    {
        // Given a decode replica whose cache holds far fewer sequences than arrive (79% of memory reserved)
        var tight = SimulationFixtures.Setup(reserve: 0.79);
        var stream = SimulationFixtures.Poisson(20, 300, 300, 400, seed: 3);

        // When 400 requests pour in from two prefill replicas
        var result = ServingSimulator.RunDisaggregated(Fleet(2, 1, tight), stream, SimulationFixtures.Options());

        // Then requests wait for decode admission (handoffs far longer than a transfer), some are preempted, and each
        // completes once with all its tokens
        var r = result.Fleet;
        Assert.Equal(400, r.Completed);
        Assert.Equal(400, r.TimeToFirstToken.Count);
        Assert.Equal(400 * 300.0, r.OutputTokens.Value);
        Assert.True(r.Preemptions > 0, "expected preemptions on the decode replica");
        Assert.True(result.Handoff.P90.Value > 10 * Communication.KvTransfer(Setup, tight, 300).Value);
        Assert.True(result.Decode.BusyFraction > result.Prefill.BusyFraction);
    }

    [Fact]
    public void KvTransfer_TensorParallelReplicas_SendTheirShardsInParallel()
    {
        // Each TP2 device holds half the KV heads and sends its half over its own NIC
        var tp2 = new ServingSetup(Fixtures.Llama8B, Fixtures.H100, new Parallelism(2, 1, 1, 1), new ServingConfig { TotalDevices = 2 });
        var latency = Setup.Efficiency.CollectiveLatency.Value;

        var one = Communication.KvTransfer(Setup, Setup, 4000).Value - latency;
        var two = Communication.KvTransfer(tp2, tp2, 4000).Value - latency;
        var mixed = Communication.KvTransfer(tp2, Setup, 4000).Value - latency;

        Assert.Equal(one / 2, two, one * 1e-12);
        Assert.Equal(one, mixed, one * 1e-12); // one receiving NIC takes the whole cache
    }

    private static string Run(long seed)
    {
        var stream = SimulationFixtures.Poisson(8, 800, 200, 1000, seed) with
        {
            Input = new LognormalLength(600, 1.0, 8000),
            Output = new LognormalLength(150, 0.8, 2000),
        };
        return InfercostJson.Serialize(ServingSimulator.RunDisaggregated(Fleet(1, 2), stream, SimulationFixtures.Options()));
    }

    [Fact]
    public void Seed_Same_ReproducesEveryMetric() => Assert.Equal(Run(42), Run(42));

    [Fact]
    public void Seed_Different_ChangesTheRun() => Assert.NotEqual(Run(42), Run(43));

    public static TheoryData<string, string, int, int> ZeroPools => new()
    {
        { "prefillReplicas", "prefillReplicas must be in [1, 100000]; was 0.", 0, 1 },
        { "decodeReplicas", "decodeReplicas must be in [1, 100000]; was 0.", 1, 0 },
        { "decodeReplicas", "decodeReplicas must be in [1, 100000]; was -3.", 2, -3 },
    };

    [Theory]
    [MemberData(nameof(ZeroPools))]
    public void BadPool_ThrowsInvalidInputNamingTheFieldAndRange(string field, string message, int prefill, int decode)
    {
        var e = Assert.Throws<InvalidInputException>(() =>
            ServingSimulator.RunDisaggregated(Fleet(prefill, decode), [new SimRequest(0, 0, 10, 0, 2)], SimulationFixtures.Options()));

        Assert.Equal(field, e.Field);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DifferentModels_AreRejected()
    {
        var other = new ServingSetup(Fixtures.Llama70B, Fixtures.H100, new Parallelism(4, 1, 1, 1), new ServingConfig { TotalDevices = 4 });

        var e = Assert.Throws<InvalidInputException>(() => new DisaggregatedFleet(Setup, 1, other, 1).Validated());

        Assert.Equal("decode", e.Field);
    }
}
