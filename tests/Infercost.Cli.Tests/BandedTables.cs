using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Infercost.Cli.Tests;

/// <summary>Tables whose rows carry a P10–P90 (sweep, speculate, frontier): the same command as a table and as JSON,
/// and the LOW–HIGH ranges the table prints.</summary>
internal static partial class BandedTables
{
    /// <summary>Runs <paramref name="args"/> as a table and with <c>--json</c>; both must exit 0.</summary>
    public static (CliRun Table, JsonDocument Json) Run(params string[] args)
    {
        var table = CliRunner.Run(args);
        var json = CliRunner.Run([.. args, "--json"]);
        Assert.True(table.ExitCode == 0, table.Error);
        Assert.True(json.ExitCode == 0, json.Error);
        return (table, JsonDocument.Parse(json.Out));
    }

    /// <summary>Asserts that the table prints the range <paramref name="low"/>–<paramref name="high"/> to the three figures
    /// it prints (within 0.6%, or half a unit).</summary>
    public static void ShowsRange(string console, double low, double high) =>
        Assert.Contains(Ranges(console), r => Near(r.Low, low) && Near(r.High, high));

    // Numbers with thousands separators, not preceded by a currency sign or another digit.
    private static List<(double Low, double High)> Ranges(string console) =>
        [.. Range().Matches(console).Select(m => (Parse(m.Groups[1].Value), Parse(m.Groups[2].Value)))];

    private static double Parse(string text) => double.Parse(text.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    private static bool Near(double printed, double value) => Math.Abs(printed - value) <= 0.006 * value + 0.5;

    [GeneratedRegex(@"(?<![$\d.,])(\d[\d,]*(?:\.\d+)?)–(\d[\d,]*(?:\.\d+)?)")]
    private static partial Regex Range();
}
