using Infercost.Cli;
using Spectre.Console.Testing;

namespace Infercost.Server.Tests;

/// <summary>Runs the CLI in-process and returns what it printed with --json.</summary>
internal static class CliJson
{
    public static string Run(params string[] args)
    {
        using var console = new TestConsole();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CliApp.Run([.. args, "--json"], new CliContext(console, stdout, stderr, _ => throw new FileNotFoundException()));
        Assert.True(code == 0, stderr.ToString());
        return stdout.ToString().TrimEnd();
    }
}
