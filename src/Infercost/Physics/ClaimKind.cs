namespace Infercost.Physics;

/// <summary>What a claim states.</summary>
public enum ClaimKind
{
    /// <summary>Prompt (input) tokens per second for the devices named.</summary>
    PrefillTokensPerSecond,
    /// <summary>Generated (output) tokens per second for the devices named.</summary>
    DecodeTokensPerSecond,
    /// <summary>Dollars per million input tokens at a cluster cost.</summary>
    InputPricePerMillion,
    /// <summary>Dollars per million output tokens at a cluster cost.</summary>
    OutputPricePerMillion,
}
