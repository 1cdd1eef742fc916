using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Infercost.Cli.OpenAi;
using Infercost.Serving;
using Infercost.Simulation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Infercost.Cli.Emulation;

/// <summary>What the emulator serves.</summary>
/// <param name="Setup">Model, device and layout of the one replica whose timing it reproduces.</param>
/// <param name="Scheduler">Token budget, sequence cap, block size.</param>
/// <param name="ModelName">The name clients must send as <c>model</c> (and that /v1/models lists).</param>
/// <param name="Host">Address to listen on (127.0.0.1 by default).</param>
/// <param name="Port">Port; 0 lets the system choose.</param>
/// <param name="ApiKey">When set, requests must carry <c>Authorization: Bearer</c> with it (else 401).</param>
/// <param name="DefaultMaxTokens">Output tokens when a request gives no max_tokens.</param>
/// <param name="AbortOnDisconnect">True (the default, as vLLM, SGLang and TensorRT-LLM's server do): a request whose client
/// disconnects is dropped and its KV cache freed; false: the replica finishes it anyway.</param>
internal sealed record EmulatorOptions(ServingSetup Setup, SchedulerConfig Scheduler, string ModelName, string Host = "127.0.0.1", int Port = 8000,
    string? ApiKey = null, int DefaultMaxTokens = 256, bool AbortOnDisconnect = true);

// OpenAI's wire format (chat.completion.chunk / text_completion, usage in a last chunk with no choices when
// stream_options.include_usage is set, then "data: [DONE]"). Each token chunk also carries "infercost": {"t": seconds},
// the emulator's clock when it released the token, so a client can tell its own overhead from the server's timing.

