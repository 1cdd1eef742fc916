using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using Infercost.Cli.OpenAi;
using Infercost.EndpointMeasurement;

namespace Infercost.Cli.LoadGeneration;

/// <summary>Which OpenAI API a measurement calls.</summary>
internal enum ApiKind
{
    Chat,
    Completions,
}

/// <summary>One request to send: its prompt text and token counts.</summary>
internal readonly record struct RequestShape(string Prompt, int PromptTokens, int MaxTokens);

/// <summary>How requests are sent.</summary>
/// <param name="Base">The API base, ending in /v1.</param>
/// <param name="Model">The model name sent.</param>
/// <param name="Api">chat/completions or completions.</param>
/// <param name="ApiKey">Bearer token; null for none.</param>
/// <param name="Stream">Stream (SSE) or not.</param>
/// <param name="Timeout">Whole-request timeout, seconds.</param>
/// <param name="MaxRetries">Retries after a 429 (waiting its Retry-After).</param>
/// <param name="IgnoreEos">Send vLLM's ignore_eos so the server generates max_tokens.</param>
internal sealed record ClientOptions(Uri Base, string Model, ApiKind Api, string? ApiKey, bool Stream, double Timeout, int MaxRetries, bool IgnoreEos);

// The client never trusts the server: every read is under the request's timeout, every chunk is parsed defensively,
// and every way a stream can end (DONE, EOF without DONE, reset, malformed JSON, an HTTP error, a stall) becomes an
// outcome with what had arrived so far. Nothing throws out of Send except cancellation of the whole run.

