using System.CommandLine;
using System.Text.RegularExpressions;
using Spectre.Console.Testing;

namespace Infercost.Cli.Tests.Commands;

// Issue 9 item 17: --help shows each option's default as a value the user could type, and once. An option whose
// description already says "Default: ..." must not also carry a default value (System.CommandLine then prints
// "[default: ...]" too), and a printed default is never a record's or a type's ToString.
public sealed class HelpDefaultTests
{
    private static List<(string Path, Option Option)> Options()
    {
        using var console = new TestConsole();
        var root = CliApp.BuildRoot(new CliContext(console, TextWriter.Null, TextWriter.Null, File.ReadAllText));
        var found = new List<(string, Option)>();
        void Walk(Command command, string path)
        {
            foreach (var option in command.Options) found.Add((path, option));
            foreach (var sub in command.Subcommands) Walk(sub, (path + " " + sub.Name).Trim());
        }

        Walk(root, "");
        return found;
    }

    [Fact]
    public void StatedDefault_IsTheValueTheOptionTakes()
    {
        // Where the description says "Default: 0.08" and System.CommandLine's own default is dropped from help
        // (HelpText.DefaultsOnce), the stated value must be the one the option takes when it is not given.
        var checkedCount = 0;
        var wrong = new List<string>();
        foreach (var (path, option) in Options().Where(o => o.Option.HasDefaultValue && o.Option.ValueType != typeof(bool)))
        {
            if (Regex.Match(option.Description ?? "", @"\bDefault: ([^ ,;()]+?)\.?(?:[ ,;(]|$)") is not { Success: true } m) continue;
            var stated = m.Groups[1].Value;
            var actual = option.GetDefaultValue();
            var same = actual switch
            {
                double d => double.TryParse(stated, System.Globalization.CultureInfo.InvariantCulture, out var s) && Math.Abs(s - d) <= 1e-5 * Math.Max(1, Math.Abs(d)),
                int i => stated == i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => string.Equals(stated, actual?.ToString(), StringComparison.Ordinal),
            };
            checkedCount++;
            if (!same) wrong.Add($"{path} {option.Name}: says {stated}, takes {actual}");
        }

        Assert.True(checkedCount > 20, $"only {checkedCount} stated defaults found");
        Assert.True(wrong.Count == 0, string.Join("; ", wrong));
    }

    [Fact]
    public void EveryCommandsHelp_ShowsDefaultsAsValues()
    {
        var paths = HelpTests.CommandPaths().Select(row => row.Data).ToList();
        var bad = new List<string>();
        foreach (var path in paths)
        {
            var run = CliRunner.Run([.. path.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);
            foreach (Match m in Regex.Matches(run.Out, @"\[default: ([^\]]*)\]"))
            {
                var shown = m.Groups[1].Value;
                if (shown.Length == 0 || shown.Contains('{') || shown.Contains("System.", StringComparison.Ordinal) || shown.Contains("Infercost.", StringComparison.Ordinal)
                    || Regex.IsMatch(shown, @"^[A-Z]\w+$") && shown is not ("True" or "False"))
                {
                    bad.Add($"{path}: {m.Value}");
                }
            }

            // One row per option: its first line starts two spaces in, wrapped lines further in.
            foreach (var row in Regex.Split(run.Out, @"\n(?=  \S)"))
            {
                if (Regex.Count(row, @"\bDefault:|\[default:") > 1) bad.Add($"{path}: default twice in '{Regex.Replace(row.Trim(), @"\s+", " ")}'");
            }
        }

        Assert.True(paths.Count > 30, $"only {paths.Count} commands");
        Assert.True(bad.Count == 0, string.Join("\n", bad));
    }
}
