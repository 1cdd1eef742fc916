using Infercost.Models;
using Infercost.Quantities;
using Infercost.Reference;
using Infercost.Serving;
using Xunit;

namespace Infercost.Tests.Golden;

// Source: Piotr Mazurek & Felix Gabriel, "LLM Inference Economics from First Principles" (Tensor Economics, 2025), and
// their repository tugot17/tokenomics-from-first-principles; golden cases 4A–4E. Where the source is wrong or
// inconsistent, the test says so: "640 MB" is 640 MiB; the text's LM head is at the last position but the repository's
// code counts it at every position; the cost-per-second is labelled "4 × A100s" though the benchmark ran on H100s; and
// the batch-64 tokens/s cell (7,453.62) does not follow from the published elapsed time (7,499.00).
public class MazurekGabrielTests(ITestOutputHelper output)
{
    private static readonly ModelArchitecture Llama = Fixtures.Llama70B;

    private static TokenomicsHardware H100s(int gpus, double compute = 1, double memory = 1) => new(
        FlopsPerSecond.FromTeraflops(989), BytesPerSecond.FromGigabytesPerSecond(3350), gpus,
        BytesPerSecond.FromGigabytesPerSecond(450), compute, memory);

    [Fact]
    public void MazurekGabriel4A_Llama33_70B_HasExactly70_553_706_496Parameters()
    {
        // Given Llama 3.3 70B's config (h 8192, 80 layers, 64/8 heads, intermediate 28672, vocab 128256)
        // When the parameters are counted
        var parameters = ParameterCounter.Count(Llama);

        // Then V·h + L·(12.75h² + 2h) + h + h·V, and 2 bytes each at bf16
        Assert.Equal(70_553_706_496, parameters.Total);
        Assert.Equal(141_107_412_992, parameters.Total * Precision.Bf16.BytesPerElement());
    }

    [Fact]
    public void MazurekGabriel4A_OnTwoH100s_WeightsTake88PercentLeaving19GB()
    {
        // Given the weights split over 2 × H100 (160 GB), no runtime reserve
        var setup = Fixtures.Setup(Llama, Fixtures.H100, new Parallelism(Tensor: 2), memoryReserve: 0);

        // When memory is planned
        var plan = MemoryPlanner.Plan(setup, 2048);

        // Then 88% goes to weights and 19 GB is left for KV cache, which is why the article uses 4 GPUs
        Assert.Equal(0.88, plan.Weights / plan.Capacity, 0.005);
        Assert.Equal(19, (plan.KvAvailable * 2).Gigabytes, 0.5);
    }

    [Fact]
    public void MazurekGabriel4B_PrefillFlopsAt2048_Is291Point49Tflops()
    {
        // Given the article's FLOP convention (full S² attention, element-wise ops, LM head at the last position)
        var model = new TokenomicsModel(Llama, H100s(1));

        // When prefill FLOPs are counted at S = 2048
        var total = model.PrefillFlops(2048);

        // Then the published per-layer, LM-head and total figures appear
        Assert.Equal(3.6436e12, model.PrefillFlopsPerLayer(2048).Value, 0.00005e12);
        Assert.Equal(2.1013e9, model.PrefillLmHeadFlops(2048).Value, 0.00005e9);
        Assert.Equal(291.49, total.Teraflops, 0.005);
    }

    [Fact]
    public void MazurekGabriel4B_EngineFlopCounter_IsAbout2PercentBelowTheArticle()
    {
        // Given the article's count and the engine's at S = 2048
        var article = new TokenomicsModel(Llama, H100s(1)).PrefillFlops(2048);
        var engine = FlopCounter.Prefill(Llama, ParameterCounter.Count(Llama), 2048);

        // When compared
        var ratio = engine / article;
        output.WriteLine($"engine {engine.Teraflops:F3} TFLOPs vs article {article.Teraflops:F3}; ratio {ratio:F5}");

        // Then the engine is lower: causal attention halves the 4S²h term (3.8% of the article's total at 2k, so −1.9%),
        // and softmax/RMSNorm/RoPE (0.04%) are not counted. Linear layers agree (2 × 12.75h² per token per layer both).
        Assert.True(engine < article);
        Assert.InRange(ratio, 0.975, 0.985);
    }

    [Fact]
    public void MazurekGabriel4C_KvCache_327_680BytesPerToken_640MiBAt2048_40GiBAt128k()
    {
        // Given Llama 3.3 70B's GQA cache at bf16
        // When sized per token and per sequence
        var perToken = KvCache.BytesPerToken(Llama, Precision.Bf16);
        var at2048 = KvCache.BytesPerSequence(Llama, Precision.Bf16, 2048);
        var at128k = KvCache.BytesPerSequence(Llama, Precision.Bf16, 131_072);

        // Then 2·2·80·128·8 B per token; the article's "640 MB" is 640 MiB (671,088,640 B); 40 GiB at 128k
        Assert.Equal(327_680, perToken.Value);
        Assert.Equal(671_088_640, at2048.Value);
        Assert.Equal(640, at2048.Value / (1024 * 1024));
        Assert.Equal(40, at128k.Gibibytes);
    }

