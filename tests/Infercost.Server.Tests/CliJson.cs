using Infercost.Cli;
using Spectre.Console.Testing;

namespace Infercost.Server.Tests;

/// <summary>Runs the CLI in-process and returns what it printed with --json.</summary>
internal static class CliJson
{
    public static string Run(params string[] args) => RunWithFiles(new Dictionary<string, string>(), args);

    /// <summary>As <see cref="Run"/>, with the files the CLI may read (path to text).</summary>
    public static string RunWithFiles(IReadOnlyDictionary<string, string> files, params string[] args)
    {
        using var console = new TestConsole();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CliApp.Run([.. args, "--json"], new CliContext(console, stdout, stderr, path => files.TryGetValue(path, out var text) ? text : throw new FileNotFoundException(path)));
        Assert.True(code == 0, stderr.ToString());
        return stdout.ToString().TrimEnd();
    }
}
