using System.Globalization;

namespace Infercost.Cli;

/// <summary>The width tables are drawn to.</summary>
internal static class TerminalWidth
{
    /// <summary>The narrowest width honoured: below it a table cannot show a label beside its value.</summary>
    public const int Narrowest = 20;

    /// <summary>The width <paramref name="columns"/> (the <c>COLUMNS</c> environment variable) asks for when it is a whole
    /// number of at least <see cref="Narrowest"/>; else <paramref name="detected"/>, the console's own width (the
    /// terminal's, or 80 when output is piped).</summary>
    public static int Of(string? columns, int detected) =>
        int.TryParse(columns, NumberStyles.None, CultureInfo.InvariantCulture, out var width) && width >= Narrowest ? width : detected;
}