    [Fact]
    public void MazurekGabriel4C_PrefillComputeBound_DecodeMemoryBoundByAbout300x()
    {
        // Given one H100 (989 TFLOPS, 3,350 GB/s) and the article's FLOP convention
        var model = new TokenomicsModel(Llama, H100s(1));

        // When prefill at 2048 and the decode of token 2049 are timed
        var prefillCompute = model.PrefillFlops(2048) / FlopsPerSecond.FromTeraflops(989);
        var weightLoad = model.WeightBytes / BytesPerSecond.FromGigabytesPerSecond(3350);
        var decode = model.DecodeStep(2048, 1);

        // Then prefill is compute-bound (0.2947 s vs 0.0421 s, ratio ≈ 7), decode memory-bound by ~300x
        Assert.Equal(0.2947, prefillCompute.Value, 0.00005);
        Assert.Equal(0.0421, weightLoad.Value, 0.00005);
        Assert.Equal(7, prefillCompute / weightLoad, 0.5);
        // (The golden document's "0.0424" for the memory term is itself 0.0001 high: (141.107 + 0.671) GB / 3,350 GB/s
        // = 0.04232 s; the article prints 0.04 s.)
        Assert.Equal(0.04, decode.MemoryTime.Value, 0.005);
        Assert.InRange(decode.MemoryTime / decode.ComputeTime, 250, 350);
    }

    [Fact]
    public void MazurekGabriel4C_EngineDecodeAt2049_IsAlsoMemoryBoundByAbout300x()
    {
        // Given the engine on one H100 at the pure roofline (memory fit is not the point here)
        var setup = Fixtures.Setup(Llama, Fixtures.H100, efficiency: EfficiencyFactors.Ideal);

        // When token 2049 is decoded
        var step = DecodeModel.Step(setup, 1, 2048);

        // Then the engine agrees on the bound and its size
        Assert.Equal(Bound.Memory, step.Bound);
        Assert.InRange(step.MemoryTime / step.ComputeTime, 250, 350);
    }

    [Fact]
    public void MazurekGabriel4C_TensorParallelSync_IsAbout4Point37Microseconds_EngineRingIsTwiceThat()
    {
        // Given TP4 over 450 GB/s NVLink
        var article = new TokenomicsModel(Llama, H100s(4)).ArticleTensorParallelSyncPerToken();
        var setup = Fixtures.Setup(Llama, Fixtures.H100, new Parallelism(Tensor: 4), EfficiencyFactors.Ideal);

        // When one token's two syncs per layer are timed by the article and by the engine
        var engine = Communication.ForPass(setup, tokensPerTensorGroup: 1, layersFraction: 1);

        // Then the article's 2 × 2 B × 8192 × 80 × 3/4 / 450e9 = 4.37 µs; the engine's ring all-reduce moves 2(N−1)/N of
        // the message, not (N−1)/N: the article counts one reduce-scatter and no all-gather, so the engine is exactly 2x
        Assert.Equal(4.37, article.Microseconds, 0.005);
        Assert.Equal(2.0, engine / article, 1e-9);
    }

    // Golden case 4D: vLLM, Llama 3.3 70B, TP4 on 4×H100, 2,035 in / 300 out; cost per second 4 × $2.50/h ("4 × A100s"
    // in the text, though the benchmark ran on H100s); γ = 0.3. Expected values are the published table cells.
    [Theory]
    [InlineData(1, 5.56523, 5.09, 16.98, 419.57)]
    [InlineData(2, 5.83159, 2.67, 8.90, 800.81)]
    [InlineData(4, 6.58055, 1.51, 5.02, 1419.34)]
    [InlineData(8, 7.50709, 0.86, 2.86, 2488.31)]
    [InlineData(16, 8.96685, 0.51, 1.71, 4166.46)]
    [InlineData(32, 12.41070, 0.35, 1.18, 6020.61)]
    [InlineData(64, 19.92798, 0.28, 0.95, 7499.00)] // recomputed; the source prints 7,453.62 (see the next test)
    public void MazurekGabriel4D_GammaCostTable_ReproducesEveryPublishedRow(int batch, double elapsed, double input, double outputPrice, double tokensPerSecond)
    {
        // Given the measured elapsed time of the batch
        var cluster = DollarsPerHour.FromDollarsPerHour(2.50) * 4;

        // When the γ cost model prices it
        var prices = GammaCostModel.Price(cluster, Seconds.FromSeconds(elapsed), batch, 2035, 300, gamma: 0.3);

        // Then every published price cell appears at the printed precision. Tokens/s is held to ±0.01: the source computed
        // it from unrounded elapsed times and token counts, and batch 4 gives 1,419.334 from the printed 6.58055 s against
        // the published 1,419.34.
        Assert.Equal(input, prices.InputPerMillion.Value, 0.005);
        Assert.Equal(outputPrice, prices.OutputPerMillion.Value, 0.005);
        Assert.Equal(tokensPerSecond, prices.TokensPerSecond.Value, 0.01);
    }

