namespace Infercost.Catalog;

// Some publishers ship configs that leave shape keys at the library's class defaults: Gemma 3's released config.json
// files give no vocab_size, max_position_embeddings or (for 4B/12B) head_dim in text_config, and no
// sliding_window_pattern. Those defaults are facts of the family, written down in the transformers configuration class,
// not guesses; they are applied only for the model_type that has them, and the model's notes say so.

/// <summary>Shape keys a family's configuration class supplies when a config.json leaves them out.</summary>
internal sealed record FamilyDefaults(string Family, string Source, int? VocabSize, int? MaxContextTokens, int? HeadDim, int? SlidingWindowPattern)
{
    private static readonly FamilyDefaults None = new("", "", null, null, null, null);

    // transformers Gemma3TextConfig: vocab_size 262,208, max_position_embeddings 131,072, head_dim 256, and five local
    // layers to every global one (sliding_window_pattern 6).
    private static readonly FamilyDefaults Gemma3 = new("Gemma 3", "transformers Gemma3TextConfig", 262_208, 131_072, 256, 6);

    /// <summary>The defaults of <paramref name="modelType"/>; none for families whose configs write their shape out.</summary>
    public static FamilyDefaults For(string modelType) => modelType is "gemma3_text" or "gemma3" ? Gemma3 : None;
}
