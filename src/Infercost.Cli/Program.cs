using Infercost.Cli;
using Spectre.Console;

return CliApp.Run(args, AnsiConsole.Console, Console.Out, Console.Error);
