using Microsoft.Playwright;

namespace Infercost.Server.Tests.Dashboard;

/// <summary>The server on a real Kestrel bound to 127.0.0.1 (an OS-chosen port, its own SQLite file) and Debian's
/// headless Chromium driven by Playwright, shared by a test class; both are stopped when the class is done. No browser
/// is downloaded: Playwright launches /usr/bin/chromium (.ci/run installs it).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private KestrelServer? _server;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public Uri Address => _server!.Address;

    public HttpClient Client => _server!.Client;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath)) return;
        _server = await KestrelServer.StartAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // As root and on a machine with no network beyond loopback: no sandbox, and nothing that phones home.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh page (its own context: no cookies or storage shared) at <paramref name="width"/> × 900, with
    /// every console error and page error collected into <paramref name="errors"/>.</summary>
    public async Task<IPage> NewPage(List<string> errors, int width = 1280)
    {
        if (_server is null) Assert.Skip($"{ChromiumPath} is not installed (.ci/run installs Debian's chromium)");
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 }, BaseURL = Address.ToString() });
        var page = await context.NewPageAsync();
        page.Console += (_, m) =>
        {
            if (m.Type == "error") errors.Add("console: " + m.Text);
        };
        page.PageError += (_, e) => errors.Add("page: " + e);
        return page;
    }

    /// <summary>The variance of the luminance of a PNG's pixels (0 for a blank image), decoded by Chromium itself on an
    /// empty page.</summary>
    public async Task<double> PixelVariance(byte[] png)
    {
        var context = await Browser.NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            return await page.EvaluateAsync<double>("""
                async (src) => {
                  const image = new Image();
                  image.src = src;
                  await image.decode();
                  const canvas = document.createElement("canvas");
                  canvas.width = image.width;
                  canvas.height = image.height;
                  const g = canvas.getContext("2d");
                  g.drawImage(image, 0, 0);
                  const data = g.getImageData(0, 0, image.width, image.height).data;
                  let sum = 0, squares = 0, n = 0;
                  for (let i = 0; i < data.length; i += 4) {
                    const y = 0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2];
                    sum += y; squares += y * y; n++;
                  }
                  const mean = sum / n;
                  return squares / n - mean * mean;
                }
                """, "data:image/png;base64," + Convert.ToBase64String(png));
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
    }
}
