using System.Text.Json;

namespace Infercost.Cli.Tests.Economics.Sessions;

public sealed class SessionCommandTests
{
    [Fact]
    public void Sonnet_ComparesCachingOffFiveMinutesAndOneHour()
    {
        var run = CliRunner.Run("session", "--price-model", "claude-sonnet-4.5", "--turns", "12", "--gaps", "20,20,20,900");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("$6.00/MTok 1h write", run.Console, StringComparison.Ordinal);
        Assert.Matches(@"cache 5m\s+│ \$0\.556\s+│ 2 ", run.Console);
        Assert.Matches(@"cache 1h\s+│ \$0\.438\s+│ 0 ", run.Console);
        Assert.Contains("Request by request: cache 1h (the cheapest)", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Compaction_IsComparedAgainstTheFullHistory_AndOverlongPromptsAreFlagged()
    {
        var run = CliRunner.Run("session", "--price-model", "claude-sonnet-4.5", "--turns", "200", "--compact-at", "150000", "--ttl", "5m", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var bills = json.RootElement.GetProperty("bills");
        Assert.Equal(2, bills.GetArrayLength());
        var compacted = bills[0];
        var full = bills[1];
        Assert.True(compacted.GetProperty("compactions").GetInt32() > 0);
        Assert.True(compacted.GetProperty("total").GetDouble() < full.GetProperty("total").GetDouble());
        Assert.Equal(0, compacted.GetProperty("overContextWindow").GetInt32());
        Assert.True(full.GetProperty("overContextWindow").GetInt32() > 0);
    }

    [Theory]
    [InlineData("ttl must be 5m or 1h; was '10m'.", "session", "--price-model", "claude-sonnet-4.5", "--ttl", "10m")]
    [InlineData("gaps must be seconds in [0, 1e+08], comma-separated; was '20,x'.", "session", "--price-model", "claude-sonnet-4.5", "--gaps", "20,x")]
    [InlineData("--summary-tokens must be below --compact-at", "session", "--price-model", "claude-sonnet-4.5", "--compact-at", "1000", "--summary-tokens", "2000")]
    [InlineData("ttl 1h has no price for gpt-4o", "session", "--price-model", "gpt-4o", "--ttl", "1h")]
    public void BadInput_IsOneLine_ExitTwo(string message, params string[] args)
    {
        var run = CliRunner.Run(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }
}
