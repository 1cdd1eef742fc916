using System.Net;
using System.Text;
using System.Text.Json;
using Infercost.Serving;

namespace Infercost.Cli.Tests.LoadGeneration;

public sealed class EmulatorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Body(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    [Fact]
    public async Task ChatStream_SendsOpenAiChunksUsageAndDone()
    {
        await using var emulator = await Servers.Emulator();
        using var http = new HttpClient { BaseAddress = emulator.Address, Timeout = TimeSpan.FromSeconds(30) };

        // When a streamed chat completion of 5 tokens asks for usage
        using var response = await http.PostAsync("v1/chat/completions", Body(new
        {
            model = "llama-3.1-8b", messages = new[] { new { role = "user", content = "Hello there" } }, max_tokens = 5, stream = true,
            stream_options = new { include_usage = true },
        }), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        // Then: SSE lines "data: {...}", a role chunk, 5 content chunks (the last with finish_reason), a usage chunk, [DONE]
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e[6..]).RootElement).ToList();
        Assert.Equal(7, chunks.Count);
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal(5, chunks.Count(c => c.GetProperty("choices").GetArrayLength() > 0 && c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var t) && t.GetString() == " the"));
        Assert.Equal("length", chunks[5].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        var usage = chunks[6].GetProperty("usage");
        Assert.Equal(0, chunks[6].GetProperty("choices").GetArrayLength());
        Assert.Equal(2, usage.GetProperty("prompt_tokens").GetInt32()); // "Hello there" is two cl100k tokens
        Assert.Equal(5, usage.GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task ChatStream_FirstTokenNoSoonerThanTheModelledPrefillStep()
    {
        await using var emulator = await Servers.Emulator();
        using var http = new HttpClient { BaseAddress = emulator.Address, Timeout = TimeSpan.FromSeconds(30) };
        var prompt = string.Concat(Enumerable.Repeat(" the", 4000));
        var batch = new BatchComposition();
        batch.AddPrefillChunk(4000, 0, double.PositiveInfinity);
        var step = BatchStepModel.Cost(Servers.Llama8B, batch).Total.Value;

        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var response = await http.PostAsync("v1/completions", Body(new { model = "llama-3.1-8b", prompt, max_tokens = 1 }), Ct);
        var elapsed = watch.Elapsed.TotalSeconds;
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));

        // The emulator sleeps until the step ends: the answer cannot come before the prefill of 4,000 tokens
        Assert.True(elapsed >= step, $"answered in {elapsed} s; the modelled prefill step is {step} s");
        Assert.Equal("text_completion", json.RootElement.GetProperty("object").GetString());
        Assert.Equal(" the", json.RootElement.GetProperty("choices")[0].GetProperty("text").GetString());
        Assert.Equal(4000, json.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ClientDisconnectsMidStream_RequestIsAbortedOnlyWhenAskedTo(bool abort)
    {
        await using var emulator = await Servers.Emulator(abortOnDisconnect: abort);
        using var http = new HttpClient { BaseAddress = emulator.Address, Timeout = TimeSpan.FromSeconds(30) };

        // Given a stream of 20,000 tokens (minutes of decode at one token per step), read until the first token arrives
        using (var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions"))
        {
            request.Content = Body(new { model = "llama-3.1-8b", messages = new[] { new { role = "user", content = "hi" } }, max_tokens = 20_000, stream = true });
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
            await using var stream = await response.Content.ReadAsStreamAsync(Ct);
            using var reader = new StreamReader(stream);
            var tokens = 0;
            while (tokens < 3 && await reader.ReadLineAsync(Ct) is { } line)
            {
                if (line.Contains("\"content\":\" the\"", StringComparison.Ordinal)) tokens++;
            }

            Assert.Equal(3, tokens);
            Assert.Equal(1, emulator.Outstanding);
        } // When the client closes the connection mid-stream

        // Then with abort the replica drops it within a few steps; with finish it keeps generating
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var wait = TimeSpan.FromSeconds(abort ? 10 : 1);
        while (emulator.Outstanding > 0 && watch.Elapsed < wait) await Task.Delay(20, Ct);
        if (abort)
        {
            Assert.Equal(0, emulator.Outstanding);
            Assert.Equal(1, emulator.Aborted);
        }
        else
        {
            Assert.Equal(1, emulator.Outstanding);
            Assert.Equal(0, emulator.Aborted);
        }
    }

    [Fact]
    public async Task Models_ListsTheServedName_WrongModelIs404()
    {
        await using var emulator = await Servers.Emulator();
        using var http = new HttpClient { BaseAddress = emulator.Address };

        var models = JsonDocument.Parse(await http.GetStringAsync("v1/models", Ct)).RootElement;
        using var wrong = await http.PostAsync("v1/chat/completions", Body(new { model = "gpt-5", messages = new[] { new { role = "user", content = "hi" } } }), Ct);
        var error = JsonDocument.Parse(await wrong.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error");

        Assert.Equal("llama-3.1-8b", models.GetProperty("data")[0].GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task ApiKey_MissingOrWrong_401()
    {
        await using var emulator = await Servers.Emulator(apiKey: "k1");
        using var http = new HttpClient { BaseAddress = emulator.Address };

        using var none = await http.GetAsync("v1/models", Ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/models");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "k1");
        using var good = await http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }
}
