using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Infercost.Server.Tests;

/// <summary>The app in-process (WebApplicationFactory over the server assembly's entry point), shared by a test class.
/// The type argument only names the assembly: both the CLI and the server have a Program.</summary>
public sealed class ServerFixture : WebApplicationFactory<ServerSettings>
{
    /// <summary>A SQLite file of this fixture's own.</summary>
    public string Database { get; } = TempDatabase.Path();

    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseSetting("Infercost:Database", Database);
}

/// <summary>Fresh database file paths under the temp folder.</summary>
internal static class TempDatabase
{
    public static string Path() => System.IO.Path.Combine(System.IO.Path.GetTempPath(), "infercost-tests", Guid.NewGuid().ToString("n"), "scenarios.db");
}

/// <summary>The app on a real Kestrel bound to 127.0.0.1 on an OS-chosen port.</summary>
internal sealed class KestrelServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public static async Task<KestrelServer> StartAsync(params string[] args)
    {
        var app = ServerApp.Create(["--urls", "http://127.0.0.1:0", "--Infercost:Database=" + TempDatabase.Path(), .. args]);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new KestrelServer(app, new Uri(app.Urls.First()));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
