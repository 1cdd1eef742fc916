namespace Infercost.Simulation.Traces;

/// <summary>The request-trace formats the loader reads, as their publishers write them.</summary>
public enum TraceFormat
{
    /// <summary>Work out the format from the first non-empty line (a JSON object: Mooncake; a CSV header: Azure or BurstGPT).</summary>
    Auto,

    /// <summary>Azure LLM inference traces (2023 and 2024): CSV <c>TIMESTAMP,ContextTokens,GeneratedTokens</c>,
    /// absolute timestamps such as <c>2023-11-16 18:17:03.9799600</c> (100 ns digits, optional UTC offset).</summary>
    Azure,

    /// <summary>Mooncake (FAST'25) JSON lines: <c>timestamp</c> (ms from the start), <c>input_length</c>,
    /// <c>output_length</c>, <c>hash_ids</c> (one id per 512-token prompt block; equal ids are the same reusable block).</summary>
    Mooncake,

    /// <summary>BurstGPT CSV: <c>Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type</c>, timestamps in
    /// seconds from the start of the log.</summary>
    BurstGpt,
}

/// <summary>What the loader does with a line it cannot use (unparsable, a negative or zero length, a bad timestamp, a
/// row earlier than the one before).</summary>
public enum BadLinePolicy
{
    /// <summary>Stop at the first bad line with its number and what is wrong.</summary>
    Fail,

    /// <summary>Skip it, count it and keep the first few problems for the report.</summary>
    Skip,
}
