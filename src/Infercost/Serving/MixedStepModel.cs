using Infercost.Models;
using Infercost.Quantities;

namespace Infercost.Serving;

/// <summary>One steady-state step of an in-flight-batching engine (vLLM, SGLang, TensorRT-LLM) that mixes prompt
/// chunks and decode tokens in the same forward pass.</summary>
/// <param name="DecodeTokens">Sequences decoding in the step (d), each producing one output token.</param>
/// <param name="PrefillTokens">Prompt tokens processed in the step (p = d × input / output in steady state).</param>
/// <param name="ComputeTime">Linear + attention compute terms per device (see <see cref="StepCost"/>).</param>
/// <param name="MemoryTime">Weight + KV memory terms per device.</param>
/// <param name="CommunicationTime">Collectives for the step's tokens.</param>
/// <param name="StepTime">Linear roofline + attention roofline + element-wise + communication + overhead.</param>
/// <param name="Bound">Which of compute and memory was larger.</param>
/// <param name="OutputTokensPerSecond">Output tokens per second for the replica: d / step time.</param>
/// <param name="Limit">What capped the decode tokens per step.</param>
public sealed record MixedStep(
    double DecodeTokens,
    double PrefillTokens,
    Seconds ComputeTime,
    Seconds MemoryTime,
    Seconds CommunicationTime,
    Seconds StepTime,
    Bound Bound,
    TokensPerSecond OutputTokensPerSecond,
    string Limit)
{
    /// <summary>The step's time kernel class by kernel class.</summary>
    public StepCost? Cost { get; init; }
}

/// <summary>Steady-state throughput of a replica that keeps <c>limit</c> requests in flight, each with a fixed prompt and
/// output length, prefill and decode sharing every step (max-throughput benchmarks, fixed-concurrency load).</summary>
/// <remarks>
/// In steady state requests finish at d/O per step, so new prompts arrive at d·I/O tokens per step. Two limits bound d:
/// the sequences in flight (memory or concurrency) and the per-step token budget T (max_num_tokens): d + p ≤ T gives
/// d ≤ T·O/(I+O). The step is costed by <see cref="StepCost"/>: prompt and decode tokens share the linear layers' GEMMs
/// (one read of the weights), and attention covers prompt chunks and decode sequences. See docs/methodology.md#max-throughput.
/// </remarks>
public static class MixedStepModel
{
    /// <summary>Steady-state step with at most <paramref name="sequencesInFlight"/> requests in flight.</summary>
    /// <param name="setup">Resolved model, device and layout.</param>
    /// <param name="inputTokens">Prompt tokens per request (I).</param>
    /// <param name="outputTokens">Output tokens per request (O).</param>
    /// <param name="sequencesInFlight">Most requests in flight: the memory-limited batch, the engine's batch cap, or a fixed concurrency.</param>
    /// <param name="tokenBudget">Most tokens (prompt + decode) in one step (T).</param>
    public static MixedStep Step(ServingSetup setup, int inputTokens, int outputTokens, double sequencesInFlight, int tokenBudget)
    {
        ArgumentNullException.ThrowIfNull(setup);
        Guard.InRange(inputTokens, 1, 100_000_000, "inputTokens");
        Guard.InRange(outputTokens, 1, 100_000_000, "outputTokens");
        Guard.InRange(sequencesInFlight, 1, 1e9, "sequencesInFlight");
        Guard.InRange(tokenBudget, 1, 100_000_000, "tokenBudget");

        var budgetLimit = (double)tokenBudget * outputTokens / (inputTokens + outputTokens);
        var decode = Math.Min(sequencesInFlight, budgetLimit);
        var limit = sequencesInFlight <= budgetLimit ? "sequences in flight" : "token budget per step";
        var prefill = decode * inputTokens / outputTokens;
        var context = inputTokens + outputTokens / 2.0;

        var window = KvCache.LayerSplit(setup.Model).Window;
        var batch = new BatchComposition();
        batch.AddDecodes(decode, context, window);
        batch.AddPrefillShare(prefill, inputTokens, window);
        var cost = BatchStepModel.Cost(setup, batch);
        var step = cost.Total;
        return new MixedStep(decode, prefill, cost.ComputeTime, cost.MemoryTime, cost.Communication, step, cost.Bound, Tokens.FromTokens(decode) / step, limit)
        {
            Cost = cost,
        };
    }

    /// <summary>Fixed-concurrency scenario: <paramref name="concurrency"/> requests kept in flight by the clients, as many
    /// of them admitted as the KV cache holds at their full context (the rest wait).</summary>
    /// <exception cref="ModelDoesNotFitException">Not even one request fits.</exception>
    public static MixedStep FixedConcurrency(ServingSetup setup, int inputTokens, int outputTokens, int concurrency, int tokenBudget)
    {
        ArgumentNullException.ThrowIfNull(setup);
        Guard.InRange(concurrency, 1, 10_000_000, "concurrency");
        var plan = MemoryPlanner.Plan(setup, inputTokens + outputTokens);
        MemoryPlanner.EnsureFits(setup, plan, 1);
        return Step(setup, inputTokens, outputTokens, Math.Min(concurrency, plan.MaxBatch), tokenBudget);
    }

    /// <summary>Max-throughput scenario: everything queued at once, the engine keeps as many requests in flight as fit
    /// (reserving each request's full input + output context, as a no-eviction scheduler does), capped at
    /// <paramref name="maxBatch"/>.</summary>
    /// <exception cref="ModelDoesNotFitException">Not even one request fits.</exception>
    public static MixedStep MaxThroughput(ServingSetup setup, int inputTokens, int outputTokens, int maxBatch, int tokenBudget)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var plan = MemoryPlanner.Plan(setup, inputTokens + outputTokens);
        MemoryPlanner.EnsureFits(setup, plan, 1);
        var inFlight = Math.Min(plan.MaxBatch, Guard.InRange(maxBatch, 1, 10_000_000, "maxBatch"));
        return Step(setup, inputTokens, outputTokens, inFlight, tokenBudget);
    }
}
