using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Spectre.Console.Testing;

namespace Infercost.Cli.Tests.Commands;

// Issue 9 item 16: tables readable when piped and at 80 columns, and --format table|csv|json|markdown for scripts.
// HelpExampleTests runs every --help example at 80 columns and again with --format csv, and checks that no line is wider
// than the console and no number is broken over lines; these tests check the formats themselves.
public sealed class TableFormatTests
{
    private static readonly string[] Cost = ["cost", "--model", "deepseek-r1", "--gpu", "nvidia-h100-sxm", "--gpus", "72"];
    private static readonly string[] Sweep = ["sweep", "--model", "llama-3.3-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--tp", "4"];

    [Fact]
    public void Csv_ParsesBackToTheTablesCells()
    {
        var table = CliRunner.Run(Cost);
        var run = CliRunner.Run([.. Cost, "--format", "csv"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Console);
        var tables = ParseCsvTables(run.Out);
        Assert.Equal(["Setup", "Memory (per GPU)", "Throughput", "Cost"], tables.Select(t => t.Title));
        Assert.All(tables, t => Assert.Equal(["Table", "Quantity", "Value"], t.Headers));
        var setup = tables[0].Rows.ToDictionary(r => r[1], r => r[2]);
        Assert.Equal("fp8 (1,979 TFLOP/s dense peak per device)", setup["Compute"]);
        Assert.Contains("1,979 TFLOP/s", table.Console, StringComparison.Ordinal);
        // Notes go to stderr, so stdout is CSV only.
        Assert.Contains("Expert parallelism 72", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_GridKeepsItsColumns()
    {
        var run = CliRunner.Run([.. Sweep, "--format", "csv"]);

        var sweep = Assert.Single(ParseCsvTables(run.Out));
        Assert.Equal("Batch", sweep.Headers[1]);
        Assert.All(sweep.Rows, r => Assert.Equal(sweep.Headers.Count, r.Count));
        Assert.Contains(sweep.Rows, r => r[1] == "224" && r[^1].StartsWith('$'));
    }

    [Fact]
    public void Markdown_ParsesBackToTheSameCellsAsCsv()
    {
        var csv = ParseCsvTables(CliRunner.Run([.. Sweep, "--format", "csv"]).Out);
        var run = CliRunner.Run([.. Sweep, "--format", "markdown"]);

        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.Split('\n').Where(l => l.StartsWith('|')).ToList();
        Assert.Matches(@"^\| --- (\| --- )*\|$", lines[1]);
        var rows = lines.Where((_, i) => i != 1).Select(l => l.Trim().Trim('|').Split(" | ").Select(c => c.Trim()).ToList()).ToList();
        Assert.Equal(csv[0].Headers.Skip(1), rows[0]);
        Assert.Equal(csv[0].Rows.Select(r => r.Skip(1).ToList()), rows.Skip(1));
        Assert.Contains("### Decode sweep", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatJson_IsJson()
    {
        foreach (var args in new[] { Cost, Sweep, ["catalog", "list", "gpus"] })
        {
            var json = CliRunner.Run([.. args, "--json"]);
            var format = CliRunner.Run([.. args, "--format", "json"]);

            Assert.Equal(0, format.ExitCode);
            Assert.Equal(json.Out, format.Out);
            Assert.Equal("", format.Console);
        }
    }

    [Fact]
    public void JsonWithAnotherFormat_IsRefusedNamingBoth()
    {
        var run = CliRunner.Run([.. Cost, "--json", "--format", "csv"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains("--format csv", run.Error, StringComparison.Ordinal);
        Assert.Contains("--json", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryCommandWithJson_TakesFormat()
    {
        using var console = new TestConsole();
        var root = CliApp.BuildRoot(new CliContext(console, TextWriter.Null, TextWriter.Null, _ => ""));
        var withJson = new List<(string Path, bool Format)>();
        void Walk(Command command, string path)
        {
            if (command.Options.Any(o => o.Name == "--json")) withJson.Add((path, command.Options.Any(o => o.Name == "--format")));
            foreach (var sub in command.Subcommands) Walk(sub, (path + " " + sub.Name).Trim());
        }

        Walk(root, "");
        Assert.True(withJson.Count > 25, $"only {withJson.Count} commands print JSON");
        Assert.Empty(withJson.Where(c => !c.Format).Select(c => c.Path));
    }

    [Fact]
    public void TooWideATable_IsDrawnOneRowPerBlock_WithNumbersWhole()
    {
        using var console = new TestConsole().Width(50);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Assert.Equal(0, CliApp.Run(Sweep, new CliContext(console, stdout, stderr, File.ReadAllText)));

        var lines = console.Output.Split('\n');
        Assert.All(lines, l => Assert.True(l.TrimEnd('\r').Length <= 50, l));
        // The 224 batch's row: each header beside its value, the cluster figure whole.
        Assert.Contains(lines, l => Regex.IsMatch(l, @"│ Batch\s+│ 224\s+│"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"│ Cluster output tok/s\s+│ 12,992\s+│"));
    }

    [Theory]
    [InlineData("80", 200, 80)]
    [InlineData("132", 80, 132)]
    [InlineData(null, 97, 97)]
    [InlineData("", 80, 80)]
    [InlineData("abc", 80, 80)]
    [InlineData("5", 80, 80)]
    [InlineData("-100", 80, 80)]
    public void Width_IsColumnsWhenSet_ElseTheConsoles(string? columns, int detected, int expected) =>
        Assert.Equal(expected, TerminalWidth.Of(columns, detected));

    [Theory]
    [InlineData("60", 60)]
    [InlineData(null, 80)]
    public async Task PipedRun_FitsColumns_OrEighty(string? columns, int width)
    {
        // The real executable with stdout redirected, as `infercost cost ... | less` runs it.
        var cli = Path.Combine(AppContext.BaseDirectory, "Infercost.Cli.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])[cli, .. Cost]) start.ArgumentList.Add(a);
        start.Environment.Remove("COLUMNS");
        if (columns is not null) start.Environment["COLUMNS"] = columns;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        var (stdout, stderr) = (await output, await error);

        Assert.Equal(0, process.ExitCode);
        var lines = stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains(lines, l => l.Contains("1,979 TFLOP/s", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} > {width}: {l}"));
        Assert.Contains(lines, l => l.Length > width - 5);
        Assert.DoesNotContain("\u001b[", stdout, StringComparison.Ordinal);
        Assert.Equal("", stderr);
    }

    // ---- helpers shared with HelpExampleTests ----

    /// <summary>The tables of --format csv output: blocks separated by a blank line, each a header row then records, the
    /// first field the table's title.</summary>
    internal static List<(string Title, List<string> Headers, List<List<string>> Rows)> ParseCsvTables(string csv)
    {
        var records = ParseCsv(csv);
        var tables = new List<(string, List<string>, List<List<string>>)>();
        List<List<string>>? block = null;
        foreach (var record in records.Append(null))
        {
            if (record is null || record is [""])
            {
                if (block is { Count: > 0 })
                {
                    var headers = block[0];
                    Assert.Equal("Table", headers[0]);
                    var rows = block.Skip(1).ToList();
                    Assert.All(rows, r => Assert.Equal(headers.Count, r.Count));
                    Assert.All(rows, r => Assert.Equal(rows[0][0], r[0]));
                    tables.Add((rows.Count > 0 ? rows[0][0] : "", headers, rows));
                }

                block = null;
                continue;
            }

            (block ??= []).Add(record);
        }

        return tables;
    }

    // RFC 4180: fields separated by commas, records by CRLF, quoted fields may hold commas, quotes ("") and line breaks.
    private static List<List<string>> ParseCsv(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"' && field.Length == 0) quoted = true;
            else if (c == ',') { record.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
                i++;
            }
            else field.Append(c);
        }

        Assert.False(quoted, "unterminated quoted field");
        if (field.Length > 0 || record.Count > 0) { record.Add(field.ToString()); records.Add(record); }
        return records;
    }

    /// <summary>The numbers in a text, each with its digit-group commas and decimal point ("1,979", "0.277", "8").</summary>
    internal static IEnumerable<string> Numbers(string text) =>
        Regex.Matches(text, @"\d(?:[\d,.]*\d)?").Select(m => m.Value);
}
