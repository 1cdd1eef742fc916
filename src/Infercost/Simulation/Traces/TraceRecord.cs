namespace Infercost.Simulation.Traces;

/// <summary>One request as a trace recorded it.</summary>
/// <param name="Line">1-based line number in the source (the header is line 1 of a CSV).</param>
/// <param name="Time">Seconds from the trace's first accepted request.</param>
/// <param name="InputTokens">Prompt tokens (≥ 1).</param>
/// <param name="OutputTokens">Generated tokens (≥ 1).</param>
/// <param name="PrefixBlocks">Mooncake: ids of the prompt's 512-token blocks, in order; null in formats without them.</param>
public readonly record struct TraceRecord(long Line, double Time, int InputTokens, int OutputTokens, IReadOnlyList<long>? PrefixBlocks);

/// <summary>A line the loader rejected.</summary>
/// <param name="Line">1-based line number.</param>
/// <param name="Message">What is wrong, with the value found.</param>
public readonly record struct TraceProblem(long Line, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"line {Line}: {Message}";
}
