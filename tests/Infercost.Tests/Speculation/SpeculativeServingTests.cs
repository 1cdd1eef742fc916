using Infercost.Requests;
using Infercost.Serving;
using Xunit;

namespace Infercost.Tests.Speculation;

// Speculation as a serving option: cost, sweep, the memory plan and the simulator, through the request records the
// CLI and the server share.
public class SpeculativeServingTests
{
    private static readonly Infercost.Catalog.Catalog Catalog = Infercost.Catalog.Catalog.Embedded;

    private static ServingEstimate Cost(CostRequest request) => request.Answer(Catalog).Serving;

    // Source: DeepSeek-AI, "DeepSeek-V3 Technical Report" (arXiv 2412.19437), §5.4.3: with one MTP module "the
    // acceptance rate of the second token prediction ranges between 85% and 90%", which "enables DeepSeek-V3 to achieve
    // a significantly improved decoding speed, delivering 1.8 times TPS". The checkpoint's one module
    // (num_nextn_predict_layers 1: /work/shared/data/models.json "mtp_layers": 1, SOURCES.md deepseek-v3-repo
    // config_671B.json; 685B = 671B + 14B MTP) is in the catalog. The engine computes the gain from the step physics;
    // nothing is fitted to the 1.8. At batch 1 (the tokens/s a user sees) it must land within 1.8 ± 0.15 over the
    // reported acceptance band; at larger batches on DeepSeek's decode layout the gain stays at least 1.4x (the MoE
    // verify pass touches more experts, and the all-to-alls carry twice the tokens).
    [Theory]
    [InlineData(0.85)]
    [InlineData(0.875)]
    [InlineData(0.90)]
    public void DeepSeekV3_Mtp_ReproducesThePublished18xWithinTheBand(double acceptance)
    {
        foreach (var batch in new[] { 1, 8, 64, 256 })
        {
            var e = Cost(new CostRequest
            {
                // DeepSeek's own decode layout: experts over every GPU, attention data-parallel (technical report §3.4.2).
                Model = "deepseek-v3", Gpu = "nvidia-h100-sxm", Gpus = 16, Ep = 16, Dp = 16, Batch = batch, SpecMethod = "mtp", SpecAcceptance = [acceptance],
            });
            var s = e.Speculation!;
            Assert.Equal(1 + acceptance, s.TokensPerStep, 1e-12);
            Assert.Equal(s.SpeedUp, e.Decode.TokensPerSecondPerUser.Value / s.PlainTokensPerSecondPerUser.Value, 1e-9);
            if (batch == 1) Assert.InRange(s.SpeedUp, 1.65, 1.95);
            else Assert.InRange(s.SpeedUp, 1.4, 1.95);
        }
    }

    [Fact]
    public void Speculation_ChangesTheDecodeRateAndThePrice()
    {
        // One layout for both: the layout search scores each at its own rate (the draft's memory and passes included), so
        // it can choose differently with the draft.
        var plain = new CostRequest { Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 4, Tp = 4, Batch = 4 };
        var spec = plain with { DraftModel = "llama-3.1-8b", SpecLength = 4, SpecAcceptance = [0.8] };
        var a = plain.Answer(Catalog);
        var b = spec.Answer(Catalog);

        Assert.Null(a.Serving.Speculation);
        var s = b.Serving.Speculation!;
        Assert.Equal("draft", s.Method);
        Assert.Equal("llama-3.1-8b", s.DraftModel);
        // The plain figures inside the speculative estimate are the plain estimate's.
        Assert.Equal(a.Serving.Decode.TokensPerSecond.Value, s.PlainTokensPerSecond.Value, 1e-9);
        Assert.Equal(b.Serving.Decode.TokensPerSecond.Value / a.Serving.Decode.TokensPerSecond.Value, s.SpeedUp, 1e-9);
        Assert.True(s.SpeedUp > 1.5, $"speed-up {s.SpeedUp} at batch 4");
        Assert.Equal(s.VerifyTime.Value + s.DraftTime.Value, b.Serving.Decode.StepTime.Value, 1e-12);
        // $/MTok output follows the cluster's output rate.
        Assert.Equal(a.Cost.OutputPerMillion.Value / s.SpeedUp, b.Cost.OutputPerMillion.Value, 1e-6);
        Assert.True(b.Serving.RequestLatency < a.Serving.RequestLatency);
    }

