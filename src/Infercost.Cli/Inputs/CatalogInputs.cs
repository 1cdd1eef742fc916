using System.CommandLine;

namespace Infercost.Cli.Inputs;

/// <summary>The <c>--catalog</c> option: a user catalog file merged over the embedded one.</summary>
internal sealed class CatalogInputs
{
    /// <summary>Creates the option.</summary>
    public Option<string?> File { get; } = new("--catalog")
    {
        Description = "A catalog JSON file ({\"accelerators\": [...], \"models\": [...]}) whose entries are added to the " +
                      "embedded catalog, replacing entries with the same id.",
        HelpName = "FILE.json",
    };

    /// <summary>Adds the option to <paramref name="command"/>.</summary>
    public void AddTo(Command command) => command.Options.Add(File);

    /// <summary>The embedded catalog, with the user's file over it when <c>--catalog</c> is given.</summary>
    /// <exception cref="InvalidInputException">The file cannot be read, or has problems (every one listed with its path).</exception>
    public Catalog.Catalog Load(ParseResult parse, CliContext context)
    {
        var path = parse.GetValue(File);
        if (path is null) return Catalog.Catalog.Embedded;
        var text = context.ReadText(path, "--catalog");
        return Catalog.Catalog.Embedded.WithOverrides(Catalog.Catalog.Parse(text, path));
    }
}
