using System.Net;

namespace Infercost.Server.Security;

/// <summary>Whether a listening address or a peer is on this machine only.</summary>
internal static class Loopback
{
    /// <summary>True when every URL in <paramref name="urls"/> (separated by <c>;</c>) listens on a loopback host.</summary>
    public static bool OnlyLoopback(string urls) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(IsLoopbackUrl);

    /// <summary>True for <c>http://127.0.0.1:5178</c>, <c>http://[::1]:0</c>, <c>http://localhost:80</c>; false for
    /// <c>*</c>, <c>+</c>, <c>0.0.0.0</c> and any other host.</summary>
    public static bool IsLoopbackUrl(string url)
    {
        var rest = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        var host = rest.StartsWith('[') ? rest[1..rest.IndexOf(']', StringComparison.Ordinal)] : rest.Split(':', '/')[0];
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>True when the peer is loopback, or unknown (an in-process test server has no socket).</summary>
    public static bool IsLocalPeer(IPAddress? remote) => remote is null || IPAddress.IsLoopback(remote);
}
