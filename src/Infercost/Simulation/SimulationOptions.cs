using Infercost.Costing;

namespace Infercost.Simulation;

/// <summary>How a simulation is run and judged.</summary>
/// <param name="Scheduler">The engine's scheduler settings.</param>
/// <param name="Slo">Latency targets for goodput.</param>
/// <param name="Basis">How devices are paid for; null leaves the cost fields empty.</param>
/// <param name="SeriesPoints">Most points in the KV-use and queue series (even, 2 to 100,000).</param>
/// <param name="WarmUpSeconds">Requests arriving before this time are served but kept out of the latency summaries and
/// the good count: the warm-up of a run that starts with empty replicas (0 measures every request).</param>
/// <param name="PrefixCache">Each replica's prefix cache for requests that carry prefix block ids (trace replay); null
/// for none (then a request's own <see cref="SimRequest.CachedTokens"/> applies).</param>
/// <param name="Router">How arrivals (and, disaggregated, finished prompts) are spread over the replicas.</param>
/// <param name="RouterSeed">Seed of the router's own draws (power of two choices).</param>
/// <param name="Failures">Replicas fail and recover (aggregated open-loop runs only); null for none.</param>
/// <param name="Autoscale">The fleet scales between a minimum and its size (aggregated open-loop runs only); null keeps every replica up.</param>
public sealed record SimulationOptions(SchedulerConfig Scheduler, Slo Slo, CostBasis? Basis = null, int SeriesPoints = 240, double WarmUpSeconds = 0,
    PrefixCacheSpec? PrefixCache = null, RouterPolicy Router = RouterPolicy.LeastRequests, long RouterSeed = 1, FailureSpec? Failures = null,
    AutoscaleSpec? Autoscale = null)
{
    /// <summary>vLLM's default scheduler, the default SLO, no cost.</summary>
    public static SimulationOptions Default { get; } = new(SchedulerConfig.Default, Slo.Default);

    /// <summary>Runs every scheduler step one at a time, without the decode fast-forward (Replica.FastForwardDecodes):
    /// the reference the fast-forward is tested against. Results are identical either way; only speed differs.</summary>
    internal bool StepByStep { get; init; }

    /// <summary>Checks each field.</summary>
    public SimulationOptions Validated()
    {
        ArgumentNullException.ThrowIfNull(Scheduler);
        ArgumentNullException.ThrowIfNull(Slo);
        Scheduler.Validated();
        Slo.Validated();
        Guard.InRange(SeriesPoints, 2, 100_000, "seriesPoints");
        Guard.InRange(WarmUpSeconds, 0, 365 * 86_400.0, "warmUp");
        PrefixCache?.Validated();
        Failures?.Validated();
        Autoscale?.Validated();
        if (Failures is not null && Autoscale is not null) throw new InvalidInputException("autoscaleMin", "autoscaleMin: autoscaling and replica failures (mtbf) are not simulated together; drop one.");
        if (!Enum.IsDefined(Router)) throw new InvalidInputException("router", $"router must be {RouterPolicies.Names}; was {Router}.");
        return this;
    }
}
