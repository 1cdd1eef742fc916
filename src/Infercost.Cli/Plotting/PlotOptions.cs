using System.CommandLine;

namespace Infercost.Cli.Plotting;

/// <summary>The <c>--plot</c> option, shared by every command that can draw its result.</summary>
internal static class PlotOptions
{
    /// <summary><c>--plot FILE.png|svg</c>: the extension is checked at parse time (exit 2 on anything else).</summary>
    /// <param name="what">What the chart shows, for the help text.</param>
    public static Option<string?> Plot(string what)
    {
        var option = new Option<string?>("--plot")
        {
            Description = $"Also draw {what} to this file; the format follows the extension (.png or .svg).",
            HelpName = "FILE.png|svg",
        };
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count == 0) return;
            try
            {
                PlotWriter.FormatOf(r.Tokens[^1].Value);
            }
            catch (InvalidInputException e)
            {
                r.AddError(e.Message);
            }
        });
        return option;
    }
}
