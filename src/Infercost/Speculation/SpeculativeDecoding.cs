using Infercost.Models;
using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Speculation;

// Built on the public step API only (BatchComposition + BatchStepModel), so whatever physics the step model carries
// (rooflines, kernel curves, engine profiles) applies to the verify and draft passes the same way it does to decode.

/// <summary>Speculative decoding and multi-token prediction as steps of the batch step model.</summary>
/// <remarks>
/// Verify pass for B sequences at context c with k drafts: each sequence is a decode at context c (its KV read once,
/// as attention kernels share it across the query tokens) plus a k-token chunk at c + 1 cached tokens (the extra
/// queries' linear and attention FLOPs), plus the output head for those k positions; weights are read once for the
/// B(k + 1) tokens (a MoE touches more experts). Draft: MTP runs k passes of its block(s) over B tokens inside the
/// step's graph (no extra fixed overhead); a draft model runs k full decode steps. Step = verify + draft; tokens per
/// sequence per step = 1 + Σ_{i≤k} Π_{j≤i} a_j; speed-up = (B × tokens per step ÷ step) ÷ (B ÷ plain step). As B grows
/// the verify pass reaches the compute roof and its time grows with k + 1, so the gain shrinks and can fall below 1.
/// See docs/methodology.md#speculative-decoding.
/// </remarks>
public static class SpeculativeDecoding
{
    /// <summary>Most sequences one estimate holds (the verify composition is built sequence by sequence).</summary>
    public const int MaxBatch = 100_000;

    /// <summary>Estimates one speculative step of <paramref name="batch"/> sequences at <paramref name="contextTokens"/>.</summary>
    public static SpeculativeStep Step(ServingSetup setup, int batch, double contextTokens, SpeculationConfig config)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(config);
        config.Validated();
        Guard.InRange(batch, 1, MaxBatch, "batch");
        Guard.InRange(contextTokens, 0, 1e8, "contextTokens");
        var model = setup.Model;
        var window = KvCache.LayerSplit(model).Window;
        var baseline = DecodeModel.Step(setup, batch, contextTokens);

        var composition = new BatchComposition();
        for (var s = 0; s < batch; s++) AddVerify(ref composition, contextTokens, config.Length, window);
        var work = VerifyWork(setup, composition, config.Length);
        var verify = work.Cost(setup);