    // Leviathan et al. 2023 §3.3: the walltime gain needs spare compute; at large batch decode is compute-bound and
    // the verify pass's k + 1 tokens cost about k + 1 times a plain step's compute, so the gain falls with the batch.
    [Fact]
    public void TheGainFallsWithBatch_AndTheUsefulWorkRises()
    {
        var report = new SweepRequest
        {
            Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 4, Tp = 4, Batches = [1, 8, 32, 128],
            DraftModel = "llama-3.1-8b", SpecLength = 4, SpecAcceptance = [0.8],
        }.Answer(Catalog);
        Assert.All(report.Rows, r => Assert.True(r.Fits, $"batch {r.Batch} does not fit (max {report.MaxBatch})"));
        var gains = report.Rows.Select(r => r.Speculation!.SpeedUp).ToList();
        for (var i = 1; i < gains.Count; i++) Assert.True(gains[i] < gains[i - 1], "speed-ups by batch: " + string.Join(", ", gains));
        Assert.True(gains[^1] < 1.3, $"at batch 128 the speed-up is {gains[^1]}");
        // Useful work per second rises with the kept tokens at every batch; the share of the step the matrix units bind
        // rises where the verify pass dominates (at batch 1 the draft's memory-bound steps lengthen the step instead).
        Assert.All(report.Rows, r => Assert.True(r.Speculation!.Mfu > r.Speculation.PlainMfu, $"batch {r.Batch}"));
        var large = report.Rows[^1].Speculation!;
        Assert.True(large.ComputeBusy > large.PlainComputeBusy, $"compute busy {large.PlainComputeBusy} -> {large.ComputeBusy}");
    }

    // Cost scales with 1 / throughput on the same cluster: the speculative $/MTok output is the plain one ÷ the speed-up.
    [Fact]
    public void Sweep_PlainOutputPrice_IsTheSpeculativePriceTimesTheSpeedUp()
    {
        var report = new SweepRequest
        {
            Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 8, Tp = 4, Batches = [1, 16, 128], GpuPrice = NumberRange.Of(2),
            Utilisation = NumberRange.Of(0.5), DraftModel = "llama-3.1-8b", SpecLength = 3, SpecAcceptance = [0.8],
        }.Answer(Catalog);
        foreach (var r in report.Rows)
        {
            var sp = r.Speculation!;
            // 8 GPUs × $2/h over (2 replicas × plain tok/s × 0.5 utilisation × 3,600 s) × 10^6
            var plain = 16 / (2 * sp.PlainTokensPerSecond.Value * 0.5 * 3600) * 1e6;
            Assert.Equal(plain, r.PlainOutputPerMillion!.Value.Value, 1e-9 * plain);
            Assert.Equal(plain / sp.SpeedUp, r.OutputPerMillion!.Value.Value, 1e-9 * plain);
        }

        var plainSweep = new SweepRequest { Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 8, Tp = 4, Batches = [16] }.Answer(Catalog);
        Assert.Null(plainSweep.Rows[0].PlainOutputPerMillion);
    }

    [Fact]
    public void TheMemoryPlan_HoldsTheDraftsWeightsAndKv()
    {
        var plain = new CostRequest { Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 4, Tp = 4 };
        var spec = plain with { DraftModel = "llama-3.1-8b", SpecLength = 3 };
        var a = Cost(plain).Memory;
        var b = Cost(spec).Memory;

        // llama-3.1-8b in bf16 on 4 tensor ranks (its 8 KV heads allow TP4): 8.03 B × 2 bytes ÷ 4 ≈ 4.0 GB per device.
        Assert.Equal(0, a.DraftWeights.Value);
        Assert.InRange(b.DraftWeights.Gigabytes, 3.9, 4.1);
        Assert.Equal(a.Weights.Value + b.DraftWeights.Value, b.Weights.Value, 1);
        // Its KV: 32 layers × 8 heads × 128 × 2 (K, V) × 2 bytes = 128 KiB per token, shared by the 4 ranks.
        Assert.Equal(131072.0 * 2000 / 4, b.DraftKvPerSequence.Value, 1);
        Assert.Equal(a.KvPerSequence.Value + b.DraftKvPerSequence.Value, b.KvPerSequence.Value, 1);
        Assert.True(b.MaxBatch < a.MaxBatch);
        Assert.Equal((int)Math.Floor(b.KvAvailable / b.KvPerSequence), b.MaxBatch);
    }

    [Fact]
    public void Mtp_MemoryIsTheModuleWithoutTheSharedEmbeddingAndHead()
    {
        var m = Cost(new CostRequest { Model = "deepseek-v3", Gpu = "nvidia-h100-sxm", Gpus = 16, SpecMethod = "mtp" }).Memory;
        // One module of 14 B stored (DeepSeek-V3: 685 B − 671 B), less its copies of the 0.93 B embedding and head: ~12 B,
        // fp8, its 256 experts spread over 16 devices and the rest on each of them: about 1 GB per device.
        Assert.InRange(m.DraftWeights.Gigabytes, 0.8, 1.3);
        Assert.True(m.DraftKvPerSequence.Value > 0);
    }

