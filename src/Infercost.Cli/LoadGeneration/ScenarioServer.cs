using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Infercost.EndpointMeasurement;
using Infercost.Serialization;

namespace Infercost.Cli.LoadGeneration;

/// <summary>
/// An Infercost server (<c>infercost serve</c>) that keeps <c>measure</c>'s report as a scenario: checked before any
/// load is sent, so a wrong address or key is refused up front, and written to with <c>POST /api/measurements</c>
/// once the run has ended.
/// </summary>
/// <param name="http">The HTTP client (shared with the load generator; no timeout of its own).</param>
/// <param name="server">The server's base URL.</param>
/// <param name="key">Its API key (sent as X-Api-Key), or null.</param>
internal sealed class ScenarioServer(HttpClient http, Uri server, string? key)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>The server's base URL from --server.</summary>
    /// <exception cref="InvalidInputException">Not an http(s) URL.</exception>
    public static Uri BaseOf(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidInputException("server", $"server must be an http:// or https:// URL such as {ServerDefaults.Url}; was '{url}'.");
        }

        return new UriBuilder(uri) { Path = uri.AbsolutePath.TrimEnd('/') + "/" }.Uri;
    }

    /// <summary>Checks that the server answers <c>GET /api/scenarios</c> with this key.</summary>
    /// <exception cref="InvalidInputException">Unreachable, the key refused, or not an Infercost server; names --server.</exception>
    public async Task CheckAsync(CancellationToken ct)
    {
        using var request = Request(HttpMethod.Get, "api/scenarios?limit=1");
        var (status, body) = await SendAsync(request, ct).ConfigureAwait(false);
        if (status == HttpStatusCode.OK) return;
        throw new InvalidInputException(status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? "server-key-env" : "server", Refusal(status, body));
    }

    /// <summary>Saves the report as a scenario named <paramref name="name"/>; returns its id.</summary>
    /// <exception cref="InvalidInputException">The server refused it or could not be reached; the message says why.</exception>
    public async Task<string> SaveAsync(string name, MeasureReport report, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Post, "api/measurements");
        request.Content = new StringContent(JsonSerializer.Serialize(new NewMeasurement(name, report), InfercostJson.Options), Encoding.UTF8, "application/json");
        var (status, body) = await SendAsync(request, ct).ConfigureAwait(false);
        if (status != HttpStatusCode.Created) throw new InvalidInputException("server", Refusal(status, body));
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("id").GetString() ?? throw new InvalidInputException("server", $"{server} answered without a scenario id.");
    }

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(server, path));
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new InvalidInputException("server", $"the Infercost server at {server} did not answer within {Timeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException e)
        {
            var reason = e.InnerException is SocketException s ? s.Message : e.Message;
            throw new InvalidInputException("server", $"cannot reach the Infercost server at {server}: {reason.Split('\n')[0].TrimEnd('.')} (start it with infercost serve, or give --server URL).");
        }
    }

    // A ProblemDetails' detail when the server sent one, else the status.
    private string Refusal(HttpStatusCode status, string body)
    {
        var detail = "";
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String) detail = d.GetString()!;
        }
        catch (JsonException)
        {
            // not JSON: not an Infercost server, said below
        }

        return status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                $"the Infercost server at {server} refused the key ({(int)status}): give its API key with --server-key-env VAR.",
            HttpStatusCode.NotFound => $"{server} has no /api/scenarios or /api/measurements (404): is it an Infercost server (infercost serve)?",
            _ => $"the Infercost server at {server} answered {(int)status}{(detail.Length > 0 ? ": " + detail : ".")}",
        };
    }
}

/// <summary>Where <c>infercost serve</c> listens by default.</summary>
internal static class ServerDefaults
{
    /// <summary>The default URL (Infercost.Server's ServerSettings.DefaultUrls).</summary>
    public const string Url = Infercost.Server.ServerSettings.DefaultUrls;
}
