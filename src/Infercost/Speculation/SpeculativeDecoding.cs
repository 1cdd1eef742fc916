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
        // A tree verifies all its nodes in the one pass (Medusa §2.1.2, tree attention): Σ w_d tokens per sequence.
        for (var s = 0; s < batch; s++) AddVerify(ref composition, contextTokens, config.VerifyTokens, window);
        var work = VerifyWork(setup, composition, config.VerifyTokens);
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
    /// <remarks>Each of d decoding sequences verifies n + 1 tokens (n = k, or a tree's nodes) and keeps E = 1 + Σ Π a_j
    /// of them per step (Leviathan et al. 2023), so requests finish at d·E/O per step and new prompts arrive at
    /// p = d·E·I/O tokens per step. The step's token budget T holds d(n + 1) + p, so d ≤ T ÷ (n + 1 + E·I/O). The step is the verify pass of the d
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
        var k = config.VerifyTokens;
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
        AddVerify(ref verify, contextTokens, config.VerifyTokens, window);
        var step = VerifyWork(setup, verify, config.VerifyTokens).Cost(setup).Total + new Drafter(setup, config).Step(1, contextTokens).Time;
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
        return work with { LinearFlops = work.LinearFlops + head, HeadExtraFlops = work.HeadExtraFlops + head * setup.LmHeadExtraTime };
    }
}

/// <summary>The drafting half of a speculative step, resolved once per setup: the MTP block(s), the EAGLE layer, the
/// Medusa heads or the draft model on their own layout.</summary>
/// <remarks>
/// A chain drafts one token per sequence per pass, k passes. A tree of widths w_1..w_D drafts depth by depth: pass d
/// runs the drafter over the w_{d−1} frontier nodes of each sequence (w_0 = 1, the last accepted token) and takes the top
/// candidates for depth d from its logits (EAGLE-2 §4, expansion phase; SpecInfer's token-tree expansion). A pass over w
/// nodes of a sequence reads the sequence's draft KV once and carries w − 1 more query tokens, as the verify pass does.
/// Medusa (Cai et al. 2024, §2.1.1) drafts without passes: its D heads run once on the verify pass's last hidden state,
/// each one linear layer W₁ (h × h) with SiLU and a residual, then its own output projection W₂ (vocabulary × h), so one
/// step costs 2·D·(h² + V·h) FLOPs per sequence and reads the heads' D·(h² + V·h) weights once, priced on the linear
/// roofline of the served layout (sharded over tensor ranks like the output head).
/// </remarks>
public sealed class Drafter
{
    private readonly ServingSetup _setup;
    private readonly int _copies;
    private readonly bool _inGraph;

    /// <summary>Resolves the drafting setup of <paramref name="config"/> beside <paramref name="setup"/>.</summary>
    public Drafter(ServingSetup setup, SpeculationConfig config)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        var model = setup.Model;
        var plain = setup.Config with { Speculation = null };
        switch (config.Method)
        {
            case SpeculationMethod.Mtp or SpeculationMethod.Eagle:
            {
                var block = Block(model, config);
                // The modules run after the last layer, on the last pipeline stage's devices (tensor × attention-DP of them).
                var served = setup.Parallelism;
                var expert = block.Moe is null ? 1 : Gcd(served.Expert, served.Tensor * served.AttentionData);
                var stage = new Parallelism(served.Tensor, 1, expert, served.AttentionData);
                _setup = new ServingSetup(block, setup.Accelerator, stage, plain with { Parallelism = stage });
                _copies = 1;
                _inGraph = true;
                KvBytesPerToken = KvCache.BytesPerToken(block, setup.KvFormat);
                return;
            }

            case SpeculationMethod.Medusa:
                _setup = new ServingSetup(model, setup.Accelerator, setup.Parallelism, plain);
                _copies = 1;
                _inGraph = true;
                KvBytesPerToken = Bytes.Zero;
                return;
        }

