namespace Infercost.Models;

/// <summary>Layers whose attention only looks back a fixed number of tokens.</summary>
/// <param name="WindowTokens">Tokens each query attends to (and the most each sliding layer caches per sequence).</param>
/// <param name="Layers">How many of the model's layers use the window (all of Mistral 7B v0.1's; half of gpt-oss's).</param>
public sealed record SlidingWindow(int WindowTokens, int Layers);