        var drafter = new Drafter(setup, config);
        var (draftTime, draftFlops) = drafter.Step(batch, contextTokens);
        var step = verify.Total + draftTime;
        var perStep = config.ExpectedTokensPerStep;
        var tps = Tokens.FromTokens(batch * perStep) / step;
        var peak = setup.Peak;
        var baselineFlops = baseline.FlopsPerDevice;
        return new SpeculativeStep(config, batch, contextTokens, baseline, verify, draftTime, step, perStep, tps,
            Tokens.FromTokens(perStep) / step, tps / baseline.TokensPerSecond,
            baseline.FlopUtilisation, baselineFlops * perStep / (peak * step),
            (work.LinearFlops + work.AttentionFlops + draftFlops) / (peak * step), baseline.BandwidthUtilisation,
            Math.Min(1, baseline.ComputeTime / baseline.StepTime), Math.Min(1, verify.ComputeTime / step), verify.Bound,
            drafter.KvBytesPerToken)
        {
            VerifyWeightBytesPerDevice = work.WeightBytes,
            VerifyKvBytesPerDevice = work.KvBytes,
            VerifyFlopsPerDevice = work.LinearFlops + work.AttentionFlops,
            ExpertsTouchedPerLayer = work.ExpertsTouchedPerLayer,
        };
    }

    /// <summary>Steady-state output tokens per second of a replica that speculates with at most
    /// <paramref name="sequencesInFlight"/> requests in flight, prompt chunks sharing every step: the speculative
    /// counterpart of <see cref="MixedStepModel.Step"/>.</summary>
    /// <remarks>Each of d decoding sequences verifies k + 1 tokens and keeps E = 1 + Σ Π a_j of them per step (Leviathan
    /// et al. 2023), so requests finish at d·E/O per step and new prompts arrive at p = d·E·I/O tokens per step. The
    /// step's token budget T holds d(k + 1) + p, so d ≤ T ÷ (k + 1 + E·I/O). The step is the verify pass of the d
    /// sequences with the prompt share (<see cref="VerifyWork"/>) plus drafting k tokens for each; output d·E ÷ step.
    /// See docs/methodology.md#speculative-decoding.</remarks>
    public static TokensPerSecond MixedThroughput(ServingSetup setup, int inputTokens, int outputTokens, double sequencesInFlight, int tokenBudget)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var config = setup.Config.Speculation ?? throw new ArgumentException("the setup does not speculate", nameof(setup));
        Guard.InRange(inputTokens, 1, 100_000_000, "inputTokens");
        Guard.InRange(outputTokens, 1, 100_000_000, "outputTokens");
        Guard.InRange(sequencesInFlight, 1, MaxBatch, "sequencesInFlight");
        Guard.InRange(tokenBudget, 1, 100_000_000, "tokenBudget");
        var k = config.Length;
        var kept = config.ExpectedTokensPerStep;
        var byBudget = tokenBudget / (k + 1 + (kept * inputTokens / outputTokens));
        var sequences = Math.Max(1, (int)Math.Ceiling(Math.Min(sequencesInFlight, byBudget)));
        var context = inputTokens + (outputTokens / 2.0);
        var window = KvCache.LayerSplit(setup.Model).Window;
        var batch = new BatchComposition();
        for (var s = 0; s < sequences; s++) AddVerify(ref batch, context, k, window);
        batch.AddPrefillShare(sequences * kept * inputTokens / outputTokens, inputTokens, window);
        var step = VerifyWork(setup, batch, k).Cost(setup).Total + new Drafter(setup, config).Step(sequences, context).Time;
        return Tokens.FromTokens(sequences * kept) / step;
    }

    /// <summary>The least time per output token one sequence alone on an idle replica can see at
    /// <paramref name="contextTokens"/>, in seconds: a lower bound on any request's time per output token, since sharing
    /// a step never makes it shorter. Plain decoding: one decode step. Speculating: one verify + draft step of one
    /// sequence ÷ (k + 1), the most tokens a step can emit (every draft accepted plus the bonus token); the mean is
    /// 1 + Σ Π a_j (Leviathan et al. 2023), but single requests can do better than the mean, so a bound takes the most.</summary>
    public static Seconds FastestTimePerToken(ServingSetup setup, double contextTokens)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var window = KvCache.LayerSplit(setup.Model).Window;
        if (setup.Config.Speculation is not { } config)
        {
            var decode = new BatchComposition();
            decode.AddDecode(contextTokens, window);
            return BatchStepModel.Cost(setup, decode).Total;
        }

        var verify = new BatchComposition();
        AddVerify(ref verify, contextTokens, config.Length, window);
        var step = VerifyWork(setup, verify, config.Length).Cost(setup).Total + new Drafter(setup, config).Step(1, contextTokens).Time;
        return step / (config.Length + 1);
    }

    /// <summary>Adds one sequence's verify pass to <paramref name="composition"/>: a decode at
    /// <paramref name="contextTokens"/> (its last accepted token) plus a <paramref name="length"/>-token chunk of the
    /// draft tokens after it at context + 1 cached tokens, so the pass carries k + 1 tokens and reads the sequence's KV once.</summary>
    public static void AddVerify(ref BatchComposition composition, double contextTokens, int length, double window)
    {
        composition.AddDecode(contextTokens, window);
        composition.AddPrefillChunk(length, (int)Math.Round(contextTokens) + 1, window);
    }

    /// <summary>The work of a composition holding verify passes of <paramref name="length"/> drafts: the batch step
    /// model's work plus the output head for the k draft positions of every verified sequence (a prompt chunk computes
    /// logits for its last token only; a verify needs them at every position), 2 × vocabulary × hidden FLOPs each.</summary>
    public static StepWork VerifyWork(ServingSetup setup, in BatchComposition composition, int length)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var work = BatchStepModel.Work(setup, composition);
        var head = FlopCounter.LmHeadPerToken(setup.Model) * (length * composition.DecodeSequences / setup.DevicesPerReplica);
        return work with { LinearFlops = work.LinearFlops + head };
    }
}

