using System.Text;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Infercost.Cli.Rendering;

/// <summary>How a command prints its result (<c>--format</c>).</summary>
internal enum OutputFormat
{
    /// <summary>Tables drawn to the console's width (a narrow layout where a table cannot fit without splitting words).</summary>
    Table,

    /// <summary>Each table as CSV (RFC 4180) on stdout; other lines go to stderr.</summary>
    Csv,

    /// <summary>The result record as JSON, as <c>--json</c>.</summary>
    Json,

    /// <summary>Each table as a Markdown (GitHub) table; other lines as plain paragraphs.</summary>
    Markdown,
}

// Every table a command prints goes through IAnsiConsole.Write, so the format is applied here once rather than in each
// of thirty commands. In table format a table is drawn as Spectre lays it out when its columns fit the width with no word
// broken; when they do not (Spectre would then break numbers mid-digit, "1,97" / "9"), each row is drawn as a
// two-column block of header and value instead. CSV and Markdown write the cells' plain text to stdout.

/// <summary>The console commands render to: passes everything to the real console in table format, and turns tables
/// into CSV or Markdown text in those formats.</summary>
internal sealed class FormattingConsole(IAnsiConsole inner, TextWriter stdout, TextWriter stderr) : IAnsiConsole
{
    /// <summary>The format tables are printed in; set from <c>--format</c> once the command line is parsed.</summary>
    public OutputFormat Format { get; set; } = OutputFormat.Table;

    /// <inheritdoc/>
    public Profile Profile => inner.Profile;

    /// <inheritdoc/>
    public IAnsiConsoleCursor Cursor => inner.Cursor;

    /// <inheritdoc/>
    public IAnsiConsoleInput Input => inner.Input;

    /// <inheritdoc/>
    public IExclusivityMode ExclusivityMode => inner.ExclusivityMode;

    /// <inheritdoc/>
    public RenderPipeline Pipeline => inner.Pipeline;

    /// <inheritdoc/>
    public void Clear(bool home) => inner.Clear(home);

    /// <inheritdoc/>
    public void WriteAnsi(Action<AnsiWriter> action) => inner.WriteAnsi(action);

    /// <inheritdoc/>
    public void Write(IRenderable renderable)
    {
        ArgumentNullException.ThrowIfNull(renderable);
        switch (Format, renderable)
        {
            case (OutputFormat.Table, Table table):
                inner.Write(Laid(table));
                break;
            case (OutputFormat.Table or OutputFormat.Json, _):
                inner.Write(renderable);
                break;
            case (OutputFormat.Csv, Table table):
                stdout.Write(TableText.Csv(Title(table), Headers(table), Rows(table)));
                if (Caption(table) is { Length: > 0 } caption) stderr.Write(caption + "\n");
                break;
            case (OutputFormat.Markdown, Table table):
                stdout.Write(TableText.Markdown(Title(table), Headers(table), Rows(table)));
                if (Caption(table) is { Length: > 0 } note) stdout.Write(note + "\n\n");
                break;
            case (OutputFormat.Csv, Rule heading):
                stderr.Write(Markup.Remove(heading.Title ?? "") + "\n");
                break;
            case (OutputFormat.Csv, _):
                stderr.Write(PlainText(renderable));
                break;
            default:
                stdout.Write(renderable is Rule rule ? $"\n### {Markup.Remove(rule.Title ?? "")}\n\n" : PlainText(renderable));
                break;
        }
    }

    // Spectre fits a table that is too wide by narrowing its widest columns, below their longest word if need be, so
    // "1,979" can become "1,97" / "9". Instead each column gets at least its longest word and the width left over is
    // shared in proportion to what each column would need to show its cells on one line; where even the longest words
    // do not fit, the table is drawn one row per block (a table of labelled values, with hidden headers, is already
    // two columns and is left to Spectre).
    private Table Laid(Table table)
    {
        var width = inner.Profile.Width;
        var options = RenderOptions.Create(inner, inner.Profile.Capabilities);
        var whole = ((IRenderable)table).Measure(options, width);
        if (whole.Max <= width) return table;
        var columns = table.Columns.Count;
        var (least, most, padding) = (new int[columns], new int[columns], new int[columns]);
        for (var i = 0; i < columns; i++)
        {
            var column = table.Columns[i];
            padding[i] = column.Padding?.GetWidth() ?? 0;
            IEnumerable<IRenderable> cells = table.Rows.Select(r => i < r.Count ? r[i] : new Text(""));
            if (table.ShowHeaders) cells = cells.Append(column.Header);
            foreach (var cell in cells)
            {
                var m = cell.Measure(options, int.MaxValue / 2);
                least[i] = Math.Max(least[i], column.NoWrap ? m.Max : m.Min);
                most[i] = Math.Max(most[i], m.Max);
            }
        }

        // Borders and separators: what the table measures beyond its columns' content and padding.
        var available = width - (whole.Max - most.Sum() - padding.Sum()) - padding.Sum();
        if (least.Sum() > available) return table.ShowHeaders ? Narrow(table) : table;
        var spare = available - least.Sum();
        var growth = Math.Max(1, most.Sum() - least.Sum());
        for (var i = 0; i < columns; i++)
        {
            table.Columns[i].Width = least[i] + (int)((long)spare * (most[i] - least[i]) / growth);
        }

        return table;
    }

