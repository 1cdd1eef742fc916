using System.Net;
using System.Text;

namespace Infercost.Server.Tests;

public sealed class KestrelTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;
    private const string Body = """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1 }""";

    [Fact]
    public async Task RealKestrelOnLoopback_AnswersCost()
    {
        await using var server = await KestrelServer.StartAsync();

        var response = await server.Client.PostAsync("/api/cost", new StringContent(Body, Encoding.UTF8, "application/json"), Token);

        Assert.Equal("127.0.0.1", server.Address.Host);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(CliJson.Run("cost", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "1"), await response.Content.ReadAsStringAsync(Token));
    }

    [Fact]
    public async Task WithAnApiKey_ApiRequestsWithoutItAre401()
    {
        await using var server = await KestrelServer.StartAsync("--Infercost:ApiKey=s3cret");

        var without = await server.Client.PostAsync("/api/cost", new StringContent(Body, Encoding.UTF8, "application/json"), Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cost") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", "s3cret");
        var with = await server.Client.SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
    }

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://*:0")]
    [InlineData("http://192.168.1.20:0")]
    public void BoundBeyondLoopback_WithoutAKey_RefusesToStart(string urls)
    {
        var e = Assert.Throws<InvalidOperationException>(() => ServerApp.Create(["--urls", urls]));

        Assert.Contains("API key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BoundBeyondLoopback_WithAKey_Starts()
    {
        var app = ServerApp.Create(["--urls", "http://0.0.0.0:0", "--Infercost:ApiKey=k", "--Infercost:Database=" + TempDatabase.Path()]);
        await app.DisposeAsync();
    }
}