    [Fact]
    public void Simulation_EmitsTheAcceptedTokensPerStep_AndIsSeeded()
    {
        SimulateRequest Run(double? acceptance, int seed = 1) => new()
        {
            Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 4, Concurrency = 8, Requests = 64, Input = 500, Output = 200, Seed = seed,
            DraftModel = acceptance is null ? null : "llama-3.1-8b", SpecLength = acceptance is null ? null : 3,
            SpecAcceptance = acceptance is { } a ? [a] : null,
        };

        var plain = Run(null).Answer(Catalog, cancellation: TestContext.Current.CancellationToken).Result;
        var all = Run(1.0).Answer(Catalog, cancellation: TestContext.Current.CancellationToken);
        var half = Run(0.5).Answer(Catalog, cancellation: TestContext.Current.CancellationToken).Result;

        Assert.Equal("draft", all.Speculation!.Method);
        Assert.Equal(plain.OutputTokens.Value, all.Result.OutputTokens.Value);
        // Every draft accepted: 4 tokens a step, so about a quarter of the decode steps.
        Assert.InRange(plain.Steps / (double)all.Result.Steps, 3.0, 4.2);
        Assert.True(all.Result.TimePerOutputToken.P50 < plain.TimePerOutputToken.P50);
        // a = 0.5, k = 3: 1 + 0.5 + 0.25 + 0.125 = 1.875 tokens per decode step on average (drawn, so within a band).
        Assert.InRange(plain.Steps / (double)half.Steps, 1.5, 2.0);
        Assert.Equal(half.Steps, Run(0.5).Answer(Catalog, cancellation: TestContext.Current.CancellationToken).Result.Steps);
        Assert.NotEqual(half.Steps, Run(0.5, seed: 2).Answer(Catalog, cancellation: TestContext.Current.CancellationToken).Result.Steps);
    }

    [Fact]
    public void Frontier_TheGainShrinksWithConcurrency()
    {
        FrontierReport Run(string? draft) => new FrontierRequest
        {
            // One layout for both: the layout search scores each run at its own full-batch rate, and with the draft that
            // can pick another layout, which would mix the layout's effect into the draft's.
            Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 4, Tp = 4, Concurrency = [1, 128], Requests = 200, Input = 1000, Output = 300,
            DraftModel = draft, SpecLength = draft is null ? null : 4, SpecAcceptance = draft is null ? null : [0.8],
        }.Answer(Catalog, cancellation: TestContext.Current.CancellationToken);
        var plain = Run(null).Frontier.Points;
        var spec = Run("llama-3.1-8b");
        var low = spec.Frontier.Points[0].PerUser.Value / plain[0].PerUser.Value;
        var high = spec.Frontier.Points[1].OutputPerGpu.Value / plain[1].OutputPerGpu.Value;
        Assert.NotNull(spec.Speculation);
        Assert.True(low > 1.5, $"one user: {low}x");
        Assert.True(high < low, $"128 users: {high}x against {low}x");
    }

    [Theory]
    [InlineData("specLength", null, 0, null, null)]
    [InlineData("specLength", null, 17, null, null)]
    [InlineData("specAcceptance", "mtp", null, 1.5, "deepseek-v3")]
    [InlineData("specMethod", "hydra", null, null, null)]
    [InlineData("specMethod", "mtp", null, null, "llama-3.3-70b")]
    [InlineData("draftModel", "draft", null, null, null)]
    public void BadSpeculation_NamesTheField(string field, string? method, int? k, double? acceptance, string? model)
    {
        var request = new CostRequest
        {
            Model = model ?? "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 4, SpecMethod = method, SpecLength = k,
            SpecAcceptance = acceptance is { } a ? [a] : null, DraftModel = field == "specLength" ? "llama-3.1-8b" : null,
        };
        var e = Assert.Throws<InvalidInputException>(() => request.Answer(Catalog));
        Assert.Equal(field, e.Field);
    }

    [Theory]
    [InlineData("no-such-model", "is not a catalog model")]
    [InlineData("qwen2.5-7b", "must share the served model's tokenizer")]
    [InlineData("llama-3.3-70b", "is the served model itself")]
    public void BadDraft_NamesDraftModel(string draft, string message)
    {
        var e = Assert.Throws<InvalidInputException>(() =>
            new CostRequest { Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 4, DraftModel = draft }.Answer(Catalog));
        Assert.Equal("draftModel", e.Field);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LengthOrAcceptanceWithoutAMethod_IsRefused()
    {
        var e = Assert.Throws<InvalidInputException>(() =>
            new CostRequest { Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 4, SpecAcceptance = [0.7] }.Answer(Catalog));
        Assert.Equal("specAcceptance", e.Field);
    }
}
