using System.Net;
using Infercost.Cli.Emulation;
using Infercost.Serving;
using Infercost.Simulation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Infercost.Cli.Tests.LoadGeneration;

/// <summary>Servers on 127.0.0.1, port 0, for measure's tests.</summary>
internal static class Servers
{
    public static ServingSetup Llama8B { get; } = new(Catalog.Catalog.Embedded.GetModel("llama-3.1-8b"), Catalog.Catalog.Embedded.GetAccelerator("nvidia-h100-sxm"),
        Parallelism.Single, new ServingConfig { TotalDevices = 1 });

    public static Task<EmulatorServer> Emulator(string? apiKey = null, bool abortOnDisconnect = true) =>
        EmulatorServer.StartAsync(new EmulatorOptions(Llama8B, SchedulerConfig.Default, "llama-3.1-8b", Port: 0, ApiKey: apiKey, AbortOnDisconnect: abortOnDisconnect));

    /// <summary>A server that misbehaves as real ones do; the first path segment picks how (see <see cref="Chat"/>).</summary>
    public static async Task<(WebApplication App, string Url)> Misbehaving()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var calls = 0;
        app.MapGet("/{mode}/v1/models", (string mode, HttpContext ctx) => mode == "unauthorised"
            ? Results.Json(new { error = new { message = "Invalid API key." } }, statusCode: 401)
            : Results.Json(new { data = new[] { new { id = "m" } } }));
        app.MapPost("/{mode}/v1/chat/completions", (string mode, HttpContext ctx) => Chat(mode, ctx, Interlocked.Increment(ref calls)));
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, url);
    }

    private const string Chunk = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" the\"}}]}\n\n";

    private static async Task Chat(string mode, HttpContext ctx, int call)
    {
        var ct = ctx.RequestAborted;
        switch (mode)
        {
            case "error500":
                ctx.Response.StatusCode = 500;
                await ctx.Response.WriteAsJsonAsync(new { error = new { message = "CUDA out of memory" } }, ct);
                return;
            case "busy" or "busyonce" when mode == "busy" || call % 2 == 1:
                ctx.Response.StatusCode = 429;
                ctx.Response.Headers.RetryAfter = "0";
                await ctx.Response.WriteAsJsonAsync(new { error = new { message = "Rate limit reached" } }, ct);
                return;
        }

        ctx.Response.ContentType = "text/event-stream";
        for (var i = 0; i < 3; i++)
        {
            await ctx.Response.WriteAsync(Chunk, ct);
            await ctx.Response.Body.FlushAsync(ct);
        }

        switch (mode)
        {
            case "disconnect":
                await Task.Delay(250, ct); // let the chunks reach the client before the reset (a reset discards what it has not read)
                ctx.Abort();
                return;
            case "malformed":
                await ctx.Response.WriteAsync("data: {\"choices\": [{\"delta\": \n\n", ct);
                await ctx.Response.WriteAsync("data: [DONE]\n\n", ct);
                return;
            case "nodone":
                return;
            case "stall":
                await Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            case "nousage" or "busyonce":
                await ctx.Response.WriteAsync("data: [DONE]\n\n", ct);
                return;
        }
    }
}
