using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Infercost.Cluster.Tests;

// The shells as a user runs them: two 'infercost cluster silo' processes on loopback (free ports), 'search --cluster'
// and 'simulate --runs N --cluster' (with and without --bands) against them, each compared with its local --json byte for byte; everything is
// killed at the end.
public sealed class SiloProcessTests
{
    private static readonly string[] Search =
    [
        "search", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm,nvidia-a100-sxm-80gb", "--gpus-per-replica", "1,2", "--max-batch", "64,256",
        "--rate", "20", "--top", "3", "--wave", "3", "--trial-time", "20s", "--json",
    ];

    private static readonly string[] Simulate =
    [
        "simulate", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "2", "--rate", "20", "--requests", "300",
        "--input-dist", "lognormal:500:1", "--output-dist", "lognormal:100:0.8", "--seed", "3", "--runs", "5", "--json",
    ];

    [Fact]
    public Task TwoSiloProcesses_GiveTheLocalSearchJson() => TwoSiloProcesses_GiveTheLocalJson(Search);

    [Fact]
    public Task TwoSiloProcesses_GiveTheLocalSimulateRunsJson() => TwoSiloProcesses_GiveTheLocalJson(Simulate);

    [Fact]
    public Task TwoSiloProcesses_GiveTheLocalSimulateRunsWithBandsJson() => TwoSiloProcesses_GiveTheLocalJson([.. Simulate, "--bands"]);

    private static async Task TwoSiloProcesses_GiveTheLocalJson(string[] command)
    {
        var ct = TestContext.Current.CancellationToken;
        var (port1, gateway1, port2, gateway2) = (FreePort(), FreePort(), FreePort(), FreePort());
        var local = await Run(command, TimeSpan.FromMinutes(3), ct);
        var processes = new List<Process>();
        try
        {
            processes.Add(await StartSilo(["cluster", "silo", "--port", $"{port1}", "--gateway-port", $"{gateway1}", "--threads", "1"], ct));
            processes.Add(await StartSilo(["cluster", "silo", "--port", $"{port2}", "--gateway-port", $"{gateway2}", "--threads", "1",
                "--seed-silo", $"127.0.0.1:{port1}"], ct));

            var clustered = await Run([.. command, "--cluster", $"127.0.0.1:{gateway1},127.0.0.1:{gateway2}"], TimeSpan.FromMinutes(3), ct);

            Assert.Equal(0, local.Exit);
            Assert.True(clustered.Exit == 0, clustered.Error);
            Assert.Equal(local.Out, clustered.Out);
        }
        finally
        {
            foreach (var p in processes)
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
                p.Dispose();
            }
        }
    }

    [Theory]
    [InlineData("search")]
    [InlineData("simulate")]
    public async Task UnreachableCluster_IsOneLineExitTwoNamingTheFlag(string command)
    {
        var watch = Stopwatch.StartNew();

        var run = await Run([.. command == "search" ? Search : Simulate, "--cluster", $"127.0.0.1:{FreePort()}"], TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        Assert.Equal(2, run.Exit);
        var lines = run.Error.TrimEnd().Split('\n');
        Assert.True(lines.Length == 1, run.Error);
        Assert.Contains("--cluster", lines[0], StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(45), $"took {watch.Elapsed}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static ProcessStartInfo Cli(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Infercost.Cli.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        return info;
    }

    // Starts a silo and waits (at most a minute) for the line it prints once it has joined.
    private static async Task<Process> StartSilo(string[] args, CancellationToken ct)
    {
        var p = Process.Start(Cli(args))!;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromMinutes(1));
        var line = await p.StandardOutput.ReadLineAsync(limit.Token);
        if (line is null || !line.StartsWith("Silo ", StringComparison.Ordinal))
        {
            p.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"silo '{string.Join(' ', args)}' did not start: {line} {await p.StandardError.ReadToEndAsync(ct)}");
        }

        return p;
    }

    private static async Task<(int Exit, string Out, string Error)> Run(string[] args, TimeSpan limit, CancellationToken ct)
    {
        using var p = Process.Start(Cli(args))!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        try
        {
            var stdout = p.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = p.StandardError.ReadToEndAsync(timeout.Token);
            await p.WaitForExitAsync(timeout.Token);
            return (p.ExitCode, await stdout, await stderr);
        }
        finally
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
        }
    }
}
