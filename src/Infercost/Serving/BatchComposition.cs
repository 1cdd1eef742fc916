namespace Infercost.Serving;

/// <summary>What one forward step carries: prompt chunks and decoding sequences, reduced to the sums the step-time
/// formula needs, so a simulator can keep them as running totals.</summary>
/// <remarks>Attention work is counted in query-key pairs per layer. Full-attention layers see the whole context;
/// sliding-window layers see at most the window, so both sums are kept and the model weighs them by its layer split.</remarks>
public struct BatchComposition
{
    /// <summary>Prompt tokens in the step.</summary>
    public double PrefillTokens { get; private set; }

    /// <summary>Prompt chunks in the step (each needs no logits except its last, which is ignored as negligible).</summary>
    public int PrefillChunks { get; private set; }

    /// <summary>Query-key pairs of the prompt chunks on a full-attention layer.</summary>
    public double PrefillPairsFull { get; private set; }

    /// <summary>Query-key pairs of the prompt chunks on a sliding-window layer.</summary>
    public double PrefillPairsWindowed { get; private set; }

    /// <summary>Sequences producing one token each.</summary>
    public double DecodeSequences { get; private set; }

    /// <summary>Sum of the decoding sequences' context lengths (KV tokens read on a full-attention layer).</summary>
    public double DecodeContextFull { get; private set; }

    /// <summary>Sum of min(context, window) over decoding sequences.</summary>
    public double DecodeContextWindowed { get; private set; }

    /// <summary>A step of decodes only: <paramref name="sequences"/> sequences whose context lengths sum to
    /// <paramref name="contextFull"/> tokens and, capped at the window, to <paramref name="contextWindowed"/> (the same
    /// totals <see cref="AddDecode"/> accumulates one sequence at a time).</summary>
    internal static BatchComposition OfDecodes(double sequences, double contextFull, double contextWindowed) =>
        new() { DecodeSequences = sequences, DecodeContextFull = contextFull, DecodeContextWindowed = contextWindowed };

    /// <summary>Adds a prompt chunk of <paramref name="tokens"/> tokens whose sequence already has
    /// <paramref name="cachedTokens"/> tokens in its KV cache (0 for the first chunk).</summary>
    public void AddPrefillChunk(int tokens, int cachedTokens, double window)
    {
        Guard.InRange(tokens, 1, int.MaxValue, "tokens");
        Guard.InRange(cachedTokens, 0, int.MaxValue, "cachedTokens");
        PrefillTokens += tokens;
        PrefillChunks++;
        // Token i of the chunk (1-based) attends to cachedTokens + i keys.
        double a = cachedTokens, n = tokens;
        PrefillPairsFull += n * a + n * (n + 1) / 2;
        PrefillPairsWindowed += WindowedPairs(a, n, window);
    }

    /// <summary>Adds a decoding sequence whose context (cached tokens it attends to) is <paramref name="contextTokens"/>.</summary>
    public void AddDecode(double contextTokens, double window)
    {
        DecodeSequences++;
        DecodeContextFull += contextTokens;
        DecodeContextWindowed += Math.Min(contextTokens, window);
    }

    /// <summary>Adds <paramref name="count"/> decoding sequences (fractional in steady-state averages), each at
    /// <paramref name="contextTokens"/>.</summary>
    public void AddDecodes(double count, double contextTokens, double window)
    {
        DecodeSequences += count;
        DecodeContextFull += count * contextTokens;
        DecodeContextWindowed += count * Math.Min(contextTokens, window);
    }

    /// <summary>Adds <paramref name="tokens"/> prompt tokens drawn evenly from prompts of <paramref name="promptTokens"/>
    /// tokens (the steady state of chunked prefill): each attends on average to (S+1)/2 keys on a full layer.</summary>
    public void AddPrefillShare(double tokens, int promptTokens, double window)
    {
        PrefillTokens += tokens;
        PrefillPairsFull += tokens * (promptTokens + 1) / 2.0;
        PrefillPairsWindowed += tokens * WindowedPairs(0, promptTokens, window) / promptTokens;
    }

    /// <summary>Removes a decoding sequence added with <see cref="AddDecode"/> (for running totals).</summary>
    public void RemoveDecode(double contextTokens, double window)
    {
        DecodeSequences--;
        DecodeContextFull -= contextTokens;
        DecodeContextWindowed -= Math.Min(contextTokens, window);
    }

    /// <summary>Empties the prompt part (the decode part is usually kept as running totals).</summary>
    public void ClearPrefill()
    {
        PrefillTokens = 0;
        PrefillChunks = 0;
        PrefillPairsFull = 0;
        PrefillPairsWindowed = 0;
    }

    // Σ_{i=1..n} min(a + i, W): the part of the chunk below the window grows, the rest is capped at W.
    private static double WindowedPairs(double a, double n, double window)
    {
        if (double.IsPositiveInfinity(window)) return n * a + n * (n + 1) / 2;
        var below = Math.Clamp(window - a, 0, n); // tokens i with a + i <= W
        return below * a + below * (below + 1) / 2 + (n - below) * window;
    }
}
