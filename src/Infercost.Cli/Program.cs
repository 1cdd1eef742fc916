using Infercost.Cli;
using Spectre.Console;

var console = AnsiConsole.Console;
// Tables are drawn to $COLUMNS where it is set, else to the terminal's width, else (piped) 80 columns.
console.Profile.Width = TerminalWidth.Of(Environment.GetEnvironmentVariable("COLUMNS"), console.Profile.Width);
return CliApp.Run(args, console, Console.Out, Console.Error);
