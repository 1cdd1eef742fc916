using System.Text.Json.Serialization;
using Infercost.Serialization;
using Infercost.Server.Endpoints;
using Infercost.Server.Scenarios;
using Infercost.Server.Security;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace Infercost.Server;

/// <summary>Builds the Infercost web app: the question endpoints, jobs, the OpenAPI document and its reference page.</summary>
public static class ServerApp
{
    /// <summary>The app for <paramref name="args"/> (standard ASP.NET Core configuration: <c>--urls</c>,
    /// <c>--Infercost:ApiKey</c>, environment variables, appsettings.json).</summary>
    /// <exception cref="InvalidOperationException">Bound beyond loopback without an API key.</exception>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        configure?.Invoke(builder);
        var urls = builder.Configuration["urls"] is { Length: > 0 } given ? given : ServerSettings.DefaultUrls;
        builder.WebHost.UseUrls(urls);
        var section = builder.Configuration.GetSection(ServerSettings.Section);
        builder.Services.Configure<ServerSettings>(section);
        var settings = section.Get<ServerSettings>() ?? new ServerSettings();
        if (!Loopback.OnlyLoopback(urls) && string.IsNullOrEmpty(settings.ApiKey))
        {
            throw new InvalidOperationException(
                $"listening on {urls} reaches beyond this machine: set an API key (Infercost:ApiKey, environment INFERCOST__APIKEY) or listen on 127.0.0.1.");
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes;
            k.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            k.AddServerHeader = false;
        });
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            // The OpenAPI schemas describe bodies as InfercostJson reads and writes them.
            o.SerializerOptions.PropertyNamingPolicy = InfercostJson.Options.PropertyNamingPolicy;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
            o.SerializerOptions.Converters.Add(new QuantityJsonConverterFactory());
            o.SerializerOptions.Converters.Add(new NumberRangeJsonConverter());
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Jobs.JobStore>();
        builder.Services.AddSingleton<IScenarioStore>(sp =>
            SqlScenarioStore.OpenAsync(sp.GetRequiredService<IOptions<ServerSettings>>().Value.DatabaseOrDefault).GetAwaiter().GetResult());
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Infercost API";
            document.Info.Version = EngineVersion.Current;
            document.Info.Description = "What serving a large language model costs, from first principles. Every body is the " +
                "request record the CLI builds from its flags (field = the flag in camelCase: --gpu-price → gpuPrice); every " +
                "answer is the record `infercost <command> --json` prints. Invalid input is a 400 problem naming the field.";
            return Task.CompletedTask;
        }));
        // One line per request at Information would dominate the cost of an estimate; keep warnings and start-up.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        var app = builder.Build();
        // Open (and migrate) the database now, so a wrong path or connection string stops start-up, not a request.
        _ = app.Services.GetRequiredService<IScenarioStore>();
        app.UseMiddleware<AccessMiddleware>();
        Dashboard.Use(app);
        app.MapOpenApi();
        app.MapScalarApiReference(o => o.WithTitle("Infercost API"));
        QuestionEndpoints.Map(app);
        ScenarioEndpoints.Map(app);
        JobEndpoints.Map(app);
        app.MapGet("/api/version", () => Results.Json(new { engine = EngineVersion.Current }))
            .WithTags("Server").WithSummary("The engine version that computes every answer");
        return app;
    }
}
