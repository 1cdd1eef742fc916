using Spectre.Console;
using Spectre.Console.Rendering;

namespace Infercost.Cli.Rendering;

// Cells are Text, never markup: ids, notes and file names may contain '[' which markup would try to interpret.

/// <summary>A titled two-column table of labelled values, and helpers for plain-text cells.</summary>
internal static class KeyValueTable
{
    /// <summary>A table titled <paramref name="title"/> with the given (label, value) rows; null values are skipped.</summary>
    public static Table Create(string title, IEnumerable<(string Label, string? Value)> rows)
    {
        var table = new Table { Border = TableBorder.Rounded }
            .Title(Markup.Escape(title))
            .AddColumn(new TableColumn("Quantity"))
            .AddColumn(new TableColumn("Value"));
        table.HideHeaders();
        foreach (var (label, value) in rows)
        {
            if (value is not null) table.AddRow(Cell(label), Cell(value));
        }

        return table;
    }

    /// <summary>A table with the given headers, for lists.</summary>
    /// <remarks>A null header leaves that column out (so a caller can drop an optional column).</remarks>
    public static Table Grid(string title, params string?[] headers)
    {
        var table = new Table { Border = TableBorder.Rounded }.Title(Markup.Escape(title));
        foreach (var header in headers.OfType<string>()) table.AddColumn(new TableColumn(Markup.Escape(header)));
        return table;
    }

    /// <summary>Adds a row of plain-text cells; null cells (of columns left out) are skipped.</summary>
    public static Table AddTextRow(this Table table, params string?[] cells)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.AddRow(cells.OfType<string>().Select(Cell).ToArray());
    }

    /// <summary>A plain-text cell.</summary>
    public static IRenderable Cell(string text) => new Text(text);
}
