using Spectre.Console.Testing;

namespace Infercost.Cli.Tests;

/// <summary>What one in-process run of the app produced.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Console">Everything rendered to the (test) console: tables, verdicts, notes.</param>
/// <param name="Out">Everything written to stdout directly: JSON and help.</param>
/// <param name="Error">Everything written to stderr.</param>
internal sealed record CliRun(int ExitCode, string Console, string Out, string Error)
{
    /// <summary>The lines written to stderr, without the trailing empty one.</summary>
    public string[] ErrorLines => Error.TrimEnd('\r', '\n').Split('\n');
}

/// <summary>Runs the app in-process with a wide TestConsole, StringWriters and files held in memory.</summary>
internal static class CliRunner
{
    /// <summary>A user catalog that adds one accelerator, "acme-x1", with a rental price.</summary>
    public const string AcmeCatalog = """
        {
          "accelerators": [
            {
              "id": "acme-x1", "name": "Acme X1", "vendor": "Acme",
              "memoryGB": 192, "memoryBandwidthTBps": 6,
              "denseTflops": { "fp16": 1200, "bf16": 1200, "fp8": 2400, "int8": 2400, "int4": null, "fp4": null },
              "tdpW": 900, "scaleUpGBpsPerDirection": 400, "scaleUpDomain": 8, "scaleOutGBpsPerDirection": 50,
              "rentalUsdPerHour": 1.25, "purchaseUsd": 20000,
              "sources": ["test"], "asOf": "2026-01-01", "notes": []
            }
          ]
        }
        """;

    public static CliRun Run(params string[] args) => Run(new Dictionary<string, string>(), args);

    public static CliRun Run(IReadOnlyDictionary<string, string> files, params string[] args) =>
        Run(path => files.TryGetValue(path, out var text) ? text : throw new FileNotFoundException($"Could not find file '{path}'.", path),
            path => files.Keys.Any(k => k.StartsWith(path.TrimEnd('/') + "/", StringComparison.Ordinal)), args);

    public static CliRun Run(Func<string, string> readFile, params string[] args) => Run(readFile, null, args);

    public static CliRun Run(Func<string, string> readFile, Func<string, bool>? isFolder, params string[] args)
    {
        using var console = new TestConsole().Width(220);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CliApp.Run(args, new CliContext(console, stdout, stderr, readFile, isFolder));
        return new CliRun(code, console.Output, stdout.ToString(), stderr.ToString());
    }
}