    [Fact]
    public void MazurekGabriel4D_Batch64TokensPerSecond_PublishedCellIs0Point6PercentLow()
    {
        // Given batch 64's published elapsed time
        var prices = GammaCostModel.Price(DollarsPerHour.FromDollarsPerHour(10), Seconds.FromSeconds(19.92798), 64, 2035, 300, 0.3);

        // When compared with the published 7,453.62 tok/s
        const double published = 7453.62;

        // Then the source's cell does not follow from its own elapsed time (a known discrepancy of the source)
        Assert.Equal(7499.00, prices.TokensPerSecond.Value, 0.005);
        Assert.InRange(prices.TokensPerSecond.Value / published - 1, 0.005, 0.007);
    }

    [Fact]
    public void MazurekGabriel4D_WorkedExampleBatch16_Prints1Point72BecauseOfRoundedCostPerSecond()
    {
        // Given the worked example's rounded $0.0028/s instead of 4 × $2.50/3,600 = $0.0027778/s
        var rounded = DollarsPerHour.FromDollarsPerHour(0.0028 * 3600);

        // When batch 16 is priced
        var prices = GammaCostModel.Price(rounded, Seconds.FromSeconds(8.96685), 16, 2035, 300, 0.3);

        // Then the text's "$1.72" appears (the table's $1.71 uses the exact rate)
        Assert.Equal(1.72, prices.OutputPerMillion.Value, 0.005);
    }

    // Golden case 4E: the repository's simple model (LM head at every prompt position, as its code does), 2,035 in /
    // 300 out, 4 × H100. Expected values are the golden document's recomputation, not published figures (the article
    // shows them only in a chart).
    [Theory]
    [InlineData(1, 1.0, 1.0, 91.9)]
    [InlineData(16, 1.0, 1.0, 995.5)]
    [InlineData(64, 1.0, 1.0, 1957.4)]
    [InlineData(256, 1.0, 1.0, 2580.7)]
    [InlineData(1, 0.6, 0.7, 64.2)]
    [InlineData(16, 0.6, 0.7, 678.2)]
    [InlineData(64, 0.6, 0.7, 1299.8)]
    [InlineData(256, 0.6, 0.7, 1686.1)]
    public void MazurekGabriel4E_SimpleModel_ReproducesRecomputedThroughput(int batch, double compute, double memory, double expected)
    {
        // Given the simple model at the stated utilisations
        var model = new TokenomicsModel(Llama, H100s(4, compute, memory), LmHeadPositions.EveryPosition);

        // When a batch is prefilled and decoded for 300 tokens
        var throughput = model.OutputThroughput(2035, 300, batch);

        // Then the golden document's recomputation appears
        Assert.Equal(expected, throughput.Value, 0.1);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(64)]
    [InlineData(256)]
    public void MazurekGabriel4E_EngineAtIdealEfficiency_AgreesWithSimpleModelWithin4Percent(int batch)
    {
        // Given the engine at the pure roofline, TP4 on 4 H100, the whole batch prefilled in one pass
        var setup = Fixtures.Setup(Llama, Fixtures.H100, new Parallelism(Tensor: 4), EfficiencyFactors.Ideal,
            inputTokens: 2035, outputTokens: 300, prefillChunkTokens: batch * 2035);
        var reference = new TokenomicsModel(Llama, H100s(4), LmHeadPositions.EveryPosition).OutputThroughput(2035, 300, batch);

        // When a whole request is timed: prefill of the batch + 300 decode steps
        var prefill = PrefillModel.Estimate(setup, 2035);
        var time = prefill.Time;
        for (var i = 0; i < 300; i++) time += DecodeModel.Step(setup, batch, 2035 + i).StepTime;
        var engine = Tokens.FromTokens(batch * 300.0) / time;
        output.WriteLine($"batch {batch}: engine {engine.Value:F1} tok/s vs simple model {reference.Value:F1} ({engine / reference - 1:P2}); " +
            $"prefill {prefill.Time.Value:F3} s (compute {prefill.ComputeTime.Value:F3}, comm {prefill.CommunicationTime.Value:F3})");

        // Then they agree within 4% (measured: +1.3% at batch 1, −0.5% at 16, −2.3% at 64, −3.4% at 256). The engine reads
        // 1.5% fewer weight bytes per step (the input embedding is a lookup) and counts causal attention with the LM head
        // at the last position only (about −3.4% prefill FLOPs), but its ring all-reduce moves 2(N−1)/N = 1.5x the bytes
        // the simple model sends. Small batches are decode-dominated (engine faster), large batches prefill- and
        // communication-heavy (engine slower).
        Assert.Equal(1.0, engine / reference, 0.04);
        Assert.Equal(batch, prefill.Sequences);
    }
}
