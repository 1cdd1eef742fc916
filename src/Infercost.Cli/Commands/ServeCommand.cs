using System.CommandLine;
using Infercost.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Infercost.Cli.Commands;

// Kept apart from any other HTTP-serving command: this one serves the questions, the OpenAPI document and its
// reference page over the same core; what it listens on and where it keeps data come from its options (configuration),
// never from a request.

/// <summary><c>infercost serve</c>: the HTTP API (and its reference page) on 127.0.0.1.</summary>
internal static class ServeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen, ';'-separated. Anything beyond loopback needs an API key (environment INFERCOST__APIKEY).",
            HelpName = "URL",
            DefaultValueFactory = _ => ServerSettings.DefaultUrls,
        };
        var command = new Command("serve",
            "Serve the questions as an HTTP API with an OpenAPI document (/openapi/v1.json) and a browsable reference page " +
            "(/scalar/v1). Listens on 127.0.0.1 unless told otherwise; stop with Ctrl+C." +
            "\n\nExample:\n  infercost serve\n  infercost serve --urls http://127.0.0.1:8080");
        var db = new Option<string?>("--db")
        {
            Description = "Where saved scenarios are kept: a SQLite file (created if missing), or a PostgreSQL connection " +
                          "string (Host=...;Database=...;Username=...). Default: ~/.local/share/infercost/scenarios.db.",
            HelpName = "FILE|CONNECTION",
        };
        command.Options.Add(urls);
        command.Options.Add(db);
        command.SetAction(parse =>
        {
            WebApplication app;
            try
            {
                string[] args = parse.GetValue(db) is { } database
                    ? ["--urls", parse.GetValue(urls)!, "--Infercost:Database=" + database]
                    : ["--urls", parse.GetValue(urls)!];
                app = ServerApp.Create(args);
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidInputException("urls", "urls: " + e.Message);
            }

            app.Start();
            // The bound addresses (an OS-chosen port shows as itself), for people and for tests that start a server.
            context.Error.WriteLine($"infercost serve: listening on {string.Join(' ', app.Urls)} (API reference at /scalar/v1); Ctrl+C stops.");
            app.WaitForShutdown();
            return ExitCodes.Ok;
        });
        return command;
    }
}
