using System.Diagnostics;
using System.Text.Json;

namespace Infercost.Cli.Tests.LoadGeneration;

/// <summary>
/// A real inference engine on the CPU: llama.cpp (node-llama-cpp's prebuilt binaries, from npm) behind
/// RealEngine/server.mjs, serving a 4-layer Llama-architecture model that RealEngine/make-model.mjs writes as a GGUF
/// file (seeded random weights; nothing is downloaded). .ci/run installs the npm packages; on a machine without them
/// the tests skip, saying why, except under CI, where a missing engine is a failure.
/// </summary>
public sealed class RealEngineServer : IAsyncLifetime
{
    private Process? _server;
    private string? _folder;

    /// <summary>The engine's base URL, once started.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Why the engine is not available here; null when it runs.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>The model name the server answers to.</summary>
    public const string Model = "tiny-llama";

    public async ValueTask InitializeAsync()
    {
        var engine = Path.Combine(RepoRoot(), "tests", "Infercost.Cli.Tests", "RealEngine");
        var missing = !File.Exists(Path.Combine(engine, "node_modules", "node-llama-cpp", "package.json"))
            ? $"{engine}/node_modules is not installed (.ci/run runs npm ci there)"
            : Which("node") is null ? "node is not on PATH" : null;
        if (missing is not null)
        {
            if (Environment.GetEnvironmentVariable("CI") == "true") throw new InvalidOperationException("the real-engine tests cannot run under CI: " + missing);
            SkipReason = missing;
            return;
        }

        _folder = Directory.CreateTempSubdirectory("infercost-real-engine-").FullName;
        var modelFile = Path.Combine(_folder, "tiny-llama.gguf");
        using (var make = Start(engine, "make-model.mjs", modelFile))
        {
            await make.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
            if (make.ExitCode != 0) throw new InvalidOperationException("make-model.mjs failed: " + await make.StandardError.ReadToEndAsync());
        }

        _server = Start(engine, "server.mjs", "--model", modelFile, "--name", Model, "--port", "0", "--slots", "4", "--threads", "1", "--context", "4096");
        using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await _server.StandardOutput.ReadLineAsync(ready.Token) is { } line)
        {
            if (!line.StartsWith("listening ", StringComparison.Ordinal)) continue;
            Url = line["listening ".Length..];
            return;
        }

        throw new InvalidOperationException("server.mjs exited before listening: " + await _server.StandardError.ReadToEndAsync());
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server?.Dispose();
        if (_folder is not null) Directory.Delete(_folder, recursive: true);
    }

    private static Process Start(string folder, string script, params string[] args)
    {
        var info = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info) ?? throw new InvalidOperationException("could not start node " + script);
    }

    private static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Infercost.slnx"))) return dir.FullName;
        }

        throw new InvalidOperationException("Infercost.slnx not found above " + AppContext.BaseDirectory);
    }
}

/// <summary><c>infercost measure</c> against a real engine (llama.cpp on the CPU), not only against its own emulator.</summary>
public sealed class RealEngineTests(RealEngineServer engine) : IClassFixture<RealEngineServer>
{
    private CliRun Measure(params string[] args)
    {
        Assert.SkipWhen(engine.SkipReason is not null, engine.SkipReason ?? "");
        return CliRunner.Run(["measure", "--endpoint", engine.Url, "--model", RealEngineServer.Model, "--json", .. args]);
    }

    private static JsonElement Level(CliRun run, int index = 0)
    {
        using var json = JsonDocument.Parse(run.Out);
        return json.RootElement.GetProperty("levels")[index].Clone();
    }

    [Fact]
    public void StreamedChat_EveryRequestCountedByTheEnginesOwnUsage()
    {
        var csv = Path.Combine(Path.GetTempPath(), $"infercost-real-engine-{Guid.NewGuid():N}.csv");

        // When 6 chat requests of 12 output tokens are streamed from llama.cpp, 2 at a time
        var run = Measure("--concurrency", "2", "--requests", "6", "--input", "40", "--output", "12", "--ignore-eos", "--csv", csv);

        // Then every one succeeds with the engine's own token counts: 12 tokens each, so 11 gaps each,
        // and a prompt the engine's tokenizer counted (one token per character or byte of the text sent, so more than 40)
        Assert.True(run.ExitCode == 0, run.Error);
        var level = Level(run);
        Assert.Equal(6, level.GetProperty("succeeded").GetInt64());
        Assert.Equal(6, level.GetProperty("tokensFromUsage").GetInt64());
        Assert.Equal(12, level.GetProperty("meanOutputTokens").GetDouble());
        Assert.True(level.GetProperty("meanPromptTokens").GetDouble() > 40);
        Assert.Equal(6 * 11, level.GetProperty("interTokenLatency").GetProperty("count").GetInt64());
        Assert.True(level.GetProperty("timeToFirstToken").GetProperty("p50").GetDouble() > 0);
        Assert.True(level.GetProperty("interTokenLatency").GetProperty("p50").GetDouble() > 0);
        Assert.Equal(6, level.GetProperty("timePerOutputToken").GetProperty("count").GetInt64());
        var rows = File.ReadAllLines(csv);
        File.Delete(csv);
        Assert.Equal(7, rows.Length);
        Assert.All(rows.Skip(1), r => Assert.Contains(",ok,200,", r, StringComparison.Ordinal));
    }

