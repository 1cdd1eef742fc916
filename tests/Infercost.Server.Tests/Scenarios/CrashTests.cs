using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Infercost.Server.Scenarios;
using Microsoft.Data.Sqlite;

namespace Infercost.Server.Tests.Scenarios;

// Two `infercost serve` processes write to one SQLite file while clients post scenarios to both; both are killed with
// SIGKILL mid-stream. Every scenario a server acknowledged (201) must then read back whole, and the file must pass
// SQLite's integrity check.
public sealed partial class CrashTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WritersKilledWithSigkill_LoseNoCommittedScenario()
    {
        var database = TempDatabase.Path();
        // Migrate first, so the two servers start on a ready file.
        await SqlScenarioStore.OpenAsync(database, Token);
        var servers = new[] { await Start(database), await Start(database) };
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        using var stop = new CancellationTokenSource();

        try
        {
            var clients = Enumerable.Range(0, 6).Select(c => Task.Run(async () =>
            {
                using var http = new HttpClient { BaseAddress = servers[c % 2].Address, Timeout = TimeSpan.FromSeconds(20) };
                for (var i = 0; i < 400 && !stop.IsCancellationRequested; i++)
                {
                    var name = $"client{c}-{i}";
                    var body = $$"""{ "name": "{{name}}", "question": "cost", "inputs": { "model": "llama-3.1-8b", "gpu": "nvidia-h100-sxm", "gpus": {{1 + i % 4}} } }""";
                    try
                    {
                        using var response = await http.PostAsync("/api/scenarios", new StringContent(body, Encoding.UTF8, "application/json"), stop.Token);
                        if (response.StatusCode != HttpStatusCode.Created) continue;
                        using var saved = JsonDocument.Parse(await response.Content.ReadAsStringAsync(stop.Token));
                        acknowledged[saved.RootElement.GetProperty("id").GetString()!] = name;
                    }
                    catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
                    {
                        return; // the server died under us: that is the point
                    }
                }
            }, Token)).ToArray();

            // Kill both servers once a good number of writes are in, while requests are still in flight.
            var deadline = Stopwatch.StartNew();
            while (acknowledged.Count < 150 && deadline.Elapsed < TimeSpan.FromSeconds(60) && !clients.All(t => t.IsCompleted))
            {
                await Task.Delay(5, Token);
            }

            foreach (var s in servers) s.Process.Kill(entireProcessTree: true);
            await stop.CancelAsync();
            await Task.WhenAll(clients);
        }
        finally
        {
            foreach (var s in servers)
            {
                if (!s.Process.HasExited) s.Process.Kill(entireProcessTree: true);
                await s.Process.WaitForExitAsync(Token);
                s.Process.Dispose();
            }
        }

        Assert.True(acknowledged.Count >= 20, $"only {acknowledged.Count} scenarios were acknowledged before the kill");
        await using (var connection = new SqliteConnection($"Data Source={database}"))
        {
            await connection.OpenAsync(Token);
            await using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", (string?)await check.ExecuteScalarAsync(Token));
        }

        var store = await SqlScenarioStore.OpenAsync(database, Token);
        foreach (var (id, name) in acknowledged)
        {
            var scenario = await store.GetAsync(id, Token);
            Assert.NotNull(scenario);
            Assert.Equal(name, scenario.Name);
            Assert.True(scenario.Result.GetProperty("cost").GetProperty("outputPerMillion").GetDouble() > 0);
        }

        TestContext.Current.SendDiagnosticMessage($"crash test: {acknowledged.Count} acknowledged, {await store.CountAsync(Token)} in the file, all acknowledged read back");
    }

    private sealed record Running(Process Process, Uri Address);

    private static async Task<Running> Start(string database)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "Infercost.Cli.dll");
        var start = new ProcessStartInfo("dotnet", [cli, "serve", "--urls", "http://127.0.0.1:0", "--db", database])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            var line = await process.StandardError.ReadLineAsync(Token);
            if (line is null) break;
            if (Listening().Match(line) is { Success: true } m)
            {
                _ = process.StandardError.ReadToEndAsync(Token);
                return new Running(process, new Uri(m.Groups[1].Value));
            }
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException("infercost serve did not report its address");
    }

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
