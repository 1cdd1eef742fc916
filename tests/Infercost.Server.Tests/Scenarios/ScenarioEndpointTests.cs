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
}