        var draft = config.Draft ?? throw new InvalidInputException("draftModel", "draftModel is required when specMethod is draft.");
        var p = setup.Parallelism;
        var layout = new Parallelism(Math.Min(p.Tensor, Math.Max(1, draft.KvHeads)), p.Pipeline, 1, p.AttentionData);
        _setup = new ServingSetup(draft, setup.Accelerator, layout, plain with { Parallelism = layout, ExpertWeightPrecision = null });
        // A draft on a narrower tensor group runs as p.Tensor / its TP copies side by side, each with its share of the batch.
        _copies = p.Tensor / layout.Tensor;
        KvBytesPerToken = KvCache.BytesPerToken(draft, _setup.KvFormat);
    }

    /// <summary>The block an MTP or EAGLE drafter runs: MTP, the model's own MTP module(s) (DeepSeek-V3 §2.2: a transformer
    /// layer of the model's shape, MoE included); EAGLE, one dense decoder layer of the model's attention and hidden
    /// shape with its (dense) intermediate size (EAGLE §3: "an FC layer and a decoder layer"), both sharing the served
    /// model's embedding and output head.</summary>
    public static Models.ModelArchitecture Block(Models.ModelArchitecture model, SpeculationConfig config)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(config);
        return config.Method == SpeculationMethod.Eagle
            ? model with { Id = model.Id + "-eagle", Layers = 1, MtpLayers = 0, Moe = null, SlidingWindow = null }
            : model with
            {
                Id = model.Id + "-mtp",
                Layers = config.MtpLayers,
                MtpLayers = 0,
                Moe = model.Moe is { } moe ? moe with { FirstDenseLayers = 0 } : null,
                SlidingWindow = null,
            };
    }

    /// <summary>Parameters of one Medusa head: W₁ (h × h, with its bias h) and W₂ (vocabulary × h), Cai et al. 2024 §2.1.1.</summary>
    public static double MedusaHeadParameters(Models.ModelArchitecture model)
    {
        ArgumentNullException.ThrowIfNull(model);
        double h = model.HiddenSize;
        return (h * h) + h + (model.VocabSize * h);
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    /// <summary>The speculation drafted.</summary>
    public SpeculationConfig Config { get; }

    /// <summary>The drafting model as set up: the MTP block(s) or the EAGLE layer on the served layout's last stage, the
    /// served model for Medusa (whose heads are priced on its layout), or the draft model on min(TP, its KV heads)
    /// tensor ranks.</summary>
    public ServingSetup Setup => _setup;

    /// <summary>Side-by-side copies of the draft in one replica (served TP ÷ the draft's TP; 1 otherwise).</summary>
    public int Copies => _copies;

    /// <summary>KV bytes per context token the draft caches, whole draft (its layers at its KV precision; none for Medusa).</summary>
    public Bytes KvBytesPerToken { get; }

    /// <summary>Time and FLOPs per device of drafting for <paramref name="batch"/> sequences at
    /// <paramref name="contextTokens"/>: MTP and EAGLE run their block once per depth inside the step's graph (each pass
    /// less its fixed overhead); a draft model runs one decode step per depth of its share of the batch; a depth of w
    /// frontier nodes carries w tokens per sequence. Medusa runs its heads once.</summary>
    public (Seconds Time, Flops Flops) Step(double batch, double contextTokens)
    {
        if (Config.Method == SpeculationMethod.Medusa) return Heads(batch);
        var sequences = Math.Max(1, (int)Math.Ceiling(batch / _copies));
        var window = KvCache.LayerSplit(_setup.Model).Window;
        var time = Seconds.Zero;
        var flops = Flops.Zero;
        var single = 0;
        for (var depth = 1; depth <= Config.Length; depth++)
        {
            var width = Config.WidthAt(depth - 1);
            if (width == 1)
            {
                single++;
                continue;
            }

            var frontier = new BatchComposition();
            for (var s = 0; s < sequences; s++) SpeculativeDecoding.AddVerify(ref frontier, contextTokens, width - 1, window);
            var work = SpeculativeDecoding.VerifyWork(_setup, frontier, width - 1);
            var cost = work.Cost(_setup);
            time += _inGraph ? cost.Total - cost.Overhead : cost.Total;
            flops += work.LinearFlops + work.AttentionFlops;
        }

        if (single == 0) return (time, flops);
        // The passes over one node per sequence (all of a chain's): one decode step of the drafter each, the same step.
        var pass = DecodeModel.Step(_setup, sequences, contextTokens);
        return (time + ((_inGraph ? pass.StepTime - pass.Overhead : pass.StepTime) * single), flops + (pass.FlopsPerDevice * single));
    }

    // Medusa's D heads on one hidden state per sequence: 2·D·(h² + V·h) FLOPs each, the heads' weights read once, spread
    // over the replica's devices (FLOPs) and its tensor ranks (weights), on the served layout's linear roofline.
    private (Seconds Time, Flops Flops) Heads(double batch)
    {
        var parameters = Config.Length * MedusaHeadParameters(_setup.Model);
        var flops = Flops.FromFlops(2 * parameters * batch / _setup.DevicesPerReplica);
        var bytes = Bytes.FromBytes(parameters * _setup.Scales.BytesPerElement(_setup.WeightPrecision) / _setup.Parallelism.Tensor);
        var (compute, memory) = StepCost.LinearTerms(_setup, flops, bytes);
        return (StepCost.Knee(compute, memory, _setup.Efficiency.RooflineSoftness), flops);
    }
}