/// <summary>The drafting half of a speculative step, resolved once per setup: the MTP block(s) or the draft model on
/// their own layout.</summary>
public sealed class Drafter
{
    private readonly ServingSetup _setup;
    private readonly int _copies;

    /// <summary>Resolves the drafting setup of <paramref name="config"/> beside <paramref name="setup"/>.</summary>
    public Drafter(ServingSetup setup, SpeculationConfig config)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        var model = setup.Model;
        var plain = setup.Config with { Speculation = null };
        if (config.Method == SpeculationMethod.Mtp)
        {
            var block = model with
            {
                Id = model.Id + "-mtp",
                Layers = config.MtpLayers,
                MtpLayers = 0,
                Moe = model.Moe is { } moe ? moe with { FirstDenseLayers = 0 } : null,
                SlidingWindow = null,
            };
            // The modules run after the last layer, on the last pipeline stage's devices (tensor × attention-DP of them).
            var served = setup.Parallelism;
            var stage = new Parallelism(served.Tensor, 1, Gcd(served.Expert, served.Tensor * served.AttentionData), served.AttentionData);
            _setup = new ServingSetup(block, setup.Accelerator, stage, plain with { Parallelism = stage });
            _copies = 1;
            KvBytesPerToken = KvCache.BytesPerToken(block, setup.KvPrecision);
            return;
        }

        var draft = config.Draft ?? throw new InvalidInputException("draftModel", "draftModel is required when specMethod is draft.");
        var p = setup.Parallelism;
        var layout = new Parallelism(Math.Min(p.Tensor, Math.Max(1, draft.KvHeads)), p.Pipeline, 1, p.AttentionData);
        _setup = new ServingSetup(draft, setup.Accelerator, layout, plain with { Parallelism = layout, ExpertWeightPrecision = null });
        // A draft on a narrower tensor group runs as p.Tensor / its TP copies side by side, each with its share of the batch.
        _copies = p.Tensor / layout.Tensor;
        KvBytesPerToken = KvCache.BytesPerToken(draft, _setup.KvPrecision);
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    /// <summary>The speculation drafted.</summary>
    public SpeculationConfig Config { get; }

    /// <summary>The drafting model as set up: the MTP block(s) on the served layout, or the draft model on min(TP, its
    /// KV heads) tensor ranks.</summary>
    public ServingSetup Setup => _setup;

    /// <summary>Side-by-side copies of the draft in one replica (served TP ÷ the draft's TP; 1 for MTP).</summary>
    public int Copies => _copies;

    /// <summary>KV bytes per context token the draft caches, whole draft (its layers at its KV precision).</summary>
    public Bytes KvBytesPerToken { get; }

    /// <summary>Time and FLOPs per device of drafting k tokens for <paramref name="batch"/> sequences at
    /// <paramref name="contextTokens"/>: MTP runs its block(s) k times inside the step's graph (the decode step less
    /// its fixed overhead, × k); a draft model runs k decode steps of its share of the batch.</summary>
    public (Seconds Time, Flops Flops) Step(double batch, double contextTokens)
    {
        var k = Config.Length;
        var sequences = Math.Max(1, (int)Math.Ceiling(batch / _copies));
        var pass = DecodeModel.Step(_setup, sequences, contextTokens);
        return Config.Method == SpeculationMethod.Mtp
            ? ((pass.StepTime - pass.Overhead) * k, pass.FlopsPerDevice * k)
            : (pass.StepTime * k, pass.FlopsPerDevice * k);
    }
}
