using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Infercost.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Infercost.Cli.Tests.LoadGeneration;

/// <summary><c>measure --save</c>: the report kept as a scenario on a real Infercost server on loopback.</summary>
public sealed class MeasureSaveTests
{
    private static async Task<(WebApplication App, string Url, string Database)> InfercostServer(params string[] args)
    {
        var database = Path.Combine(Path.GetTempPath(), $"infercost-measure-save-{Guid.NewGuid():N}.db");
        var app = ServerApp.Create(["--urls", "http://127.0.0.1:0", "--Infercost:Database=" + database, .. args]);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return (app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First(), database);
    }

    private static async Task Stop(WebApplication app, string database)
    {
        await app.StopAsync(TestContext.Current.CancellationToken);
        await app.DisposeAsync();
        foreach (var f in new[] { database, database + "-wal", database + "-shm" }) File.Delete(f);
    }

    [Fact]
    public async Task Save_KeepsTheReportAsAMeasureScenario_ThatCompareReads()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var emulator = await Servers.Emulator();
        var (app, url, db) = await InfercostServer();
        try
        {
            // When two runs are measured and saved
            string[] Args(string name, string concurrency) => ["measure", "--endpoint", emulator.Address.ToString(), "--model", "llama-3.1-8b", "--concurrency", concurrency,
                "--requests", "6", "--input", "100", "--output", "8", "--save", name, "--server", url, "--json"];
            var first = CliRunner.Run(Args("c1", "1"));
            var second = CliRunner.Run(Args("c4", "4"));

            // Then each is a scenario of question measure whose result is the report printed
            Assert.True(first.ExitCode == 0, first.Error);
            Assert.True(second.ExitCode == 0, second.Error);
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            var list = await http.GetFromJsonAsync<JsonElement>("/api/scenarios", ct);
            var saved = list.EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("id").GetString()!);
            Assert.Equal(["c1", "c4"], saved.Keys.Order());
            var scenario = await http.GetFromJsonAsync<JsonElement>($"/api/scenarios/{saved["c1"]}", ct);
            Assert.Equal("measure", scenario.GetProperty("question").GetString());
            using var printed = JsonDocument.Parse(first.Out);
            Assert.True(JsonElement.DeepEquals(printed.RootElement.GetProperty("levels"), scenario.GetProperty("result").GetProperty("levels")));
            Assert.Equal("concurrency 1", scenario.GetProperty("inputs").GetProperty("levels")[0].GetString());

            // And compare names what differs between the two runs; re-running a measurement is refused, naming why
            var diff = await http.GetFromJsonAsync<JsonElement>($"/api/scenarios/compare?a={saved["c1"]}&b={saved["c4"]}", ct);
            Assert.Contains(diff.GetProperty("inputs").EnumerateArray(), c => c.GetProperty("path").GetString()!.Contains("levels", StringComparison.Ordinal));
            var rerun = await http.PostAsync($"/api/scenarios/{saved["c1"]}/rerun", null, ct);
            Assert.Equal(HttpStatusCode.BadRequest, rerun.StatusCode);
            Assert.Contains("cannot re-run it", await rerun.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }
        finally
        {
            await Stop(app, db);
        }
    }

    [Fact]
    public async Task Save_ServerUnreachable_RefusedBeforeAnyLoad()
    {
        await using var emulator = await Servers.Emulator();
        var run = CliRunner.Run(["measure", "--endpoint", emulator.Address.ToString(), "--model", "llama-3.1-8b", "--concurrency", "1", "--requests", "2",
            "--save", "x", "--server", "http://127.0.0.1:1"]);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains("--server", line, StringComparison.Ordinal);
        Assert.Contains("cannot reach the Infercost server at http://127.0.0.1:1/", line, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task Save_ServerWithAKey_NoKeyGiven_OneLineNamingServerKeyEnv()
    {
        await using var emulator = await Servers.Emulator();
        var (app, url, db) = await InfercostServer("--Infercost:ApiKey=sesame");
        try
        {
            var run = CliRunner.Run(["measure", "--endpoint", emulator.Address.ToString(), "--model", "llama-3.1-8b", "--concurrency", "1", "--requests", "2",
                "--save", "x", "--server", url]);

            Assert.Equal(2, run.ExitCode);
            var line = Assert.Single(run.ErrorLines);
            Assert.Contains("--server-key-env", line, StringComparison.Ordinal);
            Assert.Contains("refused the key (401)", line, StringComparison.Ordinal);

            Environment.SetEnvironmentVariable("INFERCOST_TEST_SERVER_KEY", "sesame");
            var keyed = CliRunner.Run(["measure", "--endpoint", emulator.Address.ToString(), "--model", "llama-3.1-8b", "--concurrency", "1", "--requests", "2",
                "--save", "x", "--server", url, "--server-key-env", "INFERCOST_TEST_SERVER_KEY"]);
            Assert.True(keyed.ExitCode == 0, keyed.Error);
            Assert.Contains("Saved as scenario 'x'", keyed.Console, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("INFERCOST_TEST_SERVER_KEY", null);
            await Stop(app, db);
        }
    }

    [Theory]
    [InlineData("--server", "http://127.0.0.1:5178")]
    [InlineData("--server-key-env", "K")]
    public void ServerOptionsWithoutSave_OneLineNamingTheFlag(string flag, string value)
    {
        var run = CliRunner.Run(["measure", "--endpoint", "http://127.0.0.1:1", "--model", "m", "--concurrency", "1", flag, value]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"{flag} says where --save keeps the report; add --save NAME.", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }
}
