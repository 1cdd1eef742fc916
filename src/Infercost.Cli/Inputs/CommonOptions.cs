using System.CommandLine;
using Infercost.Cli.Rendering;

namespace Infercost.Cli.Inputs;

/// <summary>Options every command shares.</summary>
internal static class CommonOptions
{
    /// <summary>The name of the option that picks the output format.</summary>
    public const string FormatName = "--format";

    /// <summary><c>--json</c>: print the result record as indented JSON instead of tables.</summary>
    public static Option<bool> Json() => new("--json")
    {
        Description = "Print the whole result record as indented JSON (quantities in canonical units: bytes, seconds, tokens/s, $/h, $/MTok) instead of tables.",
    };

    /// <summary><c>--format</c>: table, csv, json or markdown. Every command with <c>--json</c> gets it (<see cref="CliApp.BuildRoot(CliContext)"/>).</summary>
    public static Option<string> Format()
    {
        var option = new Option<string>(FormatName)
        {
            Description = "How to print the result: table (drawn to the terminal's width, or $COLUMNS; a table too wide to fit " +
                "without breaking a number is drawn one row per block), csv (each table as CSV with its title in a first " +
                "'Table' column and a blank line after it; notes and other lines go to stderr), markdown (each table as a " +
                "Markdown table under its title), or json (the same as --json).",
            HelpName = "table|csv|json|markdown",
            DefaultValueFactory = _ => "table",
        };
        option.AcceptOnlyFromAmong("table", "csv", "json", "markdown");
        return option;
    }

    /// <summary>The format the command line asks for: <c>--format</c>, or json for <c>--json</c>.</summary>
    public static OutputFormat FormatOf(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var format = parse.CommandResult.Command.Options.OfType<Option<string>>().FirstOrDefault(o => o.Name == FormatName) is { } f
            ? parse.GetValue(f) : null;
        var json = parse.CommandResult.Command.Options.OfType<Option<bool>>().FirstOrDefault(o => o.Name == "--json") is { } j && parse.GetValue(j);
        return format switch
        {
            "csv" => OutputFormat.Csv,
            "markdown" => OutputFormat.Markdown,
            "json" => OutputFormat.Json,
            _ => json ? OutputFormat.Json : OutputFormat.Table,
        };
    }

    /// <summary>Whether to print JSON: <c>--json</c> or <c>--format json</c>.</summary>
    public static bool IsJson(ParseResult parse, Option<bool> json)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue(json) || FormatOf(parse) == OutputFormat.Json;
    }
}
