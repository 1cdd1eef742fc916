using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;

namespace Infercost.Server.Tests;

/// <summary>A fixture whose jobs are bounded tightly, to test the bounds.</summary>
public sealed class OneJobServerFixture : Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<ServerSettings>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Infercost:Database", TempDatabase.Path());
        builder.UseSetting("Infercost:MaxConcurrentJobs", "1");
        builder.UseSetting("Infercost:JobTimeoutSeconds", "1");
    }
}

public sealed class JobEndpointTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    // About 2 billion output tokens: a minute of simulation, unless cancelled.
    // Far beyond the 1 s limit on any machine: lognormal outputs end at different steps, so the decode fast-forward
    // (which runs a closed loop of equal lengths in lockstep, 2 million requests in about a second) cannot skip them.
    private const string LongSimulation = """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "concurrency": 256, "requests": 1000000, "input": 100, "outputDist": "lognormal:1000:1" }""";
    private const string ShortSimulation = """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 5, "requests": 3000, "input": 500, "output": 100 }""";

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> StartJob(HttpClient client, string question, string body)
    {
        var response = await client.PostAsync("/api/jobs/" + question, Body(body), Token);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal("/api/jobs/" + job.GetProperty("id").GetString(), response.Headers.Location?.ToString());
        return job;
    }

    // (event, data) pairs of a server-sent-event stream, read to its end.
    private static async Task<List<(string Event, string Data)>> ReadEvents(HttpClient client, string id)
    {
        using var response = await client.GetAsync($"/api/jobs/{id}/events", HttpCompletionOption.ResponseHeadersRead, Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Token));
        var events = new List<(string, string)>();
        string? name = null, data = null;
        while (await reader.ReadLineAsync(Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data = data is null ? line[6..] : data + "\n" + line[6..];
            else if (line.Length == 0 && data is not null)
            {
                events.Add((name ?? "message", data));
                (name, data) = (null, null);
            }
        }

        return events;
    }

    // Runs a job to its end: its progress events only rise and the last event is "succeeded"; returns the final status.
    private static async Task<JsonDocument> RunToSuccess(HttpClient client, string question, string body)
    {
        var job = await StartJob(client, question, body);
        var events = await ReadEvents(client, job.GetProperty("id").GetString()!);
        var progress = events.Where(e => e.Event == "progress").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("progress").GetDouble()).ToList();
        Assert.NotEmpty(progress);
        Assert.Equal(progress.Order(), progress);
        var (last, data) = events[^1];
        Assert.Equal("succeeded", last);
        return JsonDocument.Parse(data);
    }

    // Starts a long job, deletes it after the delay, and checks that it ends "cancelled" within 20 s; returns its id.
    private static async Task<string> CancelWithin20Seconds(HttpClient client, string question, string body, TimeSpan delay)
    {
        var job = await StartJob(client, question, body);
        var id = job.GetProperty("id").GetString()!;
        var clock = Stopwatch.StartNew();

        await Task.Delay(delay, Token);
        var delete = await client.DeleteAsync("/api/jobs/" + id, Token);
        var events = await ReadEvents(client, id);

        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        Assert.Equal("cancelled", events[^1].Event);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        return id;
    }

    [Fact]
    public async Task Simulate_AsAJob_StreamsRisingProgress_ThenTheCliRecord()
    {
        var client = server.CreateClient();

        using var status = await RunToSuccess(client, "simulate", ShortSimulation);
        Assert.Equal(1, status.RootElement.GetProperty("progress").GetDouble());
        var cli = CliJson.Run("simulate", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "1", "--rate", "5", "--requests", "3000", "--input", "500", "--output", "100");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(cli), JsonNode.Parse(status.RootElement.GetProperty("result").GetRawText())));
    }

    [Fact]
    public async Task Delete_CancelsARunningSimulation_WithinAStep()
    {
        var client = server.CreateClient();
        var job = await StartJob(client, "simulate", LongSimulation);
        var id = job.GetProperty("id").GetString()!;
        var clock = Stopwatch.StartNew();

        var delete = await client.DeleteAsync("/api/jobs/" + id, Token);
        var events = await ReadEvents(client, id);

        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        Assert.Equal("cancelled", events[^1].Event);
        // The run is a minute of work: it stopped because the token reached the simulator's loop.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        var status = await client.GetFromJsonAsync<JsonElement>("/api/jobs/" + id, Token);
        Assert.Equal("cancelled", status.GetProperty("state").GetString());
        Assert.True(status.GetProperty("progress").GetDouble() < 1);
        Assert.Contains("cancelled by DELETE", status.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private const string ShortPlan = """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "rate": 30, "input": 200, "output": 50, "maxGpusPerReplica": 1, "trialTime": "10s" }""";

    // Hundreds of 200,000-request trials over eight replica sizes: minutes of work, unless cancelled.
    private const string LongPlan = """{ "model": "llama-3.1-70b", "gpu": "nvidia-h100-sxm", "rate": 400, "input": 2000, "output": 500, "trialTime": "3600s", "diurnal": true, "autoscaleStep": 1 }""";

    [Fact]
    public async Task Plan_AsAJob_StreamsRisingProgress_ThenTheCliRecord()
    {
        var client = server.CreateClient();

        using var status = await RunToSuccess(client, "plan", ShortPlan);
        var cli = CliJson.Run("plan", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--rate", "30", "--input", "200", "--output", "50", "--max-gpus-per-replica", "1", "--trial-time", "10s");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(cli), JsonNode.Parse(status.RootElement.GetProperty("result").GetRawText())));
    }

    // The speculation fields reach the planner from the body as from the flags (issue 12): one record, one answer.
    [Fact]
    public async Task Plan_WithSpeculation_AsAJob_IsTheCliRecord()
    {
        var client = server.CreateClient();

        using var status = await RunToSuccess(client, "plan",
            """{ "model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "rate": 2, "input": 200, "output": 50, "maxGpusPerReplica": 4, "trialTime": "10s", "draftModel": "llama-3.1-8b", "specLength": 2, "specAcceptance": [0.8] }""");
        var cli = CliJson.Run("plan", "--model", "llama-3.3-70b", "--gpu", "nvidia-h100-sxm", "--rate", "2", "--input", "200", "--output", "50", "--max-gpus-per-replica", "4",
            "--trial-time", "10s", "--draft-model", "llama-3.1-8b", "--spec-length", "2", "--spec-acceptance", "0.8");
        var result = JsonNode.Parse(status.RootElement.GetProperty("result").GetRawText());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(cli), result));
        Assert.Equal(2.44, result!["speculation"]!["tokensPerStep"]!.GetValue<double>(), 1e-12);
    }

    [Fact]
    public async Task Delete_CancelsARunningPlan_WithinATrialStep()
    {
        var client = server.CreateClient();
        await CancelWithin20Seconds(client, "plan", LongPlan, TimeSpan.FromMilliseconds(200));
    }

    private const string ShortSearch = """{ "model": ["llama-3.1-8b"], "gpu": ["nvidia-h100-sxm"], "gpusPerReplica": [1, 2], "rate": 5, "input": 200, "output": 50, "trialTime": "10s", "trialRequests": 1000, "wave": 1 }""";

    // Every candidate of two models on two GPUs simulated (no pruning) with 200,000-request trials: minutes, unless cancelled.
    private const string LongSearch = """{ "model": ["llama-3.1-70b", "llama-3.1-8b"], "gpu": ["nvidia-h100-sxm", "nvidia-a100-sxm-80gb"], "rate": 400, "input": 2000, "output": 500, "trialTime": "3600s", "trialRequests": 200000, "prune": false }""";

    [Fact]
    public async Task Search_AsAJob_StreamsRisingProgress_ThenTheCliRecord()
    {
        var client = server.CreateClient();

        using var status = await RunToSuccess(client, "search", ShortSearch);
        var cli = CliJson.Run("search", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus-per-replica", "1,2", "--rate", "5", "--input", "200", "--output", "50",
            "--trial-time", "10s", "--trial-requests", "1000", "--wave", "1");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(cli), JsonNode.Parse(status.RootElement.GetProperty("result").GetRawText())));
    }

    [Fact]
    public async Task Delete_CancelsARunningSearch_WithinATrial()
    {
        var client = server.CreateClient();
        await CancelWithin20Seconds(client, "search", LongSearch, TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Frontier_AndPopulation_RunAsJobs()
    {
        var client = server.CreateClient();

        var frontier = await StartJob(client, "frontier", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "concurrency": [1, 8], "input": 200, "output": 50 }""");
        var population = await StartJob(client, "subscription-population", """{ "plan": "max-20x", "users": 5000 }""");

        Assert.Equal("succeeded", (await ReadEvents(client, frontier.GetProperty("id").GetString()!))[^1].Event);
        Assert.Equal("succeeded", (await ReadEvents(client, population.GetProperty("id").GetString()!))[^1].Event);
    }

    [Fact]
    public async Task InvalidJobInput_Is400BeforeAnyJobStarts()
    {
        var response = await server.CreateClient().PostAsync("/api/jobs/simulate", Body("""{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": -1 }"""), Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("rate must be in [1E-06, 1E+06]; was -1.", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABudgetTheCoreRefusesOnlyWhenRunning_FailsTheJobNamingTheField()
    {
        var client = server.CreateClient();
        var job = await StartJob(client, "simulate", """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "rate": 1, "requests": 100000000 }""");

        var events = await ReadEvents(client, job.GetProperty("id").GetString()!);

        Assert.Equal("failed", events[^1].Event);
        using var status = JsonDocument.Parse(events[^1].Data);
        Assert.Equal("requests", status.RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task UnknownJob_Is404()
    {
        var response = await server.CreateClient().GetAsync("/api/jobs/nope/events", Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

public sealed class JobLimitTests(OneJobServerFixture server) : IClassFixture<OneJobServerFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    // Far beyond the 1 s limit on any machine: lognormal outputs end at different steps, so the decode fast-forward
    // (which runs a closed loop of equal lengths in lockstep, 2 million requests in about a second) cannot skip them.
    private const string LongSimulation = """{ "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": 1, "concurrency": 256, "requests": 1000000, "input": 100, "outputDist": "lognormal:1000:1" }""";

    [Fact]
    public async Task BeyondTheJobLimit_Is429_AndTheTimeLimitCancels()
    {
        var client = server.CreateClient();

        var first = await client.PostAsync("/api/jobs/simulate", new StringContent(LongSimulation, Encoding.UTF8, "application/json"), Token);
        var second = await client.PostAsync("/api/jobs/simulate", new StringContent(LongSimulation, Encoding.UTF8, "application/json"), Token);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("id").GetString();
        JsonElement status;
        var clock = Stopwatch.StartNew();
        do
        {
            await Task.Delay(100, Token);
            status = await client.GetFromJsonAsync<JsonElement>("/api/jobs/" + id, Token);
        }
        while (status.GetProperty("state").GetString() == "running" && clock.Elapsed < TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal((HttpStatusCode)429, second.StatusCode);
        Assert.Equal("cancelled", status.GetProperty("state").GetString());
        Assert.Contains("time limit", status.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASynchronousAnswer_StopsAtTheTimeLimitToo()
    {
        var response = await server.CreateClient().PostAsync("/api/simulate", new StringContent(LongSimulation, Encoding.UTF8, "application/json"), Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("POST /api/jobs/simulate", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }
}