/// <summary>An OpenAI-compatible HTTP endpoint (Kestrel) that streams tokens with the simulator's step timing.</summary>
internal sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EmulatorEngine _engine;
    private readonly EmulatorOptions _options;
    private long _completionId;

    private EmulatorServer(WebApplication app, EmulatorEngine engine, EmulatorOptions options)
    {
        _app = app;
        _engine = engine;
        _options = options;
    }

    /// <summary>The base address, for example http://127.0.0.1:8000.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Steps the scheduler has run.</summary>
    public long Steps => _engine.Steps;

    /// <summary>Requests waiting or running on the emulated replica.</summary>
    public int Outstanding => _engine.Outstanding;

    /// <summary>Requests dropped because their client disconnected.</summary>
    public long Aborted => _engine.Aborted;

    /// <summary>Starts listening; the returned server runs until disposed.</summary>
    public static async Task<EmulatorServer> StartAsync(EmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!IPAddress.TryParse(options.Host, out var ip)) throw new InvalidInputException("host", $"host must be an IP address such as 127.0.0.1; was '{options.Host}'.");
        Guard.InRange(options.Port, 0, 65535, "port");
        TokenText.Count("warm up"); // load the tokenizer now, not inside the first request's time to first token
        var engine = new EmulatorEngine(options.Setup, options.Scheduler);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(ip, options.Port);
            k.Limits.MaxConcurrentConnections = null;
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        var server = new EmulatorServer(app, engine, options);
        app.MapGet("/v1/models", server.Models);
        app.MapPost("/v1/chat/completions", ctx => server.Complete(ctx, chat: true));
        app.MapPost("/v1/completions", ctx => server.Complete(ctx, chat: false));
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (IOException e)
        {
            engine.Dispose();
            await app.DisposeAsync().ConfigureAwait(false);
            throw new InvalidInputException("port", $"cannot listen on {options.Host}:{options.Port}: {e.Message}");
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Address = new Uri(address);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        _engine.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private bool Authorised(HttpContext ctx)
    {
        if (_options.ApiKey is null) return true;
        var header = ctx.Request.Headers.Authorization.ToString();
        return header == "Bearer " + _options.ApiKey;
    }

    private async Task Models(HttpContext ctx)
    {
        if (!Authorised(ctx))
        {
            await Error(ctx, 401, "Incorrect API key provided.", "invalid_request_error", code: "invalid_api_key").ConfigureAwait(false);
            return;
        }

        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            @object = "list",
            data = new[] { new { id = _options.ModelName, @object = "model", created = 0, owned_by = "infercost-emulator" } },
        })).ConfigureAwait(false);
    }

    private static Task Error(HttpContext ctx, int status, string message, string type, string? param = null, string? code = null)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(OpenAiErrors.Body(message, type, param, code));
    }

    private async Task Complete(HttpContext ctx, bool chat)
    {
        if (!Authorised(ctx))
        {
            await Error(ctx, 401, "Incorrect API key provided.", "invalid_request_error", code: "invalid_api_key").ConfigureAwait(false);
            return;
        }

        Request request;
        try
        {
            using var body = await JsonDocument.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted).ConfigureAwait(false);
            request = Parse(body.RootElement, chat);
        }
        catch (JsonException e)
        {
            await Error(ctx, 400, "The body is not valid JSON: " + e.Message, "invalid_request_error").ConfigureAwait(false);
            return;
        }
        catch (InvalidInputException e)
        {
            await Error(ctx, e.Field == "model" ? 404 : 400, e.Message, "invalid_request_error", e.Field, e.Field == "model" ? "model_not_found" : null).ConfigureAwait(false);
            return;
        }

        if (!_engine.CanEverFit(request.PromptTokens, request.MaxTokens))
        {
            await Error(ctx, 400, $"This model's KV cache holds fewer tokens than the {request.PromptTokens} prompt tokens plus {request.MaxTokens} max_tokens requested.",
                "invalid_request_error", "max_tokens").ConfigureAwait(false);
            return;
        }

        var id = (chat ? "chatcmpl-" : "cmpl-") + Interlocked.Increment(ref _completionId).ToString(CultureInfo.InvariantCulture);
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var (requestId, tokens) = _engine.Submit(request.PromptTokens, request.MaxTokens);
        var ct = ctx.RequestAborted;
        var usage = new { prompt_tokens = request.PromptTokens, completion_tokens = request.MaxTokens, total_tokens = request.PromptTokens + request.MaxTokens };
        if (!request.Stream)
        {
            try
            {
                await foreach (var _ in tokens.ReadAllAsync(ct).ConfigureAwait(false))
                {
                }
            }
            catch (OperationCanceledException)
            {
                if (_options.AbortOnDisconnect) _engine.Cancel(requestId);
                return;
            }

            var text = string.Concat(Enumerable.Repeat(TokenText.AnswerToken, request.MaxTokens));
            object choice = chat
                ? new { index = 0, message = new { role = "assistant", content = text }, finish_reason = "length" }
                : new { index = 0, text, finish_reason = "length" };
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                id, @object = chat ? "chat.completion" : "text_completion", created, model = _options.ModelName, choices = new[] { choice }, usage,
            }), ct).ConfigureAwait(false);
            return;
        }

        ctx.Response.ContentType = "text/event-stream";
        ctx.Response.Headers.CacheControl = "no-cache";
        var kind = chat ? "chat.completion.chunk" : "text_completion";
        var prefix = $"data: {{\"id\":\"{id}\",\"object\":\"{kind}\",\"created\":{created},\"model\":{JsonSerializer.Serialize(_options.ModelName)},\"choices\":[";
        var tokenJson = JsonSerializer.Serialize(TokenText.AnswerToken);
        try
        {
            if (chat) await Send(ctx, prefix + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n", ct).ConfigureAwait(false);
            await foreach (var token in tokens.ReadAllAsync(ct).ConfigureAwait(false))
            {
                var t = token.Time.ToString("R", CultureInfo.InvariantCulture);
                var choice = chat
                    ? $"{{\"index\":0,\"delta\":{{\"content\":{tokenJson}}},\"finish_reason\":{(token.Last ? "\"length\"" : "null")}}}"
                    : $"{{\"index\":0,\"text\":{tokenJson},\"finish_reason\":{(token.Last ? "\"length\"" : "null")}}}";
                await Send(ctx, prefix + choice + $"],\"infercost\":{{\"t\":{t}}}}}\n\n", ct).ConfigureAwait(false);
            }

            if (request.IncludeUsage) await Send(ctx, prefix + "],\"usage\":" + JsonSerializer.Serialize(usage) + "}\n\n", ct).ConfigureAwait(false);
            await Send(ctx, "data: [DONE]\n\n", ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client went away: drop the request and free its KV cache (unless told to finish it, as a server that does
            // not abort would).
            if (_options.AbortOnDisconnect) _engine.Cancel(requestId);
        }
    }

    private static async Task Send(HttpContext ctx, string text, CancellationToken ct)
    {
        await ctx.Response.WriteAsync(text, Encoding.UTF8, ct).ConfigureAwait(false);
        await ctx.Response.Body.FlushAsync(ct).ConfigureAwait(false);
    }

    private readonly record struct Request(int PromptTokens, int MaxTokens, bool Stream, bool IncludeUsage);

    private Request Parse(JsonElement root, bool chat)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidInputException("body", "The body must be a JSON object.");
        var model = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        if (model is null) throw new InvalidInputException("body", "you must provide a model parameter.");
        if (model != _options.ModelName) throw new InvalidInputException("model", $"The model `{model}` does not exist. This endpoint serves `{_options.ModelName}`.");
        int prompt;
        if (chat)
        {
            if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
            {
                throw new InvalidInputException("messages", "messages must be a non-empty array.");
            }

            prompt = 0;
            foreach (var message in messages.EnumerateArray())
            {
                if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                {
                    prompt += TokenText.Count(content.GetString() ?? "");
                }
            }
        }
        else
        {
            if (!root.TryGetProperty("prompt", out var p)) throw new InvalidInputException("prompt", "prompt is required.");
            prompt = p.ValueKind switch
            {
                JsonValueKind.String => TokenText.Count(p.GetString() ?? ""),
                JsonValueKind.Array when p.GetArrayLength() > 0 && p[0].ValueKind == JsonValueKind.Number => p.GetArrayLength(),
                JsonValueKind.Array when p.GetArrayLength() == 1 && p[0].ValueKind == JsonValueKind.String => TokenText.Count(p[0].GetString() ?? ""),
                _ => throw new InvalidInputException("prompt", "prompt must be a string, one string in an array, or an array of token ids."),
            };
        }

        prompt = Math.Max(1, prompt);
        var maxTokens = _options.DefaultMaxTokens;
        foreach (var name in new[] { "max_completion_tokens", "max_tokens" })
        {
            if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) continue;
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out maxTokens) || maxTokens < 1 || maxTokens > 10_000_000)
            {
                throw new InvalidInputException(name, $"{name} must be an integer in [1, 10000000].");
            }

            break;
        }

        var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        var includeUsage = root.TryGetProperty("stream_options", out var so) && so.ValueKind == JsonValueKind.Object
            && so.TryGetProperty("include_usage", out var iu) && iu.ValueKind == JsonValueKind.True;
        return new Request(prompt, maxTokens, stream, includeUsage);
    }
}
