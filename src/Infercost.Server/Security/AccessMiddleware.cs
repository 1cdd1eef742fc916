using System.Security.Cryptography;
using System.Text;
using Infercost.Server.Http;
using Microsoft.Extensions.Options;

namespace Infercost.Server.Security;

// Three checks before any endpoint runs, in the order a stranger meets them:
// 1. Cross-origin: a browser page from another origin (Origin header not this host) is refused, so another site the
//    user visits cannot drive the API through the user's browser. No CORS policy is registered: CORS stays closed.
// 2. API key: when configured (required off loopback), every /api request carries X-Api-Key; compared in constant time.
// 3. Without a key, a peer that is not loopback is refused (defence in depth should Kestrel be bound wider by mistake).

/// <summary>Refuses cross-origin browser requests, requests without the API key when one is set, and remote peers
/// when none is.</summary>
internal sealed class AccessMiddleware(RequestDelegate next, IOptions<ServerSettings> settings)
{
    /// <summary>The header that carries the API key.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    private readonly byte[]? _key = settings.Value.ApiKey is { Length: > 0 } key ? Encoding.UTF8.GetBytes(key) : null;

    /// <summary>Runs the checks, then the rest of the pipeline.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Headers.Origin is { Count: > 0 } origin && !SameOrigin(origin.ToString(), request))
        {
            return Problems.Write(context, StatusCodes.Status403Forbidden, "Cross-origin request refused",
                "this server answers pages it serves itself; cross-origin requests are not allowed.");
        }

        var isApi = request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
        if (_key is not null && isApi)
        {
            var given = Encoding.UTF8.GetBytes(request.Headers[ApiKeyHeader].ToString());
            if (!CryptographicOperations.FixedTimeEquals(given, _key))
            {
                return Problems.Write(context, StatusCodes.Status401Unauthorized, "API key required",
                    $"send the server's API key in the {ApiKeyHeader} header.");
            }
        }
        else if (_key is null && !Loopback.IsLocalPeer(context.Connection.RemoteIpAddress))
        {
            return Problems.Write(context, StatusCodes.Status403Forbidden, "Remote access refused",
                "this server has no API key configured, so it answers loopback clients only.");
        }

        return next(context);
    }

    private static bool SameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) &&
        string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
