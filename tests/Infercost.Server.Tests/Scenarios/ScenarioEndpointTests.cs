using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Infercost.Server.Tests.Scenarios;

public sealed class ScenarioEndpointTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> Save(HttpClient client, string name, string inputs)
    {
        var response = await client.PostAsync("/api/scenarios",
            new StringContent($$"""{ "name": "{{name}}", "question": "cost", "inputs": {{inputs}} }""", Encoding.UTF8, "application/json"), Token);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Token);
    }

    [Fact]
    public async Task SaveListGetCompareRerunDelete()
    {
        var client = server.CreateClient();

        var cheap = await Save(client, "cheap GPUs", """{ "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 8, "gpuPrice": 2 }""");
        var dear = await Save(client, "dear GPUs", """{ "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 8, "gpuPrice": 4 }""");
        var a = cheap.GetProperty("id").GetString();
        var b = dear.GetProperty("id").GetString();

        var list = await client.GetFromJsonAsync<JsonElement>("/api/scenarios", Token);
        var got = await client.GetFromJsonAsync<JsonElement>($"/api/scenarios/{a}", Token);
        var compare = await client.GetFromJsonAsync<JsonElement>($"/api/scenarios/compare?a={a}&b={b}", Token);
        var rerun = await client.PostAsync($"/api/scenarios/{a}/rerun", null, Token);
        var deleted = await client.DeleteAsync($"/api/scenarios/{b}", Token);
        var gone = await client.GetAsync($"/api/scenarios/{b}", Token);

        Assert.Contains(list.EnumerateArray(), s => s.GetProperty("id").GetString() == a);
        Assert.Equal("cheap GPUs", got.GetProperty("name").GetString());
        Assert.Equal(2, got.GetProperty("inputs").GetProperty("gpuPrice").GetDouble());
        Assert.False(string.IsNullOrEmpty(got.GetProperty("engineVersion").GetString()));
        var inputChanges = compare.GetProperty("inputs").EnumerateArray().ToList();
        Assert.Equal("gpuPrice", Assert.Single(inputChanges).GetProperty("path").GetString());
        var price = compare.GetProperty("results").EnumerateArray().Single(c => c.GetProperty("path").GetString() == "cost.outputPerMillion");
        Assert.Equal(1.0, price.GetProperty("change").GetDouble(), 6);
        Assert.Equal(HttpStatusCode.OK, rerun.StatusCode);
        var rerunBody = await rerun.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Empty(rerunBody.GetProperty("results").EnumerateArray());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory]
    [InlineData("""{ "name": "", "question": "cost", "inputs": {} }""", "name")]
    [InlineData("""{ "name": "x", "question": "bake", "inputs": {} }""", "question")]
    [InlineData("""{ "name": "x", "question": "cost", "inputs": { "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 0 } }""", "gpus")]
    [InlineData("""{ "name": "x", "question": "cost", "inputs": { "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "colour": 1 } }""", "inputs")]
    public async Task InvalidScenario_Is400NamingTheField(string body, string field)
    {
        var response = await server.CreateClient().PostAsync("/api/scenarios", new StringContent(body, Encoding.UTF8, "application/json"), Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.StartsWith(field, problem.GetProperty("field").GetString(), StringComparison.Ordinal);
    }

    // A measure report as `infercost measure --json` prints it, cut to what the server checks.
    private const string Level = """
        { "level": "concurrency 1", "requests": 2, "succeeded": 2, "errors": {}, "duration": 0.5,
          "timeToFirstToken": { "count": 2, "mean": 0.1, "p50": 0.1, "p90": 0.1, "p95": 0.1, "p99": 0.1, "max": 0.1 },
          "interTokenLatency": { "count": 2, "mean": 0.01, "p50": 0.01, "p90": 0.01, "p95": 0.01, "p99": 0.01, "max": 0.01 },
          "timePerOutputToken": { "count": 2, "mean": 0.01, "p50": 0.01, "p90": 0.01, "p95": 0.01, "p99": 0.01, "max": 0.01 },
          "endToEnd": { "count": 2, "mean": 0.2, "p50": 0.2, "p90": 0.2, "p95": 0.2, "p99": 0.2, "max": 0.2 },
          "outputTokensPerSecond": 40, "inputTokensPerSecond": 400, "requestsPerSecond": 4,
          "slo": { "timeToFirstToken": 2, "timePerOutputToken": 0.05 }, "goodRequests": 2, "goodputRequestsPerSecond": 4,
          "meanPromptTokens": 100, "meanOutputTokens": 10, "tokensFromUsage": 2, "serverInterTokenLatency": null, "clientOverhead": null }
        """;

    private static string Measurement(string name, string levels) =>
        $$"""{ "name": "{{name}}", "report": { "endpoint": "http://127.0.0.1:8000/v1/", "model": "m", "api": "chat", "stream": true, "tokenizer": "cl100k_base", "levels": {{levels}} } }""";

    [Fact]
    public async Task Measurement_SavedAsAScenarioOfQuestionMeasure_NotReRun()
    {
        var client = server.CreateClient();

        var response = await client.PostAsync("/api/measurements", new StringContent(Measurement("vllm c1", $"[{Level}]"), Encoding.UTF8, "application/json"), Token);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var saved = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal("measure", saved.GetProperty("question").GetString());
        Assert.Equal("http://127.0.0.1:8000/v1/", saved.GetProperty("inputs").GetProperty("endpoint").GetString());
        Assert.Equal(2, saved.GetProperty("result").GetProperty("levels")[0].GetProperty("succeeded").GetInt64());
        var rerun = await client.PostAsync($"/api/scenarios/{saved.GetProperty("id").GetString()}/rerun", null, Token);
        Assert.Equal(HttpStatusCode.BadRequest, rerun.StatusCode);
        var problem = await rerun.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal("question", problem.GetProperty("field").GetString());
    }

    public static TheoryData<string, string> BadMeasurements() => new()
    {
        { Measurement("", $"[{Level}]"), "name" },
        { Measurement("x", "[]"), "report.levels" },
        { Measurement("x", $"[{Level.Replace("\"succeeded\": 2", "\"succeeded\": 3", StringComparison.Ordinal)}]"), "report.levels[0].succeeded" },
        { Measurement("x", $"[{Level.Replace("\"duration\": 0.5", "\"duration\": -1", StringComparison.Ordinal)}]"), "report.levels[0].duration" },
        { """{ "name": "x" }""", "report" },
        { """{ "name": "x", "report": { "endpoint": "", "model": "m", "api": "chat", "stream": true, "tokenizer": "t", "levels": [] } }""", "report.endpoint" },
        { """{ "name": "x", "colour": 1 }""", "colour" },
    };

    [Theory]
    [MemberData(nameof(BadMeasurements))]
    public async Task InvalidMeasurement_Is400NamingTheField(string body, string field)
    {
        var response = await server.CreateClient().PostAsync("/api/measurements", new StringContent(body, Encoding.UTF8, "application/json"), Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }
}