    [Fact]
    public void CompletionsWithoutStreaming_NoTimePerOutputTokenIsMadeUp()
    {
        // When whole answers are asked for on the completions API
        var run = Measure("--api", "completions", "--no-stream", "--concurrency", "2", "--requests", "4", "--input", "20", "--output", "8", "--ignore-eos");

        // Then they succeed with 8 tokens each, and no time per output token is reported: the answer came in one piece
        Assert.True(run.ExitCode == 0, run.Error);
        var level = Level(run);
        Assert.Equal(4, level.GetProperty("succeeded").GetInt64());
        Assert.Equal(8, level.GetProperty("meanOutputTokens").GetDouble());
        Assert.Equal(0, level.GetProperty("timePerOutputToken").GetProperty("count").GetInt64());
        Assert.Equal(0, level.GetProperty("interTokenLatency").GetProperty("count").GetInt64());
    }

    [Fact]
    public void PoissonArrivals_AllServed()
    {
        var run = Measure("--rate", "20", "--requests", "10", "--input", "30", "--output", "6", "--ignore-eos", "--seed", "3");

        Assert.True(run.ExitCode == 0, run.Error);
        var level = Level(run);
        Assert.Equal(10, level.GetProperty("succeeded").GetInt64());
        Assert.Equal(6, level.GetProperty("meanOutputTokens").GetDouble());
    }

    [Fact]
    public void WrongModelName_OneLineNamingWhatTheEngineServes()
    {
        Assert.SkipWhen(engine.SkipReason is not null, engine.SkipReason ?? "");
        var run = CliRunner.Run(["measure", "--endpoint", engine.Url, "--model", "llama-3.1-8b", "--concurrency", "1", "--requests", "1"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"--model 'llama-3.1-8b' is not served at {engine.Url}/v1/; it serves: {RealEngineServer.Model}.", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void TimeoutMidStream_PartialResultsKept_AndTheEngineServesTheNextLevel()
    {
        var csv = Path.Combine(Path.GetTempPath(), $"infercost-real-engine-{Guid.NewGuid():N}.csv");

        // When answers of 3,800 tokens are cut by a 0.6 s timeout, at two levels one after another. One answer of 900
        // took 0.73 s on the 2-core build machine (1,230 tokens/s, first token after 26 ms), and a quiet CI machine once
        // finished 900 inside 0.5 s (over 1,800 tokens/s). 3,800 in 0.6 s needs 6,300 tokens/s, and the first token has
        // 23 times its time to arrive even on a loaded machine (0.2 s for 900 tokens once left a request with none).
        // The server's 4,096-token context per slot holds the answer.
        var run = Measure("--sweep", "concurrency:2,1", "--requests", "2", "--input", "20", "--output", "3800", "--timeout", "0.6", "--ignore-eos", "--csv", csv);

        // Then both levels end (nothing hangs) with the failure exit code, every request reported as a timeout,
        // and what arrived before the cut is kept per request
        Assert.Equal(1, run.ExitCode);
        for (var i = 0; i < 2; i++)
        {
            var level = Level(run, i);
            Assert.Equal(0, level.GetProperty("succeeded").GetInt64());
            Assert.Equal(2, level.GetProperty("errors").GetProperty("timeout").GetInt64());
        }

        var rows = File.ReadAllLines(csv).Skip(1).Select(r => r.Split(',')).ToArray();
        File.Delete(csv);
        Assert.Equal(4, rows.Length);
        Assert.All(rows, r => Assert.Equal("timeout", r[3]));
        // Each level keeps the partial answers that arrived. A request may have none: the first of a level can queue
        // behind the slots the engine is still freeing from the level cut before it (seen once on a loaded machine, at
        // concurrency 1 right after the concurrency-2 level); such a row must then say so.
        static int Tokens(string[] r) => int.Parse(r[11], System.Globalization.CultureInfo.InvariantCulture);
        foreach (var level in rows.GroupBy(r => r[0]))
        {
            Assert.Contains(level, r => Tokens(r) > 0);
        }

        Assert.All(rows.Where(r => Tokens(r) == 0), r => Assert.Contains("(0 tokens received)", string.Join(',', r), StringComparison.Ordinal));

        // And the engine freed the cut requests' slots: a normal run right after succeeds
        var after = Measure("--concurrency", "4", "--requests", "4", "--input", "20", "--output", "5", "--ignore-eos");
        Assert.True(after.ExitCode == 0, after.Error);
        Assert.Equal(4, Level(after).GetProperty("succeeded").GetInt64());
    }
}
