namespace Infercost.Economics.Workloads;

/// <summary>A mix of request types with their daily volumes, and the assumptions behind them.</summary>
/// <param name="Id">Profile id, for example <c>coding-agent</c>.</param>
/// <param name="Description">One line on what the workload is.</param>
/// <param name="Requests">The request types and their volumes.</param>
/// <param name="CacheHitRate">Assumed fraction of cacheable prompt tokens served from the cache, in [0, 1].</param>
/// <param name="Assumptions">Every assumption the figures rest on, in words.</param>
public sealed record Workload(
    string Id,
    string Description,
    IReadOnlyList<RequestType> Requests,
    double CacheHitRate,
    IReadOnlyList<string> Assumptions)
{
    /// <summary>Requests (turns) per day, all types together.</summary>
    public double RequestsPerDay => Requests.Sum(r => r.RequestsPerDay);

    /// <summary>This workload scaled to <paramref name="requestsPerDay"/> in total, keeping the mix.</summary>
    /// <exception cref="InvalidInputException">A negative or non-finite volume.</exception>
    public Workload WithRequestsPerDay(double requestsPerDay)
    {
        Guard.NonNegative(requestsPerDay, "requestsPerDay");
        var total = RequestsPerDay;
        var scaled = Requests.Select(r => r with
        {
            RequestsPerDay = total > 0 ? r.RequestsPerDay / total * requestsPerDay : requestsPerDay / Requests.Count,
        }).ToList();
        return this with { Requests = scaled };
    }

    /// <summary>Checks every request type and the hit rate.</summary>
    public Workload Validated()
    {
        if (Requests.Count == 0) throw new InvalidInputException("requests", $"workload {Id} must have at least one request type; was none.");
        foreach (var r in Requests) r.Validated();
        Guard.InRange(CacheHitRate, 0, 1, "cacheHit");
        return this;
    }
}
