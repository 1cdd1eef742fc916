using System.CommandLine;

namespace Infercost.Cli.Inputs;

/// <summary>Options every command shares.</summary>
internal static class CommonOptions
{
    /// <summary><c>--json</c>: print the result record as indented JSON instead of tables.</summary>
    public static Option<bool> Json() => new("--json")
    {
        Description = "Print the whole result record as indented JSON (quantities in canonical units: bytes, seconds, tokens/s, $/h, $/MTok) instead of tables.",
    };
}
