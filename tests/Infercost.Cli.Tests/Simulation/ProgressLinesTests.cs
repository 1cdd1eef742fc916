using Infercost.Cli.Commands;

namespace Infercost.Cli.Tests.Simulation;

// Issue 9: plan at a high rate ran for minutes with nothing on a piped stderr. Progress now comes as occasional lines.
public sealed class ProgressLinesTests
{
    [Fact]
    public void ProgressLines_NothingEarly_ThenAtMostOneLinePerInterval()
    {
        // Given a clock the test moves, and lines every 5 s
        var now = TimeSpan.Zero;
        using var error = new StringWriter();
        var lines = new ProgressLines(error, "plan: simulating fleets", () => now, TimeSpan.FromSeconds(5));

        // When progress is reported at 1 s, 6 s, 8 s and 12 s
        foreach (var (seconds, fraction) in new[] { (1.0, 0.1), (6.0, 0.3), (8.0, 0.35), (12.0, 0.5) })
        {
            now = TimeSpan.FromSeconds(seconds);
            lines.Report(fraction);
        }

        // Then a short run prints nothing, and a long one a line at 6 s and at 12 s, not at 8 s
        Assert.Equal("plan: simulating fleets: 30% done after 6 s\nplan: simulating fleets: 50% done after 12 s\n", error.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}
