using Infercost.Quantities;

namespace Infercost.Economics.Sessions;

/// <summary>How long a prompt-cache entry lives after its last use.</summary>
/// <remarks>Anthropic sells two lifetimes: 5 minutes (write at 1.25 × input) and 1 hour (write at 2 × input); a read
/// costs 0.1 × input and refreshes the lifetime at no cost (Anthropic pricing and prompt-caching pages, as recorded in
/// the price catalog: anthropic-pricing-docs, litellm).</remarks>
public enum CacheTtl
{
    /// <summary>Five minutes: the default write.</summary>
    FiveMinutes,

    /// <summary>One hour: the extended write.</summary>
    OneHour,
}

/// <summary>Lifetimes in seconds and names.</summary>
public static class CacheTtls
{
    /// <summary>How long an entry written with <paramref name="ttl"/> lives after its last use.</summary>
    public static Seconds Lifetime(this CacheTtl ttl) => ttl == CacheTtl.OneHour ? Seconds.FromSeconds(3600) : Seconds.FromSeconds(300);

    /// <summary>The name the CLI takes and prints: <c>5m</c> or <c>1h</c>.</summary>
    public static string Name(this CacheTtl ttl) => ttl == CacheTtl.OneHour ? "1h" : "5m";
}
