namespace Infercost.Simulation;

/// <summary>How a fleet's router picks the replica for each arrival (and, disaggregated, the decode replica for each
/// finished prompt). Every policy costs O(log R) or less per request for R replicas; see docs/simulation.md#routing.</summary>
public enum RouterPolicy
{
    /// <summary>Fewest outstanding requests (waiting + running), lowest index on ties (vLLM production-stack's
    /// "least loaded"). The default, and the policy of every run before routers could be chosen.</summary>
    LeastRequests,

    /// <summary>Each replica in turn, whatever its load.</summary>
    RoundRobin,

    /// <summary>Fewest outstanding tokens (prompt + output still to generate of the requests it holds), lowest index on ties.</summary>
    LeastTokens,

    /// <summary>Power of two choices (Mitzenmacher 2001): two replicas drawn at random, the one with fewer outstanding tokens.</summary>
    PowerOfTwo,

    /// <summary>Session affinity: a session's turns go to the less loaded of two replicas hashed from its id, spilling to
    /// the replica with the fewest outstanding requests when that one is past both the bounded load and the absolute
    /// imbalance limit (see <c>ReplicaPool</c>). Requests without a session are routed as <see cref="LeastRequests"/>.</summary>
    Session,

    /// <summary>Prefix affinity (cache-aware, as SGLang's router): a request goes to the replica last sent the longest
    /// leading run of its prefix blocks, when that run is at least half its blocks, so that replica's prefix cache holds
    /// it; else, or when that replica is past both load bounds as for <see cref="Session"/>, to the replica with the
    /// fewest outstanding requests. Requests without prefix blocks are routed by session, else as <see cref="LeastRequests"/>.</summary>
    Prefix,
}

/// <summary>Names of <see cref="RouterPolicy"/> values as typed on the command line and in requests.</summary>
public static class RouterPolicies
{
    /// <summary>The accepted names, in the order of <see cref="RouterPolicy"/>.</summary>
    public const string Names = "least-requests, round-robin, least-tokens, p2c, session or prefix";

    /// <summary>The name of <paramref name="policy"/>.</summary>
    public static string Name(RouterPolicy policy) => policy switch
    {
        RouterPolicy.LeastRequests => "least-requests",
        RouterPolicy.RoundRobin => "round-robin",
        RouterPolicy.LeastTokens => "least-tokens",
        RouterPolicy.PowerOfTwo => "p2c",
        RouterPolicy.Session => "session",
        RouterPolicy.Prefix => "prefix",
        _ => throw new ArgumentOutOfRangeException(nameof(policy)),
    };

    /// <summary>Parses a policy name (case-insensitive; "power-of-two" for p2c).</summary>
    /// <exception cref="InvalidInputException">An unknown name; names <paramref name="field"/>.</exception>
    public static RouterPolicy Parse(string text, string field = "router") => text.Trim().ToLowerInvariant() switch
    {
        "least-requests" or "least-loaded" => RouterPolicy.LeastRequests,
        "round-robin" or "rr" => RouterPolicy.RoundRobin,
        "least-tokens" => RouterPolicy.LeastTokens,
        "p2c" or "power-of-two" => RouterPolicy.PowerOfTwo,
        "session" => RouterPolicy.Session,
        "prefix" => RouterPolicy.Prefix,
        _ => throw new InvalidInputException(field, $"{field} must be {Names}; was '{text}'."),
    };
}
