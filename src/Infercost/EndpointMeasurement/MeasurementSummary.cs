using Infercost.Simulation;

namespace Infercost.EndpointMeasurement;

/// <summary>One load level of a measurement: latencies with percentiles, throughput, goodput and errors.</summary>
/// <param name="Level">What the level was, in words (for example "concurrency 8" or "Poisson 4 req/s").</param>
/// <param name="Requests">Requests sent.</param>
/// <param name="Succeeded">Requests answered completely.</param>
/// <param name="Errors">Failed requests by how they failed (HTTP status, disconnect, malformed chunk, no [DONE], timeout).</param>
/// <param name="Duration">Seconds from the first send to the last response.</param>
/// <param name="TimeToFirstToken">Successful requests' time to first token.</param>
/// <param name="InterTokenLatency">Every gap between token chunks of successful requests, pooled.</param>
/// <param name="TimePerOutputToken">Successful requests' time per output token after the first.</param>
/// <param name="EndToEnd">Successful requests' end-to-end latency.</param>
/// <param name="OutputTokensPerSecond">Output tokens of successful requests ÷ duration.</param>
/// <param name="InputTokensPerSecond">Prompt tokens of successful requests ÷ duration.</param>
/// <param name="RequestsPerSecond">Successful requests ÷ duration.</param>
/// <param name="Slo">The targets goodput counts against.</param>
/// <param name="GoodRequests">Successful requests within both targets.</param>
/// <param name="GoodputRequestsPerSecond">Good requests ÷ duration.</param>
/// <param name="MeanPromptTokens">Mean prompt tokens of successful requests.</param>
/// <param name="MeanOutputTokens">Mean output tokens of successful requests.</param>
/// <param name="TokensFromUsage">Successful requests whose counts came from the server's usage field (the rest: tokenizer).</param>
/// <param name="ServerInterTokenLatency">Mean gap between the server's own emission timestamps (emulator only); null otherwise.</param>
/// <param name="ClientOverhead">Client-side mean inter-token latency ÷ the server's − 1: what the load generator adds; null
/// without server timestamps.</param>
public sealed record MeasurementSummary(
    string Level,
    long Requests,
    long Succeeded,
    IReadOnlyDictionary<string, long> Errors,
    double Duration,
    Distribution TimeToFirstToken,
    Distribution InterTokenLatency,
    Distribution TimePerOutputToken,
    Distribution EndToEnd,
    double OutputTokensPerSecond,
    double InputTokensPerSecond,
    double RequestsPerSecond,
    Slo Slo,
    long GoodRequests,
    double GoodputRequestsPerSecond,
    double MeanPromptTokens,
    double MeanOutputTokens,
    long TokensFromUsage,
    double? ServerInterTokenLatency,
    double? ClientOverhead)
{
    /// <summary>Summarises one level's outcomes.</summary>
    /// <param name="level">The level in words.</param>
    /// <param name="outcomes">Every request sent at this level.</param>
    /// <param name="duration">Seconds from the first send to the last response.</param>
    /// <param name="slo">Targets for goodput.</param>
    public static MeasurementSummary Of(string level, IReadOnlyList<RequestOutcome> outcomes, double duration, Slo slo)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(slo);
        var ok = outcomes.Where(o => o.Status == OutcomeStatus.Ok).ToList();
        var errors = outcomes.Where(o => o.Status != OutcomeStatus.Ok)
            .GroupBy(o => o.Status == OutcomeStatus.HttpError ? $"http {o.HttpStatus}" : Name(o.Status))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        var wall = Math.Max(duration, 1e-9);
        var good = ok.LongCount(o => o.TimeToFirstToken <= slo.TimeToFirstToken.Value && (o.TimePerOutputToken ?? 0) <= slo.TimePerOutputToken.Value);
        var gaps = ok.SelectMany(o => o.Gaps).ToList();
        var serverGaps = ok.Where(o => o.ServerGaps is { Count: > 0 }).SelectMany(o => o.ServerGaps!).ToList();
        double? serverItl = serverGaps.Count > 0 ? serverGaps.Average() : null;
        double? overhead = serverItl is { } s && s > 0 && gaps.Count > 0 ? gaps.Average() / s - 1 : null;
        return new MeasurementSummary(level, outcomes.Count, ok.Count, errors, duration,
            Distribution.Of(ok.Select(o => o.TimeToFirstToken ?? double.NaN)), Distribution.Of(gaps),
            Distribution.Of(ok.Select(o => o.TimePerOutputToken ?? double.NaN)), Distribution.Of(ok.Select(o => o.EndToEnd)),
            ok.Sum(o => (double)o.OutputTokens) / wall, ok.Sum(o => (double)o.PromptTokens) / wall, ok.Count / wall,
            slo, good, good / wall,
            ok.Count == 0 ? 0 : ok.Average(o => (double)o.PromptTokens), ok.Count == 0 ? 0 : ok.Average(o => (double)o.OutputTokens),
            ok.LongCount(o => o.Tokens == TokenSource.Usage), serverItl, overhead);
    }

    /// <summary>The status as it is printed: ok, http, disconnected, malformed, no [DONE], timeout.</summary>
    public static string Name(OutcomeStatus status) => status switch
    {
        OutcomeStatus.Ok => "ok",
        OutcomeStatus.HttpError => "http",
        OutcomeStatus.Disconnected => "disconnected",
        OutcomeStatus.Malformed => "malformed chunk",
        OutcomeStatus.NoDone => "no [DONE]",
        _ => "timeout",
    };
}
