using Microsoft.Extensions.FileProviders;

namespace Infercost.Server;

// The dashboard is a static page built by vite from ClientApp/ into wwwroot/ and embedded in this assembly; its
// scripts call the same /api endpoints any client does. Nothing is fetched from elsewhere at run time, and the
// Content-Security-Policy says so to the browser.

/// <summary>Serves the dashboard at <c>/</c> from the embedded <c>wwwroot</c>.</summary>
internal static class Dashboard
{
    private const string Policy = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
                                  "object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    /// <summary>Adds the default-file and static-file middleware over the embedded files.</summary>
    public static void Use(WebApplication app)
    {
        var files = new ManifestEmbeddedFileProvider(typeof(Dashboard).Assembly, "wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.ContentSecurityPolicy = Policy;
                headers.XContentTypeOptions = "nosniff";
                // Hashed asset names change with their content; the page itself is always revalidated.
                headers.CacheControl = context.File.Name.EndsWith(".html", StringComparison.Ordinal) ? "no-cache" : "public, max-age=31536000, immutable";
            },
        });
    }
}
