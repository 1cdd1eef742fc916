using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Infercost.Server.Tests;

public sealed class QuestionEndpointTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<HttpResponseMessage> Post(string path, string json) =>
        await server.CreateClient().PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Token);

    [Fact]
    public async Task Cost_ReturnsTheRecordTheCliPrintsWithJson()
    {
        var response = await Post("/api/cost", """{ "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 8, "gpuPrice": "1.5..3.5", "utilisation": 0.6 }""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cli = CliJson.Run("cost", "--model", "llama-3.3-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--gpu-price", "1.5..3.5", "--utilisation", "0.6");
        Assert.Equal(cli, await response.Content.ReadAsStringAsync(Token));
    }

    [Theory]
    [InlineData("/api/fit", """{ "model": "llama-3.1-70b", "gpu": "nvidia-h100-sxm", "gpus": 2, "context": 8192 }""", "fit --model llama-3.1-70b --gpu nvidia-h100-sxm --gpus 2 --context 8192")]
    [InlineData("/api/sweep", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "batches": [1, 8, 64] }""", "sweep --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --batches 1,8,64")]
    [InlineData("/api/cost", """{ "model": "deepseek-v3", "gpu": "nvidia-h100-sxm", "gpus": 16, "specMethod": "mtp", "specAcceptance": [0.85] }""", "cost --model deepseek-v3 --gpu nvidia-h100-sxm --gpus 16 --spec-method mtp --spec-acceptance 0.85")]
    [InlineData("/api/sweep", """{ "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 4, "tp": 4, "batches": [1, 32], "draftModel": "llama-3.1-8b", "specLength": 4, "specAcceptance": [0.8, 0.7] }""", "sweep --model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 4 --tp 4 --batches 1,32 --draft-model llama-3.1-8b --spec-length 4 --spec-acceptance 0.8,0.7")]
    [InlineData("/api/check", """{ "model": "deepseek-r1", "gpu": "nvidia-h100-sxm", "gpus": 8, "prefillTps": 1440000, "activeParams": 37e9, "precision": "fp8" }""", "check --model deepseek-r1 --gpu nvidia-h100-sxm --gpus 8 --prefill-tps 1440000 --active-params 37e9 --precision fp8")]
    public async Task Question_ReturnsTheCliJsonRecord(string path, string body, string cli)
    {
        var response = await Post(path, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(CliJson.Run(cli.Split(' ')), await response.Content.ReadAsStringAsync(Token));
    }

    [Fact]
    public async Task Fit_DoesNotFit_IsAnAnswerNotAnError()
    {
        var response = await Post("/api/fit", """{ "model": "llama-3.1-405b", "gpu": "nvidia-h100-sxm", "gpus": 1 }""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        Assert.False(json.RootElement.GetProperty("fits").GetBoolean());
    }

    public static TheoryData<string, string, string> InvalidBodies => new()
    {
        { """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 0 }""", "gpus", "gpus must be in [1, 1000000]; was 0." },
        { """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "gpuPrice": -1 }""", "gpuPrice", "gpuPrice must be in [0, 10000]; was -1." },
        { """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": "abc" }""", "gpus", "gpus must be a whole number; was \"abc\"." },
        { """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "weights": "fp3" }""", "weights", "weights must be one of fp16, bf16, fp8, int8, int4, fp4; was \"fp3\"." },
        { """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "colour": "red" }""", "colour", "colour is not a field of this request" },
        { """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "purchasePrice": 30000 }""", "purchasePrice", "purchasePrice applies to owned hardware; add owned." },
        { """{ "model": "deepseek-r", "gpu": "nvidia-h100-sxm", "gpus": 1 }""", "model", "unknown model 'deepseek-r'; did you mean deepseek-r1" },
        { """{ "model": "llama-3.1-405b", "gpu": "nvidia-h100-sxm", "gpus": 1 }""", "gpus", "llama-3.1-405b does not fit on 1 × nvidia-h100-sxm" },
        { """{ "gpu": "nvidia-h100-sxm", "gpus": 1 }""", "model", "model is required" },
        { """{ "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 4, "draftModel": "qwen2.5-7b" }""", "draftModel", "draftModel qwen2.5-7b has a vocabulary of" },
        { """{ "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 4, "specMethod": "mtp", "specLength": 0 }""", "specLength", "specLength must be in [1, 16]; was 0." },
        { """[1, 2]""", "body", "body must be a JSON object" },
        { """{ "model": """, "body", "body must be well-formed JSON" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task InvalidInput_Is400ProblemDetailsNamingTheField(string body, string field, string detail)
    {
        var response = await Post("/api/cost", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        Assert.Equal(field, json.RootElement.GetProperty("field").GetString());
        Assert.Contains(detail, json.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(json.RootElement.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task NotJson_Is415()
    {
        var response = await server.CreateClient().PostAsync("/api/cost", new StringContent("gpus=1", Encoding.UTF8, "text/plain"), Token);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task OversizedBody_Is413BeforeAnyWork()
    {
        var body = "{ \"model\": \"llama-3.1-8b\", \"gpu\": \"nvidia-h100-sxm\", \"gpus\": 1, \"modelConfig\": \"" + new string('x', 300 * 1024) + "\" }";

        var response = await Post("/api/cost", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task SweepWithTooManyBatches_Is400()
    {
        var batches = string.Join(',', Enumerable.Range(1, 5000));

        var response = await Post("/api/sweep", $$"""{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "batches": [{{batches}}] }""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 4096", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PastedHuggingFaceConfig_IsAModel()
    {
        var config = JsonSerializer.Serialize("""
            { "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 4096, "intermediate_size": 14336,
              "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 8, "vocab_size": 128256,
              "max_position_embeddings": 131072, "torch_dtype": "bfloat16", "tie_word_embeddings": false }
            """);

        var response = await Post("/api/cost", $$"""{ "model": "my-llama", "modelConfig": {{config}}, "gpu": "nvidia-h100-sxm", "gpus": 1 }""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        Assert.Equal("my-llama", json.RootElement.GetProperty("serving").GetProperty("modelId").GetString());
    }

    [Fact]
    public async Task Catalog_ListsAndShows()
    {
        var client = server.CreateClient();

        var list = await client.GetFromJsonAsync<JsonElement>("/api/catalog?kind=gpus", Token);
        var show = await client.GetAsync("/api/catalog/nvidia-h100-sxm", Token);
        var unknown = await client.GetAsync("/api/catalog/nvidia-h100-sx", Token);

        Assert.True(list.GetProperty("accelerators").GetArrayLength() > 5);
        Assert.Equal(JsonValueKind.Null, list.GetProperty("models").ValueKind);
        Assert.Equal(HttpStatusCode.OK, show.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("did you mean nvidia-h100-sxm", await unknown.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheQuestions_AndTheReferencePageIsServedLocally()
    {
        var client = server.CreateClient();

        var document = await client.GetStringAsync("/openapi/v1.json", Token);
        var page = await client.GetStringAsync("/scalar/v1", Token);

        foreach (var path in new[] { "/api/cost", "/api/fit", "/api/sweep", "/api/check", "/api/catalog" })
        {
            Assert.Contains($"\"{path}\"", document, StringComparison.Ordinal);
        }

        Assert.Contains("gpuPrice", document, StringComparison.Ordinal);
        Assert.Contains("<script", page, StringComparison.Ordinal);
        Assert.DoesNotContain("cdn.", page, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CrossOriginRequest_IsRefused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cost")
        {
            Content = new StringContent("""{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1 }""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", "https://evil.example");

        var response = await server.CreateClient().SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