    /// <summary>The narrow layout of a table too wide for the console: one block per row, each cell beside its header.</summary>
    internal static Table Narrow(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows, string title)
    {
        var narrow = new Table { Border = TableBorder.Rounded }.Title(Markup.Escape(title))
            .AddColumn(new TableColumn("Field")).AddColumn(new TableColumn("Value"));
        narrow.HideHeaders();
        narrow.ShowRowSeparators = rows.Count > 1;
        foreach (var row in rows)
        {
            var labels = new StringBuilder();
            var values = new StringBuilder();
            for (var i = 0; i < row.Count; i++)
            {
                if (i > 0)
                {
                    labels.Append('\n');
                    values.Append('\n');
                }

                // A cell of several lines keeps its header's line and adds blank labels for the rest.
                var lines = row[i].Split('\n');
                labels.Append(i < headers.Count ? headers[i] : "").Append('\n', lines.Length - 1);
                values.Append(row[i]);
            }

            narrow.AddRow(new Text(labels.ToString()), new Text(values.ToString()));
        }

        return narrow;
    }

    private Table Narrow(Table table)
    {
        var narrow = Narrow(Headers(table), Rows(table), Title(table));
        if (table.Caption is { } caption) narrow.Caption = caption;
        return narrow;
    }

    private static string? Caption(Table table) => table.Caption is { } c ? Markup.Remove(c.Text) : null;

    private static string Title(Table table) => Markup.Remove(table.Title?.Text ?? "");

    private List<string> Headers(Table table) => [.. table.Columns.Select(c => PlainText(c.Header).TrimEnd('\n'))];

    private List<IReadOnlyList<string>> Rows(Table table) =>
        [.. table.Rows.Select(r => (IReadOnlyList<string>)[.. r.Select(cell => PlainText(cell).TrimEnd('\n'))])];

    // A renderable's text without styling or wrapping (as wide as its longest line).
    private string PlainText(IRenderable renderable)
    {
        var options = RenderOptions.Create(inner, inner.Profile.Capabilities);
        var text = new StringBuilder();
        foreach (var segment in renderable.Render(options, 100_000))
        {
            if (segment.IsControlCode) continue;
            text.Append(segment.IsLineBreak ? "\n" : segment.Text);
        }

        // Lines come padded to the renderable's width; the padding is not the cell's text.
        return string.Join('\n', text.ToString().Split('\n').Select(l => l.TrimEnd(' ')));
    }
}

/// <summary>Tables as CSV and Markdown text.</summary>
internal static class TableText
{
    /// <summary>A table as CSV (RFC 4180): a header row with "Table" first, then one record per row with the table's title
    /// first, then a blank line that separates it from the next table.</summary>
    public static string Csv(string title, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        text.Append(CsvRecord([CsvTitleHeader, .. headers]));
        foreach (var row in rows) text.Append(CsvRecord([title, .. row]));
        return text.Append(CsvTableEnd).ToString();
    }

    /// <summary>One CSV record (RFC 4180): the fields quoted where they must be, ended by CRLF. A table streamed a row at
    /// a time is <c>CsvRecord(["Table", ..headers])</c>, then <c>CsvRecord([title, ..row])</c> per row, then
    /// <see cref="CsvTableEnd"/>: the same text as <see cref="Csv"/>.</summary>
    public static string CsvRecord(IEnumerable<string> fields) => string.Join(',', fields.Select(CsvField)) + "\r\n";

    /// <summary>The blank line that ends a CSV table.</summary>
    public const string CsvTableEnd = "\r\n";

    private static string CsvField(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The first header of every CSV table: the column holding the table's title.</summary>
    public const string CsvTitleHeader = "Table";

    /// <summary>A table as a GitHub Markdown table under a level-3 heading; '|' is escaped and a cell's line breaks become &lt;br&gt;.</summary>
    public static string Markdown(string title, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder(MarkdownHead(title, headers));
        foreach (var row in rows) text.Append(MarkdownRow(row));
        return text.Append(MarkdownTableEnd[0]).ToString();
    }

    /// <summary>A Markdown table's heading (when <paramref name="title"/> is not empty), header row and rule; a table
    /// streamed a row at a time is this, then <see cref="MarkdownRow"/> per row, then <see cref="MarkdownTableEnd"/>.</summary>
    public static string MarkdownHead(string title, IReadOnlyList<string> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var text = new StringBuilder();
        if (title.Length > 0) text.Append("### ").Append(title).Append("\n\n");
        return text.Append(MarkdownRow(headers)).Append("| ").Append(string.Join(" | ", headers.Select(_ => "---"))).Append(" |\n").ToString();
    }

    /// <summary>One row of a Markdown table.</summary>
    public static string MarkdownRow(IEnumerable<string> cells) => "| " + string.Join(" | ", cells.Select(MarkdownCell)) + " |\n";

    /// <summary>The blank line that ends a Markdown table.</summary>
    public const string MarkdownTableEnd = "\n";

    private static string MarkdownCell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", "<br>", StringComparison.Ordinal);
}
