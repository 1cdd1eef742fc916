using System.Net;
using System.Text;
using System.Text.Json;

namespace Infercost.Server.Tests;

// Every question beyond cost/fit/sweep/check: the body is the request record the CLI builds from its flags, and the
// answer is byte for byte what the CLI prints with --json.
public sealed class MoreQuestionEndpointTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<HttpResponseMessage> Post(string path, string json) =>
        await server.CreateClient().PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Token);

    public static TheoryData<string, string, string> SameAsCli => new()
    {
        { "/api/prices", """{ "provider": "anthropic" }""", "prices --provider anthropic" },
        { "/api/prices", """{ "history": "claude-opus-4.5" }""", "prices --history claude-opus-4.5" },
        { "/api/margin", """{ "priceModel": "claude-sonnet-4.5", "costIn": 0.01, "costOut": 3 }""", "margin --price-model claude-sonnet-4.5 --cost-in 0.01 --cost-out 3" },
        { "/api/margin", """{ "priceModel": "claude-sonnet-4.5", "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 8, "gpuPrice": 2, "profile": "chat" }""",
            "margin --price-model claude-sonnet-4.5 --model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 8 --gpu-price 2 --profile chat" },
        { "/api/subscription-population", """{ "plan": "max-20x", "users": 2000, "seed": 7 }""", "subscription population --plan max-20x --users 2000 --seed 7" },
        { "/api/subscription-population", """{ "plan": "pro", "users": 500, "mixture": ["0.9:10000:1", "0.1:300000:0.8"], "costOut": 5 }""",
            "subscription population --plan pro --users 500 --mixture 0.9:10000:1 --mixture 0.1:300000:0.8 --cost-out 5" },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 5, "requests": 300, "input": 500, "output": 100 }""",
            "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --rate 5 --requests 300 --input 500 --output 100" },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 2, "rate": 4, "duration": "60s", "sloTtft": "1s", "sloTpot": "30ms", "arrival": "gamma", "cv": 3, "outputDist": "lognormal:100:0.5", "gpuPrice": 2 }""",
            "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 2 --rate 4 --duration 60s --slo-ttft 1s --slo-tpot 30ms --arrival gamma --cv 3 --output-dist lognormal:100:0.5 --gpu-price 2" },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "concurrency": 16, "requests": 200, "input": 300, "output": 50 }""",
            "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --concurrency 16 --requests 200 --input 300 --output 50" },
        { "/api/frontier", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "concurrency": [1, 4], "input": 200, "output": 50 }""",
            "frontier --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --concurrency 1,4 --input 200 --output 50" },
    };

    [Theory]
    [MemberData(nameof(SameAsCli))]
    public async Task Question_ReturnsTheCliJsonRecord(string path, string body, string cli)
    {
        var response = await Post(path, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(CliJson.Run(cli.Split(' ')), await response.Content.ReadAsStringAsync(Token));
    }

    public static TheoryData<string, string, string, string> Invalid => new()
    {
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 0 }""", "rate", "rate must be in [1E-06, 1E+06]; was 0." },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 1, "sloTpot": "fast" }""", "sloTpot", "sloTpot must be a duration such as 2s, 50ms or 1.5 (seconds); was 'fast'." },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 1, "concurrency": 4 }""", "concurrency", "concurrency runs a closed loop; drop rate/rateCurve, or drop concurrency." },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1 }""", "rate", "rate is required: give rate REQ/S, rateCurve FILE or concurrency N." },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 1, "batch": 8 }""", "batch", "batch does not apply to a simulation" },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 1, "requests": 100000000 }""", "requests",
            "requests 100000000 means about 100,000,000 requests × 1000 output tokens = 100 billion tokens to simulate; one run simulates at most 2 billion" },
        { "/api/simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 1, "router": "random" }""", "router", "router must be" },
        { "/api/frontier", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "concurrency": [0] }""", "concurrency", "concurrency must be in [1, 1000000]; was 0." },
        { "/api/frontier", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "outputDist": "10000000" }""", "gpus", "Not even one sequence fits" },
        { "/api/margin", """{ "priceModel": "claude-sonnet-4.5", "costIn": 1 }""", "costIn", "give both costIn and costOut." },
        { "/api/margin", """{ "priceModel": "claude-sonnet-4.5", "costIn": 1, "costOut": 2, "gpus": 8 }""", "gpus", "give either costIn/costOut or the engine's cluster (gpus), not both." },
        { "/api/margin", """{ "priceModel": "claude-sonnet-4.5", "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm" }""", "gpus", "gpus is required for a self-hosted cluster" },
        { "/api/margin", """{ "costIn": 1, "costOut": 2 }""", "priceModel", "priceModel is required" },
        { "/api/subscription-population", """{ "plan": "max-20x", "users": 0 }""", "users", "users must be in [1, 10000000]; was 0." },
        { "/api/subscription-population", """{ "plan": "platinum" }""", "plan", "unknown plan 'platinum'" },
        { "/api/subscription-population", """{ "plan": "pro", "sigma": 9 }""", "sigma", "sigma must be in [0, 5]; was 9." },
        { "/api/prices", """{ "provider": "nobody-sells-this" }""", "model", "no prices match the filters" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task InvalidInput_Is400NamingTheField(string path, string body, string field, string detail)
    {
        var response = await Post(path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        Assert.Equal(field, json.RootElement.GetProperty("field").GetString());
        Assert.Contains(detail, json.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDocument_ListsEveryQuestionAndTheJobs()
    {
        var document = await server.CreateClient().GetStringAsync("/openapi/v1.json", Token);

        foreach (var name in new[] { "prices", "margin", "subscription-population", "simulate", "frontier", "jobs/simulate", "jobs/{id}/events" })
        {
            Assert.Contains($"\"/api/{name}\"", document, StringComparison.Ordinal);
        }
    }
}
