using System.Text;
using Infercost.Simulation;
using Microsoft.ML.Tokenizers;

namespace Infercost.Cli.OpenAi;

// measure and emulate count tokens with one tokenizer, OpenAI's cl100k_base (Microsoft.ML.Tokenizers with its data
// package): a server that sends usage is believed; without it, text is counted here. Prompts of an exact length are
// built from words that are one token each, in random order, so no two prompts share a prefix a server could cache.

/// <summary>Token counting and prompt text of a given length (cl100k_base).</summary>
internal static class TokenText
{
    private static readonly Lazy<Tokenizer> Cl100k = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"));

    // Common English words that cl100k_base encodes as one token each, with their leading space.
    private static readonly string[] Words =
    [
        " the", " of", " and", " to", " in", " is", " that", " for", " it", " as", " was", " with", " be", " by", " on", " not",
        " he", " this", " are", " or", " his", " from", " at", " which", " but", " have", " an", " had", " they", " you", " were",
        " their", " one", " all", " we", " can", " her", " has", " there", " been", " if", " more", " when", " will", " would",
        " who", " so", " no", " time", " people", " year", " way", " day", " man", " thing", " woman", " life", " child", " world",
        " school", " state", " family", " student", " group", " country", " problem", " hand", " part", " place", " case", " week",
    ];

    /// <summary>The tokenizer's name, as reports print it.</summary>
    public const string Name = "cl100k_base";

    /// <summary>The token that emulated answers are made of (one token in cl100k_base).</summary>
    public const string AnswerToken = " the";

    /// <summary>Tokens in <paramref name="text"/>.</summary>
    public static int Count(string text) => string.IsNullOrEmpty(text) ? 0 : Cl100k.Value.CountTokens(text);

    /// <summary>A prompt of exactly <paramref name="tokens"/> tokens, its words drawn from <paramref name="random"/>.</summary>
    public static string Prompt(int tokens, Pcg32 random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var text = new StringBuilder(tokens * 5);
        for (var i = 0; i < tokens; i++) text.Append(Words[(int)(random.NextUInt() % (uint)Words.Length)]);
        return text.ToString();
    }
}
