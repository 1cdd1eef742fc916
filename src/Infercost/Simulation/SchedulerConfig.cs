namespace Infercost.Simulation;

/// <summary>The knobs of a continuous-batching engine's scheduler (vLLM names in brackets).</summary>
/// <param name="MaxBatchedTokens">Most tokens, prompt chunks and decode tokens together, in one step [max_num_batched_tokens].</param>
/// <param name="MaxRunningSequences">Most sequences admitted at once [max_num_seqs].</param>
/// <param name="BlockTokens">Tokens per KV-cache block [block_size].</param>
public sealed record SchedulerConfig(int MaxBatchedTokens = 8192, int MaxRunningSequences = 256, int BlockTokens = 16)
{
    /// <summary>vLLM's defaults: 8,192 tokens per step, 256 sequences, 16-token blocks.</summary>
    public static SchedulerConfig Default { get; } = new();

    /// <summary>Checks each field's range.</summary>
    public SchedulerConfig Validated()
    {
        Guard.InRange(MaxBatchedTokens, 1, 10_000_000, "maxBatchedTokens");
        Guard.InRange(MaxRunningSequences, 1, 1_000_000, "maxRunningSequences");
        Guard.InRange(BlockTokens, 1, 4096, "blockSize");
        return this;
    }
}
