using System.Text;
using System.Text.RegularExpressions;

namespace Infercost.Cli;

/// <summary>Post-processing of System.CommandLine's help text.</summary>
internal static partial class HelpText
{
    // An option's row starts two spaces in ("  --gpus <N>", "  -?, -h, --help"); its description's wrapped lines are
    // indented further. A subcommand's row ("  list <KIND>") starts the same way.
    [GeneratedRegex(@"^  \S")]
    private static partial Regex RowStart();

    [GeneratedRegex(@"\bDefault:")]
    private static partial Regex StatedDefault();

    // " [default: 2]", possibly wrapped over two lines.
    [GeneratedRegex(@"\s*\[default:\s[^\]]*\]")]
    private static partial Regex AppendedDefault();

    /// <summary>Keeps each option's default once: where its description already says "Default: ..." (with the unit,
    /// or where the value comes from), System.CommandLine's appended "[default: ...]" is dropped.</summary>
    public static string DefaultsOnce(string help)
    {
        ArgumentNullException.ThrowIfNull(help);
        var lines = help.Split('\n');
        var result = new StringBuilder(help.Length);
        var row = new StringBuilder();
        void Flush()
        {
            if (row.Length == 0) return;
            var text = row.ToString();
            result.Append(StatedDefault().IsMatch(text) ? AppendedDefault().Replace(text, "") : text);
            row.Clear();
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i] + (i < lines.Length - 1 ? "\n" : "");
            var continuation = row.Length > 0 && line.StartsWith("   ", StringComparison.Ordinal);
            if (!continuation) Flush();
            if (RowStart().IsMatch(line) || continuation) row.Append(line);
            else result.Append(line);
        }

        Flush();
        return result.ToString();
    }
}
