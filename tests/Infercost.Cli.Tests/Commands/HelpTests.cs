using System.CommandLine;
using Spectre.Console.Testing;

namespace Infercost.Cli.Tests.Commands;

public sealed class HelpTests
{
    // Every command in the tree, found from the registration list, so a command added later is covered too.
    public static TheoryData<string> CommandPaths()
    {
        using var console = new TestConsole();
        var root = CliApp.BuildRoot(new CliContext(console, TextWriter.Null, TextWriter.Null, File.ReadAllText));
        var paths = new TheoryData<string> { "" };
        Walk(root, "");
        return paths;

        void Walk(Command command, string prefix)
        {
            foreach (var sub in command.Subcommands)
            {
                var path = (prefix + " " + sub.Name).Trim();
                paths.Add(path);
                Walk(sub, path);
            }
        }
    }

    [Fact]
    public void Registrations_NameTheCommandTheyBuild_SoARunBuildsOnlyThatOne()
    {
        using var console = new TestConsole();
        var context = new CliContext(console, TextWriter.Null, TextWriter.Null, File.ReadAllText);

        foreach (var (name, create) in CliApp.Registrations) Assert.Equal(name, create(context).Name);
        Assert.Equal(["cost"], CliApp.BuildRoot(context, ["cost", "--model", "x"]).Subcommands.Select(c => c.Name));
        Assert.Equal(CliApp.Registrations.Length, CliApp.BuildRoot(context, ["--help"]).Subcommands.Count);
    }

    [Theory]
    [MemberData(nameof(CommandPaths))]
    public void Help_EveryCommand_ExitsZeroWithAnExample(string path)
    {
        var run = CliRunner.Run([.. path.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Example", run.Out, StringComparison.Ordinal);
        Assert.Contains("infercost " + path, run.Out, StringComparison.Ordinal);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public void CommandPaths_IncludeTheBriefsCommands()
    {
        var paths = CommandPaths().Select(row => row.Data).ToList();

        Assert.Superset(new HashSet<string> { "cost", "fit", "sweep", "check", "catalog list", "catalog show" }, paths.ToHashSet());
    }
}