/// <summary>Sends OpenAI-compatible requests and records what came back.</summary>
internal sealed class EndpointClient(HttpClient http, ClientOptions options)
{
    /// <summary>An HttpClient for many concurrent streams (one connection each, no client-side timeout: requests carry their own).</summary>
    public static HttpClient CreateHttp() => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = int.MaxValue,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
    })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };

    /// <summary>The API base for a URL given with or without /v1.</summary>
    public static Uri BaseOf(string endpoint)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidInputException("endpoint", $"endpoint must be an http:// or https:// URL such as http://127.0.0.1:8000/v1; was '{endpoint}'.");
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        if (!path.EndsWith("/v1", StringComparison.Ordinal)) path += "/v1";
        return new UriBuilder(uri) { Path = path + "/" }.Uri;
    }

    private const double PreflightSeconds = 15;

    /// <summary>Checks that the endpoint answers, accepts the key and serves the model (GET /v1/models); a server without
    /// that route (404) is let through.</summary>
    /// <exception cref="InvalidInputException">Unreachable, TLS failure, 401/403, or the model not listed: one line each.</exception>
    public async Task PreflightAsync(CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.Base, "models"));
        Authorise(request);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(PreflightSeconds));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new InvalidInputException("endpoint", Unreachable(options.Base, e));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new InvalidInputException("endpoint", $"no answer from {options.Base}models within {Guard.Format(PreflightSeconds)} s.");
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new InvalidInputException("api-key-env", $"{options.Base} refused the request ({(int)response.StatusCode} {response.ReasonPhrase}): {OpenAiErrors.MessageOf(body)} " +
                    (options.ApiKey is null ? "Give --api-key-env NAME, the environment variable holding the key." : "Check the key in --api-key-env."));
            }

            if (response.StatusCode == HttpStatusCode.NotFound) return;
            if (!response.IsSuccessStatusCode) throw new InvalidInputException("endpoint", $"{options.Base}models answered {(int)response.StatusCode} {response.ReasonPhrase}: {OpenAiErrors.MessageOf(body)}");
            var served = new List<string>();
            try
            {
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
                {
                    foreach (var m in data.EnumerateArray())
                    {
                        if (m.ValueKind == JsonValueKind.Object && m.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String) served.Add(id.GetString()!);
                    }
                }
            }
            catch (JsonException)
            {
                return; // not a model list: let the requests speak
            }

            if (served.Count > 0 && !served.Contains(options.Model, StringComparer.Ordinal))
            {
                throw new InvalidInputException("model", $"model '{options.Model}' is not served at {options.Base}; it serves: {string.Join(", ", served.Take(10))}.");
            }
        }
    }

    private static string Unreachable(Uri endpoint, HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException auth) return $"TLS handshake with {endpoint.Host}:{endpoint.Port} failed: {FirstLine(auth.Message)} (check http:// vs https:// and the server's certificate).";
            if (inner is SocketException socket) return $"cannot reach {endpoint}: {FirstLine(socket.Message)}.";
        }

        return $"cannot reach {endpoint}: {FirstLine(e.Message)}";
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return (end < 0 ? text : text[..end]).TrimEnd('.');
    }

    private void Authorise(HttpRequestMessage request)
    {
        if (options.ApiKey is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
    }

    private string Body(RequestShape shape)
    {
        var body = new Dictionary<string, object?> { ["model"] = options.Model };
        if (options.Api == ApiKind.Chat) body["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = shape.Prompt } };
        else body["prompt"] = shape.Prompt;
        body["max_tokens"] = shape.MaxTokens;
        body["temperature"] = 0;
        if (options.IgnoreEos) body["ignore_eos"] = true;
        if (options.Stream)
        {
            body["stream"] = true;
            body["stream_options"] = new Dictionary<string, bool> { ["include_usage"] = true };
        }

        return JsonSerializer.Serialize(body);
    }

    /// <summary>Sends one request (retrying after 429 as allowed) and records the outcome.</summary>
    public async Task<RequestOutcome> SendAsync(long id, int level, double start, RequestShape shape, CancellationToken ct)
    {
        var began = Stopwatch.GetTimestamp();
        var deadline = began + (long)(options.Timeout * Stopwatch.Frequency);
        var attempts = 0;
        while (true)
        {
            attempts++;
            var outcome = await AttemptAsync(id, level, start, shape, began, deadline, attempts, ct).ConfigureAwait(false);
            if (outcome.Retry is not { } wait || attempts > options.MaxRetries) return outcome.Outcome;
            var left = (deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency;
            if (wait >= left) return outcome.Outcome;
            await Task.Delay(TimeSpan.FromSeconds(wait), ct).ConfigureAwait(false);
        }
    }

    private static double Elapsed(long since) => (Stopwatch.GetTimestamp() - since) / (double)Stopwatch.Frequency;

    private async Task<(RequestOutcome Outcome, double? Retry)> AttemptAsync(long id, int level, double start, RequestShape shape, long began, long deadline,
        int attempts, CancellationToken ct)
    {
        var path = options.Api == ApiKind.Chat ? "chat/completions" : "completions";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Base, path)) { Content = new StringContent(Body(shape), Encoding.UTF8, "application/json") };
        Authorise(request);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var left = (deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency;
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(0.001, left)));
        var text = new StringBuilder();
        var gaps = new List<double>();
        List<double>? serverTimes = null;
        double? ttft = null;
        var last = 0.0;
        int? usagePrompt = null, usageOutput = null;
        var status = 0;

        // The end time is read first: building the error text counts the tokens received (the tokenizer), which must not
        // be counted in the request's latency.
        RequestOutcome Outcome(OutcomeStatus s, Func<string>? error)
        {
            var end = Elapsed(began);
            var fromUsage = usagePrompt is not null && usageOutput is not null;
            var serverGaps = serverTimes is { Count: > 1 } ? serverTimes.Zip(serverTimes.Skip(1), (a, b) => b - a).ToArray() : null;
            return new RequestOutcome(id, level, start, s, status, error?.Invoke(), ttft, end,
                usagePrompt ?? shape.PromptTokens, usageOutput ?? TokenText.Count(text.ToString()),
                fromUsage ? TokenSource.Usage : TokenSource.Tokenizer, gaps, serverGaps, attempts);
        }

        void Token(string piece, double? serverTime)
        {
            if (piece.Length == 0) return;
            var now = Elapsed(began);
            if (ttft is null) ttft = now;
            else gaps.Add(now - last);
            last = now;
            text.Append(piece);
            if (serverTime is { } t) (serverTimes ??= []).Add(t);
        }

        var received = () => $"{TokenText.Count(text.ToString())} tokens received";
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
                double? retry = null;
                if (status == 429) retry = response.Headers.RetryAfter is { } ra ? ra.Delta?.TotalSeconds ?? Math.Max(0, ((ra.Date ?? DateTimeOffset.UtcNow) - DateTimeOffset.UtcNow).TotalSeconds) : 1;
                var message = $"{status} {response.ReasonPhrase}: {OpenAiErrors.MessageOf(body)}" + (retry is { } r ? $" (Retry-After {Guard.Format(r)} s, attempt {attempts})" : "");
                return (Outcome(OutcomeStatus.HttpError, () => message), retry);
            }

            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            if (!options.Stream)
            {
                var body = await reader.ReadToEndAsync(timeout.Token).ConfigureAwait(false);
                using var json = JsonDocument.Parse(body);
                var choice = json.RootElement.GetProperty("choices")[0];
                var content = options.Api == ApiKind.Chat ? choice.GetProperty("message").GetProperty("content").GetString() : choice.GetProperty("text").GetString();
                Token(content ?? "", null);
                ReadUsage(json.RootElement, ref usagePrompt, ref usageOutput);
                return (Outcome(OutcomeStatus.Ok, null), null);
            }

            while (await reader.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0 || line[0] == ':') continue;
                if (!line.StartsWith("data:", StringComparison.Ordinal)) continue; // event:, id:, retry: fields
                var payload = line.AsSpan(5).Trim();
                if (payload.SequenceEqual("[DONE]")) return (Outcome(OutcomeStatus.Ok, null), null);
                JsonDocument chunk;
                try
                {
                    chunk = JsonDocument.Parse(payload.ToString());
                }
                catch (JsonException)
                {
                    var shown = payload.Length <= 60 ? payload.ToString() : payload[..57].ToString() + "...";
                    return (Outcome(OutcomeStatus.Malformed, () => $"malformed chunk after {received()}: '{shown}'"), null);
                }

                using (chunk)
                {
                    var root = chunk.RootElement;
                    if (root.ValueKind != JsonValueKind.Object) return (Outcome(OutcomeStatus.Malformed, () => $"malformed chunk after {received()}: not a JSON object"), null);
                    if (root.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
                    {
                        return (Outcome(OutcomeStatus.Malformed, () => $"the server sent an error in the stream after {received()}: {OpenAiErrors.MessageOf(root.GetRawText())}"), null);
                    }

                    ReadUsage(root, ref usagePrompt, ref usageOutput);
                    double? serverTime = root.TryGetProperty("infercost", out var ic) && ic.ValueKind == JsonValueKind.Object && ic.TryGetProperty("t", out var t)
                        && t.TryGetDouble(out var tv) ? tv : null;
                    if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
                    {
                        var c = choices[0];
                        var piece = c.ValueKind != JsonValueKind.Object ? null
                            : c.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object && delta.TryGetProperty("content", out var dc) && dc.ValueKind == JsonValueKind.String ? dc.GetString()
                            : c.TryGetProperty("text", out var tx) && tx.ValueKind == JsonValueKind.String ? tx.GetString() : null;
                        Token(piece ?? "", serverTime);
                    }
                }
            }

            return (Outcome(OutcomeStatus.NoDone, () => $"the stream ended without data: [DONE] after {received()}"), null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (Outcome(OutcomeStatus.Timeout, () => $"no complete answer within {Guard.Format(options.Timeout)} s ({received()})"), null);
        }
        catch (HttpRequestException e) when (status == 0)
        {
            return (Outcome(OutcomeStatus.Disconnected, () => Unreachable(options.Base, e)), null);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return (Outcome(OutcomeStatus.Disconnected, () => $"the connection closed after {received()}: {FirstLine(e.Message)}"), null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            return (Outcome(OutcomeStatus.Malformed, () => $"the response is not an OpenAI completion: {FirstLine(e.Message)}"), null);
        }
    }

    private static void ReadUsage(JsonElement root, ref int? prompt, ref int? output)
    {
        if (!root.TryGetProperty("usage", out var usage) || usage.ValueKind != JsonValueKind.Object) return;
        if (usage.TryGetProperty("prompt_tokens", out var p) && p.TryGetInt32(out var pv)) prompt = pv;
        if (usage.TryGetProperty("completion_tokens", out var c) && c.TryGetInt32(out var cv)) output = cv;
    }

    /// <summary>Seconds as the CSV prints them.</summary>
    public static string Format(double? seconds) => seconds is { } s ? s.ToString("0.######", CultureInfo.InvariantCulture) : "";
}
