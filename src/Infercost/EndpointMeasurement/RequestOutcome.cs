namespace Infercost.EndpointMeasurement;

/// <summary>Where a request's token counts came from.</summary>
public enum TokenSource
{
    /// <summary>The server's <c>usage</c> field.</summary>
    Usage,

    /// <summary>Counted by the client's tokenizer from the text (no <c>usage</c> in the response).</summary>
    Tokenizer,
}

/// <summary>How one request ended.</summary>
public enum OutcomeStatus
{
    /// <summary>Streamed to <c>[DONE]</c> (or a complete non-streaming body).</summary>
    Ok,

    /// <summary>The server answered with an HTTP error status (see <see cref="RequestOutcome.HttpStatus"/>).</summary>
    HttpError,

    /// <summary>The connection closed before the stream ended.</summary>
    Disconnected,

    /// <summary>A chunk that is not the JSON an OpenAI-compatible stream sends.</summary>
    Malformed,

    /// <summary>The stream ended without <c>data: [DONE]</c>.</summary>
    NoDone,

    /// <summary>No complete answer within the request timeout.</summary>
    Timeout,
}

/// <summary>What the load generator recorded for one request. Times are seconds; tokens are counts.</summary>
/// <param name="Id">Request number, from 0.</param>
/// <param name="Level">Index of the sweep level (0 without a sweep).</param>
/// <param name="Start">When the request was sent, seconds from the start of its level.</param>
/// <param name="Status">How it ended.</param>
/// <param name="HttpStatus">The HTTP status code (200 when streamed; 0 when no response came).</param>
/// <param name="Error">What went wrong, in one line; null when <see cref="OutcomeStatus.Ok"/>.</param>
/// <param name="TimeToFirstToken">Send → first non-empty token chunk; null if none arrived.</param>
/// <param name="EndToEnd">Send → the end of the response (or of what arrived).</param>
/// <param name="PromptTokens">Prompt tokens (from usage, else the tokenizer's count of what was sent).</param>
/// <param name="OutputTokens">Output tokens (from usage, else the tokenizer's count of what arrived).</param>
/// <param name="Tokens">Where the counts came from.</param>
/// <param name="Gaps">Client-side gaps between consecutive token chunks (inter-token latency samples).</param>
/// <param name="ServerGaps">Gaps between the server's own emission timestamps, when it sends them (the emulator does).</param>
/// <param name="Attempts">Sends, retries after 429 included.</param>
public sealed record RequestOutcome(
    long Id,
    int Level,
    double Start,
    OutcomeStatus Status,
    int HttpStatus,
    string? Error,
    double? TimeToFirstToken,
    double EndToEnd,
    int PromptTokens,
    int OutputTokens,
    TokenSource Tokens,
    IReadOnlyList<double> Gaps,
    IReadOnlyList<double>? ServerGaps,
    int Attempts)
{
    /// <summary>
    /// (End to end − time to first token) ÷ (output tokens − 1), seconds per token, for a complete answer of ≥ 2 tokens
    /// that arrived in ≥ 2 chunks. An answer that came whole (no streaming, or a stream of one chunk) has no time per
    /// output token: its first token is its last, and the difference would only time reading the body.
    /// </summary>
    public double? TimePerOutputToken =>
        Status == OutcomeStatus.Ok && OutputTokens > 1 && Gaps.Count > 0 && TimeToFirstToken is { } ttft ? (EndToEnd - ttft) / (OutputTokens - 1) : null;
}
