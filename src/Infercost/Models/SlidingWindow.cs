namespace Infercost.Models;

/// <summary>Layers whose attention only looks back a bounded number of tokens.</summary>
/// <param name="WindowTokens">Tokens each query attends to (and the most each such layer caches per sequence).</param>
/// <param name="Layers">How many of the model's layers use the window (all of Mistral 7B v0.1's; half of gpt-oss's).</param>
/// <param name="Chunked">Chunked attention (Llama 4's <c>attention_chunk_size</c>): a query sees only the tokens of its own
/// chunk, so a layer holds at most one chunk. Memory and the per-token cap are those of a window of the chunk length
/// (an upper bound: on average a query sees half a chunk).</param>
public sealed record SlidingWindow(int WindowTokens, int Layers, bool Chunked = false);
