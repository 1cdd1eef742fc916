namespace Infercost.Cli.Tests.Commands;

public sealed class ServeCommandTests
{
    [Fact]
    public void Serve_BeyondLoopbackWithoutAKey_ExitsTwoWithoutListening()
    {
        var run = CliRunner.Run("serve", "--urls", "http://0.0.0.0:0");

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains("API key", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_Help_NamesTheDefaultLoopbackAddress()
    {
        var run = CliRunner.Run("serve", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("127.0.0.1", run.Out, StringComparison.Ordinal);
    }
}
